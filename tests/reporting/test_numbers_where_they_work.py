"""A number is shown only where it can be dialled: a toll-free, shared-cost or short number, or one written
in national form, only in its own country. The page, the card, the API and the outage snapshot agree."""

import pytest
from django.db import DatabaseError

from directory import snapshot
from directory.models import Channel
from reporting import routing
from reporting.situations import SITUATIONS
from tests.factories import make_emergency, make_organisation


@pytest.fixture
def cybertipline(db):
    """A worldwide service based in the US, with a US toll-free number and an international one."""
    make_emergency("US", general="911")
    make_emergency("DE", general="112", police="110")
    organisation = make_organisation(
        name="CyberTipline", kind="worldwide_service", countries=("US",), worldwide=True,
        channels=(("web_form", "https://report.example.org/"), ("phone", "1-800-843-5678"),
                  ("phone", "+1 800 843 5678"), ("phone", "+1 703 224 2150")),
    )  # fmt: skip
    return organisation


def numbers(listing):
    return [channel.value for channel in listing.channels if channel.type == "phone"]


def test_a_toll_free_number_is_shown_in_its_own_country(cybertipline):
    listing = routing.route("US", SITUATIONS["csam-found"]).steps[0].listings[0]
    assert numbers(listing) == ["1-800-843-5678", "+1 800 843 5678", "+1 703 224 2150"]


def test_abroad_only_the_form_and_an_international_number_that_is_not_toll_free_are_shown(cybertipline):
    listing = routing.route("DE", SITUATIONS["csam-found"]).steps[0].listings[0]
    assert [channel.value for channel in listing.channels] == ["https://report.example.org/", "+1 703 224 2150"]


@pytest.mark.parametrize(
    "path", ["/help/de/csam-found/", "/help/de/card/", "/api/v1/route/?country=DE&situation=csam-found"]
)
def test_no_page_offers_the_us_toll_free_number_in_germany(client, cybertipline, path):
    text = client.get(path).text
    assert "CyberTipline" in text
    assert "843" not in text and "18008435678" not in text
    assert "703" in text


def test_the_api_list_of_a_countrys_organisations_keeps_the_same_rule(client, cybertipline):
    make_organisation(name="Bundesweite Hotline", countries=("DE", "AT"), channels=(("phone", "+49 800 1110550"),))
    at = client.get("/api/v1/organisations/?country=AT").json()["organisations"]
    de = client.get("/api/v1/organisations/?country=DE").json()["organisations"]
    assert at[0]["channels"] == []  # a German free number does not work from Austria
    assert [c["value"] for c in de[0]["channels"]] == ["+49 800 1110550"]


def test_a_short_or_national_number_of_a_national_service_stays_at_home(db):
    make_emergency("AT", general="112")
    make_organisation(
        name="Worldwide helpline", kind="worldwide_service", countries=("DE",), worldwide=True,
        services=("support_child",), channels=(("phone", "116 111"), ("phone", "030 1234567"),
                                                ("chat", "https://chat.example.org/")),
    )  # fmt: skip
    at = routing.route("AT", SITUATIONS["need-to-talk"]).steps[0].listings[0]
    de = routing.route("DE", SITUATIONS["need-to-talk"]).steps[0].listings[0]
    assert [channel.type for channel in at.channels] == ["chat"]
    assert numbers(de) == ["116 111", "030 1234567"]


def test_a_number_for_one_of_several_countries_is_shown_only_there(db):
    organisation = make_organisation(name="Helpline DACH", countries=("DE", "AT"), channels=())
    Channel.objects.create(organisation=organisation, type="phone", value="147", country="AT")
    Channel.objects.create(organisation=organisation, type="phone", value="+43 1 234 5678", country="AT")
    assert numbers(routing.candidates("AT")[0]) == ["147", "+43 1 234 5678"]
    assert numbers(routing.candidates("DE")[0]) == []


def test_whatsapp_works_from_anywhere_once_its_international_digits_are_known(db):
    organisation = make_organisation(name="Helpline BR", countries=("BR",), worldwide=True, channels=())
    Channel.objects.create(organisation=organisation, type="whatsapp", value="(61) 99611-0100")
    Channel.objects.create(organisation=organisation, type="sms", value="(61) 99611-0100")
    listing = routing.candidates("PT")[0]
    assert [(link["type"], link["href"]) for link in listing.links()] == [("whatsapp", "https://wa.me/5561996110100")]


def test_the_snapshot_path_shows_exactly_the_same_channels(cybertipline, monkeypatch, commit):
    make_organisation(name="Bundesweite Hotline", countries=("DE", "AT"), channels=(("phone", "+49 800 1110550"),))
    snapshot.write()
    expected = {country: shown(country) for country in ("US", "DE", "AT")}

    def unreachable(*args, **kwargs):
        raise DatabaseError("the database is down")

    monkeypatch.setattr(routing, "_candidates_from_database", unreachable)
    for country, channels in expected.items():
        assert shown(country) == channels


def shown(country):
    return {item.organisation.name: [c.value for c in item.channels] for item in routing.candidates(country)}


def test_a_free_number_of_a_country_sharing_a_calling_code_is_shown_at_home(db):
    # +1 800 numbers are filed under the US by the phone library; this one is Canadian.
    make_organisation(name="Kids Help Phone", kind="child_helpline", countries=("CA",), worldwide=True,
                      services=("support_child",), channels=(("phone", "+1 800 668 6868"),))  # fmt: skip
    assert numbers(routing.candidates("CA")[0]) == ["+1 800 668 6868"]
    assert numbers(routing.candidates("US")[0]) == []
