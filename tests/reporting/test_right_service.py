"""The right service for the person and the step: who is asking, the service's audience, what it does."""

import datetime

import pytest

from directory.models import Service
from reporting.routing import ADULT, CHILD, PARENT, default_who, route
from reporting.situations import SITUATIONS
from tests.factories import make_emergency, make_organisation


def names(routed_step):
    return [listing.organisation.name for listing in routed_step.listings]


def step(answer, service):
    return next(routed for routed in answer.steps if routed.service == service)


@pytest.fixture
def worldwide(db):
    """The worldwide services, shaped as the shipped ones are."""
    make_emergency("DE", general="112", police="110")
    make_emergency("FR", general="112", police="17")
    return {
        "stopncii": make_organisation(
            name="StopNCII", kind="worldwide_service", countries=(), worldwide=True, audience=["adults"],
            services=("remove_images",), channels=(("web_form", "https://stopncii.example.org/"),),
        ),
        "takeitdown": make_organisation(
            name="Take It Down", kind="worldwide_service", countries=(), worldwide=True,
            audience=["children", "young_people"], services=("remove_images",),
            channels=(("web_form", "https://takeitdown.example.org/"),),
        ),
        "inhope": make_organisation(
            name="INHOPE", kind="directory", countries=(), worldwide=True, services=("report_csam",), priority=1,
            channels=(("website", "https://inhope.example.org/hotlines"),),
        ),
        "iwf": make_organisation(
            name="IWF", kind="worldwide_service", countries=(), worldwide=True, services=("report_csam",),
            priority=50, channels=(("web_form", "https://iwf.example.org/report"),),
        ),
        "chi": make_organisation(
            name="CHI helpline finder", kind="directory", countries=(), worldwide=True, services=("support_child",),
            channels=(("website", "https://chi.example.org/helplines"),),
        ),
        "kids": make_organisation(
            name="Worldwide chat for kids", kind="worldwide_service", countries=(), worldwide=True,
            services=("support_child",), channels=(("chat", "https://chat.example.org/"),),
        ),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("slug", "who"),
    [("my-images", CHILD), ("sextortion", CHILD), ("need-to-talk", CHILD), ("not-sure", CHILD),
     ("danger-now", ADULT), ("csam-found", ADULT), ("grooming", ADULT), ("told-me", ADULT), ("advice", ADULT),
     ("own-thoughts", ADULT)],
)  # fmt: skip
def test_who_is_asking_defaults_to_a_child_where_a_young_person_describes_themselves(slug, who):
    assert default_who(SITUATIONS[slug]) == who


def test_adults_own_images_service_is_never_offered_to_a_child_or_a_parent(worldwide):
    for who in (CHILD, PARENT, None):
        assert names(step(route("FR", SITUATIONS["sextortion"], who=who), "remove_images")) == ["Take It Down"]


def test_adults_own_images_service_is_offered_to_an_adult(worldwide):
    answer = route("FR", SITUATIONS["sextortion"], ADULT)
    assert "StopNCII" in names(step(answer, "remove_images"))


def test_an_unknown_answer_to_who_is_asking_is_the_situations_default(worldwide):
    answer = route("FR", SITUATIONS["sextortion"], "someone")
    assert names(step(answer, "remove_images")) == ["Take It Down"]


def test_adults_own_images_service_never_answers_for_images_from_under_18_even_for_an_adult(worldwide):
    for who in (CHILD, PARENT, ADULT):
        assert "StopNCII" not in names(step(route("FR", SITUATIONS["my-images"], who=who), "remove_images"))


def test_adults_own_images_service_is_never_someone_to_talk_to(worldwide):
    # Even if the data said it supports people: it is a tool for removing images, not a helpline.
    worldwide["stopncii"].services.add(*Service.objects.filter(slug__in=("support_child", "support_adult")))
    for slug in ("need-to-talk", "sextortion", "not-sure", "csam-found", "grooming", "advice"):
        for who in (CHILD, PARENT, ADULT):
            answer = route("FR", SITUATIONS[slug], who=who)
            talk = [routed for routed in answer.steps if routed.service in ("support_child", "support_adult")]
            assert all("StopNCII" not in names(routed) for routed in talk), (slug, who)


def test_a_professionals_or_parents_line_is_never_support_for_a_child(worldwide):
    make_organisation(name="Line for professionals", kind="child_helpline", countries=("DE",),
                      services=("support_child",), audience=["professionals"], priority=1)  # fmt: skip
    make_organisation(name="Parents' line", kind="child_helpline", countries=("DE",),
                      services=("support_child",), audience=["parents", "adults"], priority=1)  # fmt: skip
    make_organisation(name="Line for everyone", kind="child_helpline", countries=("DE",),
                      services=("support_child",), audience=[], priority=50)  # fmt: skip
    make_organisation(name="Jugendtelefon", kind="child_helpline", countries=("DE",),
                      services=("support_child",), audience=["young_people", "parents"], priority=60)  # fmt: skip
    for who in (CHILD, PARENT, ADULT):
        support = step(route("DE", SITUATIONS["danger-now"], who=who), "support_child")
        assert names(support) == ["Line for everyone", "Jugendtelefon"]


def test_the_child_helpline_comes_first_when_a_child_needs_to_talk(db):
    make_organisation(name="Hotline that also counsels", kind="hotline", countries=("DE",),
                      services=("support_child", "report_csam"), priority=1)  # fmt: skip
    make_organisation(name="SIC helpline", kind="sic_helpline", countries=("DE",), services=("support_child",),
                      priority=5)  # fmt: skip
    make_organisation(name="116 111", kind="child_helpline", countries=("DE",), services=("support_child",),
                      priority=100)  # fmt: skip
    answer = route("DE", SITUATIONS["need-to-talk"])
    assert names(step(answer, "support_child")) == ["116 111", "SIC helpline", "Hotline that also counsels"]


def test_the_hotline_then_the_portal_come_first_for_reporting_images(db):
    make_organisation(name="Police portal", kind="police", countries=("DE",), services=("report_csam",), priority=1)
    make_organisation(name="IWF portal", kind="reporting_portal", countries=("DE",), priority=2)
    make_organisation(name="Hotline", kind="hotline", countries=("DE",), priority=90)
    assert names(route("DE", SITUATIONS["csam-found"]).steps[0]) == ["Hotline", "IWF portal", "Police portal"]


def test_the_police_come_first_then_the_hotline_for_reporting_to_the_police(db):
    make_organisation(name="Hotline", kind="hotline", countries=("DE",), services=("report_police",), priority=1)
    make_organisation(name="Awareness", kind="awareness_centre", countries=("DE",), services=("report_police",))
    make_organisation(name="Online police station", kind="police", countries=("DE",), services=("report_police",),
                      priority=90)  # fmt: skip
    answer = route("DE", SITUATIONS["grooming"])
    assert names(step(answer, "report_police")) == ["Online police station", "Hotline", "Awareness"]


def test_awareness_centres_and_sic_helplines_come_first_for_advice(db):
    make_organisation(name="Child helpline", kind="child_helpline", countries=("DE",), services=("advice",),
                      priority=1)  # fmt: skip
    make_organisation(name="SIC helpline", kind="sic_helpline", countries=("DE",), services=("advice",), priority=3)
    make_organisation(name="Awareness centre", kind="awareness_centre", countries=("DE",), services=("advice",),
                      priority=9)  # fmt: skip
    answer = route("DE", SITUATIONS["advice"])
    assert names(step(answer, "advice")) == ["Awareness centre", "SIC helpline", "Child helpline"]


def test_within_a_kind_priority_then_sure_entries_then_the_most_recently_checked_come_first(db):
    for name, priority, needs_check, checked in (
        ("Doubtful", 10, True, datetime.date(2026, 11, 1)),
        ("Older", 10, False, datetime.date(2025, 1, 1)),
        ("Newer", 10, False, datetime.date(2026, 6, 1)),
        ("Preferred", 5, True, datetime.date(2020, 1, 1)),
    ):
        make_organisation(name=name, kind="child_helpline", countries=("DE",), services=("support_child",),
                          priority=priority, needs_check=needs_check, last_checked=checked)  # fmt: skip
    answer = route("DE", SITUATIONS["need-to-talk"])
    assert names(step(answer, "support_child")) == ["Preferred", "Newer", "Older", "Doubtful"]


def test_a_directory_is_only_the_last_entry_of_a_worldwide_answer(worldwide):
    csam = route("FR", SITUATIONS["csam-found"]).steps[0]
    assert names(csam) == ["IWF", "INHOPE"]  # INHOPE's priority does not make it first
    assert csam.fallback is True and csam.use_emergency_number is False


def test_a_directory_is_never_shown_where_the_country_has_its_own_service(worldwide):
    make_organisation(name="Hotline DE", countries=("DE",))
    make_organisation(name="INHOPE member list", kind="directory", countries=("DE",), services=("report_csam",),
                      channels=(("website", "https://inhope.example.org/de"),))  # fmt: skip
    assert names(route("DE", SITUATIONS["csam-found"]).steps[0]) == ["Hotline DE"]


def test_a_directory_alone_is_never_the_first_choice(worldwide):
    worldwide["kids"].delete()
    support = step(route("FR", SITUATIONS["need-to-talk"]), "support_child")
    assert names(support) == ["CHI helpline finder"]
    assert support.use_emergency_number is True  # the emergency number comes first


def test_a_directory_is_never_a_route_to_the_police(worldwide):
    worldwide["inhope"].services.add(*worldwide["iwf"].services.model.objects.filter(slug="report_police"))
    police = step(route("FR", SITUATIONS["grooming"]), "report_police")
    assert names(police) == [] and police.use_emergency_number is True


def test_a_directory_is_presented_as_a_way_to_find_the_local_service(client, worldwide):
    page = client.get("/help/fr/csam-found/").text
    inhope = page.split(f'id="org-{worldwide["inhope"].pk}"')[1].split("</article>")[0]
    assert "Find your local service" in inhope
    assert 'href="https://inhope.example.org/hotlines"' in inhope
    assert "Open the report form" not in inhope and "Visit the website" not in inhope
    assert page.index('id="org-{}"'.format(worldwide["iwf"].pk)) < page.index(
        'id="org-{}"'.format(worldwide["inhope"].pk)
    )


def test_without_a_national_service_the_worldwide_report_forms_answer_never_a_foreign_number(worldwide):
    make_organisation(name="Hotline DE", countries=("DE",), channels=(("phone", "0800 1234567"),))
    worldwide["iwf"].channels.create(type="phone", value="+44 800 123 4567", position=1)  # a UK free number
    csam = route("FR", SITUATIONS["csam-found"]).steps[0]
    assert names(csam) == ["IWF", "INHOPE"]
    assert [link["href"] for link in csam.listings[0].links()] == ["https://iwf.example.org/report"]


def test_the_pages_and_the_api_route_for_the_default_person(client, worldwide):
    body = client.get("/api/v1/route/?country=FR&situation=sextortion").json()
    removal = next(item for item in body["steps"] if item["service"] == "remove_images")
    assert [organisation["name"] for organisation in removal["organisations"]] == ["Take It Down"]
    assert "StopNCII" not in client.get("/help/fr/sextortion/").text


def test_do_this_first_is_someone_to_talk_to_and_the_line_for_the_reader(db):
    from reporting.routing import route
    from reporting.situations import SITUATIONS
    from tests.factories import make_emergency, make_organisation

    make_emergency("DE", general="112")
    helpline = make_organisation(
        name="Nummer gegen Kummer", kind="child_helpline", countries=("DE",),
        services=("support_child", "support_adult"),
        channels=(("phone", "116 111"), ("phone", "0800 111 0 550"), ("website", "https://nummer.example.de/")),
    )  # fmt: skip
    kids, parents, _website = helpline.channels.order_by("position")
    kids.label, parents.label = "for children and young people", "for parents"
    kids.save()
    parents.save()
    assert route("DE", SITUATIONS["sextortion"], "child").first_action["link"]["channel"].value == "116 111"
    assert route("DE", SITUATIONS["sextortion"], "parent").first_action["link"]["channel"].value == "0800 111 0 550"

    # Where the only "someone to talk to" is a website, do this first looks further: the national hotline.
    make_emergency("MX", general="911")
    make_organisation(
        name="NoFiltr",
        kind="worldwide_service",
        countries=(),
        worldwide=True,
        services=("support_child",),
        channels=(("website", "https://nofiltr.example.org/"),),
    )
    make_organisation(name="Te Protejo", countries=("MX",), services=("report_csam",))
    first = route("MX", SITUATIONS["not-sure"], "child").first_action
    assert first["listing"].organisation.name == "Te Protejo"
