"""Honest words: what the answer says about worldwide services, missing services and old checks."""

import datetime

import pytest

from directory.models import Organisation
from tests.factories import make_emergency, make_organisation

NO_SERVICE = "We don't know a service in this country for this yet"
NO_HELPLINE = "We don't know a helpline in this country yet, but you are not alone."
ANYWHERE = "These services work from any country:"
TRUSTED_ADULT = "You can also talk to an adult you trust: a parent, a teacher, a school nurse or a doctor."


@pytest.fixture
def world(db):
    make_emergency("DE", general="112", police="110")
    make_emergency("FR", general="112", police="17")
    make_organisation(
        name="Beschwerdestelle", countries=("DE",), channels=(("web_form", "https://melden.example.de/"),)
    )
    make_organisation(name="INHOPE", kind="worldwide_service", countries=(), worldwide=True,
                      channels=(("web_form", "https://inhope.example.org/"),))  # fmt: skip
    make_organisation(name="Child Helpline Chat", kind="worldwide_service", countries=(), worldwide=True,
                      services=("support_child", "support_adult"),
                      channels=(("chat", "https://chat.example.org/"),))  # fmt: skip


def test_a_worldwide_step_beside_a_national_one_says_plainly_that_it_works_from_anywhere(client, world):
    page = client.get("/help/de/csam-found/").text  # a German hotline, then worldwide support for the adult
    assert "know a service" not in page
    assert ANYWHERE in page


def test_a_country_with_no_service_at_all_says_so_for_each_step(client, world):
    page = client.get("/help/fr/csam-found/").text
    assert NO_SERVICE in page
    assert NO_HELPLINE in page  # kinder words where someone needs to talk


def test_where_no_one_in_the_country_can_talk_with_them_a_trusted_adult_is_offered(client, world):
    assert TRUSTED_ADULT in client.get("/help/de/need-to-talk/").text


def test_where_the_country_has_a_helpline_no_trusted_adult_note_is_needed(client, world):
    make_organisation(name="Nummer gegen Kummer", kind="child_helpline", countries=("DE",),
                      services=("support_child",), channels=(("phone", "116 111"),))  # fmt: skip
    assert TRUSTED_ADULT not in client.get("/help/de/need-to-talk/").text


def test_a_support_step_with_no_service_anywhere_still_offers_a_trusted_adult(client, db):
    make_emergency("FR", general="112")
    page = client.get("/help/fr/need-to-talk/").text
    assert "Call 112" in page
    assert TRUSTED_ADULT in page


def test_an_entry_checked_over_a_year_ago_says_so_next_to_its_date(client, world):
    Organisation.objects.filter(name="Beschwerdestelle").update(last_checked=datetime.date(2024, 3, 1))
    page = client.get("/help/de/csam-found/").text
    assert "Checked March 2024 — more than a year ago" in page
    assert "Checked November 2026 — more than a year ago" not in page  # the worldwide ones are recent


def test_the_card_claims_no_check_date_while_an_entry_on_it_was_never_checked(client, world):
    Organisation.objects.filter(name="Beschwerdestelle").update(last_checked=None)
    assert "Every entry on this card was checked" not in client.get("/help/de/card/").text


def test_the_card_gives_the_oldest_check_date_of_its_entries(client, world):
    Organisation.objects.filter(name="Child Helpline Chat").update(last_checked=datetime.date(2025, 2, 1))
    text = client.get("/help/de/card/").text
    assert "Every entry on this card was checked in February 2025 or later." in text
