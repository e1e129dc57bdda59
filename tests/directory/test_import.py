import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command

from directory.importing import (
    DirectoryImportError,
    dump_document,
    export_document,
    import_document,
    import_text,
)
from directory.models import Channel, EmergencyNumber, Organisation

DOCUMENT = {
    "organisations": [
        {
            "key": "de-test-hotline",
            "name": "Test-Beschwerdestelle",
            "kind": "hotline",
            "networks": ["INHOPE"],
            "services": ["report_csam"],
            "countries": ["DE"],
            "languages": ["de", "en"],
            "anonymous": True,
            "channels": [
                {"type": "web_form", "value": "https://hotline.example.de/melden"},
                {
                    "type": "phone",
                    "value": "116 111",
                    "label": "Kinder- und Jugendtelefon",
                    "free": True,
                    "opening_hours": [{"day": 0, "opens": "14:00", "closes": "20:00"}],
                    "closed_on_public_holidays": True,
                },
            ],
            "status": "published",
            "last_checked": "2026-10-01",
            "source_urls": ["https://hotline.example.de/"],
        },
        {
            "key": "ww-test-service",
            "name": "Worldwide test service",
            "kind": "worldwide_service",
            "services": ["remove_images"],
            "worldwide": True,
            "channels": [{"type": "website", "value": "https://worldwide.example.org/"}],
            "status": "published",
        },
    ],
    "emergency_numbers": [
        {"country": "DE", "general": "112", "other": [{"number": "110", "note": "not labelled"}]},
    ],
}


def document(**changes):
    """A copy of DOCUMENT with the first organisation's fields changed."""
    result = copy.deepcopy(DOCUMENT)
    result["organisations"][0].update(changes)
    return result


@pytest.mark.django_db
def test_it_imports_organisations_channels_places_and_emergency_numbers():
    summary = import_document(document())
    assert (summary.created, summary.emergency_created) == (2, 1)
    hotline = Organisation.objects.get(key="de-test-hotline")
    assert [str(place.country) for place in hotline.places.all()] == ["DE"]
    assert [channel.type for channel in hotline.channels.all()] == ["web_form", "phone"]
    assert list(hotline.services.values_list("slug", flat=True)) == ["report_csam"]
    assert EmergencyNumber.objects.get(country="DE").general == "112"


@pytest.mark.django_db
def test_importing_twice_changes_nothing():
    import_document(document())
    before = {c.pk: c.value for c in Channel.objects.all()}
    summary = import_document(document())
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 2)
    assert summary.emergency_unchanged == 1
    assert {c.pk: c.value for c in Channel.objects.all()} == before


@pytest.mark.django_db
def test_a_changed_record_is_updated_in_place():
    import_document(document())
    kept = Channel.objects.get(type="web_form")
    changed = document(name="Renamed", countries=["DE", "AT"])
    changed["organisations"][0]["channels"][1]["value"] = "0800 111 0 550"
    changed["organisations"][0]["channels"][1]["country"] = "DE"
    summary = import_document(changed)
    assert (summary.updated, summary.unchanged) == (1, 1)
    hotline = Organisation.objects.get(key="de-test-hotline")
    assert hotline.name == "Renamed"
    assert sorted(str(p.country) for p in hotline.places.all()) == ["AT", "DE"]
    assert Channel.objects.filter(pk=kept.pk).exists()  # an unchanged channel keeps its row
    assert not Channel.objects.filter(value="116 111").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "astrologer"}, "kind"),
        ({"countries": ["XX"]}, "countries"),
        ({"services": ["teleport"]}, "services"),
        ({"languages": ["German"]}, "languages"),
        ({"last_checked": "last week"}, "last_checked"),
        ({"source_urls": ["javascript:alert(1)"]}, "source_urls"),
        ({"channels": [{"type": "phone", "value": "12"}]}, "channels[0].value"),
        ({"channels": [{"type": "web_form", "value": "www.no-scheme.example"}]}, "channels[0].value"),
        ({"channels": []}, "channels"),
        ({"countries": [], "channels": [{"type": "website", "value": "https://example.org/"}]}, "countries"),
        ({"countries": []}, "channels[1].value"),  # 116 111 cannot be checked without a country
        ({"name": ""}, "name"),
        ({"colour": "red"}, "colour"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        (
            {"channels": [{"type": "phone", "value": "116 111", "opening_hours": [{"day": 9, "opens": "x"}]}]},
            "channels[0].opening_hours",
        ),
    ],
)
def test_a_bad_record_writes_nothing_and_names_the_record_and_field(changes, field):
    bad = document(**changes)
    # The good worldwide record comes after the bad one; it must not be written either.
    with pytest.raises(DirectoryImportError) as error:
        import_document(bad)
    assert error.value.field == field
    assert "organisations[0]" in error.value.where
    assert "de-test-hotline" in error.value.where
    assert Organisation.objects.count() == 0
    assert EmergencyNumber.objects.count() == 0


@pytest.mark.django_db
def test_a_bad_late_record_rolls_back_the_earlier_ones():
    bad = copy.deepcopy(DOCUMENT)
    bad["emergency_numbers"].append({"country": "FR", "police": "dial seventeen"})
    with pytest.raises(DirectoryImportError) as error:
        import_document(bad)
    assert error.value.where == "emergency_numbers[1] (country “FR”)"
    assert error.value.field == "police"
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_a_key_twice_in_one_file_is_an_error():
    twice = copy.deepcopy(DOCUMENT)
    twice["organisations"].append(copy.deepcopy(twice["organisations"][0]))
    with pytest.raises(DirectoryImportError, match="twice"):
        import_document(twice)


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["", "{not json", "[]", '{"organisations": {}}', '{"extra": []}'])
def test_a_malformed_file_is_a_clear_error(text):
    with pytest.raises(DirectoryImportError):
        import_text(text)


@pytest.mark.django_db
def test_import_export_import_round_trips_without_loss():
    import_document(document())
    exported = export_document()
    again = import_document(json.loads(dump_document(exported)))
    assert (again.created, again.updated) == (0, 0)
    assert export_document() == exported
    first = exported["organisations"][0]
    assert first["channels"][1] == {
        "type": "phone",
        "value": "116 111",
        "label": "Kinder- und Jugendtelefon",
        "hours": "",
        "free": True,
        "country": "",
        "number_confirmed": False,
        "always_open": False,
        "closed_on_public_holidays": True,
        "opening_hours": [{"day": 0, "opens": "14:00", "closes": "20:00"}],
    }


@pytest.mark.django_db
def test_the_commands_import_and_export_a_file(tmp_path):
    source = tmp_path / "in.json"
    source.write_text(json.dumps(DOCUMENT), encoding="utf-8")
    call_command("import_directory", file=str(source), stdout=io.StringIO())
    target = tmp_path / "out.json"
    call_command("export_directory", file=str(target))
    assert json.loads(target.read_text())["organisations"][0]["key"] == "de-test-hotline"


@pytest.mark.django_db
def test_the_import_command_reports_a_bad_file_without_a_traceback(tmp_path):
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(document(kind="astrologer")), encoding="utf-8")
    with pytest.raises(CommandError, match=r"Nothing was imported.*organisations\[0\].*kind"):
        call_command("import_directory", file=str(source))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_directory", file=str(tmp_path / "missing.json"))


@pytest.mark.django_db
def test_a_confirmed_number_imports_and_dials():
    confirmed = copy.deepcopy(DOCUMENT)
    confirmed["organisations"][0]["countries"] = ["ZM"]
    confirmed["organisations"][0]["channels"] = [{"type": "phone", "value": "116", "number_confirmed": True}]
    import_document(confirmed)
    assert Channel.objects.get(value="116").number_confirmed is True
    unconfirmed = copy.deepcopy(confirmed)
    unconfirmed["organisations"][0]["channels"][0]["number_confirmed"] = False
    with pytest.raises(DirectoryImportError):
        import_document(unconfirmed)


def test_the_history_names_the_import_that_wrote_each_row(db, tmp_path):
    from directory.importing import import_file

    path = tmp_path / "directory-2026-12.json"
    path.write_text(json.dumps(DOCUMENT), encoding="utf-8")
    import_file(path)
    organisation = Organisation.objects.get(key="de-test-hotline")
    assert organisation.history.first().history_change_reason == "Imported from directory-2026-12.json"
    channel = organisation.channels.get(value="116 111")
    assert channel.history.first().history_change_reason == "Imported from directory-2026-12.json"


def test_an_admin_import_names_who_ran_it(admin_client, admin_user):
    from tests.directory.test_admin_import_export import GOOD_ROW, confirm, csv_file, preview

    confirm(admin_client, preview(admin_client, csv_file([GOOD_ROW], name="neu.csv")))
    record = Organisation.objects.get(key=GOOD_ROW["key"]).history.first()
    assert record.history_user == admin_user
    assert "neu.csv" in record.history_change_reason


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("section", "record", "named"),
    [
        (
            "emergency_numbers",
            {"country": "DE", "general": "112"},
            "emergency_numbers[1] (country “DE”), field “country”",
        ),
        (
            "platforms",
            {"key": "app", "name": "App", "report_url": "https://app.example/help"},
            "platforms[1] (key “app”)",
        ),
    ],
)
def test_the_same_identity_twice_in_a_file_is_refused_and_named(section, record, named):
    with pytest.raises(DirectoryImportError) as caught:
        import_text(json.dumps({section: [record, record]}))
    assert named in str(caught.value) and "appears twice" in str(caught.value)
