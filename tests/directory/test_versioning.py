"""Every process sees a curator's edit at once, and the snapshot follows every committed change."""

import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest
from django.db import transaction

from directory import snapshot, versioning
from tests.factories import make_organisation


def test_the_stamp_changes_only_once_the_change_commits(db, commit):
    before = versioning.current()
    make_organisation(name="Neu")
    assert versioning.current() == before  # not yet committed: nothing may be cached under a new stamp
    commit()
    assert versioning.current() != before


def test_many_changes_in_one_transaction_bump_and_write_the_snapshot_once(db):
    from django.db import connection

    for number in range(5):
        make_organisation(name=f"Neu {number}")
    pending = [callback for _savepoints, callback, _robust in connection.run_on_commit]
    assert pending.count(versioning._bump_now) == 1
    assert pending.count(snapshot._write_now) == 1


def test_the_snapshot_is_written_after_a_rolled_back_change(db, commit, settings):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_organisation(name="Rolled back")
        raise RuntimeError
    make_organisation(name="Kept", status="published")
    commit()
    names = [record["name"] for record in snapshot.read()["organisations"]]
    assert "Kept" in names
    assert "Rolled back" not in names


def test_a_failed_bump_is_retried_on_the_next_read(db, commit, monkeypatch):
    from django.db import DatabaseError

    from directory.models import DirectoryVersion

    before = versioning.current()
    real_update = DirectoryVersion.objects.filter

    def broken(*args, **kwargs):
        raise DatabaseError("the database is busy")

    monkeypatch.setattr(DirectoryVersion.objects, "filter", broken)
    monkeypatch.setattr(versioning.time, "sleep", lambda seconds: None)
    make_organisation(name="Neu")
    commit()
    assert versioning._unsaved_bump
    monkeypatch.setattr(DirectoryVersion.objects, "filter", real_update)
    versioning._memo = None
    assert versioning.current() != before
    assert not versioning._unsaved_bump


@pytest.mark.slow
def test_an_edit_in_one_process_is_seen_by_another_within_a_second(tmp_path):
    """Two real processes, one SQLite file, no Redis: a page cached by a server changes after another
    process (an import from the command line) changes the directory."""
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "DJANGO_DEBUG": "1"}
    environment.pop("REDIS_URL", None)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=environment, check=True)
    first = {"organisations": [], "emergency_numbers": [{"country": "DE", "general": "112"}]}
    second = {
        "organisations": [
            {"key": "de-neu", "name": "Neue Meldestelle", "kind": "hotline", "services": ["report_csam"],
             "countries": ["DE"], "channels": [{"type": "web_form", "value": "https://neu.example.de/"}],
             "status": "published", "last_checked": "2026-12-01", "source_urls": ["https://neu.example.de/"]}
        ],
        "emergency_numbers": [],
    }  # fmt: skip
    (tmp_path / "first.json").write_text(json.dumps(first))
    (tmp_path / "second.json").write_text(json.dumps(second))
    subprocess.run([*manage, "import_directory", "--file", str(tmp_path / "first.json")], env=environment, check=True)
    server = subprocess.Popen(
        [*manage, "runserver", "127.0.0.1:8799", "--noreload"], env=environment,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = "http://127.0.0.1:8799/help/de/csam-found/"
        for _ in range(100):
            try:
                page = urllib.request.urlopen(url, timeout=5).read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert "Neue Meldestelle" not in page
        assert "Neue Meldestelle" not in urllib.request.urlopen(url, timeout=5).read().decode()  # now cached
        subprocess.run(
            [*manage, "import_directory", "--file", str(tmp_path / "second.json")], env=environment, check=True
        )
        changed = time.monotonic()
        while "Neue Meldestelle" not in urllib.request.urlopen(url, timeout=5).read().decode():
            assert time.monotonic() - changed < 1.5, "the other process still serves the old answer"
            time.sleep(0.05)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_failed_snapshot_write_is_retried(db, commit, monkeypatch):
    calls = []
    real_write = snapshot.write

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk busy")
        real_write()

    monkeypatch.setattr(snapshot, "write", flaky)
    monkeypatch.setattr(snapshot.time, "sleep", lambda seconds: None)
    make_organisation(name="Kept", status="published")
    commit()
    assert len(calls) == 2
    assert "Kept" in [record["name"] for record in snapshot.read()["organisations"]]


def test_the_snapshot_keeps_only_what_the_public_side_needs(db, commit, admin_user):
    organisation = make_organisation(name="Kept", status="published", internal_notes="Call Anna about this")
    organisation.checked_by = admin_user
    organisation.save()
    commit()
    text = snapshot.path().read_text(encoding="utf-8")
    assert "Kept" in text
    assert "Call Anna" not in text and "internal_notes" not in text
    assert admin_user.username not in text and "checked_by" not in text


def test_an_import_whose_bump_cannot_be_saved_says_so_instead_of_exiting_quietly(db, tmp_path, monkeypatch):
    from django.core.management import CommandError, call_command
    from django.db import DatabaseError

    from directory.models import DirectoryVersion

    def broken(*args, **kwargs):
        raise DatabaseError("the database is busy")

    monkeypatch.setattr(versioning, "_unsaved_bump", False)  # and back to False afterwards
    monkeypatch.setattr(versioning.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(transaction, "on_commit", lambda callback, *args, **kwargs: callback())  # as if committed
    monkeypatch.setattr(DirectoryVersion.objects, "filter", broken)
    path = tmp_path / "directory.json"
    path.write_text(json.dumps({"emergency_numbers": [{"country": "DE", "general": "112"}]}))
    with pytest.raises(CommandError, match="version stamp could not be changed"):
        call_command("import_directory", "--file", str(path))


def test_the_snapshot_is_written_after_an_admin_import_preview_and_a_save(admin_client, commit):
    """Every admin import preview rolls back; the next curator's save must still write the snapshot."""
    from tests.directory.test_admin import add_form
    from tests.directory.test_admin_import_export import GOOD_ROW, csv_file, preview

    assert preview(admin_client, csv_file([GOOD_ROW])).status_code == 200  # a dry run: rolled back
    commit()
    response = admin_client.post("/admin/directory/organisation/add/", add_form(name="Nach der Vorschau"))
    assert response.status_code == 302
    commit()
    names = [record["name"] for record in snapshot.read()["organisations"]]
    assert "Nach der Vorschau" in names
    assert GOOD_ROW["name"] not in names
