"""What curators see is what happened: no phantom changes, honest marks, and publishing records a check."""

import json

import pytest
from django.utils import timezone

from directory.importing import dump_document, export_document, import_text
from directory.models import Organisation
from tests.directory.test_admin import CHANGELIST, add_form, directory  # noqa: F401 (fixture)


@pytest.mark.django_db
def test_text_typed_in_the_browser_is_stored_with_plain_line_endings(admin_client):
    admin_client.post(f"{CHANGELIST}add/", add_form(internal_notes="First line\r\nsecond line"))
    organisation = Organisation.objects.get(key="de-neue-beschwerdestelle")
    assert organisation.internal_notes == "First line\nsecond line"


@pytest.mark.django_db
def test_saving_an_untouched_form_records_no_change_to_the_text(admin_client):
    admin_client.post(f"{CHANGELIST}add/", add_form(internal_notes="First line\r\nsecond line"))
    organisation = Organisation.objects.get(key="de-neue-beschwerdestelle")
    exported = dump_document(export_document())
    summary = import_text(exported.replace("\\n", "\\r\\n"))  # an editor that saved the file with CRLF
    assert (summary.created, summary.updated) == (0, 0)
    assert Organisation.objects.get(pk=organisation.pk).internal_notes == "First line\nsecond line"


def test_an_untouched_export_reimports_as_no_change(admin_client, directory):  # noqa: F811
    summary = import_text(json.dumps(export_document()))
    assert (summary.created, summary.updated) == (0, 0)


def test_needs_check_is_shown_as_a_warning_not_a_tick(admin_client, directory):  # noqa: F811
    Organisation.objects.filter(pk=directory["hotline"].pk).update(needs_check=True)
    text = admin_client.get(CHANGELIST).text
    assert "⚠ needs check" in text
    assert "icon-yes.svg" not in text.split("<tbody>", 1)[1]


def test_publishing_records_who_checked_it_and_when(admin_client, admin_user, directory):  # noqa: F811
    draft = directory["draft"]
    Organisation.objects.filter(pk=draft.pk).update(last_checked=None)
    admin_client.post(CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "published"
    assert draft.last_checked == timezone.localdate()
    assert draft.checked_by == admin_user
