"""Channel labels and opening hours are public text: curators are told so, and remarks are refused."""

import pytest
from django.core.exceptions import ValidationError

from directory.importing import DirectoryImportError, import_document
from directory.labels import PHRASES, validate_public_label
from directory.models import Channel
from tests.factories import make_organisation

REMARKS = [
    "number read on Flagler County Sheriff's Office and Thorn pages, not on an NCMEC page",
    "(CHI directory, 2023)",
    "2020 extension",
    "per the source",
    "see https://example.org",
]


@pytest.mark.parametrize("label", [*PHRASES, "toll-free, 24/7", "parents' line", ""])
def test_a_few_words_a_person_needs_are_a_label(label):
    validate_public_label(label)


@pytest.mark.parametrize("label", REMARKS)
def test_a_research_remark_is_not_a_label(label):
    with pytest.raises(ValidationError):
        validate_public_label(label)


@pytest.mark.django_db
def test_a_channel_with_a_remark_for_a_label_is_refused_with_the_reason():
    channel = Channel(organisation=make_organisation(channels=()), type="website", value="https://example.org/")
    channel.label = "(CHI directory, 2023)"
    with pytest.raises(ValidationError) as error:
        channel.full_clean()
    assert "internal notes" in str(error.value.error_dict["label"][0].message)


@pytest.mark.django_db
def test_an_import_refuses_a_remark_for_a_label():
    record = {
        "key": "de-test", "name": "Test", "kind": "hotline", "services": ["report_csam"], "countries": ["DE"],
        "channels": [{"type": "website", "value": "https://example.org/", "label": "2020 extension"}],
        "status": "published",
    }  # fmt: skip
    with pytest.raises(DirectoryImportError) as error:
        import_document({"organisations": [record], "emergency_numbers": []})
    assert "label" in str(error.value)


def test_the_admin_says_labels_and_hours_are_shown_to_the_public(admin_client):
    organisation = make_organisation()
    page = admin_client.get(f"/admin/directory/organisation/{organisation.pk}/change/").text
    assert "Shown to the public next to the button" in page  # a channel's label
    assert "Shown to the public, as written: short, no sources or remarks (those go in the internal" in page
    assert "(those go in the organisation&#x27;s internal notes). Prefer the weekly hours" in page  # a channel's
