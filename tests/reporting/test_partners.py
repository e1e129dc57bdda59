import csv
import io
import json

import pytest

from directory.importing import import_text
from directory.models import EmbedOrigin, Organisation
from tests.factories import make_emergency, make_organisation


@pytest.fixture
def germany(db):
    make_emergency("DE", general="112")
    make_organisation(key="de-meldestelle", name="Meldestelle", countries=("DE",), internal_notes="secret note")
    make_organisation(key="de-draft", name="Draft", countries=("DE",), status="draft")


def test_the_embed_is_framable_only_by_listed_origins(client, germany):
    EmbedOrigin.objects.create(origin="https://www.school.example", name="A school")
    EmbedOrigin.objects.create(origin="https://old.example", name="Old partner", active=False)
    response = client.get("/embed/de/csam-found/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors https://www.school.example" in policy
    assert "old.example" not in policy
    assert "X-Frame-Options" not in response
    assert "Meldestelle" in response.text
    assert 'target="_top"' in response.text
    assert response.cookies == {}


def test_with_no_partner_listed_nobody_may_frame_it(client, germany):
    response = client.get("/embed/de/csam-found/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_every_other_page_stays_unframable(client, germany):
    EmbedOrigin.objects.create(origin="https://www.school.example", name="A school")
    response = client.get("/help/de/csam-found/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "origin",
    ["http://school.example", "https://school.example/page", "*", "https://*.example",
     "https://*:*;@school.example", "https://user@school.example", "https://school.example:8443/x",
     "https://school.example 'unsafe-inline'"],
)  # fmt: skip
def test_curators_can_only_list_https_origins(admin_client, db, origin):
    response = admin_client.post("/admin/directory/embedorigin/add/", {"origin": origin, "name": "x", "active": "on"})
    assert response.status_code == 200
    assert not EmbedOrigin.objects.exists()


def test_the_admin_shows_a_snippet_to_paste(admin_client, db):
    origin = EmbedOrigin.objects.create(origin="https://www.school.example", name="A school")
    page = admin_client.get(f"/admin/directory/embedorigin/{origin.pk}/change/").text
    assert "&lt;iframe src=" in page and "/embed/de/csam-found/" in page


def test_the_open_data_json_is_the_exchange_format_without_internal_fields(client, germany):
    response = client.get("/data/directory.json")
    assert response.status_code == 200
    document = response.json()
    assert "CC BY 4.0" in document["meta"]["licence"]
    assert document["meta"]["generated"]
    assert [o["key"] for o in document["organisations"]] == ["de-meldestelle"]
    assert "internal_notes" not in document["organisations"][0]
    assert "secret note" not in response.text
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.cookies == {}


def test_the_open_data_can_be_imported_as_is(client, germany):
    text = client.get("/data/directory.json").content.decode()
    Organisation.objects.all().delete()
    summary = import_text(text)
    assert summary.created == 1


def test_the_open_data_csv_has_a_row_per_published_organisation(client, germany):
    response = client.get("/data/directory.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["key"] for row in rows] == ["de-meldestelle"]
    assert json.loads(rows[0]["countries"]) == ["DE"]
    assert "internal_notes" not in rows[0]


def test_mirrors_get_a_304_when_nothing_changed(client, germany, commit):
    first = client.get("/data/directory.json")
    etag = first["ETag"]
    again = client.get("/data/directory.json", headers={"if-none-match": etag})
    assert again.status_code == 304
    make_organisation(key="de-neu", name="Neu", countries=("DE",))
    commit()  # the change commits
    changed = client.get("/data/directory.json", headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_the_open_data_csv_never_holds_a_formula(client, germany):
    import csv
    import io

    make_organisation(key="de-formula", name="@SUM(1+1)", countries=("DE",))
    text = client.get("/data/directory.csv").content.decode("utf-8")
    cells = [value for row in csv.reader(io.StringIO(text)) for value in row]
    assert "'@SUM(1+1)" in cells
    assert not any(value.startswith(("=", "+", "-", "@")) for value in cells)
    assert "formula" in client.get("/data/directory.json").json()["meta"]["csv"]


def test_a_listed_origin_may_have_a_port(admin_client, db):
    admin_client.post("/admin/directory/embedorigin/add/", {"origin": "https://school.example:8443", "name": "x"})
    assert EmbedOrigin.objects.filter(origin="https://school.example:8443").exists()


def test_a_bad_origin_that_reached_the_database_is_never_emitted(client, germany):
    EmbedOrigin.objects.create(origin="https://*:*;@school.example", name="Smuggled")
    EmbedOrigin.objects.create(origin="https://www.school.example", name="A school")
    policy = client.get("/embed/de/csam-found/")["Content-Security-Policy"]
    assert "frame-ancestors https://www.school.example" in policy
    assert "*" not in policy.split("frame-ancestors", 1)[1].split(";", 1)[0]


def test_the_embed_keeps_answering_when_the_origins_cannot_be_read(client, germany, monkeypatch):
    from django.db import DatabaseError

    from reporting import partners

    def unreachable(*args, **kwargs):
        raise DatabaseError("the database is down")

    monkeypatch.setattr(partners.EmbedOrigin.objects, "filter", unreachable)
    response = client.get("/embed/de/csam-found/")
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_snippet_carries_the_sites_public_address(admin_client, db, settings):
    settings.SIGNPOST_PUBLIC_URL = "https://hilfe.example.org"
    origin = EmbedOrigin.objects.create(origin="https://www.school.example", name="A school")
    text = admin_client.get(f"/admin/directory/embedorigin/{origin.pk}/change/").text
    assert "https://hilfe.example.org/embed/de/csam-found/" in text
    assert "SIGNPOST_HOST" not in text
