"""Import and export in the admin go through the same code path and rules as the commands.

django-import-export 4.4.3 (its newest release) declares Django up to 5.2; these tests are what shows that the
parts Signpost uses (the import page, the dry-run preview and its confirmation, the export formats) work on
the Django we pin."""

import csv
import io
import json

import pytest

from directory.models import EmergencyNumber, Organisation
from tests.factories import make_emergency, make_organisation

IMPORT = "/admin/directory/organisation/import/"
CSV_FORMAT, XLSX_FORMAT, JSON_FORMAT = "0", "1", "2"


def csv_file(rows: list[dict], name="directory.csv") -> io.BytesIO:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    upload = io.BytesIO(text.getvalue().encode())
    upload.name = name
    return upload


GOOD_ROW = {
    "key": "de-neue-meldestelle",
    "name": "Neue Meldestelle",
    "kind": "hotline",
    "services": "report_csam",
    "countries": "DE",
    "channels": json.dumps([{"type": "web_form", "value": "https://melden.example.de/"}]),
    "status": "published",
    "last_checked": "2026-11-01",
}


def preview(admin_client, upload, fmt=CSV_FORMAT):
    return admin_client.post(IMPORT, {"import_file": upload, "format": fmt})


def confirm(admin_client, preview_response):
    form = preview_response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return admin_client.post("/admin/directory/organisation/process_import/", data)


def test_the_import_page_renders(admin_client, db):
    response = admin_client.get(IMPORT)
    assert response.status_code == 200
    assert ">csv<" in response.text and ">xlsx<" in response.text and ">json<" in response.text


def test_a_dry_run_previews_and_writes_nothing_until_confirmed(admin_client, db):
    response = preview(admin_client, csv_file([GOOD_ROW]))
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 1
    assert "Neue Meldestelle" in response.text
    assert not Organisation.objects.filter(key="de-neue-meldestelle").exists()
    done = confirm(admin_client, response)
    assert done.status_code == 302
    organisation = Organisation.objects.get(key="de-neue-meldestelle")
    assert organisation.channels.get().value == "https://melden.example.de/"
    assert [str(p.country) for p in organisation.places.all()] == ["DE"]


def test_the_preview_shows_what_changes(admin_client, db):
    make_organisation(key="de-neue-meldestelle", name="Alte Meldestelle", countries=("DE",),
                      channels=(("web_form", "https://melden.example.de/"),))  # fmt: skip
    response = preview(admin_client, csv_file([GOOD_ROW]))
    assert response.context["result"].totals["update"] == 1
    assert "<del>Alte Meldestelle</del> <ins>Neue Meldestelle</ins>" in response.text


def test_a_bad_row_writes_nothing_and_names_the_row_and_field(admin_client, db):
    bad = dict(GOOD_ROW, key="de-zweite", name="Zweite",
               channels=json.dumps([{"type": "phone", "value": "999 999 999 999"}]))  # fmt: skip
    response = preview(admin_client, csv_file([GOOD_ROW, bad]))
    result = response.context["result"]
    assert result.has_validation_errors()
    invalid = result.invalid_rows[0]
    assert invalid.number == 2
    assert "channels[0].value" in invalid.field_specific_errors
    assert "confirm_form" not in response.context
    assert "is not a valid phone number for DE" in response.text
    assert not Organisation.objects.exists()


def test_an_unknown_column_is_named(admin_client, db):
    response = preview(admin_client, csv_file([dict(GOOD_ROW, colour="red")]))
    assert "colour" in response.context["result"].invalid_rows[0].field_specific_errors


def test_export_then_import_round_trips(admin_client, db):
    make_organisation(key="de-a", name="A", countries=("DE",), languages=["de"], networks=("INHOPE",),
                      channels=(("web_form", "https://a.example.de/"), ("phone", "116 111")))  # fmt: skip
    form = admin_client.get("/admin/directory/organisation/export/").context["form"]
    data = {name: "on" for name, field in form.fields.items() if field.__class__.__name__ == "BooleanField"}
    exported = admin_client.post("/admin/directory/organisation/export/", {**data, "format": JSON_FORMAT})
    assert exported.status_code == 200, exported.content[:300]
    rows = json.loads(exported.content)
    assert rows[0]["key"] == "de-a"
    upload = io.BytesIO(exported.content)
    upload.name = "export.json"
    response = preview(admin_client, upload, JSON_FORMAT)
    result = response.context["result"]
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    assert result.totals["skip"] == 1  # nothing changed


def test_emergency_numbers_import_too(admin_client, db):
    make_emergency("DE", general="112")
    rows = [{"country": "DE", "general": "112", "police": "110"}, {"country": "FR", "general": "112"}]
    response = admin_client.post("/admin/directory/emergencynumber/import/",
                                 {"import_file": csv_file(rows), "format": CSV_FORMAT})  # fmt: skip
    result = response.context["result"]
    assert (result.totals["update"], result.totals["new"]) == (1, 1)
    confirm_form = response.context["confirm_form"]
    data = {name: confirm_form.initial.get(name, "") for name in confirm_form.fields}
    admin_client.post("/admin/directory/emergencynumber/process_import/", data)
    assert EmergencyNumber.objects.get(country="DE").police == "110"
    assert EmergencyNumber.objects.filter(country="FR").exists()


@pytest.mark.parametrize("content", [b"not,a\nvalid,file\n", b"\x00\x01\x02"])
def test_garbage_is_refused_without_a_server_error(admin_client, db, content):
    upload = io.BytesIO(content)
    upload.name = "garbage.csv"
    response = preview(admin_client, upload)
    assert response.status_code == 200
    assert not Organisation.objects.exists()


def test_a_file_with_other_columns_is_explained_without_a_traceback(admin_client, db):
    response = preview(admin_client, csv_file([{"Name": "Neue Meldestelle", "Phone": "116 111"}]))
    assert response.status_code == 200
    assert "Traceback" not in response.text
    assert "This file cannot be imported" in response.text
    assert "Nothing was imported" in response.text
    assert not Organisation.objects.exists()


def test_the_preview_starts_with_a_summary_and_lists_only_what_changes(admin_client, db):
    make_organisation(key="de-alt", name="Alt", countries=("DE",))
    from directory.importing import export_organisation, organisations_for_export
    from directory.resources import ORGANISATION_COLUMNS, cell

    unchanged = export_organisation(organisations_for_export().get(key="de-alt"))
    rows = [{column: cell(unchanged.get(column)) for column in ORGANISATION_COLUMNS}]
    rows.append({column: cell(GOOD_ROW.get(column)) for column in ORGANISATION_COLUMNS})
    response = preview(admin_client, csv_file(rows))
    assert "Summary: 1 new, 0 changed, 1 unchanged." in response.text
    assert "Neue Meldestelle" in response.text
    assert ">Alt<" not in response.text


def exported(admin_client, fmt):
    form = admin_client.get("/admin/directory/organisation/export/").context["form"]
    data = {name: "on" for name, field in form.fields.items() if field.__class__.__name__ == "BooleanField"}
    return admin_client.post("/admin/directory/organisation/export/", {**data, "format": fmt}).content


@pytest.mark.parametrize("fmt", [CSV_FORMAT, XLSX_FORMAT])
def test_exports_never_hold_a_formula(admin_client, db, fmt):
    import openpyxl

    make_organisation(key="de-f", name="=HYPERLINK(\"http://evil.example\")", countries=("DE",),
                      channels=(("phone", "+49 30 1234567"),))  # fmt: skip
    content = exported(admin_client, fmt)
    if fmt == CSV_FORMAT:
        cells = [value for row in csv.reader(io.StringIO(content.decode("utf-8"))) for value in row]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        cells = [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert '\'=HYPERLINK("http://evil.example")' in cells
    assert not any(isinstance(value, str) and value.startswith(("=", "+", "-", "@")) for value in cells)


def test_an_export_with_guarded_cells_imports_back_unchanged(admin_client, db):
    make_organisation(key="de-f", name="=1+1", countries=("DE",), channels=(("phone", "+49 30 1234567"),))
    upload = io.BytesIO(exported(admin_client, CSV_FORMAT))
    upload.name = "export.csv"
    result = preview(admin_client, upload).context["result"]
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    assert result.totals["skip"] == 1


def test_an_oversized_upload_is_refused_with_a_clear_message(admin_client, db, settings):
    settings.SIGNPOST_IMPORT_MAX_BYTES = 2048
    rows = [dict(GOOD_ROW, key=f"de-meldestelle-{number}") for number in range(40)]
    response = preview(admin_client, csv_file(rows))
    assert response.status_code == 200
    assert "files up to 2.0" in response.text
    assert not Organisation.objects.exists()


def test_too_many_rows_are_refused_with_a_clear_message(admin_client, db, settings):
    settings.SIGNPOST_IMPORT_MAX_ROWS = 3
    rows = [dict(GOOD_ROW, key=f"de-meldestelle-{number}") for number in range(4)]
    response = preview(admin_client, csv_file(rows))
    assert response.status_code == 200
    assert "at most 3 can be imported at once" in response.text
    assert "Traceback" not in response.text
    assert not Organisation.objects.exists()


def test_a_deeply_nested_cell_is_a_row_error_not_a_server_error(admin_client, db):
    row = dict(GOOD_ROW, countries="[" * 50000 + "]" * 50000)
    response = preview(admin_client, csv_file([row]))
    assert response.status_code == 200
    assert "not a valid JSON list" in str(response.context["result"].invalid_rows[0].field_specific_errors)


def test_an_abandoned_preview_leaves_no_file_behind(admin_client, db, settings, tmp_path):
    import os
    import time

    folder = settings.SIGNPOST_IMPORT_PREVIEW_DIR = tmp_path
    preview(admin_client, csv_file([GOOD_ROW]))  # abandoned: never confirmed
    abandoned = list(folder.iterdir())
    assert len(abandoned) == 1
    old = time.time() - (settings.SIGNPOST_IMPORT_PREVIEW_HOURS + 1) * 3600
    os.utime(abandoned[0], (old, old))
    confirm(admin_client, preview(admin_client, csv_file([GOOD_ROW])))  # the next preview cleans up
    assert list(folder.iterdir()) == []
    assert Organisation.objects.filter(key=GOOD_ROW["key"]).exists()
