import datetime

import pytest

from directory.coverage import country_coverage, regions
from tests.factories import make_emergency, make_organisation


@pytest.fixture
def fixture_directory(db):
    """Germany has everything; France lacks a police route; Kenya has only an emergency number."""
    make_emergency("DE", general="112")
    make_emergency("FR", general="112")
    make_emergency("KE", general="999")
    make_organisation(countries=("DE", "FR"), services=("report_csam",))
    make_organisation(kind="child_helpline", countries=("DE", "FR"), services=("support_child",))
    make_organisation(kind="sic_helpline", countries=("DE", "FR"), services=("support_child", "advice"))
    make_organisation(kind="police", countries=("DE",), services=("report_police",))
    make_organisation(kind="police", countries=("FR",), services=("report_police",), status="draft")
    make_organisation(kind="awareness_centre", countries=("AT",), services=("advice",), networks=("Insafe",),
                      status="draft")  # fmt: skip


def by_code(rows):
    return {row.code: row for row in rows}


def test_it_lists_every_iso_country(fixture_directory):
    assert len(country_coverage()) == 249


def test_it_finds_the_gaps_against_a_known_directory(fixture_directory):
    rows = by_code(country_coverage())
    assert rows["DE"].gaps == []
    assert rows["FR"].gaps == ["police"]  # the French police entry is only a draft
    assert rows["KE"].gaps == ["report", "child_helpline", "police"]  # no Safer Internet Centre expected
    assert rows["AT"].gaps == ["emergency", "report", "child_helpline", "sic_helpline", "police"]
    assert rows["DE"].counts == {"report": 1, "child_helpline": 1, "sic_helpline": 1, "police": 1}


def test_regions_come_from_the_time_zone_database():
    assert regions()["DE"] == "Europe"
    assert regions()["KE"] == "Africa"
    assert regions()["BR"] == "Americas"


def test_the_dashboard_shows_counts_and_gaps(admin_client, fixture_directory):
    response = admin_client.get("/admin/directory/coverage/")
    assert response.status_code == 200
    assert "countries with a gap" in response.text
    europe = next(region for region in response.context["regions"] if region["region"] == "Europe")
    assert europe["countries"] == 49
    assert europe["complete"] == 1  # Germany
    only_gaps = admin_client.get("/admin/directory/coverage/?gaps=1")
    assert "DE" not in {row.code for row in only_gaps.context["rows"]}


def test_the_dashboard_counts_stale_and_doubtful_entries(admin_client, fixture_directory, settings):
    settings.SIGNPOST_STALE_AFTER_DAYS = 365
    make_organisation(last_checked=datetime.date(2020, 1, 1))
    make_organisation(needs_check=True)
    response = admin_client.get("/admin/directory/coverage/")
    assert response.context["stale_count"] == 1
    assert response.context["needs_check_count"] == 1


def test_the_csv_download_has_the_same_table(admin_client, fixture_directory):
    response = admin_client.get("/admin/directory/coverage/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "country,name,region,emergency,report,child_helpline,sic_helpline,police,gaps"
    assert "FR,France,Europe,yes,yes,yes,yes,no,police" in lines
    assert "KE,Kenya,Africa,yes,no,no,n/a,no,report child_helpline police" in lines
    assert len(lines) == 250


def test_the_admin_index_links_to_the_dashboard(admin_client, db):
    assert 'href="/admin/directory/coverage/"' in admin_client.get("/admin/").text


def test_the_dashboard_is_for_staff_only(client, db):
    assert client.get("/admin/directory/coverage/").status_code == 302
