"""Report it to the app too: a platform's own report route joins the country's help, never in its place."""

import json

import pytest
from django.core.exceptions import ValidationError

from directory import importing, snapshot
from directory.importing import DirectoryImportError, import_text
from directory.models import Platform
from reporting import routing
from reporting.situations import SITUATIONS
from tests import factories
from tests.factories import make_emergency, make_organisation

INSTAGRAM = {
    "key": "instagram",
    "name": "Instagram",
    "report_url": "https://help.instagram.com/192435014247952",
    "child_safety_url": "",
    "take_it_down": True,
    "status": "published",
    "source_urls": ["https://help.instagram.com/192435014247952"],
    "last_checked": "2026-12-01",
}


def make_platform(**fields) -> Platform:
    return factories.make_platform(**{**INSTAGRAM, **fields})


@pytest.fixture
def britain(db):
    make_emergency("GB", general="999")
    make_organisation(
        name="Childline",
        kind="child_helpline",
        countries=("GB",),
        services=("support_child",),
        channels=(("phone", "0800 1111"),),
    )
    make_organisation(name="CEOP", kind="police", countries=("GB",), services=("report_police",))
    make_organisation(name="IWF", countries=("GB",), services=("report_csam",))
    return make_platform()  # fmt: skip


def test_a_teenager_being_sextorted_on_a_named_app_gets_everything_in_one_answer(client, britain):
    page = client.get("/help/gb/sextortion/?who=child&platform=instagram").text
    first = page[page.index('class="first"') : page.index("</section>")]
    assert "Childline" in first and "Call 0800 1111" in first  # the country's help first
    assert "Report the account on Instagram" in first  # and the app's route, on the same screen
    steps = page[page.index('<ol class="steps">') :]
    assert steps.index("Childline") < steps.index("CEOP") < steps.index('id="platform-step"')
    assert 'href="https://help.instagram.com/192435014247952"' in steps
    assert "How to report on Instagram" in steps
    assert "Copy link" in steps and "write down the username" in steps and "save or screenshot sexual images." in steps
    assert "Instagram takes part in Take It Down" in steps


def test_without_a_platform_the_answer_is_unchanged_and_asks_where(client, britain):
    page = client.get("/help/gb/sextortion/").text
    assert 'id="platform-step"' not in page
    assert "Where did it happen?" in page and '<option value="instagram">Instagram</option>' in page
    assert "Where did it happen?" not in client.get("/help/gb/need-to-talk/").text  # only where it matters


def test_the_platform_never_pushes_the_hotline_or_the_police_out_of_their_place(db, britain):
    for slug in routing.PLATFORM_SITUATIONS:
        plain = routing.route("GB", SITUATIONS[slug])
        with_app = routing.route("GB", SITUATIONS[slug], platform="instagram")
        assert [[item.organisation.name for item in r.listings] for r in with_app.steps] == [
            [item.organisation.name for item in r.listings] for r in plain.steps
        ]
        assert with_app.platform.key == "instagram"
    assert routing.route("GB", SITUATIONS["advice"], platform="instagram").platform is None


def test_an_unknown_or_draft_platform_adds_nothing(client, britain):
    make_platform(key="draftapp", name="Draft App", status="draft")
    for key in ("nosuchapp", "draftapp", "<script>"):
        page = client.get(f"/help/gb/sextortion/?platform={key}")
        assert page.status_code == 200 and 'id="platform-step"' not in page.text
    assert client.get("/api/v1/route/?country=GB&situation=sextortion&platform=nosuchapp").status_code == 404


def test_the_api_takes_the_platform(client, britain):
    body = client.get("/api/v1/route/?country=GB&situation=grooming&platform=instagram").json()
    assert body["platform"] == {
        "key": "instagram", "name": "Instagram", "report_url": INSTAGRAM["report_url"],
        "child_safety_url": None, "take_it_down": True,
    }  # fmt: skip
    assert client.get("/api/v1/route/?country=GB&situation=grooming").json()["platform"] is None
    listed = client.get("/api/v1/platforms/").json()["platforms"]
    assert [platform["key"] for platform in listed] == ["instagram"]
    document = client.get("/api/v1/openapi.json").json()
    assert any(p["name"] == "platform" for p in document["paths"]["/api/v1/route/"]["get"]["parameters"])


def test_a_platform_address_must_be_https_and_published_ones_need_a_source(db):
    with pytest.raises(ValidationError) as caught:
        make_platform(report_url="http://help.instagram.com/")
    assert "report_url" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        make_platform(source_urls=[])
    assert "source_urls" in caught.value.message_dict
    make_platform(key="draft", source_urls=[], status="draft")  # a draft may wait for its source


def test_platforms_round_trip_through_the_exchange_format_and_a_bad_row_writes_nothing(db):
    document = {"organisations": [], "platforms": [{**INSTAGRAM, "internal_notes": "checked in the app"}]}
    summary = import_text(json.dumps(document))
    assert summary.platforms_created == 1
    exported = importing.export_document()["platforms"][0]
    assert exported == {**INSTAGRAM, "needs_check": False, "internal_notes": "checked in the app"}
    assert import_text(json.dumps(document)).platforms_unchanged == 1
    bad = {"platforms": [{**INSTAGRAM, "name": "Instagram 2"}, {**INSTAGRAM, "key": "x", "report_url": "ftp://x"}]}
    with pytest.raises(DirectoryImportError) as caught:
        import_text(json.dumps(bad))
    assert "platforms[1]" in str(caught.value) and "report_url" in str(caught.value)
    assert Platform.objects.get().name == "Instagram"  # nothing written


def test_the_open_data_and_the_snapshot_carry_published_platforms_without_notes(client, db, commit):
    make_platform(internal_notes="private remark")
    make_platform(key="draftapp", name="Draft App", status="draft")
    published = client.get("/data/directory.json").json()["platforms"]
    assert [p["key"] for p in published] == ["instagram"] and "internal_notes" not in published[0]
    snapshot.write()
    assert [p.key for p in snapshot.platforms()] == ["instagram"]
