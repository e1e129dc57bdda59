#!/usr/bin/env python3
"""Build Signpost's shipped directory file from the researched source files.

Usage:
    python tools/build_directory_data.py --source /work/shared/data --out directory/data/directory.json

Reads the research files described in the source folder's README.md and FORMAT.md
(inhope_iwf.json, police_reporting.json, europe_sic_helplines.json, child_helplines_world.json,
global_services.json, emergency_numbers.json) and writes one JSON document in the project's
exchange format (see directory/importing.py):

    {"organisations": [...], "emergency_numbers": [...]}

Ground rules (this is child protection; wrong data costs a child help):
- Phone numbers, addresses and names are copied exactly as the research gives them. Nothing is
  invented, guessed, completed or "fixed". The only change ever made to a value is putting
  "https://" in front of an address written without a scheme, and only where the same research
  record's own source URLs show that host on https.
- A value that would fail the importer's validation (directory/validation.py) is left out; the
  organisation then says "Dropped <type> '<value>' from <file>: <reason>" in its internal notes
  and is marked needs_check.
- Duplicates of one organisation across (and within) files are merged; every merge is printed
  so that a person can review it. Merges and non-merges decided by judgement are in the tables
  MERGE_OVERRIDES and NO_MERGE below.

Needs Python 3.12 and the packages the project itself uses for validation: phonenumbers (or
phonenumberslite) and Django (only its validators are used; no settings or database needed).
The output is deterministic: the same input always gives the same bytes.
"""

import argparse
import collections
import datetime
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import phonenumbers
import public_text
from phonenumbers import shortnumberinfo

try:
    from django.core.exceptions import ValidationError
    from django.core.validators import EmailValidator, URLValidator
except ImportError:  # pragma: no cover - a setup problem, not a data problem
    sys.exit("Django is needed for the importer's own URL and e-mail validators: pip install -r requirements.txt")


# Files ----------------------------------------------------------------------------------------

# Organisation files, in the order used to break ties when choosing a merged record's main
# record: the network lists (most specific about reporting) first, the worldwide list last.
ORGANISATION_FILES = (
    "inhope_iwf.json",
    "police_reporting.json",
    "europe_sic_helplines.json",
    "child_helplines_world.json",
    "global_services.json",
)
EMERGENCY_FILE = "emergency_numbers.json"

# The research date of the files (README: "where it is empty, the research date 2026-11").
RESEARCH_DATE = "2026-11-01"


# Vocabulary -----------------------------------------------------------------------------------

# Research kind -> the project's organisation kind. global_service records that serve one
# country were judged one by one (see the note at GLOBAL_SERVICE_SERVICES): none of them is a
# child helpline, so they keep "worldwide_service" unless a merge with a national record of
# the same organisation gives them that record's kind (eSafety AU and Netsafe NZ merge with
# their INHOPE hotline records, SAPA 129 ID with its child-helpline record).
KIND_MAP = {
    "inhope_hotline": "hotline",
    "sic_hotline": "hotline",
    "iwf_portal": "reporting_portal",
    "police_report": "police",
    "sic_helpline": "sic_helpline",
    "child_helpline": "child_helpline",
    "sic_awareness": "awareness_centre",
    "global_service": "worldwide_service",
}

# When merged records have several kinds, the first one in this list wins.
KIND_PRECEDENCE = (
    "hotline",
    "reporting_portal",
    "police",
    "sic_helpline",
    "child_helpline",
    "awareness_centre",
    "worldwide_service",
    "directory",
)

# Default display order within a step (lower shows first).
KIND_PRIORITY = {
    "hotline": 10,
    "reporting_portal": 20,
    "police": 30,
    "child_helpline": 20,
    "sic_helpline": 30,
    "awareness_centre": 50,
    "worldwide_service": 100,
    "directory": 200,
}

# The order channels are listed in, per kind: report forms first where people report,
# phones first where people call for help.
REPORT_CHANNEL_ORDER = ("web_form", "phone", "sms", "whatsapp", "telegram", "chat", "email", "app", "website")
HELPLINE_CHANNEL_ORDER = ("phone", "sms", "whatsapp", "telegram", "chat", "email", "web_form", "app", "website")
OTHER_CHANNEL_ORDER = ("website", "web_form", "phone", "sms", "whatsapp", "telegram", "chat", "email", "app")
CHANNEL_ORDER = {
    "hotline": REPORT_CHANNEL_ORDER,
    "reporting_portal": REPORT_CHANNEL_ORDER,
    "police": REPORT_CHANNEL_ORDER,
    "child_helpline": HELPLINE_CHANNEL_ORDER,
    "sic_helpline": HELPLINE_CHANNEL_ORDER,
    "awareness_centre": OTHER_CHANNEL_ORDER,
    "worldwide_service": OTHER_CHANNEL_ORDER,
    "directory": OTHER_CHANNEL_ORDER,
}

SERVICES = (
    "emergency",
    "report_csam",
    "report_police",
    "remove_images",
    "support_child",
    "support_adult",
    "advice",
    "prevention",
)
NETWORKS = ("INHOPE", "CHI", "Insafe", "IWF")
AUDIENCES = ("children", "young_people", "parents", "adults", "professionals")
AUDIENCE_MAP = {"public": "adults"}  # everything else keeps its name
CONFIDENCE_RANK = {"high": 0, "medium": 1, "low": 2}

# Which automatic "same website host" merges are allowed: only between records describing the
# same sort of service. Different services of one umbrella organisation often share its
# homepage (Telefono Azzurro's hotline and its 1.96.96 helpline; INCIBE's hotline and its 017
# helpline; a Safer Internet Centre's hotline, helpline and awareness centre) and are kept as
# separate entries, each with its own name. A global_service record may merge with any kind.
SERVICE_FAMILY = {
    "inhope_hotline": "report",
    "sic_hotline": "report",
    "iwf_portal": "report",
    "police_report": "report",
    "sic_helpline": "helpline",
    "child_helpline": "helpline",
    "sic_awareness": "awareness",
    "global_service": "any",
}


# Judgement tables -----------------------------------------------------------------------------
# Records are named "file:COUNTRY:kind:name" exactly as in the research files.

# Services of global_service records, by what each one does (README "Kinds to services").
# National global_service records, kind judged per record:
# - Report Remove (GB): an IWF/Childline removal tool, not a child helpline -> worldwide_service
#   (national, not worldwide).
# - Stop It Now UK & Ireland, US, NL, AU, BE: confidential lines for adults worried about their
#   own or someone else's sexual thoughts about children - not child helplines -> worldwide_service.
# - Digital Sex Crime Victim Support Center (KR): victim support for all ages, not a child
#   helpline -> worldwide_service.
# - eSafety Commissioner (AU), Netsafe (NZ), SAPA 129 (ID): merged with the same organisation's
#   hotline / child-helpline record, whose kind then wins.
GLOBAL_SERVICE_SERVICES = {
    "global_services.json:*:global_service:Take It Down": ["remove_images"],
    # StopNCII removes adults' own intimate images: "remove_images" for adults only (its
    # audience), so routing never offers it to a child or for images taken under 18 (StopNCII
    # itself sends those to Take It Down), and never as someone to talk to.
    "global_services.json:*:global_service:StopNCII.org": ["remove_images"],
    "global_services.json:GB:global_service:Report Remove": ["remove_images"],
    "global_services.json:GB:global_service:Stop It Now! UK and Ireland helpline": ["prevention", "support_adult"],
    "global_services.json:IE:global_service:Stop It Now! UK and Ireland helpline": ["prevention", "support_adult"],
    "global_services.json:US:global_service:Stop It Now!": ["prevention", "support_adult"],
    "global_services.json:NL:global_service:Stop it Now": ["prevention", "support_adult"],
    "global_services.json:AU:global_service:Stop It Now! Australia": ["prevention", "support_adult"],
    "global_services.json:BE:global_service:Stop it Now!": ["prevention", "support_adult"],
    "global_services.json:*:global_service:Troubled Desire": ["prevention"],
    "global_services.json:*:global_service:ReDirection Self-Help Program": ["prevention"],
    "global_services.json:*:global_service:Child Helpline International": ["support_child"],
    "child_helplines_world.json:*:global_service:Child Helpline International": ["support_child"],
    "global_services.json:*:global_service:INHOPE - How to report": ["report_csam"],
    "inhope_iwf.json:*:global_service:INHOPE": ["report_csam"],
    "global_services.json:*:global_service:NCMEC CyberTipline": ["report_csam"],
    # Thorn's record describes a confidential text line with a trained counsellor for young
    # people facing sextortion, and guidance for them and their carers: support_child + advice.
    "global_services.json:*:global_service:Thorn - Stop Sextortion / NoFiltr": ["support_child", "advice"],
    "global_services.json:*:global_service:ECPAT International": ["advice"],
    # eSafety: reports of illegal content incl. CSAM, and an image-based abuse scheme (removal
    # of intimate images, incl. sexual extortion).
    "police_reporting.json:AU:global_service:eSafety Commissioner": ["report_csam", "remove_images"],
    # Netsafe: "free and confidential advice and support to people in New Zealand".
    "police_reporting.json:NZ:global_service:Netsafe": ["advice", "support_child", "support_adult"],
    # Counselling and deletion of illegally filmed or distributed images, all ages incl. under-19s.
    "police_reporting.json:KR:global_service:디지털 성범죄 피해자 지원센터": [
        "remove_images",
        "support_child",
        "support_adult",
    ],
    # A ministry hotline for anyone, including children, to report content unsafe for children.
    "police_reporting.json:ID:global_service:Layanan Sahabat Perempuan dan Anak (SAPA) 129 - Kementerian PPPA": [
        "support_child",
        "support_adult",
    ],
}

# Records that are directories of other services ("find your local hotline / helpline"), not a
# service a person reports to or talks to: routing shows them only as a last "find your local
# service" link in a worldwide fallback.
DIRECTORY_RECORDS = {
    "global_services.json:*:global_service:Child Helpline International",
    "child_helplines_world.json:*:global_service:Child Helpline International",
    "global_services.json:*:global_service:INHOPE - How to report",
    "inhope_iwf.json:*:global_service:INHOPE",
}

# Audience decided by judgement where the research's "public" would offer a service to children.
AUDIENCE_OVERRIDES = {
    # StopNCII: "for adults (18+)" whose intimate images are shared without consent.
    "global_services.json:*:global_service:StopNCII.org": ["adults"],
}

# Hotlines that are also the national route to the police for grooming and sextortion
# (README: "judge each from its record"). Both NCMEC's CyberTipline (the US "centralized
# reporting system for the online exploitation of children", tips made available to law
# enforcement; handles online enticement and sextortion) and Cybertip.ca (Canada's national
# tipline, forwards reports to police; handles grooming and sextortion) are. Other hotlines
# whose records list grooming (ECPAT Sweden, Nettivihje, Dyżurnet, Te Protejo, FPB, Internet
# Hotline Cambodia, Te Protejo México, Seguros en Internet) pass information on to police but
# are not described as the national police route; their countries' police routes are separate
# entries where the research found one.
REPORT_POLICE_HOTLINES = {
    "inhope_iwf.json:US:inhope_hotline:CyberTipline",
    "police_reporting.json:US:inhope_hotline:CyberTipline",
    "global_services.json:*:global_service:NCMEC CyberTipline",
    "inhope_iwf.json:CA:inhope_hotline:Cybertip.ca",
    "police_reporting.json:CA:inhope_hotline:Cybertip.ca",
}

# Merges decided by judgement (names and website hosts differ, or countries differ), each
# group with the reason. Cross-country merges are for one service that serves several
# countries; its numbers then carry the country they are meant for.
MERGE_OVERRIDES = [
    (
        [
            "inhope_iwf.json:UA:inhope_hotline:StopCrime (ВГО «Магнолія»)",
            "police_reporting.json:UA:inhope_hotline:StopCrime",
        ],
        "the same StopCrime portal (stopcrime.ua), run with the NGO Magnolia",
    ),
    (
        [
            "police_reporting.json:AE:police_report:Ministry of Interior Child Protection Centre (MoI-CPC)",
            "child_helplines_world.json:AE:police_report:MoI Child Protection Centre hotline 116111",
        ],
        "the same Ministry of Interior Child Protection Centre and its 116111 line",
    ),
    (
        [
            "police_reporting.json:IL:police_report:Child Online Protection Bureau - Unit 105",
            "child_helplines_world.json:IL:police_report:National Child Online Protection Bureau - 105",
        ],
        "the same Child Online Protection Bureau, hotline 105",
    ),
    (
        [
            "police_reporting.json:ID:global_service:Layanan Sahabat Perempuan dan Anak (SAPA) 129 - Kementerian PPPA",
            "child_helplines_world.json:ID:child_helpline:SAPA 129 (Sahabat Perempuan dan Anak)",
        ],
        "the same SAPA 129 line of the Ministry of Women's Empowerment and Child Protection",
    ),
    (
        [
            "europe_sic_helplines.json:FI:sic_helpline:MLL:n Lasten ja nuorten puhelin ja Vanhempainpuhelin",
            "europe_sic_helplines.json:FI:child_helpline:Lasten ja nuorten puhelin (MLL)",
        ],
        "MLL's Child and Youth Helpline 116 111 (SIC helpline and child helpline)",
    ),
    (
        [
            "europe_sic_helplines.json:LV:sic_helpline:Bērnu un pusaudžu uzticības tālrunis 116111",
            "europe_sic_helplines.json:LV:child_helpline:Bērnu un pusaudžu uzticības tālrunis 116111 (VBTAI)",
        ],
        "the same 116111 line of VBTAI ('Same service as the SIC helpline')",
    ),
    (
        [
            "europe_sic_helplines.json:IS:sic_helpline:Hjálparsími Rauða krossins 1717",
            "europe_sic_helplines.json:IS:child_helpline:Hjálparsíminn 1717",
        ],
        "the same Red Cross helpline 1717",
    ),
    (
        [
            "europe_sic_helplines.json:UA:sic_helpline:La Strada-Ukraine – Support Line for Children and Youth 116111",
            "europe_sic_helplines.json:UA:child_helpline:Національна дитяча «гаряча» лінія (La Strada-Ukraine)",
        ],
        "La Strada-Ukraine's national children's line 116 111 (same numbers and e-mail)",
    ),
    (
        [
            "inhope_iwf.json:BA:inhope_hotline:Centar za sigurni internet",
            "europe_sic_helplines.json:BA:sic_helpline:Safer Internet Center Bosnia and Herzegovina – Helpline",
            "europe_sic_helplines.json:BA:sic_awareness:Safer Internet Center Bosnia and Herzegovina – Awareness center",  # noqa: E501
        ],
        "one Safer Internet Centre BiH (sigurnodijete.ba); the 'hotline' record already lists the centre's "
        "helpline number",
    ),
    (
        [
            "global_services.json:GB:global_service:Stop It Now! UK and Ireland helpline",
            "global_services.json:IE:global_service:Stop It Now! UK and Ireland helpline",
        ],
        "one Stop It Now! UK and Ireland helpline; the IE record is 'Same confidential helpline as the UK "
        "record' with the number for callers in Ireland",
    ),
    (
        [
            "europe_sic_helplines.json:CH:child_helpline:Pro Juventute Beratung + Hilfe 147",
            "europe_sic_helplines.json:LI:child_helpline:Pro Juventute Beratung + Hilfe 147",
        ],
        "one Pro Juventute helpline 147 (147.ch) serving Switzerland and Liechtenstein",
    ),
]

MERGE_OVERRIDES += [
    (
        [
            "inhope_iwf.json:DE:inhope_hotline:eco Beschwerdestelle",
            "inhope_iwf.json:DE:inhope_hotline:FSM-Beschwerdestelle",
        ],
        "one joint complaints office of eco and FSM (internet-beschwerdestelle.de): the same report form",
    ),
    (
        [
            "inhope_iwf.json:NL:inhope_hotline:Offlimits – Meldpunt Kinderporno",
            "police_reporting.json:NL:inhope_hotline:Meldpunt Kinderporno (Offlimits)",
        ],
        "one Dutch hotline, Meldpunt Kinderporno, run by Offlimits (formerly EOKM)",
    ),
]

# Pairs that an automatic rule would merge but that are different services or organisations.
NO_MERGE = [
    (
        "inhope_iwf.json:GB:inhope_hotline:Internet Watch Foundation",
        "global_services.json:GB:global_service:Report Remove",
        "Report Remove is a joint Childline/IWF service with its own entry, not the IWF hotline "
        "(its page is on iwf.org.uk)",
    ),
    (
        "police_reporting.json:GB:inhope_hotline:Internet Watch Foundation (IWF)",
        "global_services.json:GB:global_service:Report Remove",
        "Report Remove is a joint Childline/IWF service with its own entry, not the IWF hotline "
        "(its page is on iwf.org.uk)",
    ),
]

# Entries that must not be published whatever their confidence, with the reason.
FORCE_DRAFT = {
    "global_services.json:*:global_service:ECPAT International": (
        "ECPAT International is an advocacy network; it takes no reports and gives no advice to the public "
        "(its national members are listed where the research found them)"
    ),
    "police_reporting.json:*:police_report:INTERPOL - Crimes against children": (
        "the research says INTERPOL's pages offer no public reporting channel (the public should report to "
        "national police or hotlines), so it is not a place to send people to report"
    ),
}

# Records whose research notes (not only a phone note) state that the service is free of
# charge. Read by hand from the notes; automatic matching on the word "free" in notes also
# catches other services mentioned in passing ("ZICTA toll-free 7070", "whether it is free
# was not stated"), so it is not used.
FREE_PER_NOTES = {
    "inhope_iwf.json:EE:inhope_hotline:Vihjeliin": "Free web-based service",
    "inhope_iwf.json:DE:inhope_hotline:eco Beschwerdestelle": "reports free of charge",
    "inhope_iwf.json:DE:inhope_hotline:FSM-Beschwerdestelle": "Reports free",
    "inhope_iwf.json:DE:inhope_hotline:jugendschutz.net": "reports free",
    "inhope_iwf.json:MX:inhope_hotline:Te Protejo México": "Free, anonymous digital platform",
    "inhope_iwf.json:PH:inhope_hotline:eProtectKids CSAEM Hotline": "free, safe and anonymous reporting mechanism",
    "police_reporting.json:BR:inhope_hotline:SaferNet Brasil": "recebe denúncias de forma anônima, segura e gratuita",
    "police_reporting.json:NZ:global_service:Netsafe": "free and confidential advice and support",
    "police_reporting.json:GR:police_report:Διεύθυνση Δίωξης Ηλεκτρονικού Εγκλήματος (Ελληνική Αστυνομία)": "online complaint, free",  # noqa: E501
    "child_helplines_world.json:US:child_helpline:Childhelp National Child Abuse Hotline": "calls are free and anonymous (secondary)",  # noqa: E501
    "child_helplines_world.json:JO:child_helpline:Jordan River Foundation - Helpline 110 for Families and Children": "CHI: free and confidential",  # noqa: E501
    "child_helplines_world.json:IQ:child_helpline:Adolescent and youth helpline (Ministries of Health, UNFPA)": "Free, confidential counselling",  # noqa: E501
    "child_helplines_world.json:QA:child_helpline:Aman Protection and Social Rehabilitation Center - hotline 919": "CHI: free",  # noqa: E501
    "child_helplines_world.json:KR:child_helpline:청소년상담 1388 (Youth counselling 1388)": "free, anonymous",
    "child_helplines_world.json:GD:child_helpline:Sweet Water Foundation Child Helpline": "Free, confidential and anonymous counselling",  # noqa: E501
    "global_services.json:*:global_service:Take It Down": "Free and anonymous",
    "global_services.json:*:global_service:StopNCII.org": "Free; 'a free global tool'",
    "global_services.json:*:global_service:Troubled Desire": "This service is free of charge",
}


# Validation (the same rules as directory/validation.py) ---------------------------------------

_validate_url = URLValidator(schemes=["http", "https"])
_validate_email = EmailValidator()
_LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
_EMERGENCY_NUMBER = re.compile(r"^[0-9][0-9 -]{0,14}$")
_HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def phone_problem(value: str, region: str | None) -> str:
    """Why the importer would reject this phone/SMS number for the region ("" if it accepts it)."""
    if not value.startswith("+") and not region:
        return "no country to read a national-format number in (worldwide-only entry)"
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return f"not a phone number for {region or 'any country'} (libphonenumber cannot parse it)"
    if phonenumbers.is_valid_number(number):
        return ""
    short_region = region or phonenumbers.region_code_for_number(number)
    if short_region and shortnumberinfo.is_valid_short_number_for_region(number, short_region):
        return ""
    return f"not a valid phone or short number for {region or 'any country'} in libphonenumber"


def url_problem(value: str) -> str:
    """Why the importer would reject this web address ("" if it accepts it)."""
    try:
        _validate_url(value)
    except ValidationError:
        return "not a valid http(s) web address"
    return ""


def email_problem(value: str) -> str:
    """Why the importer would reject this e-mail address ("" if it accepts it)."""
    try:
        _validate_email(value)
    except ValidationError:
        return "not a valid e-mail address"
    return ""


# Small helpers --------------------------------------------------------------------------------


def host_of(address: str) -> str:
    """The lower-case host of an address, with or without scheme ("" if there is none)."""
    if not address:
        return ""
    if not _HAS_SCHEME.match(address):
        address = "//" + address
    try:
        return (urlsplit(address).hostname or "").lower()
    except ValueError:
        return ""


def bare_host(address: str) -> str:
    """The host without a leading "www.", for comparing websites."""
    host = host_of(address)
    return host[4:] if host.startswith("www.") else host


def url_identity(url: str) -> str:
    """A comparison form of a URL: case-insensitive scheme and host, host with or without
    "www.", no trailing slash (the same page written two ways is listed once)."""
    parts = urlsplit(url)
    host = (parts.netloc or "").lower()
    host = host[4:] if host.startswith("www.") else host
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{host}{path}{query}"


def is_homepage(url: str) -> bool:
    """True for an address with no path beyond "/" (the organisation's homepage)."""
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def phone_identity(value: str) -> str:
    """A comparison form of a phone number: its digits (and a leading +)."""
    digits = re.sub(r"\D", "", value)
    return ("+" if value.strip().startswith("+") else "") + digits


def normalised_name(name: str) -> str:
    """Lower-case letters and digits only, for "clearly the same name" comparisons."""
    return re.sub(r"[\W_]+", " ", name.casefold()).strip()


# Latin letters that Unicode does not decompose into a base letter plus an accent.
_TRANSLITERATE = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "æ": "ae",
        "Æ": "Ae",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "Oe",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "ħ": "h",
        "Ħ": "H",
    }
)


def slugify(text: str) -> str:
    """ASCII slug: accents dropped, everything that is not a letter or digit becomes one hyphen."""
    text = text.translate(_TRANSLITERATE)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def says_free(note: str) -> bool:
    """True if a phone note says the call is free / toll-free (and does not say "not free")."""
    for match in re.finditer(r"\b(toll[- ]?free|freephone|free|zero cost)\b", note, re.IGNORECASE):
        before = note[max(0, match.start() - 4) : match.start()].lower()
        if before.endswith("not ") or before.endswith("non-"):
            continue
        return True
    return False


def source_date_to_date(value: str) -> str:
    """ "YYYY-MM" -> first of month, "YYYY" -> 1 January, "YYYY-MM-DD" kept; "" stays ""."""
    value = (value or "").strip()
    if not value:
        return ""
    if re.fullmatch(r"\d{4}", value):
        return f"{value}-01-01"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return f"{value}-01"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        datetime.date.fromisoformat(value)
        return value
    raise ValueError(f"unexpected source_date {value!r}")


def sms_short_code(text: str) -> tuple[str, str]:
    """The number to text from a research "sms" field, or "" and why there is none.

    The field is either a plain number ("116111", "+45 22 49 68 25") or a short sentence
    ('text CONNECT to 686868', '8020 (free short code)'). A sentence gives a number only when
    it contains exactly one number and that number is a short code (3 to 6 digits);
    anything else (several numbers, long instructions) is not guessed at. A WhatsApp number
    is not an SMS channel.
    """
    text = text.strip()
    if "whatsapp" in text.casefold():
        return "", "it is a WhatsApp number, not an SMS number"
    if re.search(r"[#*]\s*\d", text):
        return "", "a code dialled with # or * is not a number to text (not guessed)"
    if re.fullmatch(r"\+?[\d][\d \-]*\d", text):
        return text, ""
    numbers = re.findall(r"(?<![\w-])\+?\d[\d\-]*\d(?![\w-])|(?<![\w-])\d(?![\w-])", text)
    if len(numbers) == 1 and re.fullmatch(r"\d{3,6}", numbers[0]):
        return numbers[0], ""
    return "", "no single clear short code to text (not guessed)"


# Research records -----------------------------------------------------------------------------


@dataclass
class Record:
    """One research record with where it came from."""

    file: str
    index: int
    data: dict

    @property
    def ref(self) -> str:
        return f"{self.file}:{self.data['country']}:{self.data['kind']}:{self.data['name']}"

    @property
    def country(self) -> str:
        return self.data["country"]

    @property
    def kind(self) -> str:
        if self.ref in DIRECTORY_RECORDS:
            return "directory"
        national_fact = self.file not in ORGANISATION_FILES and self.country != "*"
        if national_fact and self.data["kind"] == "global_service" and "csam" in self.data["handles"]:
            # A checked fact's national reporting service (a government portal or commission):
            # it serves its own country, so it is not a worldwide service.
            return "reporting_portal"
        return KIND_MAP[self.data["kind"]]

    @property
    def family(self) -> str:
        return SERVICE_FAMILY[self.data["kind"]]

    @property
    def confidence_rank(self) -> int:
        return CONFIDENCE_RANK[self.data["confidence"]]

    def describe(self) -> str:
        return f"{self.file} #{self.index} '{self.data['name']}' ({self.data['kind']}, {self.country})"

    def sort_key(self) -> tuple:
        """Order for choosing the main record of a merge (its name is used): kind, then file, then confidence."""
        return (
            KIND_PRECEDENCE.index(self.kind),
            ORGANISATION_FILES.index(self.file),
            self.confidence_rank,
            self.index,
        )


def load_records(source: Path) -> list[Record]:
    """All organisation records of the research files, in file order."""
    records = []
    for name in ORGANISATION_FILES:
        for index, data in enumerate(json.loads((source / name).read_text(encoding="utf-8"))):
            if data["kind"] not in KIND_MAP:
                raise SystemExit(f"{name} #{index}: unknown kind {data['kind']!r}")
            records.append(Record(name, index, data))
    refs = collections.Counter(record.ref for record in records)
    duplicates = [ref for ref, count in refs.items() if count > 1]
    if duplicates:
        raise SystemExit(f"record names are not unique per file, country and kind: {duplicates}")
    return records


def check_tables(records: list[Record]) -> None:
    """Every record named in a judgement table must exist (a renamed record must not be ignored)."""
    known = {record.ref for record in records}
    named = set(GLOBAL_SERVICE_SERVICES) | REPORT_POLICE_HOTLINES | set(FORCE_DRAFT) | set(FREE_PER_NOTES)
    named |= DIRECTORY_RECORDS | set(AUDIENCE_OVERRIDES)
    for group, _reason in MERGE_OVERRIDES:
        named |= set(group)
    for first, second, _reason in NO_MERGE:
        named |= {first, second}
    missing = sorted(named - known)
    if missing:
        raise SystemExit("judgement tables name records that are not in the source files:\n  " + "\n  ".join(missing))
    for record in records:
        if record.data["kind"] == "global_service" and record.ref not in GLOBAL_SERVICE_SERVICES:
            raise SystemExit(f"no services decided for global_service record {record.ref}")


# Merging --------------------------------------------------------------------------------------


class UnionFind:
    """Groups of record indexes that are the same organisation."""

    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, first: int, second: int) -> None:
        root_first, root_second = self.find(first), self.find(second)
        if root_first != root_second:
            self.parent[max(root_first, root_second)] = min(root_first, root_second)


@dataclass
class MergePlan:
    groups: list[tuple[list[Record], list[str]]]  # records (main record first) and why they were merged
    not_merged: list[str]  # host or name matches that were not merged, for review


def same_scope(first: Record, second: Record) -> bool:
    """Same country, or a worldwide record and a national one (README: merge those too)."""
    if first.country == second.country:
        return True
    return (first.country == "*") != (second.country == "*")


def automatic_match(first: Record, second: Record) -> str:
    """Why two records are automatically the same organisation ("" if they are not)."""
    if normalised_name(first.data["name"]) == normalised_name(second.data["name"]):
        return f"same name '{first.data['name']}'"
    host = bare_host(first.data["website"])
    if host and host == bare_host(second.data["website"]):
        compatible = first.family == second.family or "any" in (first.family, second.family)
        if compatible:
            return f"same website host {host}"
    return ""


def plan_merges(records: list[Record]) -> MergePlan:
    """Decide which records are one organisation: automatic rules, then the override tables."""
    by_ref = {record.ref: position for position, record in enumerate(records)}
    forbidden = {frozenset((by_ref[a], by_ref[b])): reason for a, b, reason in NO_MERGE}
    union = UnionFind(len(records))
    edge_reasons: list[tuple[int, int, str]] = []
    not_merged = []

    for i, first in enumerate(records):
        for j in range(i + 1, len(records)):
            second = records[j]
            if not same_scope(first, second):
                continue
            reason = automatic_match(first, second)
            host = bare_host(first.data["website"])
            if not reason:
                if host and host == bare_host(second.data["website"]):
                    not_merged.append(
                        (
                            (i, j),
                            f"{first.describe()} and {second.describe()}: same website host {host} "
                            "but different kinds of service - kept separate",
                        )
                    )
                continue
            if frozenset((i, j)) in forbidden:
                not_merged.append(
                    (
                        (i, j),
                        f"{first.describe()} and {second.describe()}: {reason}, but kept separate (override: "
                        f"{forbidden[frozenset((i, j))]})",
                    )
                )
                continue
            union.union(i, j)
            edge_reasons.append((i, j, reason))

    for group, reason in MERGE_OVERRIDES:
        positions = [by_ref[ref] for ref in group]
        for other in positions[1:]:
            union.union(positions[0], other)
            edge_reasons.append((positions[0], other, f"override: {reason}"))

    for pair, reason in forbidden.items():
        a, b = sorted(pair)
        if union.find(a) == union.find(b):
            raise SystemExit(
                f"{records[a].describe()} and {records[b].describe()} ended up merged through other records, "
                f"although NO_MERGE keeps them apart ({reason})"
            )

    # Report only the kept-apart pairs that really ended up apart (an override may join them).
    not_merged = [text for pair, text in not_merged if union.find(pair[0]) != union.find(pair[1])]

    members: dict[int, list[Record]] = collections.defaultdict(list)
    for position, record in enumerate(records):
        members[union.find(position)].append(record)
    reasons: dict[int, list[str]] = collections.defaultdict(list)
    for i, j, reason in edge_reasons:
        reasons[union.find(i)].append(f"{records[i].describe()} + {records[j].describe()}: {reason}")
    groups = [(sorted(group, key=Record.sort_key), reasons[root]) for root, group in sorted(members.items())]
    return MergePlan(groups=groups, not_merged=not_merged)


# Building one organisation --------------------------------------------------------------------


@dataclass
class Organisation:
    """An organisation being built from one or more research records."""

    records: list[Record]
    countries: list[str] = field(default_factory=list)
    worldwide: bool = False
    channels: list[dict] = field(default_factory=list)
    channel_keys: dict = field(default_factory=dict)
    generated_notes: list[str] = field(default_factory=list)
    check_reasons: list[str] = field(default_factory=list)
    dropped: int = 0
    forced: bool = False
    best_confidence: int = 0
    fact_notes: list[str] = field(default_factory=list)
    fact_confidences: list[str] = field(default_factory=list)
    checked_values: set[str] = field(default_factory=set)  # channel values a checked fact confirmed

    @property
    def primary(self) -> Record:
        return self.records[0]

    def needs_check(self, reason: str) -> None:
        if reason not in self.check_reasons:
            self.check_reasons.append(reason)

    def note(self, text: str) -> None:
        if text not in self.generated_notes:
            self.generated_notes.append(text)

    def drop(self, channel_type: str, value: str, record: Record, reason: str) -> None:
        """Leave a channel out, say so in the internal notes and mark the entry for checking."""
        self.dropped += 1
        self.note(f"Dropped {channel_type} '{value}' from {record.file}: {reason}.")
        self.needs_check(f"dropped {channel_type}")


def usable_url(org: Organisation, record: Record, channel_type: str, value: str) -> str:
    """The address to publish for a research URL field, or "" (then it was dropped with a note).

    An address printed without a scheme is linked as https://, as a browser does, and left to
    the link checker (the note says so, so a curator knows where it came from).
    """
    value = value.strip()
    if not _HAS_SCHEME.match(value):
        candidate = "https://" + value
        problem = url_problem(candidate)
        if problem:
            org.drop(channel_type, value, record, f"{problem} even with https://")
            return ""
        org.note(f"Linked {channel_type} '{value}' from {record.file} as {candidate} (printed without a scheme).")
        return candidate
    problem = url_problem(value)
    if problem:
        org.drop(channel_type, value, record, problem)
        return ""
    return value


def channel_identity(channel: dict) -> tuple:
    """Two channels are the same if type, value (compared loosely) and country are."""
    value = channel["value"]
    if channel["type"] in ("phone", "sms", "whatsapp"):
        value = phone_identity(value)
    elif channel["type"] == "email":
        value = value.casefold()
    else:
        value = url_identity(value)
    return (channel["type"], value, channel["country"])


def add_channel(org: Organisation, record: Record, channel: dict) -> None:
    """Add a validated channel unless the same one is already there (then keep what each adds)."""
    channel.setdefault("always_open", False)
    channel.setdefault("closed_on_public_holidays", False)
    channel.setdefault("number_confirmed", False)
    channel.setdefault("opening_hours", [])
    identity = channel_identity(channel)
    existing = org.channel_keys.get(identity)
    if existing is None:
        org.channel_keys[identity] = channel
        org.channels.append(channel)
        return
    existing["label"] = existing["label"] or channel["label"]
    existing["free"] = existing["free"] if existing["free"] is not None else channel["free"]
    existing["always_open"] = existing["always_open"] or channel["always_open"]
    existing["number_confirmed"] = existing["number_confirmed"] or channel["number_confirmed"]
    existing["opening_hours"] = existing["opening_hours"] or channel["opening_hours"]
    if existing["value"] != channel["value"]:
        org.note(
            f"Same {channel['type']} also given by {record.file} as '{channel['value']}'; "
            f"kept once as '{existing['value']}'."
        )


def channel_region(org: Organisation, channel_country: str) -> str | None:
    """The country a national-format number is read in (as the importer does it)."""
    if channel_country:
        return channel_country
    return org.countries[0] if len(org.countries) == 1 else None


_PLAIN_NUMBER = re.compile(r"^\+?[0-9(][0-9 ().-]{0,24}$")


def plain_number_problem(value: str) -> str:
    """Why the importer would not take this as a number written with digits ("" if it would)."""
    digits = sum(character.isdigit() for character in value)
    if not _PLAIN_NUMBER.match(value) or not 2 <= digits <= 15:
        return "not written as a phone number (digits, spaces, dashes)"
    return ""


def printed_digits(value: str) -> str:
    """The number as digits: a vanity spelling ("1-800-4-A-CHILD (1-800-422-4453)") gives the digits
    the source prints beside it; a spelling with letters and no digits beside it gives ""."""
    value = value.strip()
    if not re.search(r"[A-Za-z]", value):
        return value
    beside = re.findall(r"\(([+\d][\d ().-]*\d)\)", value)
    return beside[0].strip() if len(beside) == 1 else ""


def add_phone_like(org: Organisation, record: Record, channel_type: str, value: str, note: str) -> None:
    """Validate a phone, SMS or WhatsApp number the way the importer will and add it, or drop it.

    A number the sources print is published even where libphonenumber does not know it (new
    short numbers are its most common gap), marked as confirmed by the source: the library's
    opinion is a warning for curators (in the notes), never a veto. Only a low-confidence
    record's unknown number is left out for a curator.
    """
    value = value.strip()
    note = (note or "").strip()
    text = public_text.channel_text(note)
    if note and note != text.label:
        org.note(f"Note on {channel_type} '{value}' from {record.file} (not public): {note}")
    if text.not_for_calling:
        org.note(f"Left out {channel_type} '{value}' from {record.file}: not a number for the public ({note}).")
        return
    number = printed_digits(value)
    if not number:
        org.drop(channel_type, value, record, "spelled with letters and no digits printed beside it")
        return
    if number != value:
        org.note(f"Took the digits printed beside '{value}' from {record.file}: {number}.")
    country = record.country if (len(org.countries) > 1 and record.country != "*") else ""
    region = channel_region(org, country)
    problem = phone_problem(number, region)
    confirmed = False
    if problem:
        plain = plain_number_problem(number)
        if plain or record.confidence_rank == CONFIDENCE_RANK["low"] or not region and not number.startswith("+"):
            org.drop(channel_type, value, record, plain or problem)
            return
        confirmed = True
        org.note(
            f"Published {channel_type} '{number}' as {record.file}'s sources print it, although libphonenumber "
            f"does not know it ({problem}): marked as confirmed by the source."
        )
        if record.confidence_rank == CONFIDENCE_RANK["medium"]:
            org.needs_check("number libphonenumber does not know, from a secondary source")
    add_channel(
        org,
        record,
        {
            "type": channel_type,
            "value": number,
            "label": text.label,
            "hours": "",
            "free": text.free,
            "country": country,
            "always_open": text.always_open and channel_type != "sms",
            "number_confirmed": confirmed,
            "opening_hours": text.periods if channel_type != "sms" else [],
        },
    )


def is_whatsapp(note: str) -> bool:
    return "whatsapp" in (note or "").casefold()


def add_record_channels(org: Organisation, record: Record) -> None:
    """Turn one research record's contact fields into channels."""
    data = record.data
    website = usable_url(org, record, "website", data["website"]) if data["website"] else ""
    report = usable_url(org, record, "web_form", data["report_url"]) if data["report_url"] else ""
    if report:
        add_channel(org, record, url_channel("web_form", report))
    # A report page that is also the website is listed once, as the form.
    if website and (not report or url_identity(report) != url_identity(website)):
        add_channel(org, record, url_channel("website", website))
    for phone in data["phones"]:
        note = phone.get("note", "")
        if is_whatsapp(note):
            # A WhatsApp number is messaged in the app, never dialled: its own channel type.
            add_phone_like(org, record, "whatsapp", phone["number"], re.sub(r"(?i)whatsapp[:,;]?\s*", "", note))
        else:
            add_phone_like(org, record, "phone", phone["number"], note)
    if data["sms"]:
        sms = data["sms"].strip()
        whatsapp = re.fullmatch(r"(?i)whatsapp:?\s*(\+?[\d][\d \-]*\d)", sms)
        if whatsapp:
            add_phone_like(org, record, "whatsapp", whatsapp.group(1), "")
        else:
            number, why_not = sms_short_code(sms)
            if number:
                add_phone_like(org, record, "sms", number, "" if number == sms else sms)
            else:
                org.note(f"Left out sms '{data['sms']}' from {record.file}: {why_not}.")
                if "WhatsApp" not in why_not:
                    org.needs_check("unclear sms")
    if data["chat_url"]:
        chat = usable_url(org, record, "chat", data["chat_url"])
        if chat:
            add_channel(org, record, url_channel("chat", chat))
    if data["email"]:
        problem = email_problem(data["email"].strip())
        if problem:
            org.drop("email", data["email"], record, problem)
        else:
            add_channel(
                org,
                record,
                {
                    "type": "email",
                    "value": data["email"].strip(),
                    "label": "",
                    "hours": "",
                    "free": None,
                    "country": "",
                },
            )


def without_form_pages(channels: list[dict]) -> list[dict]:
    """Leave out a "website" that is the same page as a report form (one record's website can be
    another record's report page); a homepage stays as the website."""
    forms = {url_identity(c["value"]) for c in channels if c["type"] == "web_form"}
    return [c for c in channels if not (c["type"] == "website" and url_identity(c["value"]) in forms)]


def url_channel(channel_type: str, value: str) -> dict:
    return {"type": channel_type, "value": value, "label": "", "hours": "", "free": None, "country": ""}


def record_services(record: Record) -> list[str]:
    """Services of one research record (README "Kinds to services")."""
    kind = record.data["kind"]
    audience = set(record.data["audience"])
    if kind in ("inhope_hotline", "sic_hotline", "iwf_portal"):
        services = ["report_csam"]
    elif kind == "police_report":
        services = ["report_police"]
    elif kind == "child_helpline":
        services = ["support_child"]
        if audience & {"parents", "public", "adults"}:
            services.append("support_adult")
    elif kind == "sic_helpline":
        services = ["support_child", "support_adult", "advice"]
    elif kind == "sic_awareness":
        services = ["advice"]
    elif record.ref in GLOBAL_SERVICE_SERVICES:
        services = list(GLOBAL_SERVICE_SERVICES[record.ref])
    else:
        # A national service from a checked fact: what it does, read from its "handles".
        handles = set(record.data["handles"])
        services = ["report_csam"] if "csam" in handles else []
        if "self_generated" in handles:
            services.append("remove_images")
        if "support" in handles and audience & {"children", "young_people"}:
            services.append("support_child")
        if "support" in handles and audience & {"parents", "public", "adults"}:
            services.append("support_adult")
    if record.ref in REPORT_POLICE_HOTLINES:
        services.append("report_police")
    return services


def merged_anonymous(org: Organisation) -> bool | None:
    """The research "anonymous" across merged records; a conflict gives null and a check."""
    values = {record.data.get("anonymous") for record in org.records} - {None}
    if len(values) > 1:
        org.needs_check("sources disagree on anonymity")
        org.note("Sources disagree on whether one can stay anonymous; left unknown.")
        return None
    return values.pop() if values else None


def merged_hours(org: Organisation) -> str:
    """The main record's hours, else the first record that gives hours; others noted."""
    hours = ""
    for record in org.records:
        text = record.data["hours"].strip()
        if not text:
            continue
        if not hours:
            hours = text
        elif text != hours:
            org.note(f"Hours also given by {record.file} as '{text}'.")
    return hours


def public_hours(org: Organisation, channels: list[dict]) -> str:
    """The organisation's public opening hours; where the sources state them plainly and it has
    one phone line, they become that line's weekly hours (so the page can say "open now")."""
    research = merged_hours(org)
    text, periods, always_open = public_text.public_hours(research)
    if research and text != research:
        org.note(f"Hours as the sources give them (not public): {research}")
    if research and not text:
        org.needs_check("opening hours unclear")
    phones = [channel for channel in channels if channel["type"] == "phone"]
    if (periods or always_open) and len(phones) == 1:
        phone = phones[0]
        if not phone["always_open"] and not phone["opening_hours"]:
            phone["always_open"] = always_open
            phone["opening_hours"] = periods or []
        return ""
    return text


def merged_name_en(org: Organisation, name: str) -> str:
    """The English name of the main record, else of the first other record of the same country.

    (A record for another country may carry a country-specific English name, such as
    "... 147 (Liechtenstein)", which would be wrong for the whole organisation.)
    """
    for record in org.records:
        if record.country != org.primary.country:
            continue
        name_en = (record.data.get("name_en") or "").strip()
        if name_en and name_en != name:
            return name_en
    return ""


def merged_last_checked(org: Organisation) -> str:
    """The newest source date across the records, as a date; none at all -> research date + check."""
    dates = [source_date_to_date(record.data["source_date"]) for record in org.records]
    dates = [date for date in dates if date]
    if not dates:
        org.needs_check("no source date")
        org.note(f"No date visible on the sources; last_checked set to the research date {RESEARCH_DATE}.")
        return RESEARCH_DATE
    return max(dates)


def merged_free(org: Organisation) -> bool | None:
    """True only if a source says the service (or one of its numbers) is free; else unknown."""
    for record in org.records:
        notes = [phone.get("note", "") for phone in record.data["phones"]] + [record.data["sms"]]
        if any(says_free(note) for note in notes) or record.ref in FREE_PER_NOTES:
            return True
    return None


def ordered(values, vocabulary) -> list:
    """The values that are in the vocabulary, in the vocabulary's order."""
    present = set(values)
    return [value for value in vocabulary if value in present]


def build_organisation(group: list[Record], merge_reasons: list[str]) -> tuple[dict, Organisation]:
    """One organisation in the exchange format from its (already ordered) research records."""
    org = Organisation(records=group)
    primary = org.primary
    org.worldwide = any(record.country == "*" for record in group)
    national = sorted({record.country for record in group if record.country != "*"})
    org.countries = national

    name = primary.data["name"].strip()
    kind = primary.kind
    for record in group:
        add_record_channels(org, record)
    order = CHANNEL_ORDER[kind]
    channels = sorted(without_form_pages(org.channels), key=lambda channel: order.index(channel["type"]))

    services = []
    networks = []
    audience = []
    languages = []
    for record in group:
        services += record_services(record)
        networks += record.data["networks"]
        if record.ref in AUDIENCE_OVERRIDES:
            audience += AUDIENCE_OVERRIDES[record.ref]
        else:
            audience += [AUDIENCE_MAP.get(item, item) for item in record.data["audience"]]
        languages += [code for code in record.data["languages"] if _LANGUAGE_CODE.match(code)]
        bad_codes = [code for code in record.data["languages"] if not _LANGUAGE_CODE.match(code)]
        if bad_codes:
            org.note(f"Left out language codes {bad_codes} from {record.file}: not ISO 639-1.")
            org.needs_check("language codes")

    source_urls = []
    for record in group:
        for url in record.data["source_urls"]:
            if url in source_urls:
                continue
            if url_problem(url):
                org.note(f"Source not importable as a web address (kept here): {url}")
                org.needs_check("source address")
                continue
            source_urls.append(url)

    best_confidence = min(record.confidence_rank for record in group)
    if best_confidence == CONFIDENCE_RANK["low"]:
        org.needs_check("low confidence")
    if any("second-hand" in record.data["notes"].lower() for record in group):
        org.needs_check("second-hand facts to verify")
    if not channels:
        org.needs_check("no usable channel")
    forced = [FORCE_DRAFT[record.ref] for record in group if record.ref in FORCE_DRAFT]
    for reason in forced:
        org.note(f"Kept as draft by the converter: {reason}.")
        org.needs_check("kept as draft by judgement")

    anonymous = merged_anonymous(org)
    hours = public_hours(org, channels)
    last_checked = merged_last_checked(org)
    publishable = (
        channels and (org.countries or org.worldwide) and best_confidence != CONFIDENCE_RANK["low"] and not forced
    )

    notes = [f"[{record.file}] {record.data['notes'].strip()}" for record in group if record.data["notes"].strip()]
    if len(group) > 1:
        notes.append("Merged from: " + "; ".join(record.describe() for record in group) + ".")
        notes += [f"Merge reason: {reason}" for reason in merge_reasons]
    notes += org.generated_notes
    org.forced = bool(forced)
    org.best_confidence = best_confidence

    entry = {
        "key": "",  # set once all organisations are known (keys must be unique)
        "name": name,
        "name_en": merged_name_en(org, name),
        "kind": kind,
        # Sorted as export_directory writes them, so that an export equals this file.
        "networks": sorted(set(networks)),
        "services": sorted(set(services)),
        "audience": ordered(audience, AUDIENCES),
        "languages": sorted(set(languages)),
        "free": merged_free(org),
        "anonymous": anonymous,
        "hours": hours,
        "description": "",
        "countries": org.countries,
        "worldwide": org.worldwide,
        "channels": channels,
        "status": "published" if publishable else "draft",
        "needs_check": bool(org.check_reasons),
        "last_checked": last_checked,
        "checked_by": "",
        "source_urls": source_urls,
        "internal_notes": "\n".join(notes),
        "priority": KIND_PRIORITY[kind],
        "time_zone": "",
    }
    return entry, org


def merged_periods(text: str) -> list[dict]:
    """Weekly periods of a schedule written in ";"-separated parts (each part must parse)."""
    periods = []
    for part in text.split(";"):
        parsed = public_text.weekly_hours(part.strip())
        if parsed is None:
            raise SystemExit(f"LINE_HOURS: cannot read {part!r}")
        periods += parsed
    return sorted(periods, key=lambda period: (period["day"], period["opens"]))


def finish_organisation(entry: dict, org: Organisation) -> None:
    """Status, "needs check" and internal notes, once the research and the checked facts are in."""
    applied = set(org.fact_confidences)
    if "high" in applied and not applied & {"medium", "low"}:
        # A first-hand check of the entry this month answers the research's doubts about dates,
        # missing numbers and second-hand facts; other doubts (hours, anonymity …) stay.
        resolved = {"no source date", "no usable channel", "dropped phone", "dropped sms", "low confidence"}
        resolved |= {"second-hand facts to verify", "number libphonenumber does not know, from a secondary source"}
        org.check_reasons = [reason for reason in org.check_reasons if reason not in resolved]
    if "medium" in applied:
        org.needs_check("checked facts from a secondary source")
    if not entry["channels"]:
        org.needs_check("no usable channel")
    confident = org.best_confidence != CONFIDENCE_RANK["low"] or applied & {"high", "medium"}
    if entry["status"] != "archived":
        publishable = entry["channels"] and (entry["countries"] or entry["worldwide"]) and confident
        entry["status"] = "published" if publishable and not org.forced else "draft"
    notes = [entry["internal_notes"]] if entry["internal_notes"] else []
    notes += org.fact_notes
    if entry["key"] in NAME_OVERRIDES:
        name, name_en, reason = NAME_OVERRIDES[entry["key"]]
        notes.append(f"Named '{name}' (was '{entry['name']}'): {reason}.")
        entry["name"], entry["name_en"] = name, name_en
    for channel in entry["channels"]:
        hours = LINE_HOURS.get((entry["key"], channel["value"]))
        if hours:
            channel["opening_hours"] = merged_periods(hours)
            entry["hours"] = ""
    entry["channels"] = without_form_pages(entry["channels"])
    for channel_type in ("website", "web_form"):
        # One "Visit the website" and one "Open the report form" per card: the address a checked
        # fact confirmed, else (for a website) the homepage, else the first.
        same = [channel for channel in entry["channels"] if channel["type"] == channel_type]
        if len(same) < 2:
            continue
        keep = next((channel for channel in same if channel["value"] in org.checked_values), None)
        if keep is None and channel_type == "website":
            keep = next((channel for channel in same if is_homepage(channel["value"])), None)
        keep = keep or same[0]
        for channel in same:
            if channel is not keep:
                entry["channels"].remove(channel)
                notes.append(f"Other {channel_type} (not shown; one per entry): {channel['value']}")
    if org.check_reasons:
        notes.append("Needs check: " + ", ".join(org.check_reasons) + ".")
    entry["internal_notes"] = "\n".join(notes)
    entry["needs_check"] = bool(org.check_reasons)


def key_base(entry: dict, primary: Record) -> str:
    """ "<cc>-<slug of name>" (cc of the main record's country) or "ww-<slug>" for worldwide-only."""
    if primary.country != "*":
        prefix = primary.country.lower()
    elif entry["countries"]:
        prefix = entry["countries"][0].lower()
    else:
        prefix = "ww"
    slug = slugify(entry["name"]) or slugify(entry["name_en"]) or "organisation"
    key = f"{prefix}-{slug}"
    if len(key) > 100:
        key = key[:101].rsplit("-", 1)[0]  # cut at a word boundary
    return key


def assign_keys(built: list[tuple[dict, Organisation]]) -> None:
    """Give every organisation a unique key; clashes get -2, -3 … in a fixed order."""
    built.sort(key=lambda item: (key_base(item[0], item[1].primary), item[1].primary.sort_key()))
    used = set()
    for entry, org in built:
        base = key_base(entry, org.primary)
        key, number = base, 2
        while key in used:
            suffix = f"-{number}"
            key = base[: 100 - len(suffix)].rstrip("-") + suffix
            number += 1
        used.add(key)
        entry["key"] = key


# Emergency numbers ----------------------------------------------------------------------------

_SERVICE_FIELDS = ("police", "ambulance", "fire")


def phone_label(note: str) -> str:
    """The service label of an emergency-number note, without the "[source]" at its end."""
    return re.sub(r"\s*\[[^\]]*\]\s*$", "", note).strip()


def choose_general(general: list[dict], notes: str) -> dict | None:
    """Of several numbers labelled general emergency, the one the record itself singles out.

    In order: a number an official page quoted in the notes tells people to call ("Official: ...
    call 111"); the number the Android table gives as this country's fallback; the first listed.
    """
    if len(general) <= 1:
        return general[0] if general else None
    by_number = {phone["number"].strip(): phone for phone in general}
    official = notes.split("Official:", 1)[1] if "Official:" in notes else ""
    for number in re.findall(r"\b(?:call|dial|composez le)\s+(\d{2,4})\b", official, flags=re.IGNORECASE):
        if number in by_number:
            return by_number[number]
    fallback = re.search(r"Android fallback emergency number for this country: (\d+)", notes)
    if fallback and fallback.group(1) in by_number:
        return by_number[fallback.group(1)]
    return general[0]


def build_emergency(record: dict) -> tuple[dict, list[str]]:
    """One country's emergency numbers; returns the entry and the reasons it needs checking.

    Fields are filled only from explicit service labels in the research: "general emergency
    (...)" -> general; "police", "ambulance", "fire" and combinations such as "ambulance,
    fire" -> each named field. Anything else (service not stated, marine or mountain rescue,
    non-emergency police lines) goes to "other" with its note. If several numbers carry the
    same label the first fills the field (for general, see choose_general) and the rest
    go to "other".
    """
    entry = {"country": record["country"], "general": "", "police": "", "ambulance": "", "fire": "", "other": []}
    reasons = []
    phones = record["phones"]
    general = [phone for phone in phones if phone_label(phone["note"]).startswith("general emergency")]
    chosen_general = choose_general(general, record["notes"])

    for phone in phones:
        number = phone["number"].strip()
        label = phone_label(phone["note"])
        if phone is chosen_general:
            target_fields = ["general"]
        elif label.startswith("general emergency"):
            target_fields = []  # a second general number
        else:
            parts = [part.strip() for part in label.split(",")]
            target_fields = parts if parts and all(part in _SERVICE_FIELDS for part in parts) else []
        free_fields = [name for name in target_fields if not entry[name]]
        if free_fields and _EMERGENCY_NUMBER.match(number) and len(number) <= 20:
            for name in free_fields:
                entry[name] = number
            if len(free_fields) == len(target_fields):
                continue
        elif free_fields:
            reasons.append("a labelled number is not in the importer's emergency-number form")
        entry["other"].append({"number": number, "note": phone["note"]})

    if record["sms"]:
        number, _why_not = sms_short_code(record["sms"])
        if number:
            entry["other"].append({"number": number, "note": f"SMS: {record['sms']}"})
        else:
            reasons.append("unclear sms")

    last_checked = source_date_to_date(record["source_date"])
    if not last_checked:
        last_checked = RESEARCH_DATE
        reasons.append("no source date")
    if not phones:
        reasons.append("no numbers")
    elif not any(entry[name] for name in ("general", *_SERVICE_FIELDS)):
        reasons.append("no number labelled general/police/ambulance/fire")
    if len(general) > 1:
        reasons.append("several numbers labelled general emergency (chosen by choose_general)")
    if record["confidence"] == "low":
        reasons.append("low confidence")
    bad_sources = [url for url in record["source_urls"] if url_problem(url)]
    if bad_sources:
        reasons.append("source address not importable")
    entry.update(
        {
            "source_urls": [url for url in record["source_urls"] if not url_problem(url)],
            "last_checked": last_checked,
            "needs_check": bool(reasons),
            "notes": record["notes"],
        }
    )
    return entry, reasons


# Checked facts ----------------------------------------------------------------------------------
# Facts checked against public sources after the research (shared/data/verified/ and the
# project's own tools/facts/), each about one value of one organisation or emergency row. See
# shared/data/verified/FORMAT.md. They are applied after the research is built, so the research
# files stay as they were read and every change is traceable to a fact and its sources.

VERIFIED_DATE = "2026-12-01"  # the month the facts were checked
FACT_CHANNEL_TYPES = ("phone", "sms", "whatsapp", "telegram", "chat", "web_form", "website", "email", "app")
EMERGENCY_FIELDS = {
    "emergency_general": "general",
    "emergency_police": "police",
    "emergency_ambulance": "ambulance",
    "emergency_fire": "fire",
}

# Organisations merged into another since an earlier build: facts naming the old key apply to
# the merged one, and the old key is shipped archived so that an import retires the old row.
KEY_ALIASES = {
    "de-fsm-beschwerdestelle": "de-eco-beschwerdestelle",
    "nl-meldpunt-kinderporno-offlimits": "nl-offlimits-meldpunt-kinderporno",
}

# Names decided by judgement, with the source that prints them.
NAME_OVERRIDES = {
    "de-eco-beschwerdestelle": (
        "Internet-Beschwerdestelle",
        "eco and FSM's joint complaints office",
        "the merged eco and FSM entries are one office; police_reporting.json's source prints "
        "'Internet-Beschwerdestelle (www.internetbeschwerdestelle.de)'",
    ),
}

# Weekly hours of one line of an organisation with several, as its research hours give them
# (the organisation's hours name each line): (key, number) -> hours text.
LINE_HOURS = {
    # "Kinder- und Jugendtelefon Mo-Sa 14-20 Uhr (+ Mo, Mi, Do 10-12 Uhr, 2020 extension);
    # Elterntelefon Mo-Fr 9-17 Uhr (+ Di, Do 17-19 Uhr, 2020)"
    ("de-nummer-gegen-kummer-e-v", "116 111"): "Mo, Mi, Do 10-12 Uhr; Mo-Sa 14-20 Uhr",
    ("de-nummer-gegen-kummer-e-v", "0800 111 0 550"): "Mo-Fr 9-17 Uhr; Di, Do 17-19 Uhr",
}

# Facts not applied, by judgement: (key, field, value) -> why. Mostly numbers that the checked
# sources show belong to another organisation, or lines for adults that must not appear on a
# child helpline's card; they stay in the entry's internal notes.
SKIP_FACTS = {
    ("ph-philippine-national-police-anti-cybercrime-group-pnp-acg-and-women-and-children-protection-center",
     "phone", "(02) 523-8231 to 38 local 3454 to 3455"): "the NBI's number, not the PNP's, and not one dialable value",
    ("ph-philippine-national-police-anti-cybercrime-group-pnp-acg-and-women-and-children-protection-center",
     "phone", "(02) 524-82-16"): "the DOJ Office of Cybercrime's number, not the PNP's",
    ("ph-philippine-national-police-anti-cybercrime-group-pnp-acg-and-women-and-children-protection-center",
     "phone", "1343"): "the CFO/IACAT anti-trafficking line, not the PNP's",
    ("ph-philippine-national-police-anti-cybercrime-group-pnp-acg-and-women-and-children-protection-center",
     "phone", "1383"): "CWC's Makabata helpline, which has its own entry",
    ("bn-talian-anak-121", "phone", "141"): "JAPEM's general welfare line, not the child helpline",
    ("na-lifeline-childline-namibia", "phone", "106"): "the gender-based violence line for adults, not the child line",
    ("zm-lifeline-childline-zambia-childline-116", "phone", "933"): "Lifeline 933 for adults, not the child line",
    ("ci-allo-enfant-en-detresse-116", "phone", "1308"): "the gender-based violence line, not the child line",
}  # fmt: skip


@dataclass
class Fact:
    file: str
    index: int
    data: dict

    def __getattr__(self, name: str):
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError(name) from None

    def describe(self) -> str:
        return f"{self.file} #{self.index}"

    def note(self, text: str = "") -> str:
        value = f" '{self.data['value']}'" if self.data["value"] else ""
        detail = f" {text}" if text else ""
        notes = f" {self.data['notes'].strip()}" if self.data["notes"].strip() else ""
        return (
            f"[checked {self.file}, {self.data['confidence']}] {self.data['field']}{value} "
            f"{self.data['verdict']}.{detail}{notes}"
        )


PLATFORMS_FILE = "platforms.json"
PLATFORM_STATUS = {"high": "published", "medium": "published", "low": "draft"}


def build_platforms(folders: list[Path]) -> list[dict]:
    """The platforms' own report routes, from research read on each platform's help pages (platforms.json).

    High confidence: published. Medium: published and marked "needs check". Low, or an address that is not
    https, or no source: a draft for curators. Research notes go to the internal notes only."""
    platforms: dict[str, dict] = {}
    for folder in folders:
        path = folder / PLATFORMS_FILE
        if not path.is_file():
            continue
        research = json.loads(path.read_text(encoding="utf-8"))
        checked = research.get("checked", "")
        for item in research["platforms"]:
            report_url = (item.get("report_url") or "").strip()
            if not report_url:
                continue  # nothing to send a person to
            child_safety_url = (item.get("csam_report_url") or "").strip()
            sources = [url for url in item.get("sources", []) if url.startswith(("https://", "http://"))]
            confidence = item.get("confidence", "low")
            status = PLATFORM_STATUS.get(confidence, "draft")
            if not report_url.startswith("https://") or not sources:
                status = "draft"
            notes = [f"From tools/facts/{PLATFORMS_FILE} (confidence {confidence})."]
            notes += [item["notes"]] if item.get("notes") else []
            if item.get("how_to_copy_link"):
                notes.append(f"How to copy a link (platform's help): {item['how_to_copy_link']}")
            if item.get("take_it_down_source"):
                notes.append(f"Take It Down: {item['take_it_down_source']}")
            platforms[item["key"]] = {
                "key": item["key"],
                "name": item["name"],
                "report_url": report_url,
                "child_safety_url": child_safety_url if child_safety_url.startswith("https://") else "",
                "take_it_down": item.get("take_it_down"),
                "status": status,
                "needs_check": confidence != "high",
                "source_urls": sources,
                "last_checked": f"{checked}-01" if len(checked) == 7 else None,
                "internal_notes": "\n".join(notes),
            }
    return [platforms[key] for key in sorted(platforms)]


def load_facts(folders: list[Path]) -> list[Fact]:
    """Every fact of every *.json array in the folders, in file order."""
    facts = []
    for folder in folders:
        for path in sorted(folder.glob("*.json")):
            if path.name == PLATFORMS_FILE:
                continue  # not facts about organisations: see build_platforms
            for index, data in enumerate(json.loads(path.read_text(encoding="utf-8"))):
                facts.append(Fact(f"{folder.name}/{path.name}", index, data))
    return facts


def fact_sources(entry: dict, fact: Fact) -> None:
    for url in fact.source_urls:
        if url not in entry["source_urls"] and not url_problem(url):
            entry["source_urls"].append(url)


def fact_channel(entry: dict, org: Organisation, fact: Fact) -> tuple[dict | None, str]:
    """The channel a fact describes, validated as the importer will; or None and why not."""
    channel_type = fact.field
    value = fact.value.strip()
    if channel_type == "sms" and is_whatsapp(fact.label):
        channel_type = "whatsapp"
    text = public_text.channel_text(fact.label)
    channel = {"type": channel_type, "value": value, "label": text.label, "hours": "", "free": text.free,
               "country": "", "always_open": False, "closed_on_public_holidays": False,
               "number_confirmed": False, "opening_hours": []}  # fmt: skip
    if channel_type in ("phone", "sms", "whatsapp"):
        number = printed_digits(value)
        if not number:
            return None, "spelled with letters and no digits printed beside it"
        region = entry["countries"][0] if len(entry["countries"]) == 1 else None
        if region is None and fact.country != "*":
            region = fact.country
        if len(entry["countries"]) > 1 and fact.country in entry["countries"]:
            channel["country"] = fact.country
        problem = phone_problem(number, region)
        if problem:
            plain = plain_number_problem(number)
            if plain or (not region and not number.startswith("+")):
                return None, plain or problem
            channel["number_confirmed"] = True
        channel["value"] = number
        if channel_type != "sms":
            channel["always_open"] = text.always_open
            channel["opening_hours"] = text.periods
    elif channel_type == "email":
        problem = email_problem(value)
        if problem:
            return None, problem
    else:
        if not _HAS_SCHEME.match(value):
            value = "https://" + value
        problem = url_problem(value)
        if problem:
            return None, problem
        channel["value"] = value
    return channel, ""


def apply_channel_fact(entry: dict, org: Organisation, fact: Fact) -> str:
    """Apply one channel fact; returns what was done (for the notes)."""
    if fact.verdict == "closed":
        gone = [c for c in entry["channels"] if c["type"] == fact.field and c["value"] == fact.value.strip()]
        for channel in gone:
            entry["channels"].remove(channel)
        return "Removed: the service says it no longer works." if gone else "Not listed: nothing to remove."
    channel, why_not = fact_channel(entry, org, fact)
    if channel is None:
        org.needs_check("checked fact not applied")
        return f"Not applied: {why_not}."
    if fact.verdict == "corrected" and fact.shipped_value:
        old = printed_digits(fact.shipped_value) or fact.shipped_value
        entry["channels"] = [
            c for c in entry["channels"]
            if not (c["type"] == channel["type"] and channel_identity({**c, "value": c["value"]})
                    == channel_identity({**c, "value": old}))
        ]  # fmt: skip
    identity = channel_identity(channel)
    org.checked_values.add(channel["value"])
    for existing in entry["channels"]:
        if channel_identity(existing) == identity:
            org.checked_values.add(existing["value"])
            existing["number_confirmed"] = existing["number_confirmed"] or channel["number_confirmed"]
            existing["label"] = existing["label"] or channel["label"]
            if existing["free"] is None:
                existing["free"] = channel["free"]
            if not existing["opening_hours"] and not existing["always_open"]:
                existing["always_open"] = channel["always_open"]
                existing["opening_hours"] = channel["opening_hours"]
            return "Confirmed the listed value."
    order = CHANNEL_ORDER.get(entry["kind"], OTHER_CHANNEL_ORDER)
    entry["channels"].append(channel)
    entry["channels"].sort(key=lambda c: order.index(c["type"]))
    confirmed = " (libphonenumber does not know it: published as the source prints it)"
    return "Added" + (confirmed if channel["number_confirmed"] else "") + "."


def apply_organisation_fact(entry: dict, org: Organisation, fact: Fact) -> str:
    if fact.field in FACT_CHANNEL_TYPES:
        return apply_channel_fact(entry, org, fact)
    if fact.field == "name":
        if fact.value and fact.value != entry["name"]:
            old = entry["name"]
            entry["name"] = fact.value
            return f"Name was '{old}'."
        return "Name as listed."
    if fact.field == "status":
        if fact.verdict == "closed":
            entry["status"] = "archived"
            return "Archived: the service is closed."
        if "INHOPE" in fact.value and "INHOPE" not in entry["networks"]:
            entry["networks"] = sorted({*entry["networks"], "INHOPE"})
            return "Added the INHOPE network."
        return "Status confirmed."
    org.needs_check("checked fact not applied")
    return f"Not applied: unknown field {fact.field!r}."


def apply_emergency_fact(emergency: dict[str, dict], fact: Fact) -> None:
    entry = emergency.get(fact.country)
    name = EMERGENCY_FIELDS[fact.field]
    if entry is None:
        raise SystemExit(f"{fact.describe()}: no emergency row for {fact.country}")
    value = fact.value.strip()
    if fact.confidence == "low":
        entry["needs_check"] = True
        entry["notes"] += "\n" + fact.note("Not applied (low confidence): for a curator.")
        return
    if fact.verdict == "closed":
        if entry[name] == value:
            entry[name] = ""
        entry["other"] = [item for item in entry["other"] if item["number"].strip() != value]
        entry["notes"] += "\n" + fact.note("Removed.")
    else:
        if not _EMERGENCY_NUMBER.match(value):
            raise SystemExit(f"{fact.describe()}: {value!r} is not an emergency number")
        entry[name] = value
        # The number was listed under "other" without its service: now it has its field.
        entry["other"] = [item for item in entry["other"] if item["number"].strip() != value]
        entry["notes"] += "\n" + fact.note(f"Set as {name}.")
    for url in fact.source_urls:
        if url not in entry["source_urls"] and not url_problem(url):
            entry["source_urls"].append(url)
    if fact.confidence == "high":
        entry["last_checked"] = max(entry["last_checked"], VERIFIED_DATE)
    else:
        entry["needs_check"] = True
    entry["notes"] = entry["notes"].strip()


def new_organisation(fact: Fact) -> tuple[dict, Organisation]:
    """A new organisation from a fact's research-format record."""
    record = {
        "name_en": "", "networks": [], "website": "", "report_url": "", "phones": [], "sms": "", "chat_url": "",
        "email": "", "languages": [], "hours": "", "audience": [], "handles": [], "anonymous": None,
        "source_urls": [], "source_date": "", "confidence": fact.confidence, "notes": "",
        **fact.record,
    }  # fmt: skip
    record["source_urls"] = list(dict.fromkeys([*record["source_urls"], *fact.source_urls]))
    research = Record(fact.file, fact.index, record)
    entry, org = build_organisation([research], [])
    lines = [f"New organisation from {fact.describe()}.", entry["internal_notes"]]
    entry["internal_notes"] = "\n".join(line for line in lines if line)
    return entry, org


def key_by_name(by_key: dict, fact: Fact) -> str:
    """The key of the organisation a fact without a key names (same country and name), or ""."""
    wanted = normalised_name(fact.organisation)
    for key, (entry, _org) in by_key.items():
        same_country = fact.country in entry["countries"] or (fact.country == "*" and entry["worldwide"])
        if same_country and wanted in (normalised_name(entry["name"]), normalised_name(entry["name_en"])):
            return key
    return ""


def apply_facts(built: list[tuple[dict, Organisation]], emergency: list[dict], facts: list[Fact]) -> dict:
    """Apply every checked fact; returns counts for the summary."""
    by_key = {entry["key"]: (entry, org) for entry, org in built}
    emergency_by_country = {entry["country"]: entry for entry in emergency}
    counts = collections.Counter()
    for fact in facts:
        if fact.field in EMERGENCY_FIELDS:
            apply_emergency_fact(emergency_by_country, fact)
            counts["emergency"] += 1
            continue
        if fact.field == "new_organisation":
            entry, org = new_organisation(fact)
            base = key_base(entry, org.primary)
            key, number = base, 2
            while key in by_key:
                key, number = f"{base}-{number}", number + 1
            entry["key"] = key
            by_key[key] = (entry, org)
            built.append((entry, org))
            if fact.confidence == "low":
                org.forced = True
                org.note("Kept as draft: a low-confidence fact, for a curator to check.")
            org.fact_confidences.append(fact.confidence)
            counts["new organisation"] += 1
            continue
        key = KEY_ALIASES.get(fact.key, fact.key) or key_by_name(by_key, fact)
        if key not in by_key:
            print(f"Not applied: {fact.describe()} names no known organisation ({fact.key!r}, {fact.organisation!r})")
            counts["unknown organisation"] += 1
            continue
        entry, org = by_key[key]
        skip = SKIP_FACTS.get((fact.key, fact.field, fact.value))
        if skip:
            org.fact_notes.append(fact.note(f"Not applied, by judgement: {skip}."))
            counts["skipped"] += 1
            continue
        if fact.confidence == "low":
            org.fact_notes.append(fact.note("Not applied (low confidence): for a curator to check."))
            org.needs_check("low-confidence checked fact")
            counts["low confidence"] += 1
            continue
        result = apply_organisation_fact(entry, org, fact)
        fact_sources(entry, fact)
        org.fact_notes.append(fact.note(result))
        org.fact_confidences.append(fact.confidence)
        if fact.confidence == "high":
            entry["last_checked"] = max(entry["last_checked"] or "", VERIFIED_DATE)
        counts["applied"] += 1
    return dict(counts)


def tombstone(old: str, entry: dict) -> dict:
    """An archived row for a key merged into `entry`, so that importing the file retires the old row."""
    empty = {name: [] if isinstance(value, list) else None for name, value in entry.items()}
    return {
        **empty,
        "key": old,
        "name": f"Merged into {entry['name']}",
        "name_en": "",
        "kind": entry["kind"],
        "hours": "",
        "description": "",
        "worldwide": False,
        "status": "archived",
        "needs_check": False,
        "checked_by": "",
        "internal_notes": f"Merged into {entry['key']}; kept archived so that importing this file retires the old row.",
        "priority": entry["priority"],
        "time_zone": "",
    }


# Main -----------------------------------------------------------------------------------------


def build(source: Path, fact_folders: list[Path]) -> tuple[dict, dict]:
    """The whole document and a summary of what was done."""
    records = load_records(source)
    check_tables(records)
    plan = plan_merges(records)

    built = [build_organisation(group, reasons) for group, reasons in plan.groups]
    assign_keys(built)

    emergency_records = json.loads((source / EMERGENCY_FILE).read_text(encoding="utf-8"))
    emergency = []
    emergency_reasons = collections.Counter()
    for record in sorted(emergency_records, key=lambda r: r["country"]):
        entry, reasons = build_emergency(record)
        emergency.append(entry)
        emergency_reasons.update(reasons)

    fact_counts = apply_facts(built, emergency, load_facts(fact_folders))
    for entry, org in built:
        finish_organisation(entry, org)
    by_key = {entry["key"]: entry for entry, _org in built}
    built += [(tombstone(old, by_key[new]), None) for old, new in KEY_ALIASES.items()]
    built.sort(key=lambda item: item[0]["key"])

    document = {
        "organisations": [entry for entry, _org in built],
        "emergency_numbers": emergency,
        "platforms": build_platforms(fact_folders),
    }
    summary = {
        "records": len(records),
        "built": built,
        "plan": plan,
        "emergency": emergency,
        "emergency_reasons": emergency_reasons,
        "facts": fact_counts,
    }
    return document, summary


def print_summary(summary: dict) -> None:
    """A short report for the person running the converter."""
    built = [(entry, org) for entry, org in summary["built"] if org is not None]  # tombstones have none
    organisations = [entry for entry, _org in built]
    print(f"Checked facts: {summary['facts']}")
    print(
        f"Research records read: {summary['records']} organisation records, "
        f"{len(summary['emergency'])} emergency-number records."
    )
    print(
        f"Organisations written: {len(organisations)} "
        f"({sum(e['status'] == 'published' for e in organisations)} published, "
        f"{sum(e['status'] == 'draft' for e in organisations)} draft; "
        f"{sum(e['needs_check'] for e in organisations)} marked needs_check)."
    )

    print("\nBy kind (published / draft):")
    by_kind = collections.defaultdict(collections.Counter)
    for entry in organisations:
        by_kind[entry["kind"]][entry["status"]] += 1
    for kind in KIND_PRECEDENCE:
        print(f"  {kind:18} {by_kind[kind]['published']:4} / {by_kind[kind]['draft']}")

    reasons = collections.Counter()
    for _entry, org in built:
        reasons.update(org.check_reasons)
    print("\nWhy entries are marked needs_check (an entry can have several reasons):")
    for reason, count in reasons.most_common():
        print(f"  {count:4}  {reason}")
    dropped = sum(org.dropped for _entry, org in built)
    print(f"  Channels dropped in total: {dropped}")

    merged = [(entry, org) for entry, org in built if len(org.records) > 1]
    print(f"\nMerges ({len(merged)} organisations made of {sum(len(org.records) for _e, org in merged)} records):")
    for entry, org in merged:
        print(f"  {entry['key']} ({entry['kind']}, {entry['status']}):")
        for record in org.records:
            print(f"      {record.describe()}")
        reasons_for = [line for line in entry["internal_notes"].splitlines() if line.startswith("Merge reason: ")]
        for line in reasons_for:
            print(f"      - {line[len('Merge reason: ') :]}")

    if summary["plan"].not_merged:
        print("\nSame host or name but NOT merged (for review):")
        for line in summary["plan"].not_merged:
            print(f"  {line}")

    emergency = summary["emergency"]
    with_number = sum(
        1 for e in emergency if any(e[name] for name in ("general", "police", "ambulance", "fire")) or e["other"]
    )
    print(
        f"\nEmergency numbers: {len(emergency)} countries, {with_number} with at least one number, "
        f"{sum(e['needs_check'] for e in emergency)} marked needs_check."
    )
    for reason, count in summary["emergency_reasons"].most_common():
        print(f"  {count:4}  {reason}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="folder with the research JSON files")
    parser.add_argument("--out", type=Path, required=True, help="the directory file to write")
    parser.add_argument(
        "--facts",
        type=Path,
        action="append",
        help="a folder of checked facts (verified/FORMAT.md) to apply; repeatable "
        "(default: SOURCE/verified and tools/facts)",
    )
    args = parser.parse_args(argv)
    folders = args.facts or [args.source / "verified", Path(__file__).resolve().parent / "facts"]

    document, summary = build(args.source, [folder for folder in folders if folder.is_dir()])
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print_summary(summary)
    print(f"\nWrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
