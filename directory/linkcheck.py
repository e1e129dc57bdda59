"""Visit the web addresses the directory publishes, so that curators learn about dead help links before users do.

Polite by design: one HEAD request per address (a GET only when the server will not answer HEAD, and then only
a small read of the body), a bounded number of requests at once, a per-request timeout, and a User-Agent that
says who is asking and why. Uses only the standard library.
"""

import contextlib
import datetime
import http.client
import http.cookiejar
import ipaddress
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from directory.models import Channel, LinkCheck, Organisation, Platform, Status
from directory.validation import is_public_address

DEFAULT_USER_AGENT = "Signpost link checker (directory maintenance; contact the site's curators)"
DEFAULT_TIMEOUT = 10.0
DEFAULT_LINK_DEADLINE = 30.0  # wall-clock seconds for one address, redirects included
DEFAULT_RUN_DEADLINE = 3600.0  # wall-clock seconds for a whole run
DEFAULT_CONCURRENCY = 8
MAX_REDIRECTS = 10
WEB_SCHEMES = ("http", "https")
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
# Answers to HEAD that often mean "this server does not do HEAD", not "this page is gone": worth one GET.
HEAD_REFUSED_CODES = frozenset({400, 403, 405, 406, 500, 501})
SNIFF_BYTES = 1024
ERROR_MAX_LENGTH = LinkCheck._meta.get_field("error").max_length


@dataclass(frozen=True)
class CheckResult:
    """What one visit found: `ok` is True only for a 2xx answer (after redirects)."""

    url: str
    ok: bool
    status_code: int | None = None
    error: str = ""


class _Failure(Exception):
    """A visit that ended without a usable answer; carries the message a curator will read."""

    def __init__(self, error: str, status_code: int | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.status_code = status_code


class _EveryResponse(urllib.request.HTTPErrorProcessor):
    """Hand back every answer as it is: redirects are followed (and bounded) by `_follow`, not by urllib."""

    def http_response(self, request, response):
        return response

    https_response = http_response


_visit = threading.local()  # the sockets of the current visit, so its deadline can close them


def _guarded_socket(host: str, port: int, timeout: float | None) -> socket.socket:
    """A connection to `host` that only ever reaches public addresses: the name is resolved here, every
    address it resolves to is checked, and the connection goes to a checked address (no second lookup
    a DNS answer could change in between). Called again for every redirect."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise _Failure(_explain(error)) from None
    addresses = [info[4][0] for info in infos]
    if not settings.SIGNPOST_LINKCHECK_ALLOW_PRIVATE:
        for address in addresses:
            if not is_public_address(ipaddress.ip_address(address.split("%", 1)[0])):
                raise _Failure("refused: the address leads to a private, local or reserved network")
    last_error: OSError | None = None
    for family, kind, protocol, _name, sockaddr in infos:
        sock = socket.socket(family, kind, protocol)
        sock.settimeout(timeout)
        getattr(_visit, "sockets", []).append(sock)
        try:
            sock.connect(sockaddr)
            return sock
        except OSError as error:
            sock.close()
            last_error = error
    raise last_error or OSError("no address to connect to")


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        self.sock = _guarded_socket(self.host, self.port, self.timeout)


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        sock = _guarded_socket(self.host, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, request):
        return self.do_open(_GuardedHTTPConnection, request)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, request):
        return self.do_open(_GuardedHTTPSConnection, request, context=ssl.create_default_context())


def check_url(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    user_agent: str = DEFAULT_USER_AGENT,
    deadline: float = DEFAULT_LINK_DEADLINE,
) -> CheckResult:
    """Visit one address; never raises, because one odd address must not stop a nightly run.

    `timeout` bounds each wait for the network; `deadline` bounds the whole visit on the clock (a
    server that drips a byte every second would otherwise hold it forever): when it passes, the
    visit's connections are closed and the address is reported as too slow.
    """
    sockets: list[socket.socket] = []
    _visit.sockets = sockets
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        for sock in list(sockets):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    watchdog = threading.Timer(deadline, expire)
    watchdog.daemon = True
    watchdog.start()
    try:
        start = _request_url(url)
        status = _follow(start, "HEAD", timeout=timeout, user_agent=user_agent)
        if status in HEAD_REFUSED_CODES:
            status = _follow(start, "GET", timeout=timeout, user_agent=user_agent)
    except _Failure as failure:
        if expired.is_set():
            return CheckResult(url, ok=False, error=f"no complete answer within {deadline:g} seconds")
        return CheckResult(url, ok=False, status_code=failure.status_code, error=clean_text(failure.error))
    except Exception as error:  # a last resort: report it rather than lose the whole run
        if expired.is_set():
            return CheckResult(url, ok=False, error=f"no complete answer within {deadline:g} seconds")
        return CheckResult(url, ok=False, error=clean_text(f"unexpected error: {type(error).__name__}: {error}"))
    finally:
        watchdog.cancel()
        _visit.sockets = []
    if expired.is_set():  # closing the connections can look like a short, complete answer
        return CheckResult(url, ok=False, error=f"no complete answer within {deadline:g} seconds")
    if 200 <= status < 300:
        return CheckResult(url, ok=True, status_code=status)
    return CheckResult(url, ok=False, status_code=status, error=_describe_status(status))


def check_urls(
    urls: Iterable[str],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    timeout: float = DEFAULT_TIMEOUT,
    user_agent: str = DEFAULT_USER_AGENT,
    deadline: float = DEFAULT_LINK_DEADLINE,
    run_deadline: float = DEFAULT_RUN_DEADLINE,
    on_result=None,
) -> list[CheckResult]:
    """Check each distinct address once, at most `concurrency` at a time; results in first-seen order.

    `on_result` is called with each result as soon as it is known (so a run that is stopped still
    leaves what it found); addresses not reached before `run_deadline` are reported as not checked.
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    unique = list(dict.fromkeys(urls))
    if not unique:
        return []
    stop_at = time.monotonic() + run_deadline
    visit = partial(check_url, timeout=timeout, user_agent=user_agent, deadline=deadline)

    def visit_in_time(url: str) -> CheckResult:
        if time.monotonic() > stop_at:
            return CheckResult(url, ok=False, error=f"not checked: the run's {run_deadline:g} seconds were used up")
        return visit(url)

    results: dict[str, CheckResult] = {}
    with ThreadPoolExecutor(max_workers=min(concurrency, len(unique)), thread_name_prefix="linkcheck") as pool:
        futures = {pool.submit(visit_in_time, url): url for url in unique}
        for future in as_completed(futures):
            result = future.result()
            results[result.url] = result
            if on_result is not None:
                on_result(result)  # in this thread: the database connection is this thread's
    return [results[url] for url in unique]


def urls_to_check() -> list[str]:
    """Every distinct web address the directory shows, or will show once a draft is published (not archived):
    organisations' web channels and platforms' report pages and forms."""
    web = Q(value__istartswith="http://") | Q(value__istartswith="https://")
    return sorted(set(_listed_web_channels().filter(web).values_list("value", flat=True)) | _listed_platform_urls())


def record_results(results: Iterable[CheckResult], now: datetime.datetime | None = None) -> None:
    """Keep the latest result per address (one row each), each as soon as it is known."""
    now = now or timezone.now()
    for result in results:
        if result.error.startswith("not checked:"):
            continue  # the run ran out of time before this address: keep its last real result
        LinkCheck.objects.update_or_create(
            url=result.url,
            defaults={
                "checked_at": now,
                "ok": result.ok,
                "status_code": result.status_code,
                "error": result.error[:ERROR_MAX_LENGTH],
            },
        )


def broken_links(*, still_listed: bool = True) -> QuerySet[LinkCheck]:
    """Failed checks; by default only for addresses a channel of a non-archived organisation still uses."""
    checks = LinkCheck.objects.filter(ok=False)
    if still_listed:
        by_a_channel = Exists(_listed_web_channels().filter(value=OuterRef("url")))
        by_a_platform = Exists(
            _listed_platforms().filter(Q(report_url=OuterRef("url")) | Q(child_safety_url=OuterRef("url")))
        )
        checks = checks.filter(by_a_channel | by_a_platform)
    return checks


def organisations_with_broken_links() -> QuerySet[Organisation]:
    """Non-archived organisations with at least one web channel whose last check failed: the curators' to-do list."""
    failed_urls = LinkCheck.objects.filter(ok=False).values("url")
    broken_channels = Channel.objects.filter(
        organisation=OuterRef("pk"), type__in=Channel.URL_TYPES, value__in=failed_urls
    )
    return Organisation.objects.exclude(status=Status.ARCHIVED).filter(Exists(broken_channels))


def platforms_with_broken_links() -> QuerySet[Platform]:
    """Non-archived platforms whose report page or form failed its last check."""
    failed_urls = LinkCheck.objects.filter(ok=False).values("url")
    return _listed_platforms().filter(Q(report_url__in=failed_urls) | Q(child_safety_url__in=failed_urls))


def _listed_platforms() -> QuerySet[Platform]:
    return Platform.objects.exclude(status=Status.ARCHIVED)


def _listed_platform_urls() -> set[str]:
    return {url for pair in _listed_platforms().values_list("report_url", "child_safety_url") for url in pair if url}


def _listed_web_channels() -> QuerySet[Channel]:
    return Channel.objects.filter(type__in=Channel.URL_TYPES).exclude(organisation__status=Status.ARCHIVED)


def _request_url(url: str) -> str:
    """The address as http.client can send it: IDNA host, percent-encoded path (people paste umlauts and spaces)."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
        host = parts.hostname or ""
        if parts.scheme.lower() not in WEB_SCHEMES:
            raise _Failure("not a web address (only http and https links are checked)")
        if not host:
            raise _Failure("not a valid web address (no host name)")
        if not host.isascii():
            host = host.encode("idna").decode("ascii")
    except ValueError:  # a bad port, an impossible host name (UnicodeError is a ValueError)
        raise _Failure("not a valid web address") from None
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal
    netloc = host if port is None else f"{host}:{port}"
    path = urllib.parse.quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
    query = urllib.parse.quote(parts.query, safe="/?%:@!$&'()*+,;=-._~")
    return urllib.parse.urlunsplit((parts.scheme.lower(), netloc, path or "/", query, ""))


def _follow(url: str, method: str, *, timeout: float, user_agent: str) -> int:
    """Request `url`, following redirects ourselves so that loops and long chains end as a clear failure."""
    cookies = http.cookiejar.CookieJar()  # some sites redirect to themselves once to set a cookie
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(cookies), _EveryResponse, _GuardedHTTPHandler, _GuardedHTTPSHandler
    )
    seen: set[tuple[str, frozenset]] = set()
    status = None
    for _ in range(MAX_REDIRECTS + 1):
        visit = (url, frozenset((c.domain, c.path, c.name, c.value) for c in cookies))
        if visit in seen:
            raise _Failure("redirect loop", status)
        seen.add(visit)
        status, location = _fetch(opener, url, method, timeout=timeout, user_agent=user_agent)
        if status not in REDIRECT_CODES:
            return status
        if not location:
            raise _Failure("redirect without a destination (no Location header)", status)
        target = urllib.parse.urljoin(url, location.strip())
        if urllib.parse.urlsplit(target).scheme.lower() not in WEB_SCHEMES:
            raise _Failure(f"redirects to a non-web address: {target}", status)
        url = _request_url(target)
    raise _Failure(f"too many redirects (more than {MAX_REDIRECTS})", status)


def _fetch(
    opener: urllib.request.OpenerDirector, url: str, method: str, *, timeout: float, user_agent: str
) -> tuple[int, str | None]:
    """One request, redirects not followed: the status and the Location header."""
    request = urllib.request.Request(
        url,
        method=method,
        headers={"User-Agent": user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            if method == "GET":
                response.read(SNIFF_BYTES)  # enough to see the page starts; never the whole body
            return response.status, response.headers.get("Location")
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise _Failure(_explain(error)) from None


def _explain(error: BaseException) -> str:
    """A short reason a curator can act on, rather than a traceback."""
    if isinstance(error, urllib.error.URLError) and not isinstance(error, urllib.error.HTTPError):
        reason = error.reason
        return _explain(reason) if isinstance(reason, BaseException) else str(reason)
    if isinstance(error, TimeoutError):
        return "timed out"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"certificate problem: {error.verify_message or error.reason}"
    if isinstance(error, ssl.SSLError):
        return f"secure connection failed: {error.reason or error}"
    if isinstance(error, OSError) and "timed out" in str(error):
        return "timed out"
    if isinstance(error, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(error, http.client.HTTPException):
        return f"invalid answer from the server ({type(error).__name__})"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(error, socket.gaierror):
        return "host name not found (DNS lookup failed)"
    if isinstance(error, OSError):
        return f"network error: {error.strerror or error}"
    if isinstance(error, ValueError):
        return "not a valid web address"
    return f"{type(error).__name__}: {error}"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """Remote text (a reason, a redirect target) without control characters, before it is stored or
    printed: a server must not be able to write terminal escapes into a curator's terminal."""
    return _CONTROL.sub("", text)


def _describe_status(status: int) -> str:
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"
