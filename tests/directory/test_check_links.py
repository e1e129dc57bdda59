"""The link checker, against a real HTTP server on 127.0.0.1 that the tests start (never the internet)."""

import datetime
import io
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from directory.linkcheck import (
    DEFAULT_USER_AGENT,
    CheckResult,
    broken_links,
    check_url,
    check_urls,
    organisations_with_broken_links,
    platforms_with_broken_links,
    record_results,
    urls_to_check,
)
from directory.models import LinkCheck, Platform
from tests.factories import make_organisation

SLOW_SECONDS = 3.0
BUSY_SECONDS = 0.2


class Site:
    """What the test server saw, and the switches a test can flip."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str]] = []
        self.user_agents: list[str] = []
        self.active = 0
        self.most_active = 0
        self.missing = {"/missing"}
        self.stopping = threading.Event()
        self.base_url = ""
        self.inward = ""

    def url(self, path: str) -> str:
        return self.base_url + path


class Handler(BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.answer()

    def do_GET(self):
        self.answer()

    def answer(self):
        site: Site = self.server.site
        with site.lock:
            site.requests.append((self.command, self.path))
            site.user_agents.append(self.headers.get("User-Agent", ""))
            site.active += 1
            site.most_active = max(site.most_active, site.active)
        try:
            status, location = self.route(site)
        finally:
            with site.lock:
                site.active -= 1
        body = f"{status}\n".encode()
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def route(self, site: Site) -> tuple[int, str | None]:
        if self.path == "/slow":
            site.stopping.wait(SLOW_SECONDS)
        elif self.path.startswith("/busy/"):
            site.stopping.wait(BUSY_SECONDS)
        elif self.path == "/loop":
            return 302, "/loop"
        elif self.path == "/moved":
            return 301, "/ok"
        elif self.path == "/inward":
            return 302, site.inward
        elif self.path == "/head-not-allowed" and self.command == "HEAD":
            return 405, None
        if self.path in site.missing:
            return 404, None
        return 200, None

    def log_message(self, format, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # the checker hangs up on slow pages; that is expected


@pytest.fixture(autouse=True)
def only_this_machine(monkeypatch, settings):
    """Fail any test that would resolve a name other than 127.0.0.1 (names under .invalid fail quietly).

    The checker refuses loopback addresses in production; these tests run their server there, so
    they allow it (the tests of the refusal turn it off again)."""
    settings.SIGNPOST_LINKCHECK_ALLOW_PRIVATE = True
    attempted = []
    resolve = socket.getaddrinfo

    def local_only(host, *args, **kwargs):
        if host in ("127.0.0.1", b"127.0.0.1"):
            return resolve(host, *args, **kwargs)
        if not str(host).endswith(".invalid"):
            attempted.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", local_only)
    yield
    assert not attempted, f"the tests tried to reach {attempted}"


@pytest.fixture
def site():
    site = Site()
    server = QuietServer(("127.0.0.1", 0), Handler)
    server.site = site
    site.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield site
    site.stopping.set()
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def a_closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_it_marks_a_working_page_as_working(site):
    result = check_url(site.url("/ok"), timeout=5)

    assert result == CheckResult(site.url("/ok"), ok=True, status_code=200, error="")
    assert site.requests == [("HEAD", "/ok")]


def test_it_marks_a_404_as_broken(site):
    result = check_url(site.url("/missing"), timeout=5)

    assert not result.ok
    assert result.status_code == 404
    assert result.error == "HTTP 404 Not Found"
    assert site.requests == [("HEAD", "/missing")]


def test_it_follows_a_redirect_to_a_working_page(site):
    result = check_url(site.url("/moved"), timeout=5)

    assert result.ok
    assert result.status_code == 200
    assert site.requests == [("HEAD", "/moved"), ("HEAD", "/ok")]


def test_it_gives_up_on_a_page_that_answers_too_slowly(site):
    started = time.monotonic()
    result = check_url(site.url("/slow"), timeout=0.5)

    assert time.monotonic() - started < SLOW_SECONDS - 1
    assert not result.ok
    assert result.status_code is None
    assert result.error == "timed out"


def test_it_reports_a_refused_connection():
    result = check_url(f"http://127.0.0.1:{a_closed_port()}/", timeout=5)

    assert not result.ok
    assert result.status_code is None
    assert result.error == "connection refused"


def test_it_reports_a_host_name_that_does_not_exist():
    result = check_url("https://no-such-helpline.invalid/report", timeout=5)

    assert not result.ok
    assert result.error == "host name not found (DNS lookup failed)"


def test_it_reports_a_redirect_loop(site):
    result = check_url(site.url("/loop"), timeout=5)

    assert not result.ok
    assert result.status_code == 302
    assert result.error == "redirect loop"
    assert site.requests == [("HEAD", "/loop")]


def test_it_retries_with_get_when_head_is_not_allowed(site):
    result = check_url(site.url("/head-not-allowed"), timeout=5)

    assert result.ok
    assert result.status_code == 200
    assert site.requests == [("HEAD", "/head-not-allowed"), ("GET", "/head-not-allowed")]


def test_it_introduces_itself_with_its_user_agent(site):
    check_url(site.url("/head-not-allowed"), timeout=5, user_agent=DEFAULT_USER_AGENT)
    check_url(site.url("/ok"), timeout=5, user_agent="Signpost test agent")

    assert site.user_agents == [DEFAULT_USER_AGENT, DEFAULT_USER_AGENT, "Signpost test agent"]
    assert "Signpost link checker" in DEFAULT_USER_AGENT


def test_it_never_raises_for_an_address_it_cannot_use():
    results = check_urls(["not a web address", "mailto:help@example.org", "http://", "http://127.0.0.1:99999/"])

    assert [result.ok for result in results] == [False, False, False, False]
    assert all(result.error for result in results)
    assert results[1].error == "not a web address (only http and https links are checked)"


def test_it_checks_no_more_addresses_at_once_than_allowed(site):
    urls = [site.url(f"/busy/{number}") for number in range(6)]

    results = check_urls(urls, concurrency=2, timeout=5)

    assert [result.url for result in results] == urls
    assert all(result.ok for result in results)
    assert site.most_active == 2


def test_it_checks_each_address_once_and_keeps_the_first_seen_order(site):
    urls = [site.url("/missing"), site.url("/ok"), site.url("/missing")]

    results = check_urls(urls, timeout=5)

    assert [(result.url, result.ok) for result in results] == [(site.url("/missing"), False), (site.url("/ok"), True)]
    assert sorted(site.requests) == [("HEAD", "/missing"), ("HEAD", "/ok")]


def test_check_urls_refuses_a_concurrency_below_one():
    with pytest.raises(ValueError):
        check_urls([], concurrency=0)


@pytest.mark.django_db
def test_it_lists_the_web_addresses_of_organisations_that_are_not_archived():
    make_organisation(
        channels=(
            ("website", "https://hotline.example.de/"),
            ("web_form", "https://hotline.example.de/melden"),
            ("chat", "https://chat.example.de/"),
            ("app", "http://app.example.de/"),
            ("app", "market://details?id=de.example.app"),
            ("phone", "116 111"),
            ("email", "hilfe@example.de"),
        )
    )
    make_organisation(status="draft", channels=(("website", "https://draft.example.org/"),))
    make_organisation(status="archived", channels=(("website", "https://gone.example.org/"),))
    make_organisation(channels=(("website", "https://hotline.example.de/"),))

    assert urls_to_check() == [
        "http://app.example.de/",
        "https://chat.example.de/",
        "https://draft.example.org/",
        "https://hotline.example.de/",
        "https://hotline.example.de/melden",
    ]


@pytest.mark.django_db
def test_the_command_records_every_address_and_prints_a_summary(site):
    make_organisation(channels=(("website", site.url("/ok")), ("web_form", site.url("/missing"))))
    make_organisation(channels=(("chat", site.url("/moved")), ("phone", "116 111")))
    out = io.StringIO()

    call_command("check_links", "--timeout", "2", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "Checked 3 addresses: 2 working, 1 broken."
    assert lines[1:] == [f"  {site.url('/missing')}: HTTP 404 Not Found"]
    rows = {row.url: (row.ok, row.status_code, row.error) for row in LinkCheck.objects.all()}
    assert rows == {
        site.url("/ok"): (True, 200, ""),
        site.url("/moved"): (True, 200, ""),
        site.url("/missing"): (False, 404, "HTTP 404 Not Found"),
    }


@pytest.mark.django_db
def test_running_the_command_again_updates_the_rows_instead_of_adding_more(site):
    make_organisation(channels=(("website", site.url("/ok")), ("web_form", site.url("/flaky"))))
    site.missing.add("/flaky")
    call_command("check_links", "--timeout", "2", stdout=io.StringIO())
    first_checked_at = LinkCheck.objects.get(url=site.url("/flaky")).checked_at

    site.missing.discard("/flaky")
    out = io.StringIO()
    call_command("check_links", "--timeout", "2", stdout=out)

    assert out.getvalue() == "Checked 2 addresses: 2 working, 0 broken.\n"
    assert LinkCheck.objects.count() == 2
    flaky = LinkCheck.objects.get(url=site.url("/flaky"))
    assert (flaky.ok, flaky.status_code, flaky.error) == (True, 200, "")
    assert flaky.checked_at >= first_checked_at


@pytest.mark.django_db
def test_the_command_checks_only_the_addresses_it_is_given(site):
    make_organisation(channels=(("website", site.url("/ok")),))
    out = io.StringIO()

    call_command("check_links", "--url", site.url("/missing"), site.url("/other"), "--concurrency", "1", stdout=out)

    assert out.getvalue().splitlines()[0] == "Checked 2 addresses: 1 working, 1 broken."
    assert set(LinkCheck.objects.values_list("url", flat=True)) == {site.url("/missing"), site.url("/other")}
    assert site.requests == [("HEAD", "/missing"), ("HEAD", "/other")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "options",
    [
        ["--concurrency", "0"],
        ["--timeout", "0"],
        ["--url", "ftp://files.example.org/"],
    ],
)
def test_the_command_rejects_invalid_options(options):
    with pytest.raises(CommandError):
        call_command("check_links", *options, stdout=io.StringIO())
    assert not LinkCheck.objects.exists()


@pytest.mark.django_db
def test_it_finds_the_organisations_whose_links_are_broken():
    broken = make_organisation(
        channels=(("website", "https://fine.example.org/"), ("chat", "https://dead.example.org/"))
    )
    make_organisation(channels=(("website", "https://fine.example.org/"),))
    make_organisation(status="archived", channels=(("website", "https://dead.example.org/"),))
    make_organisation(channels=(("website", "https://unchecked.example.org/"),))
    record_results(
        [
            CheckResult("https://fine.example.org/", ok=True, status_code=200),
            CheckResult("https://dead.example.org/", ok=False, status_code=410, error="HTTP 410 Gone"),
            CheckResult("https://forgotten.example.org/", ok=False, error="connection refused"),
        ]
    )

    assert list(organisations_with_broken_links()) == [broken]
    assert [check.url for check in broken_links()] == ["https://dead.example.org/"]
    assert [check.url for check in broken_links(still_listed=False)] == [
        "https://dead.example.org/",
        "https://forgotten.example.org/",
    ]


@pytest.mark.django_db
def test_the_platforms_report_pages_are_checked_and_a_broken_one_goes_on_the_curators_list(site, admin_client):
    # Saved as they are stored (the admin would refuse http:// and this machine's address; the checker does not
    # care how an address got there).
    app = Platform.objects.create(
        key="app",
        name="Chat App",
        report_url=site.url("/ok"),
        child_safety_url=site.url("/missing"),
        status="published",
    )
    Platform.objects.create(key="draft", name="Draft App", report_url=site.url("/moved"), status="draft")
    Platform.objects.create(key="gone", name="Gone App", report_url=site.url("/gone"), status="archived")
    out = io.StringIO()

    call_command("check_links", "--timeout", "2", stdout=out)

    assert out.getvalue().splitlines()[0] == "Checked 3 addresses: 2 working, 1 broken."
    assert list(platforms_with_broken_links()) == [app]
    assert [check.url for check in broken_links()] == [site.url("/missing")]
    dashboard = admin_client.get("/admin/directory/coverage/").text
    assert "Platforms with broken links" in dashboard and f"/admin/directory/platform/{app.pk}/change/" in dashboard
    check = LinkCheck.objects.get(url=site.url("/missing"))
    used_by = admin_client.get(f"/admin/directory/linkcheck/{check.pk}/change/").text
    assert f'href="/admin/directory/platform/{app.pk}/change/">Chat App</a>' in used_by


@pytest.mark.django_db
def test_recording_a_result_again_replaces_the_earlier_one():
    earlier = timezone.now() - datetime.timedelta(days=1)
    record_results([CheckResult("https://a.example.org/", ok=False, error="x" * 400)], now=earlier)
    record_results([CheckResult("https://a.example.org/", ok=True, status_code=200)])

    check = LinkCheck.objects.get()
    assert (check.ok, check.status_code, check.error) == (True, 200, "")
    assert check.checked_at > earlier


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "169.254.169.254", "10.0.0.5", "192.168.1.1"])
def test_it_never_visits_a_private_loopback_or_link_local_address(site, settings, monkeypatch, host):
    settings.SIGNPOST_LINKCHECK_ALLOW_PRIVATE = False
    answers = {"localhost": "127.0.0.1", "[::1]": "::1"}

    def resolver(name, port, *args, **kwargs):
        address = answers.get(f"[{name}]" if ":" in str(name) else name, name)
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    port = site.base_url.rsplit(":", 1)[1]
    result = check_url(f"http://{host}:{port}/ok")
    assert not result.ok
    assert "refused" in result.error
    assert site.requests == []


def test_a_redirect_to_a_private_address_is_refused_too(site, settings, monkeypatch):
    """A public page that redirects inward: every hop is resolved and checked again."""
    settings.SIGNPOST_LINKCHECK_ALLOW_PRIVATE = False
    port = int(site.base_url.rsplit(":", 1)[1])
    site.inward = f"http://10.0.0.5:{port}/ok"

    def resolver(name, port_number, *args, **kwargs):
        address = "10.0.0.5" if name == "10.0.0.5" else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port_number))]

    from directory import linkcheck

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    # Here 127.0.0.1 plays the public site; 10.0.0.5 is the private network behind it.
    monkeypatch.setattr(linkcheck, "is_public_address", lambda ip: str(ip) == "127.0.0.1")
    result = check_url(f"http://public.example:{port}/inward")
    assert not result.ok
    assert "refused" in result.error
    assert site.requests == [("HEAD", "/inward")]


def test_a_server_that_drips_bytes_is_cut_off_at_the_deadline(settings):
    settings.SIGNPOST_LINKCHECK_ALLOW_PRIVATE = True
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def drip():
        connection, _address = listener.accept()
        with connection:
            connection.sendall(b"HTTP/1.1 200 OK\r\n")
            while not stop.is_set():
                try:
                    connection.sendall(b"X-Drip: a\r\n")
                except OSError:
                    return
                time.sleep(0.2)

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    started = time.monotonic()
    result = check_url(f"http://127.0.0.1:{listener.getsockname()[1]}/", timeout=1, deadline=1.5)
    stop.set()
    listener.close()
    assert time.monotonic() - started < 5
    assert not result.ok
    assert "within 1.5 seconds" in result.error


def test_remote_text_is_stored_without_control_characters(db):
    from directory.linkcheck import clean_text

    assert clean_text("redirects to \x1b[2J\x1b]0;owned\x07http://x") == "redirects to [2J]0;ownedhttp://x"
    record_results([CheckResult("https://example.org/", ok=False, error=clean_text("bad\x1b[31m"))])
    assert LinkCheck.objects.get().error == "bad[31m"
