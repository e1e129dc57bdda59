"""Channel labels on the page and in the API: our own phrases in the reader's language, others as written."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation import to_locale

from directory.labels import PHRASES
from tests.factories import make_emergency, make_organisation


@pytest.fixture
def labelled(db):
    make_emergency("DE", general="112")
    organisation = make_organisation(name="Nummer gegen Kummer", kind="child_helpline", countries=("DE",),
                                     services=("support_child",), channels=())  # fmt: skip
    organisation.channels.create(type="phone", value="116 111", label="for children and young people", position=0)
    organisation.channels.create(type="phone", value="0800 111 0 550", label="Elterntelefon", position=1)


def test_our_own_label_phrases_are_translated_and_others_shown_as_written(client, labelled):
    page = client.get("/de/help/de/need-to-talk/").text
    assert "für Kinder und Jugendliche" in page
    assert "for children and young people" not in page
    assert "Elterntelefon" in page


def test_the_api_gives_the_label_in_the_language_asked_for(client, labelled):
    body = client.get("/api/v1/route/?country=DE&situation=need-to-talk&lang=de").json()
    labels = [channel["label"] for channel in body["steps"][0]["organisations"][0]["channels"]]
    assert labels == ["für Kinder und Jugendliche", "Elterntelefon"]


BRANDS = {"Globe", "Smart"}  # mobile networks' names: the same in every language


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE])
def test_every_label_phrase_of_ours_is_in_every_catalogue(code):
    catalogue = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / to_locale(code) / "LC_MESSAGES" / "django.po"))
    for phrase in set(PHRASES) - BRANDS:
        entry = catalogue.find(phrase)
        assert entry is not None and entry.msgstr and entry.msgstr != phrase, (code, phrase)
