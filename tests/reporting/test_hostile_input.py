"""Hostile input against the public pages and the JSON API, generated with Hypothesis.

Whatever arrives in the address (country code, situation slug, language prefix), in the query
string or in the headers (Accept-Language, User-Agent, Cookie), the answer is never a server
error, never shows a traceback, never echoes markup unescaped, never links or redirects off the
site to an address the visitor chose, and never sets a cookie. The API answers its errors as
JSON objects with a single "error" key and a 4xx status.

The requests go through Django's test client with production settings (debug off, HTTPS, CSRF
checks on), and no cookie is carried from one example to the next.
"""

import json
import traceback
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reporting.situations import SITUATIONS
from tests.factories import make_emergency, make_organisation

# Each test runs a bounded number of examples so that the whole file stays within a few seconds.
bounded = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

LANGUAGE_CODES = [code for code, _name in django_settings.LANGUAGES]
PREFIXES = [""] + [f"/{code}" for code in LANGUAGE_CODES if code != django_settings.LANGUAGE_CODE]
API_ENDPOINTS = [
    "/api/v1/situations/",
    "/api/v1/countries/",
    "/api/v1/route/",
    "/api/v1/organisations/",
    "/api/v1/openapi.json",
]

# Markup that must never come back as markup. Each is distinctive enough not to be in any template.
MARKUP = (
    "<script>alert('signpost-xss')</script>",
    "<b>signpost-xss</b>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    "</title><h1>signpost-xss</h1>",
)
# Strings that have broken web applications before: template syntax, traversal, encodings, scripts
# written right to left, invisible characters, digits that are not ASCII, addresses of other sites.
AWKWARD = (
    "",
    " ",
    "\x00",
    "de\x00",
    "%00",
    "%",
    "%2F",
    "?",
    "#",
    ";",
    "../../etc/passwd",
    "..",
    "{{ 7*7 }}",
    "{% debug %}",
    "${7*7}",
    "\\",
    "//evil.example",
    "\\evil.example",
    "/evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "\u202eevil",  # right-to-left override
    "\u200fمرحبا\u200f",
    "ﷺ",
    "\ufeffDE",
    "de\u200b",
    "ıt",  # upper-cases to IT
    "ſe",  # upper-cases to SE
    "ǆ",
    "𝔡𝔢",
    "²",
    "١٢",
    "-1",
    "0",
    "1e3",
    "9" * 40,
    "DE" * 60,
)
SLUGS = list(SITUATIONS)
COUNTRIES = ["de", "DE", "fr", "us", "zz", "xk", "eu", "uk", "gb", "DEU"]


def _markup_in(text: str, markup: str) -> str:
    return text[: len(text) // 2] + markup + text[len(text) // 2 :]


hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(AWKWARD),
    st.builds(_markup_in, st.text(max_size=12), st.sampled_from(MARKUP)),
    # Long values, up to a few thousand characters, built cheaply from a repeated piece.
    st.builds(lambda piece, n: (piece * n)[:4000], st.text(min_size=1, max_size=12), st.integers(100, 4000)),
)
country_values = st.one_of(st.sampled_from(COUNTRIES), hostile_text)
situation_values = st.one_of(st.sampled_from(SLUGS), hostile_text)
language_values = st.one_of(st.sampled_from(LANGUAGE_CODES + ["de-at", "DE", "pt-br", "zh-hans", "xx"]), hostile_text)
page_values = st.one_of(st.sampled_from(["1", "2", "0", "-1", "²", "١", "1.0", " 1 ", "1" * 50]), hostile_text)
extra_parameters = st.dictionaries(hostile_text, hostile_text, max_size=3)
# In the address, also bytes that are not UTF-8 at all ("%C0%AF", "%FF").
country_segments = st.one_of(country_values, st.binary(max_size=12))
situation_segments = st.one_of(situation_values, st.binary(max_size=12))
prefix_segments = st.one_of(language_values, st.binary(max_size=12))


def _as_wsgi_header(value: str) -> str:
    """What a WSGI server hands Django for a UTF-8 header: its bytes read as ISO-8859-1, without CR or LF."""
    return value.encode("utf-8").decode("latin-1").replace("\r", " ").replace("\n", " ").replace("\x00", "")


header_text = hostile_text.map(_as_wsgi_header)
language_tags = st.one_of(
    st.sampled_from(LANGUAGE_CODES + ["de-AT", "en-GB", "fr_CH", "ar-EG", "*", "zh-Hant-TW", "x-klingon", "i-default"]),
    hostile_text,
)
q_values = st.one_of(
    st.sampled_from(["", ";q=1", ";q=0", ";q=0.5", ";q=1.0001", ";q=-1", ";q=nan", ";q=inf", ";q=1e400", ";q=", ";q"]),
    hostile_text.map(lambda text: f";q={text}"),
)
accept_languages = st.one_of(
    header_text,
    st.lists(st.builds(lambda tag, q: tag + q, language_tags, q_values), max_size=8)
    .map(", ".join)
    .map(_as_wsgi_header),
    st.builds(
        lambda piece, n: ",".join([piece] * n),
        st.sampled_from(["de-AT;q=0.9", "x", ";;", "a-b-c-d-e-f"]),
        st.integers(50, 600),
    ),
)
cookie_names = st.one_of(
    st.sampled_from(
        [
            django_settings.CSRF_COOKIE_NAME,
            django_settings.SESSION_COOKIE_NAME,
            django_settings.LANGUAGE_COOKIE_NAME,
            "messages",
            "csrftoken",
            "sessionid",
        ]
    ),
    header_text,
)
cookies = st.one_of(
    header_text,
    st.lists(st.tuples(cookie_names, header_text), max_size=4).map(
        lambda pairs: "; ".join(f"{k}={v}" for k, v in pairs)
    ),
)
public_paths = st.sampled_from(
    [
        "/",
        "/help/",
        "/help/?country=de&situation=csam-found",
        "/help/de/",
        "/help/de/csam-found/",
        "/help/zz/csam-found/",
        "/leaving/",
        "/de/",
        "/ar/help/de/sextortion/",
        "/no-such-page/",
    ]
)

# Where the pages may send a visitor: the directory's own addresses (the fixture's) and the exit page.
FIXTURE_HOSTS = {"hotline.example.de", "helpline.example.de", "source.example.de", "www.inhope.example"}
OWN_HOSTS = {"testserver"}


@pytest.fixture
def small_directory(db):
    """Germany with a hotline, a helpline and its emergency numbers, and one worldwide service."""
    make_emergency("DE", general="112", police="110")
    make_organisation(
        key="de-hotline",
        name="Beschwerdestelle",
        countries=("DE",),
        services=("report_csam",),
        networks=("INHOPE",),
        channels=(("web_form", "https://hotline.example.de/melden"), ("website", "https://hotline.example.de/")),
        languages=["de", "en"],
        anonymous=True,
        free=True,
        source_urls=["https://source.example.de/"],
    )
    make_organisation(
        key="de-helpline",
        name="Nummer gegen Kummer",
        kind="child_helpline",
        countries=("DE",),
        services=("support_child", "support_adult"),
        channels=(("phone", "116 111"), ("website", "https://helpline.example.de/")),
        hours="Mo–Sa 14–20",
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
def visitor():
    """A client that talks as a browser does: HTTPS, with CSRF checks (Django's test client skips them).

    One per test: building a client loads the middleware, which is slow (WhiteNoise indexes the static files).
    """
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def send(visitor: Client, method: str, path: str, data=None, headers=None, **extra):
    """One request, with no cookie left over from an earlier example: only those in `headers` are sent."""
    visitor.cookies.clear()
    if method in ("GET", "HEAD"):
        return getattr(visitor, method.lower())(path, data, secure=True, headers=headers, **extra)
    return visitor.generic(method, path, data or "", secure=True, headers=headers, **extra)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction") and value is not None:
                self.urls.append(value)


def _as_browser_reads(url: str) -> str:
    """Browsers drop leading and trailing spaces and control characters, and tabs and newlines anywhere,
    and read a backslash as a slash in http(s) addresses: "/\\evil.example" is "//evil.example"."""
    url = url.strip("".join(chr(c) for c in range(0x21)))
    return url.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")


def leaves_for(url: str) -> str | None:
    """The foreign host a link or redirect takes the visitor to, or None when it stays on the site or dials."""
    url = _as_browser_reads(url)
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("tel", "sms", "mailto"):
        return None
    if url == "data:,":
        return None  # the empty icon that spares browsers a favicon request
    if scheme not in ("", "http", "https"):
        return f"{scheme}: address"
    rest = url[len(scheme) + 1 :] if scheme else url
    if not rest.startswith("//") and scheme == "":
        return None  # a path on this site (or a fragment, or a query)
    # Any number of slashes after the scheme, or at the start, introduce a host ("///evil.example/").
    host = urlsplit("//" + rest.lstrip("/")).hostname or ""
    return None if not host or host in OWN_HOSTS else host  # no host at all: an invalid address, going nowhere


def server_error_detail(response) -> str:
    info = getattr(response, "exc_info", None)
    if info and info[1] is not None:
        return "".join(traceback.format_exception(info[1])[-4:])
    return response.content[:500].decode("utf-8", "replace")


def assert_safe(response, *, what: str) -> None:
    """What every answer must respect, whatever was asked."""
    assert response.status_code < 500, f"{what}: {response.status_code}\n{server_error_detail(response)}"
    text = response.content.decode("utf-8", "replace")
    assert "Traceback" not in text, what
    assert 'File "/' not in text, what
    assert not response.cookies, f"{what}: sets a cookie: {response.cookies.output()}"
    assert not response.has_header("Set-Cookie"), what
    if response.has_header("Location"):
        foreign = leaves_for(response["Location"])
        assert foreign is None, f"{what}: redirects to {foreign}: {response['Location']}"
    if response.get("Content-Type", "").startswith("text/html"):
        for markup in MARKUP:
            assert markup not in text, f"{what}: reflects {markup!r} unescaped"
        allowed = FIXTURE_HOSTS | {urlsplit(django_settings.SIGNPOST_EXIT_URL).hostname}
        parser = _Links()
        parser.feed(text)
        for url in parser.urls:
            foreign = leaves_for(url)
            assert foreign is None or foreign in allowed, f"{what}: links to {foreign}: {url!r}"


def assert_api_answer(response, *, what: str) -> None:
    assert_safe(response, what=what)
    assert response["Content-Type"] == "application/json", f"{what}: {response['Content-Type']}"
    body = json.loads(response.content)
    assert isinstance(body, dict), what
    if response.status_code >= 300:
        assert 400 <= response.status_code < 500, f"{what}: {response.status_code}"
        assert set(body) == {"error"}, f"{what}: {body}"
        assert isinstance(body["error"], str) and body["error"], f"{what}: {body}"


# The public pages ---------------------------------------------------------------------------------


@bounded
@given(country=country_segments, slug=situation_segments, prefix=st.sampled_from(PREFIXES), shape=st.integers(0, 2))
@example(country="<script>alert('signpost-xss')</script>", slug="csam-found", prefix="", shape=1)
@example(country="de", slug='"><img src=x onerror=alert(1)>', prefix="/ar", shape=1)
@example(country="ıt", slug="sextortion", prefix="/de", shape=1)
@example(country="\x00", slug="\x00", prefix="", shape=1)
@example(country=b"\xc0\xaf", slug=b"\xff", prefix="/fr", shape=2)
def test_country_and_situation_in_the_address(small_directory, visitor, country, slug, prefix, shape):
    segments = [quote(country, safe=""), quote(slug, safe="")]
    path = {
        0: f"{prefix}/help/{segments[0]}/",
        1: f"{prefix}/help/{segments[0]}/{segments[1]}/",
        2: f"{prefix}/help/{segments[0]}/{segments[1]}",  # no trailing slash: CommonMiddleware redirects
    }[shape]
    assert_safe(send(visitor, "GET", path), what=f"GET {path}")


@bounded
@given(prefix=prefix_segments, rest=st.sampled_from(["", "help/", "help/de/", "help/de/csam-found/", "leaving/"]))
@example(prefix="<b>signpost-xss</b>", rest="help/de/")
@example(prefix="/evil.example", rest="help/")  # the path starts "//evil.example/…"
@example(prefix="\\evil.example", rest="")  # "/\evil.example/": a browser reads "//evil.example/"
def test_language_prefix_in_the_address(small_directory, visitor, prefix, rest):
    path = f"/{quote(prefix, safe='')}/{rest}"
    assert_safe(send(visitor, "GET", path), what=f"GET {path}")


@bounded
@given(
    path=st.sampled_from(["/", "/help/", "/help/de/", "/help/de/csam-found/", "/leaving/", "/fr/help/", "/ar/"]),
    country=st.one_of(st.none(), country_values),
    situation=st.one_of(st.none(), situation_values),
    extra=extra_parameters,
)
@example(path="/help/", country="<b>signpost-xss</b>", situation="<b>signpost-xss</b>", extra={})
@example(path="/help/de/", country=None, situation='" onmouseover="alert(1)', extra={})
@example(path="/help/", country="ıt", situation="csam-found", extra={"next": "//evil.example/"})
def test_query_parameters_on_the_pages(small_directory, visitor, path, country, situation, extra):
    params = dict(extra)
    if country is not None:
        params["country"] = country
    if situation is not None:
        params["situation"] = situation
    assert_safe(send(visitor, "GET", path, params), what=f"GET {path} {params!r}")


@bounded
@given(path=public_paths, accept_language=accept_languages, user_agent=header_text, cookie=cookies)
@example(path="/", accept_language="de-AT;q=nan, ar;q=inf, *;q=-1", user_agent="", cookie="")
@example(path="/", accept_language="x" * 5000, user_agent="<script>alert('signpost-xss')</script>", cookie="")
@example(path="/help/de/", accept_language="de", user_agent="", cookie=f"{django_settings.CSRF_COOKIE_NAME}=x")
def test_headers_on_the_pages(small_directory, visitor, path, accept_language, user_agent, cookie):
    headers = {"accept-language": accept_language, "user-agent": user_agent, "cookie": cookie}
    assert_safe(send(visitor, "GET", path, headers=headers), what=f"GET {path} with headers {headers!r}")


@bounded
@given(path=public_paths, query=extra_parameters)
def test_head_is_answered_as_get_is(small_directory, visitor, path, query):
    """HEAD is what link checkers, uptime monitors and caches send; RFC 9110 requires it wherever GET works."""
    response = send(visitor, "HEAD", path, query)
    assert_safe(response, what=f"HEAD {path} {query!r}")
    assert response.status_code == send(visitor, "GET", path, query).status_code, f"HEAD {path}: {response.status_code}"


@bounded
@given(
    method=st.sampled_from(["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"]),
    path=public_paths,
    body=hostile_text,
)
def test_other_methods_on_the_pages(small_directory, visitor, method, path, body):
    response = send(visitor, method, path, body.encode(), content_type="text/plain")
    assert_safe(response, what=f"{method} {path}")


# The JSON API ---------------------------------------------------------------------------------------


@bounded
@given(
    endpoint=st.sampled_from(API_ENDPOINTS),
    country=st.one_of(st.none(), country_values),
    situation=st.one_of(st.none(), situation_values),
    page=st.one_of(st.none(), page_values),
    lang=st.one_of(st.none(), language_values),
    extra=extra_parameters,
)
@example(endpoint="/api/v1/organisations/", country="DE", situation=None, page="²", lang=None, extra={})
@example(endpoint="/api/v1/route/", country="de", situation="csam-found", page=None, lang="ar", extra={})
@example(endpoint="/api/v1/route/", country="\x00", situation="\x00", page=None, lang="\x00", extra={})
@example(endpoint="/api/v1/organisations/", country="de", situation=None, page="9" * 40, lang="de", extra={})
def test_api_query_parameters(small_directory, visitor, endpoint, country, situation, page, lang, extra):
    params = dict(extra)
    for name, value in (("country", country), ("situation", situation), ("page", page), ("lang", lang)):
        if value is not None:
            params[name] = value
    assert_api_answer(send(visitor, "GET", endpoint, params), what=f"GET {endpoint} {params!r}")


@bounded
@given(
    endpoint=st.sampled_from(API_ENDPOINTS),
    accept_language=accept_languages,
    user_agent=header_text,
    cookie=cookies,
)
@example(
    endpoint="/api/v1/situations/", accept_language="", user_agent="", cookie=f"{django_settings.CSRF_COOKIE_NAME}=x"
)
def test_api_headers(small_directory, visitor, endpoint, accept_language, user_agent, cookie):
    headers = {"accept-language": accept_language, "user-agent": user_agent, "cookie": cookie}
    path = endpoint + ("?country=de&situation=csam-found" if endpoint.endswith("route/") else "")
    assert_api_answer(send(visitor, "GET", path, headers=headers), what=f"GET {path} with headers {headers!r}")


@bounded
@given(
    endpoint=st.sampled_from(API_ENDPOINTS),
    method=st.sampled_from(["POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
    body=hostile_text,
)
@example(endpoint="/api/v1/route/", method="POST", body="{}")
def test_api_answers_other_methods_with_a_json_error(small_directory, visitor, endpoint, method, body):
    response = send(visitor, method, endpoint, body.encode(), content_type="application/json")
    assert_api_answer(response, what=f"{method} {endpoint}")
    assert response.status_code == 405, f"{method} {endpoint}: {response.status_code}"


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(endpoint=st.sampled_from(API_ENDPOINTS), count=st.integers(1001, 3000))
def test_api_answers_too_many_parameters_with_a_json_error(small_directory, visitor, endpoint, count):
    """Django refuses more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1000) parameters; the API must say so in JSON."""
    query = "&".join(f"p{number}=1" for number in range(count))
    response = send(visitor, "GET", f"{endpoint}?{query}")
    assert_api_answer(response, what=f"GET {endpoint} with {count} parameters")
    assert response.status_code == 400
