import pytest
from django.contrib.auth.models import Group, User

from directory.models import Organisation
from tests.conftest import verified_login
from tests.factories import make_emergency, make_organisation


@pytest.fixture
def curator(db):
    user = User.objects.create_user("curator", password="a long curator password", is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    return user


@pytest.fixture
def curator_client(client, curator):
    return verified_login(client, curator)


@pytest.fixture
def hotline(db):
    return make_organisation(name="Meldestelle", countries=("DE",))


def test_the_curator_group_exists_after_migrating(db):
    codenames = set(Group.objects.get(name="Curator").permissions.values_list("codename", flat=True))
    assert {"view_organisation", "add_organisation", "change_organisation", "change_channel"} <= codenames
    assert not any(code.startswith("delete_") for code in codenames)
    assert not any(code.endswith("_user") or code.endswith("_group") for code in codenames)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/directory/organisation/",
        "/admin/directory/organisation/add/",
        "/admin/directory/emergencynumber/",
        "/admin/directory/coverage/",
        "/admin/directory/organisation/import/",
        "/admin/preview/de/csam-found/",
    ],
)
def test_a_curator_can_use_the_back_office(curator_client, hotline, path):
    assert curator_client.get(path).status_code == 200


def test_a_curator_can_edit_and_mark_checked(curator_client, curator, hotline):
    response = curator_client.get(f"/admin/directory/organisation/{hotline.pk}/change/")
    assert response.status_code == 200
    curator_client.post("/admin/directory/organisation/", {"action": "mark_checked", "_selected_action": [hotline.pk]})
    hotline.refresh_from_db()
    assert hotline.checked_by == curator


def test_a_curator_cannot_delete(curator_client, hotline):
    assert curator_client.get(f"/admin/directory/organisation/{hotline.pk}/delete/").status_code == 403
    response = curator_client.post(
        "/admin/directory/organisation/", {"action": "delete_selected", "_selected_action": [hotline.pk], "post": "yes"}
    )
    assert Organisation.objects.filter(pk=hotline.pk).exists()
    assert response.status_code in (200, 302)
    number = make_emergency("DE")
    assert (
        curator_client.post(f"/admin/directory/emergencynumber/{number.pk}/delete/", {"post": "yes"}).status_code == 403
    )


def test_a_curator_cannot_manage_users(curator_client, curator):
    assert curator_client.get("/admin/auth/user/").status_code == 403
    assert curator_client.get(f"/admin/auth/user/{curator.pk}/change/").status_code == 403
    assert curator_client.get("/admin/auth/group/").status_code == 403


def test_a_superuser_can_delete(admin_client, hotline):
    response = admin_client.post(f"/admin/directory/organisation/{hotline.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=hotline.pk).exists()


def test_staff_without_the_role_sees_no_directory(client, hotline):
    user = User.objects.create_user("visitor", password="another long password", is_staff=True)
    verified_login(client, user)
    assert client.get("/admin/directory/organisation/").status_code == 403
    assert client.get("/admin/directory/coverage/").status_code == 403
    assert client.get("/admin/preview/de/csam-found/").status_code == 403


TWO_CHANNELS = (("web_form", "https://a.example.de/"), ("website", "https://b.example.de/"))


def two_channel_row(**changes) -> dict:
    import json

    row = {
        "key": "de-zwei", "name": "Zwei Wege", "kind": "hotline", "services": "report_csam", "countries": "DE",
        "channels": json.dumps([{"type": "web_form", "value": "https://a.example.de/"},
                                {"type": "website", "value": "https://b.example.de/"}]),
        "status": "published", "last_checked": "2026-11-01",
    }  # fmt: skip
    row.update(changes)
    return row


def test_a_curator_cannot_delete_through_an_import(curator_client):
    import json

    from tests.directory.test_admin_import_export import csv_file, preview

    make_organisation(key="de-zwei", name="Zwei Wege", countries=("DE", "AT"),
                      channels=TWO_CHANNELS)  # fmt: skip
    fewer = two_channel_row(channels=json.dumps([{"type": "web_form", "value": "https://a.example.de/"}]),
                            countries="DE, AT")  # fmt: skip
    response = preview(curator_client, csv_file([fewer]))
    errors = response.context["result"].invalid_rows[0].field_specific_errors
    assert "removing needs the delete permission" in " ".join(errors["channels"])
    fewer_countries = two_channel_row()
    response = preview(curator_client, csv_file([fewer_countries]))
    errors = response.context["result"].invalid_rows[0].field_specific_errors
    assert "remove the countries AT" in " ".join(errors["countries"])
    assert Organisation.objects.get(key="de-zwei").channels.count() == 2


def test_an_administrator_may_remove_through_an_import(admin_client, db):
    import json

    from tests.directory.test_admin_import_export import confirm, csv_file, preview

    make_organisation(key="de-zwei", name="Zwei Wege", countries=("DE",),
                      channels=TWO_CHANNELS)  # fmt: skip
    fewer = two_channel_row(channels=json.dumps([{"type": "web_form", "value": "https://a.example.de/"}]))
    confirm(admin_client, preview(admin_client, csv_file([fewer])))
    assert Organisation.objects.get(key="de-zwei").channels.count() == 1
