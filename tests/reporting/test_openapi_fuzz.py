"""Schemathesis drives the API from its own OpenAPI description (/api/v1/openapi.json), in process.

The document is loaded from the Django WSGI application and every operation in it is called with
generated parameters, as partners' clients might send them (Schemathesis leaves out the operation
that serves the document itself; test_hostile_input.py covers it). Each answer must not be a server
error, must use a status code the document declares, and must match the declared content type and
response schema. The requests go through the real WSGI handler (not Django's test client), over
HTTPS as production requires.
"""

import warnings

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from reporting.situations import SITUATIONS
from tests.factories import make_emergency, make_organisation

BASE_URL = "https://localhost"  # production settings redirect plain HTTP to HTTPS

with warnings.catch_warnings():
    # Loading the application now, at collection, is before the session fixture collects the static
    # files, and WhiteNoise warns that their folder is missing. The API serves no static files.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    from config.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, base_url=BASE_URL)

# Values the directory knows. Arbitrary strings almost never name a country and a situation, so
# half the time a generated value is swapped for one of these: the 200 answers, whose schemas are
# the richest, get checked as well as the errors.
KNOWN_VALUES = {
    "country": ["DE", "de", "AT", "FR", "US", "ZZ"],
    "situation": list(SITUATIONS),
    "lang": [code for code, _name in django_settings.LANGUAGES],
    "page": ["1", "2", "0"],
}


@schema.hook
def flatmap_query(context, query):
    if not isinstance(query, dict):
        return st.just(query)
    known = {
        name: st.one_of(st.just(value), st.sampled_from(KNOWN_VALUES[name]))
        for name, value in query.items()
        if name in KNOWN_VALUES and isinstance(value, str)
    }
    return st.fixed_dictionaries(known).map(lambda chosen: {**query, **chosen})


@pytest.fixture
def api_directory(db):
    """Directory content for the API to answer from, with every optional field used somewhere.

    Created once per operation (the examples only read). The WSGI calls run in this thread, on the
    test's own database connection, so they see these rows inside the test's transaction.
    """
    make_emergency("DE", general="112", police="110", ambulance="112", fire="112")
    make_emergency("FR", general="112", police="17", ambulance="15", fire="18")
    make_organisation(
        key="de-hotline",
        name="Beschwerdestelle",
        name_en="Complaints office",
        countries=("DE",),
        services=("report_csam", "remove_images"),
        networks=("INHOPE",),
        channels=(("web_form", "https://hotline.example.de/melden"), ("website", "https://hotline.example.de/")),
        languages=["de", "en"],
        anonymous=True,
        free=True,
        hours="24/7",
        description="Nimmt Hinweise auf Darstellungen sexualisierter Gewalt entgegen.",
        source_urls=["https://source.example.de/", "https://source.example.de/2"],
    )
    make_organisation(
        key="de-helpline",
        name="Nummer gegen Kummer",
        kind="child_helpline",
        countries=("DE",),
        services=("support_child", "support_adult"),
        networks=("CHI",),
        channels=(("phone", "116 111"), ("chat", "https://chat.example.de/"), ("email", "hilfe@example.de")),
        last_checked=None,
    )
    make_organisation(
        key="multi-country-sms",
        name="Regional helpline",
        kind="sic_helpline",
        countries=("DE", "AT"),
        services=("support_child", "advice"),
        channels=(("sms", "+49 151 23456789"),),
    )
    make_organisation(
        key="ww-inhope",
        name="INHOPE",
        kind="worldwide_service",
        countries=(),
        worldwide=True,
        services=("report_csam", "remove_images", "support_child", "support_adult", "advice", "prevention"),
        channels=(("website", "https://www.inhope.example/report"),),
    )


@pytest.fixture
def in_process_wsgi():
    """Keep Django from closing the test's connection at the start and end of each WSGI request.

    Django's own test client does the same; without it, on PostgreSQL the handler would close the
    connection that holds the test's transaction (SQLite's in-memory test database ignores it).
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_api_answers_as_its_openapi_document_says(case, api_directory, in_process_wsgi):
    case.call_and_validate(
        base_url=BASE_URL,
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )
