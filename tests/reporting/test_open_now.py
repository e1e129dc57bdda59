"""Open now, computed on the server in the organisation's time zone, and an open alternative when it is closed."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from directory.models import OpeningHours
from reporting.routing import route
from reporting.situations import SITUATIONS
from tests.factories import make_emergency, make_organisation

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def helplines(db):
    make_emergency("DE", general="112")
    helpline = make_organisation(
        name="Kinder- und Jugendtelefon", kind="child_helpline", countries=("DE",), services=("support_child",),
        channels=(("phone", "116 111"),), priority=10,
    )  # fmt: skip
    phone = helpline.channels.get()
    for day in range(6):  # Monday to Saturday, 14:00–20:00
        OpeningHours.objects.create(channel=phone, day=day, opens=datetime.time(14), closes=datetime.time(20))
    worldwide = make_organisation(
        name="Worldwide chat", kind="worldwide_service", countries=(), worldwide=True, services=("support_child",),
        channels=(("chat", "https://chat.example.org/"),),
    )  # fmt: skip
    worldwide.channels.update(always_open=True)
    return helpline


def frozen(monkeypatch, text):
    moment = datetime.datetime.fromisoformat(text).replace(tzinfo=BERLIN)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def test_the_helpline_is_open_in_the_afternoon(helplines, monkeypatch):
    now = frozen(monkeypatch, "2026-11-25 15:00")
    step = route("DE", SITUATIONS["need-to-talk"], now=now).steps[0]
    status = step.listings[0].links()[0]["status"]
    assert (status.state, status.until) == ("open", datetime.datetime(2026, 11, 25, 20, 0, tzinfo=BERLIN))
    assert step.open_alternative is None


def test_when_it_is_closed_the_step_points_to_an_open_alternative(helplines, monkeypatch):
    now = frozen(monkeypatch, "2026-11-25 09:00")
    step = route("DE", SITUATIONS["need-to-talk"], now=now).steps[0]
    assert step.listings[0].links()[0]["status"].state == "closed"
    listing, link = step.open_alternative
    assert (listing.organisation.name, link["type"], link["status"].state) == ("Worldwide chat", "chat", "always")


def test_the_api_says_open_now_and_the_alternative(client, helplines, monkeypatch):
    frozen(monkeypatch, "2026-11-29 11:00")  # a Sunday: closed all day, opens Monday 14:00
    body = client.get("/api/v1/route/", {"country": "DE", "situation": "need-to-talk"}).json()
    channel = body["steps"][0]["organisations"][0]["channels"][0]
    assert channel["open_now"] == {"state": "closed", "until": None, "opens_at": "2026-11-30T14:00:00+01:00"}
    assert body["steps"][0]["organisations"][0]["time_zone"] == "Europe/Berlin"
    assert body["steps"][0]["open_alternative"]["name"] == "Worldwide chat"


def test_the_cached_answer_lasts_only_until_the_status_changes(client, helplines, monkeypatch):
    frozen(monkeypatch, "2026-11-25 13:55")
    response = client.get("/help/de/need-to-talk/")
    assert "max-age=300" in response["Cache-Control"]
    frozen(monkeypatch, "2026-11-25 13:58")
    assert "max-age=120" in client.get("/help/de/need-to-talk/")["Cache-Control"]  # from the cache, 2 minutes left
    frozen(monkeypatch, "2026-11-25 14:01")
    body = client.get("/api/v1/route/", {"country": "DE", "situation": "need-to-talk"}).json()
    assert body["steps"][0]["organisations"][0]["channels"][0]["open_now"]["state"] == "open"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-11-25 15:00", "Open now · until 20:00"),
        ("2026-11-25 09:00", "Closed now · opens at 14:00"),
        ("2026-11-29 11:00", "Closed now · opens Monday at 14:00"),
    ],
)
def test_the_page_says_open_now_in_local_time(client, helplines, monkeypatch, moment, expected):
    frozen(monkeypatch, moment)
    page = client.get("/help/de/need-to-talk/").text
    assert expected in page
    assert "Opening times are local time (Europe/Berlin)." in page


def test_the_page_points_to_an_open_alternative_when_the_best_is_closed(client, helplines, monkeypatch):
    frozen(monkeypatch, "2026-11-25 09:00")
    page = client.get("/help/de/need-to-talk/").text
    assert "The first service below is closed right now. Open now: Worldwide chat" in page
    frozen(monkeypatch, "2026-11-26 15:00")
    assert "closed right now" not in client.get("/help/de/need-to-talk/").text


def test_the_server_s_time_zone_does_not_matter(client, helplines, monkeypatch, settings):
    settings.TIME_ZONE = "Pacific/Auckland"
    frozen(monkeypatch, "2026-11-25 15:00")
    assert "Open now · until 20:00" in client.get("/help/de/need-to-talk/").text
