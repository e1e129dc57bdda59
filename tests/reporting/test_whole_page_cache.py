"""Whole answer pages are cached because their view opts in, and only those: nothing is matched by address."""

import pytest
from django.core.cache import cache

from directory.models import Organisation
from reporting.caching import CachedAnswerMiddleware
from tests.factories import make_emergency, make_organisation


@pytest.fixture
def germany(db):
    cache.clear()
    make_emergency("DE", general="112")
    return make_organisation(name="Meldestelle", countries=("DE",))


def rename_behind_the_cache(organisation, name):
    """A change that does not move the directory's version stamp (a queryset update sends no signal)."""
    Organisation.objects.filter(pk=organisation.pk).update(name=name)


def test_an_answer_is_served_whole_from_the_cache_in_every_language(client, germany):
    for path in ("/help/de/csam-found/", "/de/help/de/csam-found/", "/ar/help/de/csam-found/"):
        assert "Meldestelle" in client.get(path).text
    rename_behind_the_cache(germany, "Umbenannt")
    for path in ("/help/de/csam-found/", "/de/help/de/csam-found/", "/ar/help/de/csam-found/"):
        assert "Meldestelle" in client.get(path).text, path
    # Another query string is the same page: the answer view reads only who is asking.
    assert "Meldestelle" in client.get("/help/de/csam-found/?utm=1").text


def test_who_is_asking_is_part_of_the_cached_page(client, germany):
    child = client.get("/help/de/sextortion/?who=child").text
    parent = client.get("/help/de/sextortion/?who=parent").text
    assert "Someone is threatening to share sexual images of me" in child
    assert "Someone is threatening to share sexual images of a child I care for" in parent
    assert client.get("/help/de/sextortion/?who=parent").text == parent
    assert client.get("/help/de/sextortion/?who=child").text == child


@pytest.mark.parametrize("path", ["/help/de/card/", "/embed/de/csam-found/"])
def test_pages_whose_view_did_not_opt_in_are_never_kept(client, germany, path):
    assert "Meldestelle" in client.get(path).text
    rename_behind_the_cache(germany, "Umbenannt")
    assert "Umbenannt" in client.get(path).text


def test_only_the_views_that_opted_in_are_looked_up(rf):
    assert CachedAnswerMiddleware.params_for(rf.get("/help/de/csam-found/")) == ("who", "platform")
    assert CachedAnswerMiddleware.params_for(rf.get("/uk/help/de/csam-found/")) == ("who", "platform")
    for path in ("/help/de/card/", "/help/de/", "/help/", "/api/v1/route/", "/help/%C2%BE/x/", "/nowhere/"):
        assert CachedAnswerMiddleware.params_for(rf.get(path)) is None, path


def test_a_page_with_opening_hours_says_when_it_stops_being_true(client, db):
    cache.clear()
    make_emergency("DE", general="112")
    make_organisation(
        name="Nummer gegen Kummer",
        kind=Organisation.Kind.CHILD_HELPLINE,
        services=("support_child",),
        channels=(("phone", "116 111"),),
    ).channels.get().opening_hours.create(day=0, opens="14:00", closes="20:00")
    response = client.get("/help/de/need-to-talk/")
    assert response.has_header("Expires")
    assert client.get("/help/de/need-to-talk/")["Expires"] == response["Expires"]
