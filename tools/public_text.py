"""Turning research notes into public text: a channel's short label, "free", "24/7" and weekly hours.

Research notes mix what a person needs ("free, 24/7", "parents' line", "Mon-Fri 9:00-17:00")
with what only a curator needs ("CHI directory, 2022", "not seen on the organisation's own
pages"). The page shows only the first kind, in our own words; the whole note stays in the
organisation's internal notes. Nothing is guessed: hours become structured only when the
whole text parses, and a label is only ever one of directory/labels.py's phrases.
"""

import datetime
import re
from dataclasses import dataclass, field

# Phrases of directory/labels.py, found by what a note says (first match wins).
LABEL_RULES = (
    ("for parents and professionals", r"parents and professionals|parents, teachers|professionals concerned"),
    ("for parents", r"parents'? line|elterntelefon|elterentelefon|line for parents|parenting support|za mame i tate"),
    ("for professionals", r"\bprofessionals only\b|\bfor professionals\b"),
    (
        "for children and young people",
        r"kinder- und jugendtelefon|child and youth helpline|children and youth|children under 18|"
        r"for children and young people|primary-school children",
    ),
    ("police, not urgent", r"non-?emergency|not urgent|non-urgent"),
    ("not an emergency line", r"not an emergency line"),
    ("in Swedish", r"swedish-language"),
    ("in Ukrainian and Russian", r"ukrainian/russian|ukrainian and russian"),
    ("from abroad", r"\bfrom abroad\b"),
    ("text only", r"^\s*\d+\s*\(text\)\s*$|by text\b"),
    ("emergencies", r"^\s*emergenc(y|ies)\b"),
    ("report line", r"reporting line|line for making a report|report(ing)? hotline|confidential reports"),
    ("to report abuse", r"^\s*report (child )?(abuse|violence)|to report violence|reports of violence"),
    ("counselling", r"^\s*(phone |telephone )?counselling\b|counselling line"),
    ("Globe", r"^\s*globe\s*$"),
    ("Smart", r"^\s*smart\s*$"),
)

# A number that is not for the public to call.
NOT_FOR_CALLING = re.compile(r"^\s*(fax|administration)\s*$", re.IGNORECASE)

_ALWAYS_OPEN = re.compile(
    r"24\s*/\s*7|24\s*x\s*7|24h\s*/\s*24|24 hours a day|24 hours,? 7 days|24-hour|24 hours|\b24h\b|around the clock"
    r"|day and night|0-24|dönget rundt|døgnet rundt|24/24|365 days",
    re.IGNORECASE,
)
# Words that make an "open all the time" claim doubtful: a plan, a change, a conflict, a limit.
_DOUBT = re.compile(
    r"planned|since|conflict|older|was |formerly|not verified|after official launch|hours vary|per region|"
    r"in \d+ of|\d{1,2}[:.h]\d{2}|\d\s*(am|pm)\b|office hours|working days|weekdays|mon|tue|wed|thu|fri|sat|sun",
    re.IGNORECASE,
)
_FREE = re.compile(r"\b(toll[- ]?free|freephone|free|gratuit[oae]?|gratis|besplatn\w*|zero cost|numéro vert)\b", re.I)
_NOT_FREE = re.compile(r"\b(not (toll[- ])?free|charges? (subject|apply)|except)\b", re.IGNORECASE)


@dataclass
class ChannelText:
    label: str = ""
    free: bool | None = None
    always_open: bool = False
    periods: list[dict] = field(default_factory=list)
    not_for_calling: bool = False


def says_free(note: str) -> bool:
    return bool(_FREE.search(note)) and not _NOT_FREE.search(note)


def says_always_open(note: str) -> bool:
    return bool(_ALWAYS_OPEN.search(note)) and not _DOUBT.search(_ALWAYS_OPEN.sub("", note))


_NEGATED = re.compile(r"\bnot (a|an|the) [\w' -]*?(line|form)\b", re.IGNORECASE)


def label_for(note: str) -> str:
    note = _NEGATED.sub("", note)  # "not a reporting line" must not become "report line"
    for phrase, pattern in LABEL_RULES:
        if re.search(pattern, note, re.IGNORECASE):
            return phrase
    return ""


def channel_text(note: str) -> ChannelText:
    """What a person needs from one channel's research note."""
    note = (note or "").strip()
    if not note:
        return ChannelText()
    if NOT_FOR_CALLING.match(note):
        return ChannelText(not_for_calling=True)
    text = ChannelText(label=label_for(note), free=True if says_free(note) else None)
    text.always_open = says_always_open(note)
    if not text.always_open:
        text.periods = weekly_hours(_hours_part(note)) or []
    return text


def _hours_part(note: str) -> str:
    """The part of a note that looks like opening hours ("…; Mon-Fri 9:00-17:00")."""
    parts = [part.strip() for part in re.split(r";", note)]
    found = [part for part in parts if re.search(r"\d", part) and _DAY_OR_DAILY.search(part)]
    return found[0] if len(found) == 1 else ""


# Weekly hours ---------------------------------------------------------------------------------

_DAYS = {
    "mon": 0, "monday": 0, "mo": 0,
    "tue": 1, "tues": 1, "tuesday": 1, "di": 1,
    "wed": 2, "wednesday": 2, "mi": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "do": 3,
    "fri": 4, "friday": 4, "fr": 4,
    "sat": 5, "saturday": 5, "sa": 5,
    "sun": 6, "sunday": 6, "so": 6,
}  # fmt: skip
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun|mo|di|mi|do|fr|sa|so)\b\.?"  # noqa: E501
_EVERY_DAY = r"(?:daily|every day(?: of the year)?|each day|7 days a week|all days)"
_WEEKDAYS = r"(?:working days|weekdays)"
_DAY_OR_DAILY = re.compile(rf"{_DAY}|{_EVERY_DAY}|{_WEEKDAYS}", re.IGNORECASE)
_TIME = r"\d{1,2}(?:[:.h]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?h?"
_RANGE = re.compile(rf"(?:from\s+)?({_TIME})\s*(?:-|–|to|till|until|bis)\s*({_TIME})(?:\s*uhr)?", re.IGNORECASE)
_DAY_SET = re.compile(
    rf"({_EVERY_DAY}|{_WEEKDAYS}|{_DAY}(?:\s*(?:-|–|to|through|till|bis)\s*{_DAY})?"
    rf"(?:\s*(?:,|and|&)\s*{_DAY}(?:\s*(?:-|–|to|through|till|bis)\s*{_DAY})?)*)",
    re.IGNORECASE,
)
_SEGMENT = re.compile(rf"{_DAY_SET.pattern}\s*[:,]?\s*(?:from\s+)?{_RANGE.pattern}", re.IGNORECASE)
_CONNECTORS = re.compile(r"^[\s,;.]*(?:and)?[\s,;.]*$", re.IGNORECASE)


def _parse_time(text: str, *, pm_hint: bool = False) -> datetime.time | None:
    text = text.strip().lower().replace(".", ":").rstrip("h").strip()
    meridiem = ""
    for suffix in ("a:m:", "p:m:", "am", "pm"):
        if text.endswith(suffix):
            meridiem = suffix[0]
            text = text[: -len(suffix)].strip()
            break
    match = re.fullmatch(r"(\d{1,2})(?:[:h](\d{2}))?", text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if meridiem == "p" or (not meridiem and pm_hint):
        hour = hour + 12 if hour < 12 else hour
    elif meridiem == "a" and hour == 12:
        hour = 0
    if hour == 24 and minute == 0:
        return datetime.time(0, 0)
    if not (0 <= hour < 24 and 0 <= minute < 60):
        return None
    return datetime.time(hour, minute)


def _times(opens: str, closes: str) -> tuple[datetime.time, datetime.time] | None:
    closing_pm = bool(re.search(r"p\.?m", closes, re.IGNORECASE))
    opening_has_meridiem = bool(re.search(r"[ap]\.?m", opens, re.IGNORECASE))
    start = _parse_time(opens)
    end = _parse_time(closes)
    if start is None or end is None:
        return None
    # "2:00 – 6:00pm": the opening time shares the closing time's "pm" when that keeps it earlier.
    if closing_pm and not opening_has_meridiem and start.hour < 12:
        later = _parse_time(opens, pm_hint=True)
        if later and later < end:
            start = later
    if start == end:
        return None
    return start, end


def _days(text: str) -> list[int] | None:
    text = text.strip().lower()
    if re.fullmatch(_EVERY_DAY, text):
        return list(range(7))
    if re.fullmatch(_WEEKDAYS, text):
        return list(range(5))
    days: list[int] = []
    for part in re.split(r"\s*(?:,|\band\b|&)\s*", text):
        ends = [item.strip(" .") for item in re.split(r"\s*(?:-|–|\bto\b|\bthrough\b|\btill\b|\bbis\b)\s*", part)]
        if not all(end in _DAYS for end in ends) or len(ends) > 2:
            return None
        first, last = _DAYS[ends[0]], _DAYS[ends[-1]]
        span = range(first, last + 1) if first <= last else [*range(first, 7), *range(0, last + 1)]
        days += [day for day in span if day not in days]
    return days


def weekly_hours(text: str) -> list[dict] | None:
    """Weekly opening periods if the whole text is a plain schedule ("Mon-Fri 9:00-17:00, Sat 10-14"), else None.

    Anything the parser does not recognise (a note, a conflict, "excluding holidays", a time
    zone) means None: uncertain hours stay text for a curator rather than a wrong "closed".
    """
    text = (text or "").strip()
    if not text:
        return None
    periods: list[dict] = []
    position = 0
    for match in _SEGMENT.finditer(text):
        if not _CONNECTORS.match(text[position : match.start()]):
            return None
        days = _days(match.group(1))
        times = _times(match.group(2), match.group(3))
        if not days or not times:
            return None
        for day in days:
            periods.append({"day": day, "opens": times[0].strftime("%H:%M"), "closes": times[1].strftime("%H:%M")})
        position = match.end()
    if not periods or not _CONNECTORS.match(text[position:]):
        return None
    periods.sort(key=lambda period: (period["day"], period["opens"]))
    return periods


# Organisation-level hours -----------------------------------------------------------------------

_REMARK_IN_BRACKETS = re.compile(r"\s*\([^)]*\)")
_REMARK = re.compile(
    r"\b(1[89]\d\d|20\d\d)\b|\bper\b|source|directory|news|conflict|as printed|not shown|not verified|older|"
    r"announced|planned|was |article|closing time",
    re.IGNORECASE,
)


def public_hours(text: str) -> tuple[str, list[dict] | None, bool]:
    """(clean public text, weekly periods or None, open 24/7) for an organisation's research hours.

    Remarks in brackets are left out; text that still holds a year, a source or a doubt is not
    public (empty): the curator reads it in the internal notes.
    """
    text = (text or "").strip()
    if not text:
        return "", None, False
    if says_always_open(text):
        return "24/7", None, True
    cleaned = _REMARK_IN_BRACKETS.sub("", text).strip(" ;,")
    if _REMARK.search(cleaned):
        return "", None, False
    periods = weekly_hours(cleaned)
    return cleaned, periods, False
