"""Golden answers: what a person in each country must be told, written from the checked facts.

Each row was read from shared/data/verified/ (or the research it confirms) and the official
pages cited there — not from the code's output: the emergency and police numbers, the child
helpline that must come first when a young person needs to talk (and the number it must show),
and whether the country has its own route for reporting sexual images of children.
"""

import pytest

from reporting.routing import route
from reporting.situations import SITUATIONS

# country: (emergency number shown at the top, police number, the first child helpline's numbers —
# any of them may come first —, the country has a national report_csam route)
GOLDEN = {
    # Europe
    "DE": ("112", "110", {"116 111"}, True),
    "FR": ("112", "17", {"119", "3018"}, True),
    "ES": ("112", "091", {"116 111", "900 20 20 10"}, True),
    "IT": ("112", "113", {"19696", "114"}, True),
    "NL": ("112", "", {"116 111", "0800-0432"}, True),
    "BE": ("112", "101", {"102", "103"}, True),
    "PL": ("112", "997", {"116 111", "800 100 100"}, True),
    "SE": ("112", "", {"116 111"}, True),
    "DK": ("112", "", {"116 111"}, True),
    "FI": ("112", "", {"116 111"}, True),
    "IE": ("112", "", {"1800 66 66 66", "116 111"}, True),
    "GB": ("999", "", {"0800 1111", "116 111"}, True),
    "AT": ("112", "133", {"147"}, True),
    "CZ": ("112", "158", {"116 111"}, True),
    "GR": ("112", "100", {"116 111", "1056"}, True),
    "HU": ("112", "107", {"116 111"}, True),
    "BG": ("112", "166", {"116 111", "124 123"}, True),
    "HR": ("112", "192", {"116 111", "0800-0800"}, True),
    "SK": ("112", "158", {"116 111", "0800 500 500"}, True),
    "SI": ("112", "113", {"116 111"}, True),
    "LV": ("112", "110", {"116 111", "800 6008"}, True),
    "MT": ("112", "", {"116 111", "179"}, True),
    "CY": ("112", "", {"116 111", "1466", "1480"}, False),
    "UA": ("102", "102", {"116 111", "0 800 500 225"}, True),
    # Americas
    "US": ("911", "", {"988", "1-800-422-4453"}, True),
    "CA": ("911", "", {"1-800-668-6868"}, True),
    "BR": ("190", "190", {"100"}, True),
    "AR": ("911", "101", {"102"}, True),
    "CO": ("123", "", {"141"}, True),
    "PE": ("105", "105", {"100"}, False),
    # Africa
    "ZA": ("112", "10111", {"116"}, True),
    "KE": ("999", "", {"116"}, False),
    "UG": ("999", "", {"116"}, True),
    "ZM": ("991", "991", {"116"}, True),
    "NA": ("10111", "10111", {"116"}, True),
    "RW": ("112", "112", {"116"}, False),
    "MA": ("19", "19", {"2511", "0800002511"}, True),  # IWF portal report.iwf.org.uk/ma (IWF, 2021)
    # Asia and the Middle East
    "IN": ("112", "", {"1098"}, True),
    "BD": ("999", "", {"1098", "13219"}, False),
    "PK": ("15", "15", {"1098", "1099"}, False),
    "VN": ("113", "113", {"111"}, False),
    "TH": ("191", "191", {"1387", "1300"}, True),
    "PH": ("911", "", {"163", "1383"}, True),
    "CN": ("110", "110", {"12355"}, True),
    "AE": ("999", "999", {"800 700", "800988", "800111"}, False),
    "IL": ("100", "100", {"1201"}, False),
    "KZ": ("102", "102", {"111", "150"}, True),
    # Oceania
    "AU": ("000", "", {"1800 55 1800"}, True),
    "NZ": ("111", "", {"0800 942 8787", "0800 37 66 33"}, True),
    "FJ": ("917", "917", {"1325"}, True),
}


def step(answer, service):
    return next(routed for routed in answer.steps if routed.service == service)


def phones(listing) -> list[str]:
    return [channel.value for channel in listing.channels if channel.type == "phone"]


@pytest.mark.parametrize("country", sorted(GOLDEN))
def test_the_answer_matches_the_checked_facts(shipped, db, country):
    emergency, police, helplines, national_report_route = GOLDEN[country]

    danger = route(country, SITUATIONS["danger-now"])
    assert danger.emergency_number == emergency
    if police:
        assert danger.police_number == police

    talk = step(route(country, SITUATIONS["need-to-talk"]), "support_child")
    assert not talk.fallback, country
    first = talk.listings[0]
    assert first.organisation.kind in ("child_helpline", "sic_helpline"), (country, first.organisation.key)
    assert set(phones(first)) & helplines, (country, first.organisation.key, phones(first))

    report = step(route(country, SITUATIONS["csam-found"]), "report_csam")
    assert report.fallback is (not national_report_route), country
    assert report.listings[0].national is national_report_route, (country, report.listings[0].organisation.key)


def test_the_golden_answers_cover_every_region_with_forty_countries():
    assert len(GOLDEN) >= 40
