import datetime

import pytest
from django.utils import timezone

from directory.models import Organisation
from tests.factories import make_emergency, make_organisation

CHANGELIST = "/admin/directory/organisation/"


@pytest.fixture
def directory(db):
    return {
        "hotline": make_organisation(
            name="Hotline Deutschland", countries=("DE",), networks=("INHOPE",),
            channels=(("web_form", "https://hotline.example.de/melden"),),
        ),
        "helpline": make_organisation(
            name="Kindertelefon", kind="child_helpline", countries=("AT",), services=("support_child",),
            channels=(("phone", "147"),),
        ),
        "draft": make_organisation(name="Unchecked portal", status="draft", countries=("FR",)),
    }  # fmt: skip


def test_the_changelist_lists_the_directory(admin_client, directory):
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    for organisation in directory.values():
        assert organisation.name in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=Kindertelefon", {"helpline"}),
        ("?q=hotline.example.de", {"hotline"}),  # any channel value is searchable
        ("?q=147", {"helpline"}),
        ("?kind__exact=child_helpline", {"helpline"}),
        ("?networks__slug__exact=INHOPE", {"hotline"}),
        ("?services__slug__exact=support_child", {"helpline"}),
        ("?country=FR", {"draft"}),
        ("?status__exact=draft", {"draft"}),
    ],
)
def test_search_and_filters_find_the_right_entries(admin_client, directory, query, expected):
    response = admin_client.get(CHANGELIST + query)
    assert response.status_code == 200
    shown = {name for name, org in directory.items() if f">{org.name}<" in response.text}
    assert shown == expected


def test_the_change_form_renders_with_its_inlines(admin_client, directory):
    response = admin_client.get(f"{CHANGELIST}{directory['hotline'].pk}/change/")
    assert response.status_code == 200
    assert "https://hotline.example.de/melden" in response.text
    assert 'name="places-0-country"' in response.text


def add_form(**overrides):
    data = {
        "name": "Neue Beschwerdestelle",
        "key": "de-neue-beschwerdestelle",
        "kind": "hotline",
        "status": "published",
        "priority": "10",
        "services": ["report_csam"],
        "languages": "de, EN",
        "source_urls": "https://example.de/a\nhttps://example.de/b",
        "free": "unknown",
        "anonymous": "true",
        "places-TOTAL_FORMS": "1", "places-INITIAL_FORMS": "0",
        "places-0-country": "DE",
        "channels-TOTAL_FORMS": "1", "channels-INITIAL_FORMS": "0",
        "channels-0-type": "phone", "channels-0-value": "116 111", "channels-0-position": "0",
        "channels-0-free": "unknown",
    }  # fmt: skip
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_curator_adds_an_organisation_with_a_short_number(admin_client):
    response = admin_client.post(f"{CHANGELIST}add/", add_form())
    assert response.status_code == 302, response.context["errors"] if response.context else response
    organisation = Organisation.objects.get(key="de-neue-beschwerdestelle")
    assert organisation.languages == ["de", "en"]
    assert organisation.source_urls == ["https://example.de/a", "https://example.de/b"]
    assert organisation.channels.get().value == "116 111"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"channels-0-value": "999 999 999 999"}, "is not a valid phone number for DE"),
        ({"channels-0-type": "web_form", "channels-0-value": "www.example.de"}, "Enter a valid URL"),
        ({"channels-TOTAL_FORMS": "0"}, "needs at least one contact channel"),
        ({"places-TOTAL_FORMS": "0", "channels-0-type": "website", "channels-0-value": "https://example.de/"},
         "needs at least one country"),
        ({"languages": "Deutsch"}, "two-letter ISO 639-1 codes"),
    ],
)  # fmt: skip
def test_the_form_tells_the_curator_what_is_wrong(admin_client, overrides, message):
    response = admin_client.post(f"{CHANGELIST}add/", add_form(**overrides))
    assert response.status_code == 200
    assert message in response.text
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_a_draft_may_be_saved_without_channels(admin_client):
    response = admin_client.post(f"{CHANGELIST}add/", add_form(status="draft", **{"channels-TOTAL_FORMS": "0"}))
    assert response.status_code == 302


def test_mark_checked_records_who_and_when(admin_client, admin_user, directory):
    stale = directory["draft"]
    stale.last_checked = datetime.date(2020, 1, 1)
    stale.needs_check = True
    stale.save()
    response = admin_client.post(CHANGELIST, {"action": "mark_checked", "_selected_action": [stale.pk]})
    assert response.status_code == 302
    stale.refresh_from_db()
    assert stale.last_checked == timezone.localdate()
    assert stale.checked_by == admin_user
    assert stale.needs_check is False


def test_publish_refuses_an_incomplete_entry_and_archive_archives(admin_client, directory):
    draft = directory["draft"]
    incomplete = make_organisation(status="draft", channels=())
    admin_client.post(CHANGELIST, {"action": "publish", "_selected_action": [draft.pk, incomplete.pk]})
    draft.refresh_from_db()
    incomplete.refresh_from_db()
    assert draft.status == "published"
    assert incomplete.status == "draft"
    admin_client.post(CHANGELIST, {"action": "archive", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "archived"


def test_emergency_numbers_are_listed_and_validated(admin_client, db):
    number = make_emergency("DE", police="110")
    response = admin_client.get("/admin/directory/emergencynumber/")
    assert "110" in response.text
    response = admin_client.post(
        f"/admin/directory/emergencynumber/{number.pk}/change/",
        {"country": "DE", "general": "112", "police": "call the police", "other": "[]", "source_urls": "[]"},
    )
    assert response.status_code == 200
    assert "is not an emergency number" in response.text


def test_the_admin_needs_a_login(client, db):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
