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
}

# The order channels are listed in, per kind: report forms first where people report,
# phones first where people call for help.
REPORT_CHANNEL_ORDER = ("web_form", "phone", "sms", "chat", "email", "app", "website")
HELPLINE_CHANNEL_ORDER = ("phone", "sms", "chat", "email", "web_form", "app", "website")
OTHER_CHANNEL_ORDER = ("website", "web_form", "phone", "sms", "chat", "email", "app")
CHANNEL_ORDER = {
    "hotline": REPORT_CHANNEL_ORDER,
    "reporting_portal": REPORT_CHANNEL_ORDER,
    "police": REPORT_CHANNEL_ORDER,
    "child_helpline": HELPLINE_CHANNEL_ORDER,
    "sic_helpline": HELPLINE_CHANNEL_ORDER,
    "awareness_centre": OTHER_CHANNEL_ORDER,
    "worldwide_service": OTHER_CHANNEL_ORDER,
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
    # StopNCII is for images of adults: support for adults, never "remove_images" (that is
    # for one's own images taken under 18; StopNCII itself sends those to Take It Down).
    "global_services.json:*:global_service:StopNCII.org": ["support_adult"],
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
    # Addresses without a scheme that could not get https:// from their own record; decided
    # once all records' channels are known (see settle_schemeless).
    schemeless: list[tuple[str, str, Record]] = field(default_factory=list)

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


def https_source_host(record: Record, host: str) -> str:
    """The host of one of the record's own https sources that is this host (with or without
    a leading "www."), or "" if its sources never show the host on https."""
    wanted = {host, host[4:] if host.startswith("www.") else "www." + host}
    for url in record.data["source_urls"]:
        if url.lower().startswith("https://") and host_of(url) in wanted:
            return host_of(url)
    return ""


def usable_url(org: Organisation, record: Record, channel_type: str, value: str) -> str:
    """The address to publish for a research URL field, or "" (then it was dropped with a note).

    An address without a scheme gets "https://" only if the record's own sources show that
    host on https; otherwise it is left out for a curator to check rather than guessed.
    """
    value = value.strip()
    if not _HAS_SCHEME.match(value):
        host = host_of(value)
        source_host = https_source_host(record, host) if host else ""
        if source_host:
            candidate = "https://" + value
            problem = url_problem(candidate)
            if problem:
                org.drop(channel_type, value, record, f"{problem} even with https://")
                return ""
            org.note(
                f"Added https:// to {channel_type} '{value}' from {record.file} "
                f"(the record's own sources show {source_host} on https)."
            )
            return candidate
        org.schemeless.append((channel_type, value, record))
        return ""
    problem = url_problem(value)
    if problem:
        org.drop(channel_type, value, record, problem)
        return ""
    return value


def settle_schemeless(org: Organisation) -> None:
    """Drop (with a note and a check) each address written without a scheme - unless another
    record of the same organisation already gives exactly that address with its scheme, in
    which case nothing is lost and there is nothing to check."""
    listed = {url_identity(c["value"]): c["value"] for c in org.channels if c["type"] not in ("phone", "sms", "email")}
    for channel_type, value, record in org.schemeless:
        same = listed.get(url_identity("https://" + value)) or listed.get(url_identity("http://" + value))
        if same:
            org.note(
                f"Left out {channel_type} '{value}' from {record.file}: written without http(s)://, and the "
                f"same address is already listed from another source record as '{same}'."
            )
        else:
            org.drop(
                channel_type,
                value,
                record,
                "written without http(s):// and the record's sources do not show this host on https",
            )


def channel_identity(channel: dict) -> tuple:
    """Two channels are the same if type, value (compared loosely) and country are."""
    value = channel["value"]
    if channel["type"] in ("phone", "sms"):
        value = phone_identity(value)
    elif channel["type"] == "email":
        value = value.casefold()
    else:
        value = url_identity(value)
    return (channel["type"], value, channel["country"])


# A phone note that says, in so many words, that the line never closes.
ALWAYS_OPEN_NOTE = re.compile(r"\b(24\s*/\s*7|24\s*x\s*7|24 hours a day)\b", re.IGNORECASE)


def add_channel(org: Organisation, record: Record, channel: dict) -> None:
    """Add a validated channel unless the same one is already there (then note any difference)."""
    # Structured hours are left for curators (the sources give free text), except an explicit 24/7.
    channel.setdefault("always_open", channel["type"] == "phone" and bool(ALWAYS_OPEN_NOTE.search(channel["label"])))
    channel.setdefault("closed_on_public_holidays", False)
    channel.setdefault("number_confirmed", False)  # only curators confirm numbers libphonenumber doesn't know
    channel.setdefault("opening_hours", [])
    identity = channel_identity(channel)
    existing = org.channel_keys.get(identity)
    if existing is None:
        org.channel_keys[identity] = channel
        org.channels.append(channel)
        return
    if existing["value"] != channel["value"] or existing["label"] != channel["label"]:
        detail = f" with note '{channel['label']}'" if channel["label"] else ""
        org.note(
            f"Same {channel['type']} also given by {record.file} as '{channel['value']}'{detail}; "
            f"kept once as '{existing['value']}'."
        )


def channel_region(org: Organisation, channel_country: str) -> str | None:
    """The country a national-format number is read in (as the importer does it)."""
    if channel_country:
        return channel_country
    return org.countries[0] if len(org.countries) == 1 else None


def add_phone_like(org: Organisation, record: Record, channel_type: str, value: str, label: str) -> None:
    """Validate a phone or SMS number the way the importer will and add it, or drop it."""
    value = value.strip()
    country = record.country if (len(org.countries) > 1 and record.country != "*") else ""
    problem = phone_problem(value, channel_region(org, country))
    if problem:
        org.drop(channel_type, value, record, problem)
        return
    add_channel(
        org,
        record,
        {
            "type": channel_type,
            "value": value,
            "label": label,
            "hours": "",
            "free": True if says_free(label) else None,
            "country": country,
        },
    )


def add_record_channels(org: Organisation, record: Record) -> None:
    """Turn one research record's contact fields into channels."""
    data = record.data
    website = usable_url(org, record, "website", data["website"]) if data["website"] else ""
    report = usable_url(org, record, "web_form", data["report_url"]) if data["report_url"] else ""
    if report:
        add_channel(org, record, url_channel("web_form", report))
    # A report page that is also the website is listed once, as the form - unless it is the
    # organisation's homepage, which is kept as its website too.
    if website and (not report or url_identity(report) != url_identity(website) or is_homepage(website)):
        add_channel(org, record, url_channel("website", website))
    for phone in data["phones"]:
        add_phone_like(org, record, "phone", phone["number"], phone.get("note", ""))
    if data["sms"]:
        number, why_not = sms_short_code(data["sms"])
        if number:
            label = "" if number == data["sms"].strip() else data["sms"].strip()
            add_phone_like(org, record, "sms", number, label)
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
    return [
        channel
        for channel in channels
        if not (
            channel["type"] == "website"
            and url_identity(channel["value"]) in forms
            and not is_homepage(channel["value"])
        )
    ]


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
    else:
        services = list(GLOBAL_SERVICE_SERVICES[record.ref])
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
    settle_schemeless(org)
    order = CHANNEL_ORDER[kind]
    channels = sorted(without_form_pages(org.channels), key=lambda channel: order.index(channel["type"]))

    services = []
    networks = []
    audience = []
    languages = []
    for record in group:
        services += record_services(record)
        networks += record.data["networks"]
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
    hours = merged_hours(org)
    last_checked = merged_last_checked(org)
    publishable = (
        channels and (org.countries or org.worldwide) and best_confidence != CONFIDENCE_RANK["low"] and not forced
    )

    notes = [f"[{record.file}] {record.data['notes'].strip()}" for record in group if record.data["notes"].strip()]
    if len(group) > 1:
        notes.append("Merged from: " + "; ".join(record.describe() for record in group) + ".")
        notes += [f"Merge reason: {reason}" for reason in merge_reasons]
    notes += org.generated_notes
    if org.check_reasons:
        notes.append("Needs check: " + ", ".join(org.check_reasons) + ".")

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


# Main -----------------------------------------------------------------------------------------


def build(source: Path) -> tuple[dict, dict]:
    """The whole document and a summary of what was done."""
    records = load_records(source)
    check_tables(records)
    plan = plan_merges(records)

    built = [build_organisation(group, reasons) for group, reasons in plan.groups]
    assign_keys(built)
    built.sort(key=lambda item: item[0]["key"])

    emergency_records = json.loads((source / EMERGENCY_FILE).read_text(encoding="utf-8"))
    emergency = []
    emergency_reasons = collections.Counter()
    for record in sorted(emergency_records, key=lambda r: r["country"]):
        entry, reasons = build_emergency(record)
        emergency.append(entry)
        emergency_reasons.update(reasons)

    document = {"organisations": [entry for entry, _org in built], "emergency_numbers": emergency}
    summary = {
        "records": len(records),
        "built": built,
        "plan": plan,
        "emergency": emergency,
        "emergency_reasons": emergency_reasons,
    }
    return document, summary


def print_summary(summary: dict) -> None:
    """A short report for the person running the converter."""
    built = summary["built"]
    organisations = [entry for entry, _org in built]
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
    args = parser.parse_args(argv)

    document, summary = build(args.source)
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print_summary(summary)
    print(f"\nWrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
