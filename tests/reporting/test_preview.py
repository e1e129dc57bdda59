import pytest

from tests.factories import make_emergency, make_organisation


@pytest.fixture
def germany(db):
    make_emergency("DE", general="112")
    make_organisation(name="Published hotline", countries=("DE",))
    make_organisation(name="Draft hotline", countries=("DE",), status="draft")


def test_the_preview_shows_the_public_answer_plus_marked_drafts(admin_client, germany):
    response = admin_client.get("/admin/preview/de/csam-found/")
    assert response.status_code == 200
    assert "Published hotline" in response.text
    assert "Draft hotline" in response.text
    assert "Draft: not shown to the public" in response.text
    public = admin_client.get("/help/de/csam-found/")
    assert "Draft hotline" not in public.text


def test_the_preview_form_goes_to_the_chosen_answer(admin_client, germany):
    response = admin_client.get("/admin/preview/", {"country": "de", "situation": "grooming"})
    assert response["Location"] == "/admin/preview/de/grooming/"
    assert admin_client.get("/admin/preview/").status_code == 200


def test_an_organisation_links_to_previews_of_its_countries(admin_client, germany):
    organisation = make_organisation(name="Two countries", countries=("DE", "AT"))
    page = admin_client.get(f"/admin/directory/organisation/{organisation.pk}/change/")
    assert 'href="/admin/preview/at/not-sure/"' in page.text
    assert 'href="/admin/preview/de/not-sure/"' in page.text


def test_the_preview_is_not_public(client, germany):
    response = client.get("/admin/preview/de/csam-found/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_an_unknown_preview_is_a_404(admin_client, germany):
    assert admin_client.get("/admin/preview/xx/csam-found/").status_code == 404
