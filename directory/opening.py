"""Whether a channel is open now, in the local time of the country it serves.

Pure functions of the channel's weekly hours, a time zone and the current time. Times are
compared in UTC, so periods across midnight, week ends and daylight-saving changes work out.
"""

import datetime
import functools
from dataclasses import dataclass
from importlib.resources import files
from zoneinfo import ZoneInfo

import holidays

UTC = datetime.UTC
ALWAYS, OPEN, CLOSED, UNKNOWN = "always", "open", "closed", "unknown"
LOOK_AHEAD_DAYS = 8


# Countries spanning several zones whose first zone in the tz database is not the capital's.
CAPITAL_ZONES = {
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "FM": "Pacific/Pohnpei",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "UZ": "Asia/Tashkent",
}


@functools.cache
def country_zones() -> dict[str, str]:
    """Each country's time zone: its capital's where it spans several, else the tz database's first."""
    table = files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    zones = dict(CAPITAL_ZONES)
    for line in table.splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, zone = line.split("\t")[:3]
            zones.setdefault(code, zone)
    return zones


def zone_for(country: str, override: str = "") -> ZoneInfo:
    """The zone hours are read in: the organisation's own if it set one, else its country's, else UTC."""
    return ZoneInfo(override or country_zones().get(country, "UTC"))


@dataclass(frozen=True)
class Period:
    day: int  # 0 = Monday
    opens: datetime.time
    closes: datetime.time  # not after `opens`: the period ends the next day


@dataclass(frozen=True)
class Status:
    state: str  # ALWAYS, OPEN, CLOSED or UNKNOWN
    until: datetime.datetime | None = None  # OPEN: when it closes (local time)
    opens_at: datetime.datetime | None = None  # CLOSED: when it opens next (local time), if within a week

    @property
    def is_open(self) -> bool:
        return self.state in (ALWAYS, OPEN)

    @property
    def next_change(self) -> datetime.datetime | None:
        return self.until or self.opens_at


@functools.cache
def _holiday_calendar(country: str, year: int):
    try:
        return holidays.country_holidays(country, years=year)
    except NotImplementedError:
        return {}  # no calendar for this country: no day counts as a holiday


def is_public_holiday(country: str, day: datetime.date) -> bool:
    return day in _holiday_calendar(country, day.year)


def _local(day: datetime.date, time: datetime.time, zone: ZoneInfo) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=zone)


def _periods_around(periods: list[Period], today: datetime.date, zone: ZoneInfo):
    """Concrete (start, end) local datetimes for the periods from yesterday to a week ahead."""
    for offset in range(-1, LOOK_AHEAD_DAYS):
        day = today + datetime.timedelta(days=offset)
        for period in periods:
            if period.day == day.weekday():
                end_day = day + datetime.timedelta(days=1) if period.closes <= period.opens else day
                yield day, _local(day, period.opens, zone), _local(end_day, period.closes, zone)


def status(
    periods: list[Period],
    *,
    zone: ZoneInfo,
    now: datetime.datetime,
    always_open: bool = False,
    country: str = "",
    closed_on_public_holidays: bool = False,
) -> Status:
    """Open now (and until when), or closed (and when it opens), or unknown when no hours are given."""
    if always_open:
        return Status(ALWAYS)
    if not periods:
        return Status(UNKNOWN)
    now_utc = now.astimezone(UTC)
    today = now.astimezone(zone).date()
    spans = sorted(
        (start.astimezone(UTC), end.astimezone(UTC))
        for day, start, end in _periods_around(periods, today, zone)
        if not (closed_on_public_holidays and country and is_public_holiday(country, day))
    )
    for start, end in spans:
        if start <= now_utc < end:
            # Back-to-back periods (10–12, 12–20) read as one.
            for next_start, next_end in spans:
                if next_start <= end < next_end:
                    end = next_end
            return Status(OPEN, until=end.astimezone(zone))
    upcoming = [start for start, _end in spans if start > now_utc]
    return Status(CLOSED, opens_at=min(upcoming).astimezone(zone) if upcoming else None)
