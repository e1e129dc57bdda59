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
