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


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["0", "1", "2"])  # CSV, XLSX, JSON
def test_an_untouched_admin_export_of_text_typed_in_the_browser_reimports_as_no_change(admin_client, fmt):
    import io

    from tests.directory.test_admin_import_export import exported, preview

    admin_client.post(
        f"{CHANGELIST}add/", add_form(description="Line one\r\nline two", internal_notes="Call\r\nback\r\n")
    )
    upload = io.BytesIO(exported(admin_client, fmt))
    upload.name = f"export.{['csv', 'xlsx', 'json'][int(fmt)]}"
    result = preview(admin_client, upload, fmt).context["result"]
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, 1)


def test_publishing_on_the_form_records_who_checked_it_and_when(admin_client, admin_user, directory):  # noqa: F811
    from tests.directory.test_history import change_form_data

    draft = directory["draft"]
    data = change_form_data(draft, status="published", last_checked="")
    response = admin_client.post(f"{CHANGELIST}{draft.pk}/change/", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.last_checked, draft.checked_by) == ("published", timezone.localdate(), admin_user)


def test_publishing_on_the_form_keeps_the_check_date_the_curator_gave(admin_client, admin_user, directory):  # noqa: F811
    from tests.directory.test_history import change_form_data

    draft = directory["draft"]
    data = change_form_data(draft, status="published", last_checked="2026-10-30")
    admin_client.post(f"{CHANGELIST}{draft.pk}/change/", data)
    draft.refresh_from_db()
    assert (str(draft.last_checked), draft.checked_by) == ("2026-10-30", admin_user)


def test_an_admin_import_names_the_file_and_the_curator_in_the_history(admin_client, admin_user, db):
    from tests.directory.test_admin_import_export import GOOD_ROW, confirm, csv_file, preview

    confirm(admin_client, preview(admin_client, csv_file([GOOD_ROW], name="korrekturen.csv")))
    record = Organisation.objects.get(key=GOOD_ROW["key"]).history.latest()
    assert record.history_user == admin_user
    assert "korrekturen.csv" in record.history_change_reason
