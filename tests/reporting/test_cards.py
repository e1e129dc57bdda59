import io

import pypdf
import pytest

from tests.factories import make_emergency, make_organisation


@pytest.fixture
def germany(db):
    make_emergency("DE", general="112", police="110")
    make_organisation(name="Meldestelle", countries=("DE",), channels=(("web_form", "https://melden.example.de/"),))
    make_organisation(name="Nummer gegen Kummer", kind="child_helpline", countries=("DE",),
                      services=("support_child",), channels=(("phone", "116 111"),))  # fmt: skip
    make_organisation(name="Take It Down", kind="worldwide_service", countries=(), worldwide=True,
                      services=("remove_images",), channels=(("web_form", "https://tid.example.org/"),))  # fmt: skip


def test_the_card_lists_every_number_and_address_with_a_qr_code(client, germany):
    response = client.get("/help/de/card/")
    assert response.status_code == 200
    text = response.text
    for expected in ("Call 112", "Police: 110", "Meldestelle", "https://melden.example.de/", "116 111",
                     "Take It Down", "<svg", "https://testserver/help/de/", "Printed"):  # fmt: skip
        assert expected in text
    assert response.cookies == {}


def test_the_card_is_in_the_pages_language(client, germany):
    text = client.get("/de/help/de/card/").text
    assert '<html lang="de"' in text
    assert "https://testserver/de/help/de/" in text  # the QR code leads back in the same language


def test_the_pdf_has_the_same_content(client, germany):
    response = client.get("/help/de/card.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in ("Germany", "112", "Meldestelle", "116 111", "Take It Down", "Printed"):
        assert expected in text


def test_a_pdf_in_arabic_and_ukrainian_keeps_its_script(client, germany):
    for prefix, word in (("ar", "ألمانيا"), ("uk", "Німеччина")):
        reader = pypdf.PdfReader(io.BytesIO(client.get(f"/{prefix}/help/de/card.pdf").content))
        assert word in reader.pages[0].extract_text()


def test_an_unknown_country_has_no_card(client, germany):
    assert client.get("/help/xx/card/").status_code == 404
    assert client.get("/help/xx/card.pdf").status_code == 404


def test_the_card_gives_the_oldest_check_of_what_it_shows(client, germany):
    import datetime

    from directory.models import Organisation

    Organisation.objects.filter(name="Nummer gegen Kummer").update(last_checked=datetime.date(2024, 3, 1))
    text = client.get("/help/de/card/").text
    assert "Every entry on this card was checked in March 2024 or later." in text
    assert "November 2026 or later" not in text


def test_the_pdf_is_rendered_once_and_then_served_from_the_cache(client, germany, monkeypatch):
    import weasyprint

    renders = []
    real = weasyprint.HTML.write_pdf

    def counting(self, *args, **kwargs):
        renders.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", counting)
    first = client.get("/help/de/card.pdf").content
    second = client.get("/help/de/card.pdf").content
    assert first == second and first.startswith(b"%PDF")
    assert len(renders) == 1


def test_rendering_the_pdf_fetches_nothing(client, germany, monkeypatch):
    import weasyprint

    fetched = []
    real = weasyprint.HTML.__init__

    def watching(self, *args, url_fetcher=None, **kwargs):
        def fetcher(url, *a, **k):
            fetched.append(url)
            return url_fetcher(url, *a, **k)

        real(self, *args, url_fetcher=fetcher, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "__init__", watching)
    response = client.get("/help/de/card.pdf")
    assert response.status_code == 200
    assert fetched == []


def test_the_arabic_pdf_prints_a_readable_address_and_chinese_names_in_a_cjk_font(client, db):
    make_emergency("EG", general="122")
    make_organisation(
        name="خط نجدة الطفل",
        kind="child_helpline",
        countries=("EG",),
        services=("support_child",),
        channels=(("phone", "16000"), ("website", "http://nccm.gov.eg/%d8%ae%d8%b7-%d9%86%d8%ac%d8%af%d8%a9/")),
    )
    make_organisation(
        name="儿童求助热线", kind="child_helpline", countries=("CN",), services=("support_child",),
        channels=(("phone", "12355"),),
    )  # fmt: skip
    card = client.get("/ar/help/eg/card/").text
    assert 'dir="ltr">http://nccm.gov.eg/خط-نجدة/</span>' in card  # decoded, scheme in place, isolated
    assert "%d8" not in card
    pdf = pypdf.PdfReader(io.BytesIO(client.get("/ar/help/eg/card.pdf").content))
    text = pdf.pages[0].extract_text()
    assert "nccm.gov.eg" in text and "%d8" not in text and "//:https" not in text and "//:http" not in text
    chinese = pypdf.PdfReader(io.BytesIO(client.get("/help/cn/card.pdf").content))
    assert "儿童求助热线" in chinese.pages[0].extract_text()
    fonts = {
        str(font["/BaseFont"])
        for page in chinese.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
        if "/BaseFont" in font.get_object()
    }
    assert any("CJK" in name for name in fonts), fonts  # a font that has the characters, not boxes
