"""Bulk actions on the whole directory finish at once: a fixed number of queries, one transaction,
each entry's history kept, and the answers and the snapshot refreshed once afterwards."""

import datetime

import pytest
from django.utils import timezone

from directory import snapshot, versioning
from directory.models import Channel, Organisation, Place
from tests.factories import make_organisation

CHANGELIST = "/admin/directory/organisation/"
# Whatever the number of entries selected: the admin's own queries (session, user, second factor,
# the selection) and the action's few bulk statements.
QUERY_BOUND = 25


@pytest.fixture
def three_hundred(db):
    """300 draft entries, each with a country, a channel, a service and a network (written in bulk: fast)."""
    organisations = Organisation.objects.bulk_create(
        Organisation(key=f"de-stelle-{number}", name=f"Stelle {number}", kind="hotline", status="draft",
                     needs_check=True, last_checked=datetime.date(2020, 1, 1))
        for number in range(300)
    )  # fmt: skip
    Place.objects.bulk_create(Place(organisation=organisation, country="DE") for organisation in organisations)
    Channel.objects.bulk_create(
        Channel(organisation=organisation, type="web_form", value="https://example.de/melden")
        for organisation in organisations
    )
    Organisation.services.through.objects.bulk_create(
        Organisation.services.through(organisation=organisation, service_id="report_csam")
        for organisation in organisations
    )
    Organisation.networks.through.objects.bulk_create(
        Organisation.networks.through(organisation=organisation, network_id="INHOPE") for organisation in organisations
    )
    return [organisation.pk for organisation in organisations]


def run(admin_client, action: str, pks: list[int]):
    response = admin_client.post(CHANGELIST, {"action": action, "_selected_action": pks})
    assert response.status_code == 302
    return response


def test_marking_300_entries_checked_takes_a_fixed_number_of_queries(
    admin_client, admin_user, three_hundred, django_assert_max_num_queries
):
    with django_assert_max_num_queries(QUERY_BOUND):
        run(admin_client, "mark_checked", three_hundred)
    assert Organisation.objects.filter(
        last_checked=timezone.localdate(), checked_by=admin_user, needs_check=False
    ).count() == 300  # fmt: skip


def test_publishing_300_entries_takes_a_fixed_number_of_queries(
    admin_client, three_hundred, django_assert_max_num_queries
):
    with django_assert_max_num_queries(QUERY_BOUND):
        run(admin_client, "publish", three_hundred)
    assert Organisation.objects.published().count() == 300


def test_archiving_300_entries_takes_a_fixed_number_of_queries(
    admin_client, three_hundred, django_assert_max_num_queries
):
    with django_assert_max_num_queries(QUERY_BOUND):
        run(admin_client, "archive", three_hundred)
    assert Organisation.objects.filter(status="archived").count() == 300


def test_each_entry_keeps_its_history_with_its_services_and_networks(admin_client, admin_user, three_hundred):
    run(admin_client, "mark_checked", three_hundred)
    latest = Organisation.history.filter(id=three_hundred[0]).latest("history_date")
    assert latest.history_user == admin_user
    assert latest.needs_check is False
    assert [row.service_id for row in latest.services.all()] == ["report_csam"]
    assert [row.network_id for row in latest.networks.all()] == ["INHOPE"]
    assert Organisation.history.filter(history_user=admin_user).count() == 300


def test_the_answers_and_the_snapshot_are_refreshed_once_after_the_action(
    admin_client, three_hundred, commit, django_assert_max_num_queries
):
    from django.db import connection

    before = versioning.current()
    run(admin_client, "publish", three_hundred)
    pending = [callback for _savepoints, callback, _robust in connection.run_on_commit]
    assert pending.count(versioning._bump_now) == 1
    assert pending.count(snapshot._write_now) == 1
    with django_assert_max_num_queries(15):  # the snapshot of 300 entries too: no query per entry
        commit()
    assert versioning.current() != before
    assert len(snapshot.read()["organisations"]) == 300


def test_publishing_skips_an_entry_the_rule_refuses_and_publishes_the_rest(admin_client, three_hundred):
    incomplete = make_organisation(status="draft", channels=())
    response = admin_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [*three_hundred, incomplete.pk]}, follow=True
    )
    assert "needs at least one contact channel" in response.text
    assert Organisation.objects.get(pk=incomplete.pk).status == "draft"
    assert Organisation.objects.published().count() == 300
