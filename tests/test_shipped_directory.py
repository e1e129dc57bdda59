"""The directory that ships with Signpost: it loads, round-trips, and answers every country and situation."""

import json
import re

import pytest
from django_countries import countries

from directory.importing import SHIPPED_FILE, export_document, import_file
from directory.models import EmergencyNumber, Organisation, Platform
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


def test_every_country_gets_a_complete_answer(every_answer, db):
    for code, situation, answer in every_answer:
        for step in answer.steps:
            answered = step.listings or (step.use_emergency_number and answer.emergency_number)
            # Uninhabited territories with no known number still get the worldwide services elsewhere.
            assert answered or not answer.emergency_number, (code, situation.slug, step.service)


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


@pytest.fixture(scope="module")
def every_answer(shipped, django_db_blocker):
    """Every country's answer to every situation, routed once for the module's sweeps."""
    with django_db_blocker.unblock():
        return [
            (code, situation, route(code, situation)) for code, _name in countries for situation in SITUATIONS.values()
        ]


def test_shipped_labels_are_short_public_phrases(shipped, db):
    from directory.labels import PHRASES
    from directory.models import Channel

    labels = set(Channel.objects.exclude(label="").values_list("label", flat=True))
    assert labels <= set(PHRASES), labels - set(PHRASES)


def test_shipped_public_text_holds_no_research_remarks(shipped, db):
    import re

    remark = re.compile(r"\b(19|20)\d\d\b|CHI directory|source|\bper\b|news|second-hand", re.IGNORECASE)
    for organisation in Organisation.objects.published():
        assert not remark.search(organisation.hours), (organisation.key, organisation.hours)
        assert not remark.search(organisation.description), organisation.key
        for channel in organisation.channels.all():
            assert not remark.search(channel.label + channel.hours), (organisation.key, channel.value)


def test_no_answer_offers_a_number_that_cannot_be_dialled_where_the_person_is(every_answer, db):
    from directory.validation import reachable_from_abroad

    for code, situation, answer in every_answer:
        if situation.slug not in ("csam-found", "need-to-talk", "sextortion"):
            continue
        for step in answer.steps:
            for listing in step.listings:
                if listing.national:
                    continue
                for channel in listing.channels:
                    if channel.type in ("phone", "sms", "whatsapp"):
                        assert reachable_from_abroad(channel.value), (code, listing.organisation.key, channel.value)


def test_the_us_toll_free_cybertipline_number_is_not_offered_in_germany(shipped, db):
    answer = route("DE", SITUATIONS["my-images"])
    values = [channel.value for step in answer.steps for listing in step.listings for channel in listing.channels]
    assert "1-800-843-5678" not in values
    assert "1-800-843-5678" in [
        channel.value
        for step in route("US", SITUATIONS["csam-found"]).steps
        for listing in step.listings
        for channel in listing.channels
    ]


def test_stopncii_is_never_offered_to_a_child_or_for_images_taken_under_18(every_answer, db):
    for code, situation, answer in every_answer:
        for step in answer.steps:
            keys = [listing.organisation.key for listing in step.listings]
            assert "ww-stopncii-org" not in keys, (code, situation.slug, step.service)


def test_stopncii_is_offered_to_an_adult_being_sextorted(shipped, db):
    answer = route("FR", SITUATIONS["sextortion"], who="adult")
    keys = [listing.organisation.key for step in answer.steps for listing in step.listings]
    assert "ww-stopncii-org" in keys


def test_a_professionals_line_is_never_support_for_a_child(every_answer, db):
    for code, situation, answer in every_answer:
        if situation.slug != "need-to-talk":
            continue
        step, _keys = services_of(answer, "support_child")
        for listing in step.listings:
            audience = set(listing.organisation.audience)
            assert not audience or audience & {"children", "young_people"}, (code, listing.organisation.key)


def test_directories_of_services_are_never_a_first_choice(every_answer, db):
    for code, situation, answer in every_answer:
        for step in answer.steps:
            kinds = [listing.organisation.kind for listing in step.listings]
            if "directory" in kinds:
                assert kinds[0] != "directory" or len(kinds) == 1, (code, situation.slug, step.service)
                first_directory = kinds.index("directory")
                assert all(kind == "directory" for kind in kinds[first_directory:]), (code, situation.slug)


def test_the_police_step_shows_the_police_number(shipped, db):
    assert route("DE", SITUATIONS["grooming"]).police_number == "110"
    assert route("BE", SITUATIONS["grooming"]).police_number == "101"
    assert route("ZA", SITUATIONS["grooming"]).police_number == "10111"
    assert route("PL", SITUATIONS["grooming"]).police_number == "997"


def test_the_child_helpline_comes_first_when_a_child_needs_to_talk(shipped, db):
    step, keys = services_of(route("BR", SITUATIONS["need-to-talk"]), "support_child")
    assert step.listings[0].organisation.kind == "child_helpline", keys


def test_every_published_entry_has_a_channel_a_person_can_use(shipped, db):
    usable = {"phone", "sms", "whatsapp", "telegram", "chat", "web_form", "website", "email", "app"}
    for organisation in Organisation.objects.published():
        assert {channel.type for channel in organisation.channels.all()} & usable, organisation.key


def test_the_apps_young_people_use_most_are_offered(shipped, db):
    published = set(Platform.objects.filter(status="published").values_list("key", flat=True))
    assert {"instagram", "snapchat", "tiktok", "discord", "roblox", "whatsapp", "youtube"} <= published, published
    # Each of them, when named, adds its own report route to a teenager's answer about sextortion.
    for key in published:
        answer = route("GB", SITUATIONS["sextortion"], "child", platform=key)
        assert answer.platform.key == key and answer.platform.report_url.startswith("https://")


def test_take_it_down_is_claimed_only_with_a_source(shipped, db):
    for platform in Platform.objects.filter(take_it_down=True):
        assert re.search(r"^Take It Down: .*https://", platform.internal_notes, re.MULTILINE), platform.key


def test_every_shipped_platform_has_its_source_and_an_https_address(db):
    document = json.loads(SHIPPED_FILE.read_text(encoding="utf-8"))
    assert document["platforms"], "the shipped directory offers platforms"
    for platform in document["platforms"]:
        assert platform["report_url"].startswith("https://"), platform["key"]
        assert not platform["child_safety_url"] or platform["child_safety_url"].startswith("https://")
        if platform["status"] == "published":
            assert platform["source_urls"], platform["key"]
            # Each address comes from the platform's own pages: its host is among the sources' hosts.
            hosts = {url.split("/")[2].removeprefix("www.") for url in platform["source_urls"]}
            for address in filter(None, (platform["report_url"], platform["child_safety_url"])):
                assert address in platform["source_urls"] or address.split("/")[2].removeprefix("www.") in hosts, (
                    platform["key"],
                    address,
                )
