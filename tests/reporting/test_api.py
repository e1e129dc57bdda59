import copy

import jsonschema
import pytest

from reporting.openapi import openapi_document
from tests.factories import make_emergency, make_organisation


def to_json_schema(schema):
    """OpenAPI 3.0 says `nullable: true`; JSON Schema says type [..., "null"]."""
    if isinstance(schema, dict):
        result = {key: to_json_schema(value) for key, value in schema.items() if key != "nullable"}
        if schema.get("nullable"):
            result["type"] = [schema["type"], "null"]
        return result
    if isinstance(schema, list):
        return [to_json_schema(item) for item in schema]
    return schema


def assert_matches_openapi(path, status, body):
    operation = openapi_document()["paths"][path]["get"]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    jsonschema.validate(body, to_json_schema(copy.deepcopy(schema)))


@pytest.fixture
def germany(db):
    make_emergency("DE", general="112", police="110")
    make_organisation(
        key="de-hotline",
        name="Beschwerdestelle",
        countries=("DE",),
        networks=("INHOPE",),
        channels=(("web_form", "https://hotline.example.de/melden"), ("website", "https://hotline.example.de/")),
        languages=["de", "en"],
        anonymous=True,
        free=True,
        source_urls=["https://source.example.de/"],
    )
    make_organisation(
        key="ww-inhope", name="INHOPE", kind="worldwide_service", countries=(), worldwide=True,
        services=("report_csam",), channels=(("website", "https://www.inhope.org/"),),
    )  # fmt: skip


def test_situations_lists_every_situation_with_its_steps(client, db):
    response = client.get("/api/v1/situations/")
    assert response.status_code == 200
    body = response.json()
    assert [s["slug"] for s in body["situations"]][:2] == ["danger-now", "csam-found"]
    assert len(body["situations"]) == 10
    assert body["situations"][1]["steps"][0]["service"] == "report_csam"
    assert_matches_openapi("/api/v1/situations/", 200, body)


def test_countries_lists_every_iso_country_with_emergency_numbers(client, germany):
    response = client.get("/api/v1/countries/")
    body = response.json()
    assert len(body["countries"]) == 249
    germany_row = next(c for c in body["countries"] if c["code"] == "DE")
    assert germany_row == {
        "code": "DE",
        "name": "Germany",
        "emergency": {"general": "112", "police": "110", "ambulance": None, "fire": None, "other": []},
    }
    assert_matches_openapi("/api/v1/countries/", 200, body)


def test_route_answers_as_the_design_describes(client, germany):
    response = client.get("/api/v1/route/", {"country": "de", "situation": "csam-found"})
    assert response.status_code == 200
    body = response.json()
    assert body["country"] == {"code": "DE", "name": "Germany"}
    assert body["situation"] == {"slug": "csam-found", "title": "I saw sexual images or videos of a child online"}
    assert body["emergency"]["general"] == "112"
    first = body["steps"][0]
    assert (first["service"], first["fallback"]) == ("report_csam", False)
    hotline = first["organisations"][0]
    assert {key: hotline[key] for key in ("name", "kind", "networks", "scope", "website", "languages")} == {
        "name": "Beschwerdestelle",
        "kind": "hotline",
        "networks": ["INHOPE"],
        "scope": "national",
        "website": "https://hotline.example.de/",
        "languages": ["de", "en"],
    }
    assert hotline["channels"][0] == {
        "type": "web_form", "value": "https://hotline.example.de/melden", "label": "",
        "href": "https://hotline.example.de/melden", "hours": "", "free": None,
        "open_now": {"state": "unknown", "until": None, "opens_at": None},
    }  # fmt: skip
    assert (hotline["free"], hotline["anonymous"], hotline["last_checked"]) == (True, True, "2026-11-01")
    assert hotline["source_url"] == "https://source.example.de/"
    assert_matches_openapi("/api/v1/route/", 200, body)


def test_route_marks_worldwide_answers_as_fallback(client, germany):
    make_emergency("FR")
    body = client.get("/api/v1/route/", {"country": "FR", "situation": "csam-found"}).json()
    first = body["steps"][0]
    assert first["fallback"] is True
    assert first["organisations"][0]["scope"] == "worldwide"


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({}, 400),
        ({"country": "DE"}, 400),
        ({"situation": "csam-found"}, 400),
        ({"country": "", "situation": "csam-found"}, 400),
        ({"country": "XX", "situation": "csam-found"}, 404),
        ({"country": "DE", "situation": "nothing"}, 404),
        ({"country": "<script>", "situation": "csam-found"}, 404),
        ({"country": "DE" * 5000, "situation": "csam-found"}, 404),
        ({"country": "DE", "situation": "csam-found", "lang": "xx"}, 400),
    ],
)
def test_route_errors_are_json(client, germany, query, status):
    response = client.get("/api/v1/route/", query)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"error"}
    assert "<script>" not in response.text
    assert_matches_openapi("/api/v1/route/", status, response.json())


def test_organisations_lists_national_published_entries_in_pages(client, germany):
    for number in range(55):
        make_organisation(key=f"de-extra-{number:02}", name=f"Extra {number:02}", countries=("DE",))
    make_organisation(key="de-draft", name="Draft", countries=("DE",), status="draft")
    first = client.get("/api/v1/organisations/", {"country": "DE"}).json()
    assert (first["count"], first["pages"], len(first["organisations"])) == (56, 2, 50)
    assert first["next"] == "/api/v1/organisations/?country=DE&page=2"
    second = client.get(first["next"]).json()
    assert len(second["organisations"]) == 6
    assert second["previous"] == "/api/v1/organisations/?country=DE&page=1"
    names = {o["name"] for o in first["organisations"] + second["organisations"]}
    assert "Draft" not in names and "INHOPE" not in names
    assert_matches_openapi("/api/v1/organisations/", 200, first)


@pytest.mark.parametrize(("query", "status"), [({}, 400), ({"country": "DE", "page": "0"}, 400),
                                                ({"country": "DE", "page": "x"}, 400),
                                                ({"country": "DE", "page": "9"}, 404)])  # fmt: skip
def test_organisations_errors_are_json(client, germany, query, status):
    response = client.get("/api/v1/organisations/", query)
    assert response.status_code == status
    assert "error" in response.json()


def test_the_api_is_open_to_browsers_of_any_site_and_sets_no_cookie(client, germany):
    response = client.get("/api/v1/route/", {"country": "DE", "situation": "grooming"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response.cookies == {}


def test_the_api_only_reads(client, germany):
    response = client.post("/api/v1/route/?country=DE&situation=grooming")
    assert response.status_code == 405
    assert response.json() == {"error": "Only GET is allowed."}


def test_the_openapi_document_describes_every_endpoint(client, db):
    body = client.get("/api/v1/openapi.json").json()
    assert body["openapi"].startswith("3.")
    assert set(body["paths"]) == {
        "/api/v1/situations/", "/api/v1/countries/", "/api/v1/route/", "/api/v1/organisations/",
        "/api/v1/platforms/", "/api/v1/openapi.json",
    }  # fmt: skip


def test_route_is_cached_until_the_directory_changes(client, germany, django_assert_num_queries, commit):
    query = {"country": "DE", "situation": "csam-found"}
    client.get("/api/v1/route/", query)
    with django_assert_num_queries(0):
        client.get("/api/v1/route/", query)
    make_organisation(key="de-new", name="Neu", countries=("DE",))
    commit()  # the change commits
    names = [o["name"] for o in client.get("/api/v1/route/", query).json()["steps"][0]["organisations"]]
    assert "Neu" in names


def test_numbers_without_a_service_label_are_still_given(client, db):
    make_emergency("TV", general="", other=[{"number": "911", "note": "service not stated"}])
    body = client.get("/api/v1/route/", {"country": "TV", "situation": "danger-now"}).json()
    assert body["emergency"] == {"general": None, "police": None, "ambulance": None, "fire": None, "other": ["911"]}
    assert 'href="tel:911"' in client.get("/help/tv/danger-now/").text
