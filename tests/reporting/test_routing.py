import datetime

import pytest

from reporting.routing import route
from reporting.situations import SITUATIONS
from tests.factories import make_emergency, make_organisation


def names(routed_step):
    return [listing.organisation.name for listing in routed_step.listings]


@pytest.fixture
def world(db):
    """Germany has a hotline, a police route and a helpline; worldwide services cover the rest."""
    make_emergency("DE", general="112", police="110")
    return {
        "hotline": make_organisation(name="DE hotline", countries=("DE",), services=("report_csam",), priority=10),
        "police": make_organisation(name="DE police", kind="police", countries=("DE",), services=("report_police",)),
        "helpline": make_organisation(
            name="DE helpline", kind="child_helpline", countries=("DE",), services=("support_child",),
            channels=(("phone", "116 111"),),
        ),
        "inhope": make_organisation(
            name="INHOPE", kind="worldwide_service", countries=(), worldwide=True, services=("report_csam",),
        ),
        "chi": make_organisation(
            name="CHI", kind="worldwide_service", countries=(), worldwide=True, services=("support_child",),
        ),
        "takeitdown": make_organisation(
            name="Take It Down", kind="worldwide_service", countries=(), worldwide=True, services=("remove_images",),
        ),
    }  # fmt: skip


def test_national_services_answer_first_and_are_not_fallbacks(world):
    answer = route("DE", SITUATIONS["csam-found"])
    csam, police, _support = answer.steps
    assert names(csam) == ["DE hotline"]
    assert csam.fallback is False
    assert names(police) == ["DE police"]
    assert answer.emergency.general == "112"


def test_a_country_without_a_national_service_gets_the_worldwide_one_marked_as_fallback(world):
    make_emergency("FR", general="112")
    csam = route("FR", SITUATIONS["csam-found"]).steps[0]
    assert names(csam) == ["INHOPE"]
    assert csam.fallback is True


def test_the_fallback_chain_prefers_the_iwf_portal_over_worldwide_services(world):
    make_organisation(name="IWF portal IN", kind="reporting_portal", countries=("IN",), priority=20)
    csam = route("IN", SITUATIONS["csam-found"]).steps[0]
    assert names(csam) == ["IWF portal IN"]
    assert csam.fallback is False


def test_a_national_hotline_comes_before_the_portal(world):
    make_organisation(name="Portal DE", kind="reporting_portal", countries=("DE",), priority=20)
    assert names(route("DE", SITUATIONS["csam-found"]).steps[0]) == ["DE hotline", "Portal DE"]


def test_order_is_priority_then_most_recently_checked(world):
    make_organisation(name="Older", countries=("AT",), priority=10, last_checked=datetime.date(2024, 1, 1))
    make_organisation(name="Newer", countries=("AT",), priority=10, last_checked=datetime.date(2026, 1, 1))
    make_organisation(name="Preferred", countries=("AT",), priority=5, last_checked=datetime.date(2020, 1, 1))
    assert names(route("AT", SITUATIONS["csam-found"]).steps[0]) == ["Preferred", "Newer", "Older"]


def test_entries_marked_for_checking_come_after_sure_ones_of_the_same_priority(world):
    make_organisation(name="Doubtful", countries=("AT",), priority=10, needs_check=True)
    make_organisation(name="Sure", countries=("AT",), priority=10, last_checked=datetime.date(2020, 1, 1))
    assert names(route("AT", SITUATIONS["csam-found"]).steps[0]) == ["Sure", "Doubtful"]


def test_a_police_step_without_a_police_service_points_at_the_police_number(world):
    make_emergency("FR", general="112", police="17")
    police = route("FR", SITUATIONS["grooming"]).steps[0]
    assert police.listings == []
    assert police.use_emergency_number is True
    assert police.fallback is False


def test_the_emergency_step_is_answered_by_the_emergency_numbers(world):
    danger = route("DE", SITUATIONS["danger-now"]).steps[0]
    assert danger.service == "emergency"
    assert danger.use_emergency_number is True


def test_drafts_and_archived_entries_are_never_routed(world):
    make_organisation(name="Draft DE", countries=("DE",), status="draft")
    make_organisation(name="Archived DE", countries=("DE",), status="archived")
    assert names(route("DE", SITUATIONS["csam-found"]).steps[0]) == ["DE hotline"]
    preview = route("DE", SITUATIONS["csam-found"], include_drafts=True).steps[0]
    assert names(preview) == ["DE hotline", "Draft DE"]


def test_per_country_channels_only_show_in_their_country(world):
    stop_it_now = make_organisation(
        name="Stop It Now", kind="worldwide_service", countries=("GB", "IE"), services=("prevention",),
        channels=(("website", "https://example.org/"),),
    )  # fmt: skip
    stop_it_now.channels.create(type="phone", value="0808 1000 900", country="GB", position=1)
    stop_it_now.channels.create(type="phone", value="+44 1372 847 161", country="IE", position=2)
    in_ireland = route("IE", SITUATIONS["own-thoughts"]).steps[0].listings[0]
    assert [c.value for c in in_ireland.channels] == ["https://example.org/", "+44 1372 847 161"]
    assert in_ireland.links()[1]["href"] == "tel:+441372847161"


def test_short_numbers_are_dialled_as_national_digits(world):
    helpline = route("DE", SITUATIONS["need-to-talk"]).steps[0].listings[0]
    assert helpline.links()[0]["href"] == "tel:116111"


def test_an_unknown_country_gets_worldwide_services_only(world):
    answer = route("", SITUATIONS["my-images"])
    assert answer.emergency is None
    assert [names(step) for step in answer.steps] == [["Take It Down"], ["INHOPE"], ["CHI"], []]
    assert answer.steps[-1].use_emergency_number is True


def test_routing_reads_with_a_fixed_number_of_queries(world, django_assert_num_queries):
    # Organisations (services, networks and countries folded in), channels, opening hours, emergency numbers.
    with django_assert_num_queries(4):
        route("DE", SITUATIONS["my-images"])


def test_a_confirmed_number_is_dialled_as_written(world):
    helpline = make_organisation(name="ZM helpline", kind="child_helpline", countries=("ZM",),
                                 services=("support_child",), channels=())  # fmt: skip
    helpline.channels.create(type="phone", value="116", number_confirmed=True)
    listing = route("ZM", SITUATIONS["need-to-talk"]).steps[0].listings[0]
    assert listing.links()[0]["href"] == "tel:116"
