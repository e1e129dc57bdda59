"""Open now, in the local time of the country: frozen clocks across zones, midnight, week ends and DST."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from directory.opening import ALWAYS, CLOSED, OPEN, UNKNOWN, Period, country_zones, status, zone_for

BERLIN = ZoneInfo("Europe/Berlin")
SYDNEY = ZoneInfo("Australia/Sydney")
T = datetime.time
# Germany's child helpline: Monday to Saturday, 14:00–20:00.
WEEKDAYS_14_20 = [Period(day, T(14), T(20)) for day in range(6)]
NIGHTS = [Period(day, T(22), T(2)) for day in range(7)]  # 22:00–02:00 every day


def at(text: str, zone=BERLIN) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=zone)


def test_open_in_the_afternoon_until_it_closes():
    result = status(WEEKDAYS_14_20, zone=BERLIN, now=at("2026-11-25 15:30"))  # a Wednesday
    assert result.state == OPEN
    assert result.until == at("2026-11-25 20:00")


def test_closed_in_the_morning_says_when_it_opens_today():
    result = status(WEEKDAYS_14_20, zone=BERLIN, now=at("2026-11-25 09:00"))
    assert (result.state, result.opens_at) == (CLOSED, at("2026-11-25 14:00"))


def test_the_closing_minute_is_closed():
    assert status(WEEKDAYS_14_20, zone=BERLIN, now=at("2026-11-25 20:00")).state == CLOSED


def test_saturday_night_waits_for_monday_across_the_week_end():
    result = status(WEEKDAYS_14_20, zone=BERLIN, now=at("2026-11-28 21:00"))  # Saturday
    assert result.opens_at == at("2026-11-30 14:00")  # Monday


def test_the_time_zone_is_the_countrys_not_the_servers():
    # 13:30 UTC is 14:30 in Berlin (open) — and 00:30 the next day in Sydney.
    now = datetime.datetime(2026, 11, 25, 13, 30, tzinfo=datetime.UTC)
    assert status(WEEKDAYS_14_20, zone=BERLIN, now=now).state == OPEN
    sydney = status(WEEKDAYS_14_20, zone=SYDNEY, now=now)
    assert (sydney.state, sydney.opens_at) == (CLOSED, at("2026-11-26 14:00", SYDNEY))


def test_a_period_past_midnight_is_open_after_midnight_and_closes_next_day():
    assert status(NIGHTS, zone=BERLIN, now=at("2026-11-25 23:00")).until == at("2026-11-26 02:00")
    after_midnight = status(NIGHTS, zone=BERLIN, now=at("2026-11-26 01:00"))
    assert (after_midnight.state, after_midnight.until) == (OPEN, at("2026-11-26 02:00"))
    assert status(NIGHTS, zone=BERLIN, now=at("2026-11-26 03:00")).opens_at == at("2026-11-26 22:00")


def test_sunday_night_to_monday_crosses_the_week_boundary():
    sunday_only = [Period(6, T(22), T(2))]
    result = status(sunday_only, zone=BERLIN, now=at("2026-11-30 01:30"))  # Monday 01:30
    assert (result.state, result.until) == (OPEN, at("2026-11-30 02:00"))


def test_daylight_saving_starts_the_hours_stay_local():
    # Clocks go forward on 29 March 2026 at 02:00 in Berlin; a Sunday 01:00–05:00 period is 3 hours long.
    early_sunday = [Period(6, T(1), T(5))]
    result = status(early_sunday, zone=BERLIN, now=at("2026-03-29 04:30"))
    assert (result.state, result.until) == (OPEN, at("2026-03-29 05:00"))
    assert (
        status(early_sunday, zone=BERLIN, now=datetime.datetime(2026, 3, 29, 3, 1, tzinfo=datetime.UTC)).state == CLOSED
    )


def test_daylight_saving_ends_the_opening_hour_is_local_time():
    # After 25 October 2026 Berlin is UTC+1: 14:00 local is 13:00 UTC.
    before = datetime.datetime(2026, 10, 23, 12, 30, tzinfo=datetime.UTC)  # Friday, 14:30 in Berlin (UTC+2)
    after = datetime.datetime(2026, 10, 26, 12, 30, tzinfo=datetime.UTC)  # Monday, 13:30 in Berlin (UTC+1)
    assert status(WEEKDAYS_14_20, zone=BERLIN, now=before).state == OPEN
    assert status(WEEKDAYS_14_20, zone=BERLIN, now=after).state == CLOSED


def test_back_to_back_periods_read_as_one():
    split = [Period(2, T(10), T(12)), Period(2, T(12), T(20))]
    assert status(split, zone=BERLIN, now=at("2026-11-25 11:00")).until == at("2026-11-25 20:00")


def test_closed_on_public_holidays_where_the_source_says_so():
    christmas = at("2026-12-25 15:00")  # a Friday, a public holiday in Germany
    assert status(WEEKDAYS_14_20, zone=BERLIN, now=christmas).state == OPEN
    closed = status(WEEKDAYS_14_20, zone=BERLIN, now=christmas, country="DE", closed_on_public_holidays=True)
    assert (closed.state, closed.opens_at) == (CLOSED, at("2026-12-28 14:00"))  # 26th is a holiday too, 27th Sunday


def test_always_open_and_unknown():
    assert status([], zone=BERLIN, now=at("2026-11-25 03:00"), always_open=True).state == ALWAYS
    assert status([], zone=BERLIN, now=at("2026-11-25 03:00")).state == UNKNOWN


@pytest.mark.parametrize(("country", "zone"), [("DE", "Europe/Berlin"), ("NZ", "Pacific/Auckland"),
                                              ("JP", "Asia/Tokyo"), ("BR", "America/Sao_Paulo"),
                                              ("UA", "Europe/Kyiv"), ("RU", "Europe/Moscow")])  # fmt: skip
def test_each_country_has_a_zone(country, zone):
    assert country_zones()[country] == zone


def test_an_organisation_may_set_its_own_zone():
    assert zone_for("US", "America/Chicago") == ZoneInfo("America/Chicago")
    assert zone_for("XX") == ZoneInfo("UTC")
