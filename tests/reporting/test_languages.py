import datetime

import pytest

from tests.factories import make_emergency, make_organisation


@pytest.fixture
def germany(db):
    make_emergency("DE", general="112")
    make_organisation(name="Beschwerdestelle", countries=("DE",))


def test_the_bare_address_follows_the_browsers_language(client, db):
    response = client.get("/", headers={"accept-language": "uk-UA,uk;q=0.9,en;q=0.5"})
    assert response.status_code == 302
    assert response["Location"] == "/uk/"
    assert "Accept-Language" in response["Vary"]


def test_english_browsers_stay_on_the_bare_address(client, db):
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert response.status_code == 200
    assert '<html lang="en" dir="ltr">' in response.text


def test_the_language_is_kept_in_the_address(client, germany):
    response = client.get("/de/help/", {"country": "DE", "situation": "csam-found"})
    assert response["Location"] == "/de/help/de/csam-found/"
    page = client.get("/de/help/de/csam-found/", headers={"accept-language": "fr"})
    assert '<html lang="de" dir="ltr">' in page.text


def test_arabic_pages_are_right_to_left(client, germany):
    page = client.get("/ar/help/de/csam-found/")
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page.text


def test_the_switcher_links_to_the_same_page_in_every_language(client, germany):
    page = client.get("/fr/help/de/grooming/")
    for prefix in ("/help", "/de/help", "/ar/help", "/uk/help", "/pl/help"):
        assert f'href="{prefix}/de/grooming/"' in page.text
    assert 'aria-current="true">Français</a>' in page.text


def test_an_unknown_language_prefix_is_a_404(client, germany):
    assert client.get("/xx/help/de/csam-found/").status_code == 404


def test_a_countrys_own_language_is_offered_first_on_its_pages(client, db):
    from reporting.locale import country_languages

    assert country_languages("DE") == ["de"]
    assert country_languages("BE")[:2] == ["nl", "fr"]
    assert country_languages("US") == ["en"]
    assert country_languages("JP") == []  # none of ours
    page = client.get("/help/de/csam-found/").text  # in English
    assert '<p class="offer-lang"><a href="/de/help/de/csam-found/" lang="de" hreflang="de">Deutsch</a></p>' in page
    menu = page[page.index('<details class="langs">') :]
    assert menu.index('lang="de"') < menu.index('lang="en"')  # first in the menu too
    assert 'class="offer-lang"' not in client.get("/de/help/de/csam-found/").text  # already in German
    assert 'class="offer-lang"' not in client.get("/help/").text  # no country yet


def test_months_are_written_as_each_language_writes_them(client, db):
    make_organisation(name="Meldestelle", countries=("PT",), last_checked=datetime.date(2026, 7, 1))
    assert "julho de 2026" in client.get("/pt/help/pt/csam-found/").text
    assert "Juli 2026" in client.get("/de/help/pt/csam-found/").text


def test_the_country_list_is_in_the_readers_order_and_language(client, db):
    page = client.get("/uk/").text
    # Ukrainian order (Unicode collation), not the English one: Німеччина (Germany) after Мексика (Mexico).
    assert page.index(">Мексика<") < page.index(">Німеччина<") < page.index(">Сполучені Штати<")
    page = client.get("/ar/").text
    assert page.index(">ألمانيا<") < page.index(">المكسيك<")
    page = client.get("/de/").text
    assert page.index(">Ägypten<") < page.index(">Albanien<")  # Ä sorts with A, not after Z
    assert page.index(">Deutschland<") < page.index(">Mexiko<")


def test_brazil_gets_brazilian_portuguese(client, db):
    from reporting.locale import country_languages

    assert country_languages("BR") == ["pt-br"]
    assert country_languages("PT") == ["pt"]
    page = client.get("/help/br/sextortion/").text
    assert 'hreflang="pt-br">Português (Brasil)</a></p>' in page  # offered at the top of Brazil's answers
    brazilian = client.get("/pt-br/help/br/sextortion/").text
    assert 'lang="pt-br"' in brazilian and "compartilhar" in brazilian and " partilhar" not in brazilian
    european = client.get("/pt/help/pt/sextortion/").text
    assert "partilhar" in european and "compartilhar" not in european
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.9")
    assert response.status_code == 302 and response["Location"] == "/pt-br/"


def test_russian_is_offered_where_it_is_spoken(client, db):
    from reporting.locale import country_languages

    assert country_languages("KZ") == ["ru"] and country_languages("UA") == ["uk", "ru"]
    page = client.get("/help/kz/need-to-talk/").text
    assert 'hreflang="ru">Русский</a></p>' in page
    russian = client.get("/ru/help/kz/need-to-talk/").text
    assert 'lang="ru"' in russian and "Поговори с теми, кто помогает подросткам" in russian
    start = client.get("/ru/").text
    assert start.index(">Германия<") < start.index(">Мексика<") < start.index(">Россия<")


def test_indonesia_gets_indonesian(client, db):
    page = client.get("/help/id/sextortion/").text
    assert 'hreflang="id">Bahasa Indonesia</a></p>' in page
    indonesian = client.get("/id/help/id/sextortion/").text
    assert 'lang="id"' in indonesian and "Seseorang mengancam akan menyebarkan gambar seksual diriku" in indonesian


def test_turkey_gets_turkish_in_turkish_order(client, db):
    assert 'hreflang="tr">Türkçe</a></p>' in client.get("/help/tr/grooming/").text
    start = client.get("/tr/").text
    assert 'lang="tr"' in start and "Kim soruyor?" in start
    assert start.index(">Almanya<") < start.index(">Meksika<") < start.index(">Türkiye<")


def test_india_is_offered_hindi(client, db):
    assert 'hreflang="hi">हिन्दी</a></p>' in client.get("/help/in/sextortion/").text
    hindi = client.get("/hi/help/in/sextortion/").text
    assert 'lang="hi"' in hindi and "कोई मेरी यौन तस्वीरें शेयर करने की धमकी दे रहा है" in hindi


def test_kenya_and_tanzania_are_offered_swahili(client, db):
    for country in ("ke", "tz"):
        assert 'hreflang="sw">Kiswahili</a></p>' in client.get(f"/help/{country}/need-to-talk/").text
    swahili = client.get("/sw/help/ke/need-to-talk/").text
    assert 'lang="sw"' in swahili and "Ongea na mtu anayesaidia vijana" in swahili


def test_china_is_offered_simplified_chinese(client, db):
    from reporting.locale import country_languages

    assert country_languages("CN") == ["zh-hans"]
    assert 'hreflang="zh-hans">简体中文</a></p>' in client.get("/help/cn/sextortion/").text
    chinese = client.get("/zh-hans/help/cn/sextortion/").text
    assert 'lang="zh-hans"' in chinese and "有人威胁要传播我的性图片" in chinese
