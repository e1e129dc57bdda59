"""The directory that ships with Signpost: it loads, round-trips, and answers every country and situation."""

import json

import pytest
from django_countries import countries

from directory.importing import SHIPPED_FILE, export_document, import_file
from directory.models import EmergencyNumber, Organisation
from reporting.routing import route
from reporting.situations import SITUATIONS


def test_the_shipped_file_publishes_the_researched_directory(shipped, db):
    assert shipped.created == Organisation.objects.count()
    assert Organisation.objects.published().count() >= 250
    with_a_number = [n for n in EmergencyNumber.objects.all() if n.first_number()]
    assert len(with_a_number) >= 240
    assert EmergencyNumber.objects.count() == len(countries)


def test_every_published_entry_has_a_source_and_a_check_date(shipped, db):
    for organisation in Organisation.objects.published():
        assert organisation.source_urls, organisation.key
        assert organisation.last_checked, organisation.key
        assert not organisation.publication_problems(), organisation.key


def test_importing_the_shipped_file_again_changes_nothing(shipped, db):
    again = import_file()
    assert (again.created, again.updated, again.emergency_created, again.emergency_updated) == (0, 0, 0, 0)


def test_exporting_gives_back_the_shipped_file(shipped, db):
    assert export_document() == json.loads(SHIPPED_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("slug", list(SITUATIONS))
def test_every_country_gets_a_complete_answer(shipped, db, slug):
    situation = SITUATIONS[slug]
    for code, name in countries:
        answer = route(code, situation)
        for step in answer.steps:
            answered = step.listings or (step.use_emergency_number and answer.emergency_number)
            # Uninhabited territories with no known number still get the worldwide services elsewhere.
            assert answered or not answer.emergency_number, (code, name, slug, step.service)


def services_of(answer, service):
    step = next(step for step in answer.steps if step.service == service)
    return step, [listing.organisation.key for listing in step.listings]


@pytest.mark.parametrize(
    ("country", "expected_key"),
    [("DE", "de-jugendschutz-net"), ("GB", "gb-internet-watch-foundation"), ("US", "us-cybertipline"),
     ("CA", "ca-cybertip-ca"), ("IE", "ie-hotline-ie"), ("NL", None), ("IN", None)],
)  # fmt: skip
def test_real_countries_route_to_their_own_hotline(shipped, db, country, expected_key):
    step, keys = services_of(route(country, SITUATIONS["csam-found"]), "report_csam")
    assert step.fallback is False, country
    assert keys, country
    if expected_key:
        assert expected_key in keys


def test_germany_gets_the_child_helpline_116_111(shipped, db):
    step, _keys = services_of(route("DE", SITUATIONS["need-to-talk"]), "support_child")
    values = [channel.value for listing in step.listings for channel in listing.channels]
    assert "116 111" in values


def test_emergency_numbers_are_the_real_ones(shipped, db):
    assert route("GB", SITUATIONS["danger-now"]).emergency_number == "999"
    assert route("US", SITUATIONS["danger-now"]).emergency_number == "911"
    assert route("NZ", SITUATIONS["danger-now"]).emergency_number == "111"
    assert route("DE", SITUATIONS["danger-now"]).emergency_number == "112"


@pytest.mark.parametrize(
    "path",
    [
        "/admin/directory/organisation/",
        "/admin/directory/organisation/?country=DE",
        "/admin/directory/organisation/?q=116",
        "/admin/directory/organisation/?fresh=stale",
        "/admin/directory/emergencynumber/",
        "/admin/directory/coverage/",
        "/admin/directory/coverage/?format=csv",
        "/admin/preview/de/csam-found/",
    ],
)
def test_the_back_office_works_with_the_shipped_directory(shipped, admin_client, path):
    assert admin_client.get(path).status_code == 200


def test_a_shipped_organisation_opens_in_the_admin(shipped, admin_client):
    organisation = Organisation.objects.get(key="de-jugendschutz-net")
    assert admin_client.get(f"/admin/directory/organisation/{organisation.pk}/change/").status_code == 200
