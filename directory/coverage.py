"""Where the directory is thin: every country against what a person there needs."""

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib.resources import files

from django.utils.translation import gettext_lazy as _
from django_countries import countries

from directory.models import EmergencyNumber, Network, Organisation, Place, Service, ServiceSlug

NEEDS = {
    "emergency": _("Emergency number"),
    "report": _("Hotline or reporting portal"),
    "child_helpline": _("Child helpline"),
    "sic_helpline": _("Safer Internet Centre helpline"),
    "police": _("Police route"),
}
OTHER_REGION = "Other"


@functools.cache
def regions() -> dict[str, str]:
    """Each country's region: the area of its first time zone in the tz database (Europe, Africa, …)."""
    table = files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    result = {}
    for line in table.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, _coordinates, zone = line.split("\t")[:3]
        area = zone.split("/")[0]
        result.setdefault(code, {"America": "Americas", "Australia": "Pacific"}.get(area, area))
    return result


@dataclass
class CountryCoverage:
    code: str
    name: str
    region: str
    emergency_number: str = ""
    counts: dict[str, int] = field(default_factory=dict)  # need -> published national services
    services: Counter = field(default_factory=Counter)  # service slug -> published national services
    sic_expected: bool = False

    @property
    def gaps(self) -> list[str]:
        missing = [need for need in NEEDS if need != "emergency" and not self.counts.get(need)]
        if not self.sic_expected and "sic_helpline" in missing:
            missing.remove("sic_helpline")
        if not self.emergency_number:
            missing.insert(0, "emergency")
        return missing

    def has(self, need: str) -> bool | None:
        """True or False; None where the need does not apply (no Safer Internet Centre in that country)."""
        if need == "emergency":
            return bool(self.emergency_number)
        if need == "sic_helpline" and not self.sic_expected:
            return None
        return bool(self.counts.get(need))


def country_coverage() -> list[CountryCoverage]:
    """All ISO countries, with a handful of queries whatever the directory's size."""
    region_of = regions()
    rows = {code: CountryCoverage(code, str(name), region_of.get(code, OTHER_REGION)) for code, name in countries}
    for number in EmergencyNumber.objects.all():
        if str(number.country) in rows:
            rows[str(number.country)].emergency_number = number.first_number()

    services_of = defaultdict(set)
    for org_id, slug in Service.organisations.through.objects.values_list("organisation_id", "service_id"):
        services_of[org_id].add(slug)
    networks_of = defaultdict(set)
    for org_id, slug in Network.organisations.through.objects.values_list("organisation_id", "network_id"):
        networks_of[org_id].add(slug)

    places = Place.objects.values_list("country", "organisation_id", "organisation__kind", "organisation__status")
    for code, org_id, kind, status in places:
        row = rows.get(code)
        if row is None:
            continue
        safer_internet_kinds = (Organisation.Kind.SIC_HELPLINE, Organisation.Kind.AWARENESS_CENTRE)
        if "Insafe" in networks_of[org_id] or kind in safer_internet_kinds:
            row.sic_expected = True  # a Safer Internet Centre exists there, even if its entry is a draft
        if status != Organisation.Status.PUBLISHED:
            continue
        services = services_of[org_id]
        row.services.update(services)
        met = {
            "report": ServiceSlug.REPORT_CSAM in services,
            "child_helpline": kind == Organisation.Kind.CHILD_HELPLINE or "CHI" in networks_of[org_id],
            "sic_helpline": kind == Organisation.Kind.SIC_HELPLINE,
            "police": ServiceSlug.REPORT_POLICE in services,
        }
        for need, ok in met.items():
            if ok:
                row.counts[need] = row.counts.get(need, 0) + 1
    return sorted(rows.values(), key=lambda row: (row.region, row.name))


def region_summary(rows: list[CountryCoverage]) -> list[dict]:
    """Per region: how many countries, how many with no gap, and how many lack each need."""
    summary = {}
    for row in rows:
        entry = summary.setdefault(
            row.region, {"region": row.region, "countries": 0, "complete": 0, "missing": Counter()}
        )
        entry["countries"] += 1
        gaps = row.gaps
        entry["complete"] += not gaps
        entry["missing"].update(gaps)
    return [
        {**entry, "missing": [entry["missing"].get(need, 0) for need in NEEDS]}
        for entry in sorted(summary.values(), key=lambda e: e["region"])
    ]
