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
