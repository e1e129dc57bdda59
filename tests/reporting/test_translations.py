"""The public side in eleven languages: complete catalogues, compiled, and used."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.html import escape
from django.utils.translation import to_locale

from tests.factories import make_emergency, make_organisation

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_catalogue_is_complete(code):
    catalogue = polib.pofile(str(LOCALE / to_locale(code) / "LC_MESSAGES" / "django.po"))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert catalogue.percent_translated() == 100
    assert catalogue.metadata.get("Language") == to_locale(code)


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_compiled_catalogue_matches_its_source(code):
    folder = LOCALE / to_locale(code) / "LC_MESSAGES"
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.pofile(str(folder / "django.po"))}
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(folder / "django.mo"))}
    assert compiled == source, "run `make messages` to compile the catalogues"


@pytest.mark.parametrize("code", TRANSLATED)
def test_placeholders_survive_translation(code):
    for entry in polib.pofile(str(LOCALE / to_locale(code) / "LC_MESSAGES" / "django.po")):
        for placeholder in re.findall(r"%\(\w+\)s", entry.msgid):
            for text in [entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values():
                assert placeholder in text, (code, entry.msgid)


@pytest.fixture
def germany(db):
    make_emergency("DE", general="112")
    make_organisation(name="Meldestelle", countries=("DE",))


def translation_of(code: str, english: str) -> str:
    return polib.pofile(str(LOCALE / to_locale(code) / "LC_MESSAGES" / "django.po")).find(english).msgstr


@pytest.mark.parametrize("code", TRANSLATED)
def test_each_language_is_served_in_that_language(client, germany, code):
    page = client.get(f"/{code}/help/de/csam-found/").text
    for english in ("Report it to a hotline", "Leave this site", "Open the report form"):
        assert escape(translation_of(code, english)) in page
    assert "Report it to a hotline" not in page


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_language_renders_every_page(client, germany, code):
    for path in ("/", "/help/de/", "/help/de/not-sure/", "/leaving/"):
        response = client.get(f"/{code}{path}")
        assert response.status_code == 200
        assert f'lang="{code}"' in response.text


def test_the_api_speaks_the_requested_language(client, germany):
    body = client.get("/api/v1/route/", {"country": "DE", "situation": "csam-found", "lang": "de"}).json()
    english = client.get("/api/v1/route/", {"country": "DE", "situation": "csam-found"}).json()
    assert body["steps"][0]["title"] != english["steps"][0]["title"]
    assert body["country"]["name"] == "Deutschland"
