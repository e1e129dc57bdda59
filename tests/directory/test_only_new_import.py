"""`make run` loads the directory on every start without ever overwriting what curators did."""

import copy
import json

from django.core.management import call_command

from directory.models import Channel, EmergencyNumber, Organisation
from tests.directory.test_import import DOCUMENT


def write(tmp_path, document) -> str:
    path = tmp_path / "directory.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_it_loads_everything_into_an_empty_database(db, tmp_path):
    call_command("import_directory", "--only-new", "--file", write(tmp_path, DOCUMENT))
    assert Organisation.objects.filter(key="de-test-hotline").exists()
    assert EmergencyNumber.objects.filter(country="DE").exists()


def test_a_curators_edit_survives_the_next_start(db, tmp_path):
    path = write(tmp_path, DOCUMENT)
    call_command("import_directory", "--only-new", "--file", path)
    Channel.objects.filter(value="116 111").update(label="for children and young people")
    EmergencyNumber.objects.filter(country="DE").update(police="110")

    call_command("import_directory", "--only-new", "--file", path)

    assert Channel.objects.get(value="116 111").label == "for children and young people"
    assert EmergencyNumber.objects.get(country="DE").police == "110"


def test_an_organisation_a_curator_deleted_is_not_brought_back(db, tmp_path):
    path = write(tmp_path, DOCUMENT)
    call_command("import_directory", "--only-new", "--file", path)
    Organisation.objects.get(key="de-test-hotline").delete()

    call_command("import_directory", "--only-new", "--file", path)

    assert not Organisation.objects.filter(key="de-test-hotline").exists()


def test_an_organisation_new_to_the_shipped_file_is_added(db, tmp_path):
    call_command("import_directory", "--only-new", "--file", write(tmp_path, DOCUMENT))
    document = copy.deepcopy(DOCUMENT)
    added = copy.deepcopy(document["organisations"][0])
    added.update(key="de-new-hotline", name="Neue Meldestelle")
    document["organisations"].append(added)

    call_command("import_directory", "--only-new", "--file", write(tmp_path, document))

    assert Organisation.objects.filter(key="de-new-hotline").exists()


def test_an_explicit_import_still_updates(db, tmp_path):
    path = write(tmp_path, DOCUMENT)
    call_command("import_directory", "--file", path)
    Channel.objects.filter(value="116 111").update(label="for parents")

    call_command("import_directory", "--file", path)

    assert Channel.objects.get(value="116 111").label == DOCUMENT["organisations"][0]["channels"][1]["label"]


def test_make_run_loads_only_new_organisations():
    with open("Makefile", encoding="utf-8") as makefile:
        run = makefile.read().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "import_directory --only-new" in run


def test_the_next_start_says_it_kept_what_curators_have(db, tmp_path, capsys):
    path = write(tmp_path, DOCUMENT)
    call_command("import_directory", "--only-new", "--file", path)
    capsys.readouterr()
    call_command("import_directory", "--only-new", "--file", path)
    said = capsys.readouterr().out
    assert "0 created, 0 updated, 0 unchanged, 1 kept as they are" in said
