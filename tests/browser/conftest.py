"""Browser tests: the machine's Chromium, driven by Playwright, against a live server with production settings.

One browser is started for the whole folder (package scope) and stopped when the folder is done, so
the rest of the suite never runs beside Playwright's event loop. Every test gets fresh browser
contexts (no shared cookies or cache), and the browser can reach nothing but the live server: the
quick exit's outside address is answered locally and every other outside request is refused.

When a test fails, a full-page screenshot of every page it had open is saved in test-artifacts/.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from playwright.sync_api import sync_playwright

from tests.factories import make_emergency, make_organisation, make_platform

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"  # apt's Chromium: Playwright's own browser download does not work here
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# What the quick exit's neutral page is replaced with: the tests never leave the machine.
EXIT_PAGE = "<!doctype html><html lang=en><title>Weather</title><h1>Weather</h1></html>"


@pytest.fixture(scope="package", autouse=True)
def _django_beside_playwright():
    """Sync Playwright keeps an event loop running in the main thread, and Django then refuses
    database access from it (SynchronousOnlyOperation). The tests' own database calls are plain
    synchronous code, so allow them, for this folder only."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package", autouse=True)
def _snapshot_elsewhere(tmp_path_factory):
    """Here every save commits, so the directory snapshot (directory/snapshot.py) is written after
    each one: into a temporary folder, never over the project's var/directory-snapshot.json."""
    with override_settings(SIGNPOST_SNAPSHOT_PATH=tmp_path_factory.mktemp("snapshot") / "directory-snapshot.json"):
        yield


def _as_is(application):
    """The live server's static-files wrapper, replaced by nothing: WhiteNoise serves the hashed
    static files (collected by tests/conftest.py) exactly as in production."""
    return application


@pytest.fixture(scope="package")
def live_server(django_db_setup, django_db_blocker):
    """pytest-django's live server, with production settings except plain HTTP.

    The settings fixture cannot do this: SecurityMiddleware reads SECURE_SSL_REDIRECT and
    SECURE_HSTS_SECONDS once, when the server builds its middleware, so they must be changed
    before the server starts, and changed back when this folder is done (the HTTPS tests run later).
    """
    from pytest_django.live_server_helper import LiveServer

    with override_settings(SECURE_SSL_REDIRECT=False, SECURE_HSTS_SECONDS=0), django_db_blocker.unblock():
        server = LiveServer(os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"), start=False)
        server.thread.static_handler = _as_is
        server.start()
        yield server
        server.stop()


@pytest.fixture(scope="package")
def chromium(live_server):
    """One Chromium for the folder. Started after the test database and the live server, because
    while Playwright's event loop runs, Django keeps its connections per async context instead of
    per thread (asgiref's Local): the tests would get a second connection to the test database,
    without the data saved for serialized rollback and not the one the live server shares. So the
    connections made before the loop started are put back where Django will look for them."""
    from django.db import connections

    before = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in before.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Problems(list):
    """Console errors, uncaught exceptions and CSP violations seen by a test's pages."""

    def __str__(self) -> str:
        return "\n".join(self) or "none"


@pytest.fixture
def problems() -> Problems:
    return Problems()


@pytest.fixture
def open_context(request, chromium, live_server, problems):
    """A factory for fresh browser contexts that reach only the live server (and the stubbed exit page)."""
    contexts = []
    request.node.browser_contexts = contexts  # for the screenshot on failure
    exit_url = settings.SIGNPOST_EXIT_URL

    def elsewhere(url: str) -> bool:
        return not url.startswith(live_server.url + "/")

    def keep_local(route):
        url = route.request.url
        if url.split("#")[0] == exit_url or url.startswith(("https://neutral.example/", exit_url)):
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=EXIT_PAGE)
        else:
            problems.append(f"blocked request to the outside: {url}")
            route.abort()

    def on_console(message):
        if message.type == "error":  # Chromium reports CSP violations here too
            problems.append(f"console: {message.text}")

    def watch(page):
        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def open_(**options):
        options.setdefault("base_url", live_server.url)
        options.setdefault("locale", "en-GB")
        context = chromium.new_context(**options)
        context.set_default_timeout(5_000)
        context.route(elsewhere, keep_local)  # the live server's own requests are not intercepted
        context.on("page", watch)
        contexts.append(context)
        return context

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def tab(open_context):
    """A page in a fresh context: a 1280×720 window, English, JavaScript on."""
    return open_context().new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        saved = []
        for number, context in enumerate(getattr(item, "browser_contexts", [])):
            for page_number, page in enumerate(context.pages):
                ARTIFACTS.mkdir(exist_ok=True)
                name = re.sub(r"[^A-Za-z0-9_.-]+", "-", item.nodeid.split("/")[-1]).strip("-")
                path = ARTIFACTS / f"{name}-{number}-{page_number}.png"
                try:
                    page.screenshot(path=path, full_page=True)
                    saved.append(f"{path} ({page.url})")
                except Exception as error:  # a crashed page must not hide the test's own failure
                    saved.append(f"no screenshot of {page.url}: {error}")
        if saved:
            report.sections.append(("screenshots", "\n".join(saved)))
    return report


# Test data ----------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def _directory_once(live_server, django_db_blocker):
    """The test directory, made once for the folder (it is read, never changed, by the tests).

    The live server needs real commits, so each test runs as a TransactionTestCase: the database is
    emptied after it and, with serialized rollback, refilled before the next from a copy Django keeps
    (the data the migrations create). The directory is added to that copy, instead of being made
    again for every test.
    """
    from django.db import connection

    migrated = connection._test_serialized_contents
    with django_db_blocker.unblock():
        connection.creation.deserialize_db_from_string(migrated)  # after an earlier test emptied it
        with transaction.atomic():  # one commit: the directory snapshot is written once, not for every row
            _make_directory()
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    yield
    connection._test_serialized_contents = migrated


@pytest.fixture
def directory(_directory_once):
    """Germany fully covered, Egypt, Ukraine and Poland for the other languages, worldwide services
    for the rest (see _make_directory)."""


def _make_directory():
    make_emergency("DE", general="112", police="110")
    make_organisation(
        key="de-hotline",
        name="Beschwerdestelle",
        countries=("DE",),
        services=("report_csam",),
        networks=("INHOPE",),
        channels=(("web_form", "https://hotline.example.de/melden"), ("email", "hinweis@hotline.example.de")),
        anonymous=True,
        languages=["de", "en"],
        source_urls=["https://hotline.example.de/"],
    )
    make_organisation(
        key="de-helpline",
        name="Nummer gegen Kummer",
        kind="child_helpline",
        countries=("DE",),
        services=("support_child", "support_adult", "advice"),
        channels=(("phone", "116 111"), ("chat", "https://helpline.example.de/chat")),
        free=True,
        anonymous=True,
        hours="Mon–Sat 14:00–20:00",
        languages=["de"],
    )
    make_organisation(
        key="de-police",
        name="Polizei – Onlinewache",
        kind="police",
        countries=("DE",),
        services=("report_police",),
        channels=(("website", "https://polizei.example.de/onlinewache"),),
    )
    make_organisation(
        key="worldwide-takeitdown",
        name="Take It Down",
        kind="worldwide_service",
        countries=(),
        worldwide=True,
        services=("remove_images",),
        channels=(("web_form", "https://takeitdown.example.org/"),),
        description="Helps remove nude, partially nude or sexual images taken before you were 18.",
    )
    # Where it happened: one platform in Take It Down, one not known to be.
    make_platform(key="instagram", name="Instagram", report_url="https://help.instagram.example/report")
    make_platform(key="roblox", name="Roblox", report_url="https://help.roblox.example/report", take_it_down=None)
    make_organisation(
        key="worldwide-inhope",
        name="INHOPE",
        kind="worldwide_service",
        countries=(),
        worldwide=True,
        services=("report_csam",),
        channels=(("website", "https://www.inhope.example.org/what-we-do/how-to-report"),),
    )
    make_organisation(
        key="worldwide-chi",
        name="Child Helpline International",
        kind="worldwide_service",
        countries=(),
        worldwide=True,
        services=("support_child", "support_adult", "advice"),
        channels=(("website", "https://childhelplineinternational.example.org/helplines"),),
    )
    make_organisation(
        key="worldwide-stopitnow",
        name="Stop It Now",
        kind="worldwide_service",
        countries=(),
        worldwide=True,
        services=("prevention",),
        channels=(("website", "https://stopitnow.example.org/"),),
    )
    # Egypt: no general number, the police's is the one to call.
    make_emergency("EG", general="", police="122", ambulance="123", fire="180")
    make_organisation(
        key="eg-helpline",
        name="خط نجدة الطفل",
        name_en="Child Helpline Egypt",
        kind="child_helpline",
        countries=("EG",),
        services=("support_child", "support_adult", "advice"),
        channels=(("phone", "16000"),),
        languages=["ar"],
        free=True,
    )
    make_emergency("UA", general="112", police="102")
    make_organisation(
        key="ua-helpline",
        name="Ла Страда-Україна",
        name_en="La Strada Ukraine",
        kind="child_helpline",
        countries=("UA",),
        services=("support_child", "support_adult", "advice"),
        channels=(("phone", "116 111"), ("phone", "0 800 500 335")),
        languages=["uk"],
    )
    make_organisation(
        key="ua-police",
        name="Кіберполіція",
        name_en="Cyberpolice of Ukraine",
        kind="police",
        countries=("UA",),
        services=("report_police",),
        channels=(("web_form", "https://cyberpolice.example.ua/contact/"),),
    )
    make_emergency("PL", general="112", police="997")
    make_organisation(
        key="pl-hotline",
        name="Dyżurnet.pl",
        countries=("PL",),
        services=("report_csam",),
        networks=("INHOPE",),
        channels=(("web_form", "https://dyzurnet.example.pl/zglos"),),
        languages=["pl"],
    )
