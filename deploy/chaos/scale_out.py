"""Scale-out test: the reference deployment (deploy/) on loopback, under load, with parts of it killed.

Run it through `deploy/chaos/run` (which uses the project's .venv python). Everything runs on 127.0.0.1
in a temporary folder and is stopped and removed on exit, Ctrl-C and errors included:

- PostgreSQL: a throwaway cluster (initdb / pg_ctl, as the postgres user when run as root);
- Redis: `redis-server` on a free port, no persistence: Django's shared cache (REDIS_URL);
- the directory: `migrate`, `import_directory`, `collectstatic` against them;
- two gunicorn app servers, A and B, each with deploy/gunicorn.conf.py, DEBUG off, its own port and
  its own SIGNPOST_SNAPSHOT_PATH, DJANGO_TRUSTED_PROXY_COUNT=1;
- nginx with deploy/nginx/signpost.conf rendered for loopback (ports, a self-signed certificate,
  temporary paths), TLS included, so X-Forwarded-Proto comes from nginx's $scheme. Two instances of it:
  "cached", the file as it is (the shared proxy cache of public pages on), and "uncached", the same file
  with `proxy_cache off`, so that every request reaches the app servers and their failover is measured,
  not just nginx's cache.

Then: configuration checks (caching, cookies, gzip, static files, admin and problem form never cached,
HSTS proving X-Forwarded-Proto), then five phases with wrk driving both nginx instances at once over
results pages in several languages and the route API: 1 steady state; 2 app server A killed with
SIGKILL; 3 A restarted; 4 PostgreSQL stopped (pg_ctl stop -m fast), with never-cached answers asked
for while it is down; 5 PostgreSQL restarted. For each: requests per second, p50/p90/p99 latency, failed
answers (socket errors + any non-2xx), requests answered by A and by B, and upstream errors nginx logged
(and retried). Then a curator's edit made with the ORM in a `manage.py shell` against the same
PostgreSQL and Redis, and how long until it shows through each app server and through nginx's cache;
and last, both app servers stopped: the cached nginx must still answer every page (stale).

Exit status: 0 PASS; 1 FAIL (a failed answer or a failed check); 2 the set-up failed; 130/143 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# The load generator's helpers (wrk's command line and summary) are the benchmarks' own.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from common import (  # noqa: E402
    GUNICORN,
    HOST,
    PROJECT,
    PYTHON,
    RESULTS_PAGES,
    ROUTE_API_CALLS,
    SetupError,
    WrkResult,
    check_venv,
    free_port,
    install_signal_handlers,
    parse_wrk,
    say,
    wrk_command,
    wrk_environment,
    wrk_version,
)

GUNICORN_CONF = PROJECT / "deploy" / "gunicorn.conf.py"
NGINX_SITE = PROJECT / "deploy" / "nginx" / "signpost.conf"
SERVER_NAME = "localhost"  # what wrk and the checks ask nginx for (SNI and Host); resolves to 127.0.0.1
REDIS_PY = "redis==8.1.0"  # Django's RedisCache needs it; installed aside if the venv lacks it

# The load: the start page, and the same results pages and API calls as the other benchmarks.
PATHS = ["/", *RESULTS_PAGES, *ROUTE_API_CALLS]
# Asked for only while PostgreSQL is down: never rendered before, so the app must build them from its
# snapshot of the directory (Redis, or the server's file).
OUTAGE_PATHS = [
    "/help/se/csam-found/",
    "/nl/help/nl/grooming/",
    "/api/v1/route/?country=IE&situation=sextortion",
]
EDIT_PAGE = "/help/de/csam-found/"
EDIT_API = "/api/v1/route/?country=DE&situation=csam-found"
# Sent by wrk (bench/cycle.lua) with every request, like a browser; nginx sets X-Forwarded-Proto/-For itself.
WRK_HEADERS = {"Accept-Encoding": "gzip"}

INSECURE_TLS = ssl.create_default_context()
INSECURE_TLS.check_hostname = False
INSECURE_TLS.verify_mode = ssl.CERT_NONE  # our own self-signed certificate, on loopback


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="deploy/chaos/run",
        description="Run the reference deployment (nginx, two gunicorn app servers, PostgreSQL, Redis) on "
        "loopback and kill parts of it under load.",
    )
    parser.add_argument("--phase-seconds", type=int, default=8, help="wrk run time per phase (default 8)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections to the cached nginx (default 32)")
    parser.add_argument(
        "--uncached-connections", type=int, default=16, help="wrk connections to the uncached nginx (default 16)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server (default 2)")
    parser.add_argument(
        "--max-age",
        type=int,
        default=5,
        help="SIGNPOST_PUBLIC_MAX_AGE for the run (default 5 s instead of production's 300, so that nginx's "
        "cache keeps refreshing from the app servers during the phases)",
    )
    parser.add_argument("--timeout", default="5s", help="wrk: slower answers count as failed (default 5s)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs) at the end")
    args = parser.parse_args(argv)
    if args.phase_seconds < 3 or args.connections < 1 or args.uncached_connections < 1 or args.workers < 1:
        parser.error("need --phase-seconds >= 3 and at least one connection and one worker")
    if not re.fullmatch(r"\d+[sm]?", args.timeout):
        parser.error("--timeout takes e.g. 5s")
    return args


# --- tools ---------------------------------------------------------------------------------------------------


def ensure_binary(name: str, package: str) -> str:
    """A program's path, installing its Debian package first when it is missing (needs root and apt)."""
    found = shutil.which(name) or (f"/usr/sbin/{name}" if Path(f"/usr/sbin/{name}").exists() else None)
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SetupError(f"{name} is not installed: install the Debian package {package} and run again.")
    say(f"{name} is not installed: apt-get update && apt-get install -y {package}")
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", package]):
        result = subprocess.run(command, env=apt_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            raise SetupError(f"{' '.join(command)} failed (exit {result.returncode}):\n{result.stdout[-3000:]}")
    found = shutil.which(name) or (f"/usr/sbin/{name}" if Path(f"/usr/sbin/{name}").exists() else None)
    if not found:
        raise SetupError(f"apt-get installed {package} but {name} is not on PATH.")
    return found


def postgres_bin() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), reverse=True)
    if shutil.which("pg_config"):
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
        candidates.insert(0, Path(bindir) / "pg_ctl")
    for pg_ctl in candidates:
        if pg_ctl.exists() and (pg_ctl.parent / "initdb").exists():
            return pg_ctl.parent
    raise SetupError("PostgreSQL's initdb/pg_ctl are needed (apt-get install postgresql).")


def redis_pythonpath() -> str:
    """'' if the venv has redis-py; else a folder with it installed aside (the venv is left untouched)."""
    if subprocess.run([str(PYTHON), "-c", "import redis"], capture_output=True).returncode == 0:
        return ""
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    target = cache_home / "signpost-bench" / REDIS_PY.replace("==", "-")
    if not (target / "redis" / "__init__.py").exists():
        say("NOTE: the virtualenv has no `redis` package (Django's RedisCache needs it; requirements.txt lacks it):")
        say(f"      installing {REDIS_PY} into {target} for this test only")
        result = subprocess.run(
            [
                str(PYTHON),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--target",
                str(target),
                REDIS_PY,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        if result.returncode != 0:
            raise SetupError(f"pip install {REDIS_PY} failed:\n{result.stdout[-3000:]}")
    else:
        say(f"NOTE: the virtualenv has no `redis` package (requirements.txt lacks it); using {target}")
    return str(target)


def wait_for_port(port: int, seconds: float, process: subprocess.Popen | None = None, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SetupError(f"{what} exited with status {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            return
        time.sleep(0.1)
    raise SetupError(f"{what} did not listen on {HOST}:{port} within {seconds:.0f} s")


def tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join("    " + line for line in path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "    (no log)"


# --- HTTP ----------------------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage | None
    body: bytes
    error: str = ""

    def header(self, name: str) -> str:
        return (self.headers.get(name) or "") if self.headers is not None else ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status <= 299


def fetch(port: int, path: str, *, tls: bool, headers: dict[str, str] | None = None, timeout: float = 10) -> Answer:
    """One GET. Through nginx: TLS with the Host localhost. Straight to gunicorn: as nginx would send it."""
    if tls:
        connection = http.client.HTTPSConnection(SERVER_NAME, port, timeout=timeout, context=INSECURE_TLS)
        sent = {"Host": SERVER_NAME}
    else:
        connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
        sent = {"Host": SERVER_NAME, "X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}
    sent.update(headers or {})
    try:
        connection.request("GET", path, headers=sent)
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    except (OSError, http.client.HTTPException) as problem:
        return Answer(0, None, b"", f"{problem.__class__.__name__}: {problem}")
    finally:
        connection.close()


# --- the pieces ----------------------------------------------------------------------------------------------


@dataclass
class Process:
    name: str
    process: subprocess.Popen
    log: Path

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, sig: int = signal.SIGTERM, wait: float = 10) -> None:
        """The signal to the process's group (it runs in its own session), SIGKILL if it is still there."""
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


def spawn(name: str, command: list[str], log: Path, env: dict[str, str] | None = None, cwd: Path | None = None):
    with log.open("a") as handle:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches only this script, which then stops everything itself
        )
    return Process(name, process, log)


class Postgres:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (run as the postgres user when we are root)."""

    def __init__(self, folder: Path):
        self.bin = postgres_bin()
        self.folder = folder
        self.data = folder / "data"
        self.log = folder / "server.log"
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        folder.mkdir(parents=True)
        if self.as_root:
            shutil.chown(folder, "postgres")
        folder.chmod(0o755)
        self.started = False

    def run(self, *command: str, timeout: float = 60) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        result = subprocess.run(
            prefix + list(command),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
            cwd=self.folder,
        )
        if result.returncode != 0:
            raise SetupError(f"{' '.join(command)} failed (exit {result.returncode}):\n{result.stdout[-3000:]}")

    def init(self) -> None:
        self.run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses={HOST} -c fsync=off"
        # -l: the server writes to its own log file and does not keep our pipes open.
        self.run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            "30",
            "start",
        )
        self.started = True

    def stop(self, mode: str = "fast") -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")
        self.started = False

    def create_database(self, name: str) -> None:
        self.run(str(self.bin / "createdb"), "-h", HOST, "-p", str(self.port), "-U", "postgres", name)

    def url(self, database: str) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{database}"


@dataclass
class AppServer:
    name: str
    port: int
    folder: Path
    env: dict[str, str]
    proc: Process | None = None

    @property
    def access_log(self) -> Path:
        return self.folder / "access.log"

    @property
    def error_log(self) -> Path:
        return self.folder / "error.log"

    def start(self) -> None:
        command = [str(GUNICORN), "--config", str(GUNICORN_CONF)]
        self.proc = spawn(f"gunicorn {self.name}", command, self.folder / "stdout.log", self.env, PROJECT)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.alive()

    def answers(self) -> bool:
        return fetch(self.port, "/api/v1/situations/", tls=False, timeout=2).ok

    def wait_until_answering(self, seconds: float) -> float:
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            if not self.alive():
                raise SetupError(f"app server {self.name} exited:\n{tail(self.error_log)}")
            if self.answers():
                return time.monotonic() - started
            time.sleep(0.05)
        raise SetupError(f"app server {self.name} did not answer within {seconds:.0f} s:\n{tail(self.error_log)}")


def app_environment(base: dict[str, str], server_folder: Path, port: int, workers: int) -> dict[str, str]:
    return {
        **base,
        "GUNICORN_BIND": f"{HOST}:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_ACCESSLOG": str(server_folder / "access.log"),
        "GUNICORN_ERRORLOG": str(server_folder / "error.log"),
        "GUNICORN_PROC_NAME": f"signpost-bench-{server_folder.name}",
        "SIGNPOST_SNAPSHOT_PATH": str(server_folder / "directory-snapshot.json"),
    }


# --- nginx ---------------------------------------------------------------------------------------------------


def render_site(
    text: str,
    *,
    upstream_ports: list[int],
    tls_port: int,
    http_port: int,
    tls: Path,
    folder: Path,
    static_root: Path,
    cache: bool,
) -> str:
    """deploy/nginx/signpost.conf with loopback ports and temporary paths; each change must apply."""

    def upstream_servers(match: re.Match) -> str:
        indent, options = match.group(1), match.group(2)
        return "".join(f"{indent}server {HOST}:{port} {options};\n" for port in upstream_ports)

    substitutions = [
        ("IPv6 listens", r"(?m)^[ \t]*listen \[::\]:\d+[^;]*;[ \t]*(#.*)?\n", ""),
        ("listen 443", r"\blisten 443\b", f"listen {HOST}:{tls_port}"),
        ("listen 80", r"\blisten 80\b", f"listen {HOST}:{http_port}"),
        ("certificate", r"ssl_certificate /etc/letsencrypt/\S+;", f"ssl_certificate {tls / 'cert.pem'};"),
        ("certificate key", r"ssl_certificate_key /etc/letsencrypt/\S+;", f"ssl_certificate_key {tls / 'key.pem'};"),
        ("server_name", r"(server_name signpost\.example\.org)", rf"\1 {SERVER_NAME}"),
        (
            "upstream servers",
            r"(?m)^([ \t]*)server \S+:\d+ (max_fails=\S+ fail_timeout=[^;\s]+);[^\n]*\n"
            r"(?:[ \t]*server \S+:\d+ [^\n]*\n)*",
            upstream_servers,
        ),
        ("proxy_cache_path", r"proxy_cache_path /var/cache/nginx/signpost\b", f"proxy_cache_path {folder / 'cache'}"),
        ("static alias", r"alias /srv/signpost/staticfiles/;", f"alias {static_root}/;"),
        ("log paths", r"/var/log/nginx/", f"{folder}/"),
        ("acme root", r"root /var/www/letsencrypt;", f"root {folder / 'acme'};"),
    ]
    if not cache:
        substitutions.append(("proxy_cache off", r"proxy_cache signpost_public;", "proxy_cache off;"))
    for what, pattern, replacement in substitutions:
        text, count = re.subn(pattern, replacement, text)
        if count == 0:
            raise SetupError(f"rendering {NGINX_SITE}: found nothing to change for {what!r} ({pattern})")
    return text


@dataclass
class Nginx:
    name: str
    folder: Path
    tls_port: int
    proc: Process | None = None

    @property
    def error_log(self) -> Path:
        return self.folder / "error.log"

    @property
    def site_error_log(self) -> Path:
        return self.folder / "signpost-error.log"


def start_nginx(nginx: str, name: str, folder: Path, site: str, tls_port: int) -> Nginx:
    folder.mkdir(parents=True)
    (folder / "tmp").mkdir()
    (folder / "acme").mkdir()
    (folder / "signpost.conf").write_text(site, encoding="utf-8")
    user = "user www-data www-data;" if os.geteuid() == 0 else ""
    temp = folder / "tmp"
    (folder / "nginx.conf").write_text(
        f"""# deploy/chaos/run: a throwaway nginx around deploy/nginx/signpost.conf (rendered as signpost.conf).
daemon off;
{user}
worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 2048; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    client_body_temp_path {temp}/client_body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    access_log off;
    include {folder}/signpost.conf;
}}
""",
        encoding="utf-8",
    )
    command = [nginx, "-p", f"{folder}/", "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")]
    test = subprocess.run([*command, "-t"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if test.returncode != 0:
        raise SetupError(f"nginx -t ({name}) failed:\n{test.stdout}")
    warnings = [line for line in test.stdout.splitlines() if "[warn]" in line or "[emerg]" in line]
    for line in warnings:
        say(f"  nginx -t ({name}): {line}")
    server = Nginx(name, folder, tls_port)
    server.proc = spawn(f"nginx {name}", command, folder / "stdout.log")
    wait_for_port(tls_port, 10, server.proc.process, f"nginx ({name})")
    return server


def make_certificate(folder: Path) -> None:
    folder.mkdir()
    command = [
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        str(folder / "key.pem"),
        "-out",
        str(folder / "cert.pem"),
        "-days",
        "2",
        "-subj",
        f"/CN={SERVER_NAME}",
        "-addext",
        f"subjectAltName=DNS:{SERVER_NAME},IP:{HOST}",
    ]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        raise SetupError(f"openssl could not make a test certificate:\n{result.stdout}")


# --- measuring -----------------------------------------------------------------------------------------------


@dataclass
class StreamResult(WrkResult):
    """One wrk stream of a phase (label: "cached" or "uncached"), with wrk's whole output for the failure report."""

    raw: str = ""

    def explain(self) -> str:
        if not self.complete:
            return f"wrk did not finish or its summary could not be read:\n{self.raw[-1500:]}"
        sockets = ", ".join(f"{k} {v}" for k, v in self.socket_errors.items() if v) or "none"
        return f"socket errors: {sockets}; non-2xx answers: {self.non2xx} {self.statuses}".rstrip()


def start_wrk(wrk: str, port: int, connections: int, seconds: int, timeout: str) -> subprocess.Popen:
    """wrk with bench/cycle.lua over PATHS, through nginx (TLS), in the background; read it with finish_wrk."""
    command = wrk_command(
        wrk,
        f"https://{SERVER_NAME}:{port}",
        PATHS,
        connections=connections,
        threads=1,
        duration=f"{seconds}s",
        timeout=timeout,
        latency=False,
    )
    return subprocess.Popen(
        command,
        env=wrk_environment(WRK_HEADERS),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish_wrk(process: subprocess.Popen, stream: str, seconds: int) -> StreamResult:
    try:
        output, _ = process.communicate(timeout=seconds + 30)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    result = StreamResult(stream, len(PATHS), raw=output)
    if process.returncode == 0:
        parse_wrk(output, result)  # result.complete stays False when the BENCH lines are missing
    return result


class LogCounter:
    """Lines appended to a log file since the last call (app servers' access logs, nginx's error logs)."""

    def __init__(self, path: Path, pattern: str | None = None):
        self.path, self.offset = path, 0
        self.pattern = re.compile(pattern) if pattern else None
        self.take()

    def take(self) -> int:
        try:
            with self.path.open("rb") as handle:
                size = handle.seek(0, os.SEEK_END)
                if size < self.offset:
                    self.offset = 0
                handle.seek(self.offset)
                data = handle.read()
                self.offset = handle.tell()
        except OSError:
            return 0
        lines = data.decode(errors="replace").splitlines()
        return sum(1 for line in lines if self.pattern is None or self.pattern.search(line))


@dataclass
class Phase:
    title: str
    streams: list[StreamResult] = field(default_factory=list)
    served_by: dict[str, int] = field(default_factory=dict)
    upstream_errors: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    extra_failures: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(stream.errors for stream in self.streams) + len(self.extra_failures)

    @property
    def passed(self) -> bool:
        return all(stream.passed for stream in self.streams) and not self.extra_failures


# --- the run -------------------------------------------------------------------------------------------------


class Run:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.workdir: Path | None = None
        self.postgres: Postgres | None = None
        self.redis: Process | None = None
        self.apps: dict[str, AppServer] = {}
        self.nginx: dict[str, Nginx] = {}
        self.check_failures: list[str] = []
        self.phases: list[Phase] = []
        self.running_wrk: list[subprocess.Popen] = []

    # set-up ------------------------------------------------------------------------------------------------

    def set_up(self) -> None:
        args = self.args
        check_venv()
        self.wrk = ensure_binary("wrk", "wrk")
        self.nginx_bin = ensure_binary("nginx", "nginx")
        redis_server = ensure_binary("redis-server", "redis-server")
        ensure_binary("openssl", "openssl")
        extra_path = redis_pythonpath()
        versions = {
            "wrk": wrk_version(self.wrk),
            "nginx": subprocess.run([self.nginx_bin, "-v"], capture_output=True, text=True).stderr.strip(),
            "redis": subprocess.run([redis_server, "--version"], capture_output=True, text=True).stdout.split(" sha")[
                0
            ],
        }
        say("tools: " + "; ".join(v.strip() for v in versions.values()))

        self.workdir = Path(tempfile.mkdtemp(prefix="signpost-scale-out-"))
        self.workdir.chmod(0o755)  # the postgres user and nginx's workers must reach into it
        say(f"temporary folder: {self.workdir}")

        # PostgreSQL
        self.postgres = Postgres(self.workdir / "pg")
        self.postgres.init()
        self.postgres.start()
        self.postgres.create_database("signpost")
        say(f"PostgreSQL ({self.postgres.bin.parent.name}) on {HOST}:{self.postgres.port}")

        # Redis
        redis_port = free_port()
        (self.workdir / "redis").mkdir()
        self.redis = spawn(
            "redis",
            [
                redis_server,
                "--port",
                str(redis_port),
                "--bind",
                HOST,
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.workdir / "redis"),
            ],
            self.workdir / "redis" / "redis.log",
        )
        wait_for_port(redis_port, 10, self.redis.process, "redis-server")
        say(f"Redis on {HOST}:{redis_port} (no persistence)")

        # The app's environment: production settings on loopback.
        base = dict(os.environ)
        base.pop("PYTEST_VERSION", None)
        for name in list(base):
            if name.startswith(("DJANGO_", "SIGNPOST_", "GUNICORN_")) or name in ("DATABASE_URL", "REDIS_URL"):
                base.pop(name)
        base.update(
            {
                "DJANGO_DEBUG": "0",
                "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "DJANGO_ALLOWED_HOSTS": f"{SERVER_NAME},{HOST}",
                "DATABASE_URL": self.postgres.url("signpost"),
                "REDIS_URL": f"redis://{HOST}:{redis_port}/0",
                "DJANGO_STATIC_ROOT": str(self.workdir / "static"),
                "DJANGO_TRUSTED_PROXY_COUNT": "1",
                # The redirect stays off as on plain loopback; the requests through nginx say https anyway
                # (nginx's TLS), which the HSTS check below proves.
                "DJANGO_SECURE_SSL_REDIRECT": "0",
                "SIGNPOST_PUBLIC_MAX_AGE": str(args.max_age),
                "PYTHONUNBUFFERED": "1",
            }
        )
        if extra_path:
            base["PYTHONPATH"] = extra_path + (os.pathsep + base["PYTHONPATH"] if base.get("PYTHONPATH") else "")
        for name in ("a", "b"):
            folder = self.workdir / f"app-{name}"
            folder.mkdir()
            port = free_port()
            self.apps[name.upper()] = AppServer(
                name.upper(), port, folder, app_environment(base, folder, port, args.workers)
            )
        env_a = self.apps["A"].env
        self.manage_env = env_a
        say(
            "app settings: DJANGO_DEBUG=0 DJANGO_TRUSTED_PROXY_COUNT=1 DJANGO_SECURE_SSL_REDIRECT=0 "
            f"SIGNPOST_PUBLIC_MAX_AGE={args.max_age} DATABASE_URL={base['DATABASE_URL']} REDIS_URL={base['REDIS_URL']}"
        )
        for command in (["migrate", "--noinput"], ["import_directory"], ["collectstatic", "--noinput"]):
            self.manage(env_a, *command)

        for app in self.apps.values():
            app.start()
        for app in self.apps.values():
            seconds = app.wait_until_answering(60)
            say(
                f"app server {app.name}: gunicorn -c deploy/gunicorn.conf.py on {HOST}:{app.port}, "
                f"{args.workers} sync workers, answering after {seconds:.1f} s"
            )

        # nginx, twice.
        make_certificate(self.workdir / "tls")
        site = NGINX_SITE.read_text(encoding="utf-8")
        for name, cache in (("cached", True), ("uncached", False)):
            tls_port, http_port = free_port(), free_port()
            folder = self.workdir / f"nginx-{name}"
            rendered = render_site(
                site,
                upstream_ports=[self.apps["A"].port, self.apps["B"].port],
                tls_port=tls_port,
                http_port=http_port,
                tls=self.workdir / "tls",
                folder=folder,
                static_root=self.workdir / "static",
                cache=cache,
            )
            self.nginx[name] = start_nginx(self.nginx_bin, name, folder, rendered, tls_port)
            say(
                f"nginx ({name}{'' if cache else ': the same site with proxy_cache off'}) on "
                f"https://{SERVER_NAME}:{tls_port}/ -> A, B"
            )

    def manage(self, env: dict[str, str], *command: str, timeout: float = 600) -> str:
        say(f"$ manage.py {' '.join(command)}")
        result = subprocess.run(
            [str(PYTHON), "manage.py", *command],
            cwd=PROJECT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise SetupError(
                f"manage.py {' '.join(command)} failed (exit {result.returncode}):\n{result.stdout[-4000:]}"
            )
        lines = result.stdout.strip().splitlines()
        if lines and command[0] != "shell":
            say(f"  {lines[-1]}")
        return result.stdout

    # checks ------------------------------------------------------------------------------------------------

    def check(self, ok: bool, what: str, detail: str = "") -> bool:
        say(f"  {'ok  ' if ok else 'FAIL'} {what}" + (f" ({detail})" if detail else ""))
        if not ok:
            self.check_failures.append(f"{what}: {detail}")
        return ok

    def configuration_checks(self) -> None:
        say()
        say("== configuration checks (and warming nginx's cache with every path) ==")
        cached, uncached = self.nginx["cached"].tls_port, self.nginx["uncached"].tls_port
        problems, cookies, not_hit = [], [], []
        for path in PATHS:
            first = fetch(cached, path, tls=True)
            if not first.ok:
                problems.append(f"{path} -> {first.status or first.error}")
            if first.headers is not None and first.headers.get_all("Set-Cookie"):
                cookies.append(path)
            # Again, with a cookie such as a curator's browser sends: the cache is not keyed on cookies.
            second = fetch(cached, path, tls=True, headers={"Cookie": "__Host-signpost-session=x; other=y"})
            if second.header("X-Cache-Status") != "HIT":
                not_hit.append(f"{path} -> {second.status} {second.header('X-Cache-Status') or '-'}")
            direct = fetch(uncached, path, tls=True)
            if not direct.ok or direct.header("X-Cache-Status"):
                problems.append(
                    f"{path} (uncached nginx) -> {direct.status or direct.error} {direct.header('X-Cache-Status')}"
                )
        self.check(not problems, f"all {len(PATHS)} paths answer 2xx through both nginx instances", "; ".join(problems))
        self.check(not cookies, "public pages carry no Set-Cookie", ", ".join(cookies))
        self.check(not not_hit, "a second request is a cache HIT, even with a Cookie header", "; ".join(not_hit))

        page = fetch(cached, EDIT_PAGE, tls=True, headers={"Accept-Encoding": "gzip"})
        self.check(
            page.header("Content-Encoding") == "gzip" and "Accept-Encoding" in page.header("Vary"),
            "HTML is gzipped, with Vary: Accept-Encoding",
            f"Content-Encoding {page.header('Content-Encoding') or '-'}, Vary {page.header('Vary') or '-'}",
        )
        api = fetch(cached, PATHS[-1], tls=True, headers={"Accept-Encoding": "gzip"})
        self.check(api.header("Content-Encoding") == "gzip", "JSON is gzipped", api.header("Content-Type"))
        self.check(
            "max-age=" in page.header("Cache-Control") and "public" in page.header("Cache-Control"),
            "public pages: the app's Cache-Control",
            page.header("Cache-Control"),
        )
        self.check(
            page.header("Strict-Transport-Security") != "",
            "HSTS on answers: the app saw X-Forwarded-Proto: https from nginx and trusted it",
            page.header("Strict-Transport-Security"),
        )
        self.check(page.header("Server") == "nginx", "server_tokens off", f"Server: {page.header('Server')}")

        manifest = json.loads((self.workdir / "static" / "staticfiles.json").read_text())["paths"]
        original, hashed = next((k, v) for k, v in sorted(manifest.items()) if k.endswith(".css"))
        hashed_answer = fetch(cached, f"/static/{hashed}", tls=True, headers={"Accept-Encoding": "gzip"})
        self.check(
            hashed_answer.ok and "immutable" in hashed_answer.header("Cache-Control"),
            f"hashed static file served by nginx, immutable ({hashed})",
            f"{hashed_answer.status} {hashed_answer.header('Cache-Control')}; "
            f"Content-Encoding {hashed_answer.header('Content-Encoding') or '-'}",
        )
        plain_answer = fetch(cached, f"/static/{original}", tls=True)
        self.check(
            plain_answer.ok and "immutable" not in plain_answer.header("Cache-Control"),
            f"un-hashed static name not immutable ({original})",
            f"{plain_answer.status} {plain_answer.header('Cache-Control')}",
        )

        for label, path in (("admin sign-in", "/admin/login/"), ("problem form", self.problem_path(cached))):
            answers = [fetch(cached, path, tls=True) for _ in range(2)]
            statuses = [a.status for a in answers]
            cache_status = [a.header("X-Cache-Status") or "-" for a in answers]
            cookie = bool(answers[1].headers is not None and answers[1].headers.get_all("Set-Cookie"))
            self.check(
                all(a.ok for a in answers) and "HIT" not in cache_status and cookie,
                f"{label} never cached, its cookie passed on ({path})",
                f"status {statuses}, X-Cache-Status {cache_status}, Set-Cookie {'yes' if cookie else 'no'}",
            )

    def problem_path(self, port: int) -> str:
        data = json.loads(fetch(port, EDIT_API, tls=True).body)
        organisation = next(o for step in data["steps"] for o in step["organisations"])
        return f"/de/problem/{organisation['id']}/"

    # the phases ----------------------------------------------------------------------------------------------

    def run_phases(self) -> None:
        args = self.args
        counters_served = {name: LogCounter(app.access_log) for name, app in self.apps.items()}
        counters_upstream = {
            name: LogCounter(server.site_error_log, r"\[error\].*upstream") for name, server in self.nginx.items()
        }
        actions = [
            ("1 steady state", None),
            ("2 app server A killed (SIGKILL)", self.kill_a),
            ("3 app server A restarted", self.restart_a),
            ("4 PostgreSQL stopped (pg_ctl stop -m fast)", self.stop_postgres),
            ("5 PostgreSQL restarted", self.start_postgres),
        ]
        say()
        say(
            f"== load: {args.phase_seconds} s per phase; wrk -> cached nginx ({args.connections} connections) and "
            f"-> uncached nginx ({args.uncached_connections} connections) at once, {len(PATHS)} paths; "
            "each fault 1 s into its phase =="
        )
        for title, action in actions:
            phase = Phase(title)
            for counter in [*counters_served.values(), *counters_upstream.values()]:
                counter.take()
            started = time.monotonic()
            runs = {
                "cached": start_wrk(
                    self.wrk, self.nginx["cached"].tls_port, args.connections, args.phase_seconds, args.timeout
                ),
                "uncached": start_wrk(
                    self.wrk,
                    self.nginx["uncached"].tls_port,
                    args.uncached_connections,
                    args.phase_seconds,
                    args.timeout,
                ),
            }
            if action is not None:
                time.sleep(1.0)
                action(phase, started)
            self.running_wrk = list(runs.values())
            for stream, process in runs.items():
                phase.streams.append(finish_wrk(process, stream, args.phase_seconds))
            self.running_wrk = []
            phase.served_by = {name: counter.take() for name, counter in counters_served.items()}
            phase.upstream_errors = {name: counter.take() for name, counter in counters_upstream.items()}
            self.phases.append(phase)
            self.print_phase(phase)

    def kill_a(self, phase: Phase, started: float) -> None:
        app = self.apps["A"]
        pid = app.proc.process.pid
        os.killpg(pid, signal.SIGKILL)  # the master and its workers: the whole process group
        app.proc.process.wait(timeout=10)
        phase.notes.append(
            f"+{time.monotonic() - started:.1f} s: SIGKILL to app server A (gunicorn master {pid} and its workers)"
        )

    def restart_a(self, phase: Phase, started: float) -> None:
        app = self.apps["A"]
        at = time.monotonic() - started
        app.start()
        try:
            seconds = app.wait_until_answering(max(5, self.args.phase_seconds - 1))
        except SetupError as problem:
            phase.extra_failures.append(f"app server A did not come back: {problem}")
            return
        phase.notes.append(f"+{at:.1f} s: app server A started again; answering {seconds:.1f} s later")

    def stop_postgres(self, phase: Phase, started: float) -> None:
        at = time.monotonic() - started
        before = time.monotonic()
        self.postgres.stop("fast")
        phase.notes.append(f"+{at:.1f} s: PostgreSQL stopped (pg_ctl stop -m fast, {time.monotonic() - before:.1f} s)")
        # Answers never asked for before: the app must build them from its snapshot, no database.
        results = []
        for path in OUTAGE_PATHS:
            for label, answer in (
                ("app server B", fetch(self.apps["B"].port, path, tls=False)),
                ("uncached nginx", fetch(self.nginx["uncached"].tls_port, path, tls=True)),
            ):
                results.append(f"{answer.status or answer.error}")
                if not answer.ok:
                    phase.extra_failures.append(
                        f"{path} via {label} while PostgreSQL is down: {answer.status or answer.error}"
                    )
        phase.notes.append(
            f"answers never cached before, asked for with PostgreSQL down ({len(OUTAGE_PATHS)} paths "
            f"via app server B and via the uncached nginx): {' '.join(results)}"
        )

    def start_postgres(self, phase: Phase, started: float) -> None:
        at = time.monotonic() - started
        before = time.monotonic()
        self.postgres.start()
        phase.notes.append(
            f"+{at:.1f} s: PostgreSQL started again ({time.monotonic() - before:.1f} s; it was down "
            f"{self.args.phase_seconds + at - 1.0:.1f} s in all)"
        )

    def print_phase(self, phase: Phase) -> None:
        say()
        say(f"-- phase {phase.title} --")
        for note in phase.notes:
            say(f"   {note}")
        for stream in phase.streams:
            if stream.complete:
                say(
                    f"   {stream.label:<9} {stream.rps:8.1f} req/s  p50 {stream.p50_ms:7.1f} ms"
                    f"  p90 {stream.p90_ms:7.1f} ms  p99 {stream.p99_ms:7.1f} ms  max {stream.max_ms:7.1f} ms"
                    f"  {stream.requests:6d} requests  {stream.errors} failed"
                )
            if not stream.passed:
                say(f"   {stream.label}: {stream.explain()}")
        say(
            "   answered by the app servers (their access logs): "
            + ", ".join(f"{name} {count}" for name, count in phase.served_by.items())
            + "; upstream errors nginx logged (and retried on the other server, or answered from its cache): "
            + ", ".join(f"{name} {count}" for name, count in phase.upstream_errors.items())
        )
        for failure in phase.extra_failures:
            say(f"   FAIL {failure}")

    # a curator's edit ---------------------------------------------------------------------------------------

    def curator_edit(self) -> None:
        say()
        say(
            "== a curator's edit: saved through the ORM in `manage.py shell` (same PostgreSQL and Redis, as on "
            "any app server), read back meanwhile through each app server and each nginx =="
        )
        b, a = self.apps["B"], self.apps["A"]
        cached = self.nginx["cached"].tls_port
        data = json.loads(fetch(b.port, EDIT_API, tls=False).body)
        organisation = next(o for step in data["steps"] for o in step["organisations"])
        page_before = fetch(b.port, EDIT_PAGE, tls=False).body.decode()
        if html.escape(organisation["name"]) not in page_before:
            self.check(False, f"{EDIT_PAGE} shows {organisation['name']!r} before the edit")
            return
        # Make nginx's copy of the page fresh: wait until it is out of date, let one request refresh it, then
        # wait for a HIT. nginx's delay below is then close to the worst case, a whole max-age.
        deadline = time.monotonic() + self.args.max_age + 10
        refreshed_at, expired = None, False
        while time.monotonic() < deadline:
            hit = fetch(cached, EDIT_PAGE, tls=True).header("X-Cache-Status") == "HIT"
            if not hit:
                expired = True
            elif expired:
                refreshed_at = time.time()
                break
            time.sleep(0.05)
        cache_control = fetch(cached, EDIT_PAGE, tls=True).header("Cache-Control")

        marker = f"Edited{secrets.token_hex(4)}"
        code = (
            "import time\n"
            "from directory.models import Organisation\n"
            f"o = Organisation.objects.get(pk={int(organisation['id'])})\n"
            f"o.name = o.name + ' {marker}'\n"
            "print('SAVE_START', repr(time.time()), flush=True)\n"
            "o.save()\n"
            "print('SAVED_AT', repr(time.time()), flush=True)\n"
        )
        say(
            f"$ manage.py shell -c '…Organisation {organisation['id']} ({organisation['name']!r}): "
            f'name += " {marker}"; save()…\''
        )
        shell = subprocess.Popen(
            [str(PYTHON), "manage.py", "shell", "-c", code],
            cwd=PROJECT,
            env=self.manage_env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        targets = {
            "app server B, page (direct)": (b.port, EDIT_PAGE, False),
            "app server B, route API (direct)": (b.port, EDIT_API, False),
            "app server A, page (direct)": (a.port, EDIT_PAGE, False),
            "uncached nginx, page": (self.nginx["uncached"].tls_port, EDIT_PAGE, True),
            "cached nginx, page": (cached, EDIT_PAGE, True),
        }
        seen: dict[str, float] = {}  # when each target first showed the edit
        last_old: dict[str, float] = {}  # when the last request that still got the old answer was sent
        limit = time.monotonic() + 60 + self.args.max_age
        while time.monotonic() < limit and (shell.poll() is None or len(seen) < len(targets)):
            for label, (port, path, tls) in targets.items():
                if label in seen:
                    continue
                sent = time.time()
                if marker in fetch(port, path, tls=tls).body.decode(errors="replace"):
                    seen[label] = time.time()
                else:
                    last_old[label] = sent
            time.sleep(0.01)
        output, _ = shell.communicate(timeout=30)
        times = dict(re.findall(r"^(SAVE_START|SAVED_AT) (\d+\.\d+)$", output, re.MULTILINE))
        if shell.returncode != 0 or len(times) != 2:
            self.check(False, "the edit was saved", output[-800:])
            return
        start, saved = float(times["SAVE_START"]), float(times["SAVED_AT"])
        say(
            f"  save() ran from t=0 to t={saved - start:.3f} s (the UPDATE, then post_save: the version stamp in "
            "the database and Redis is bumped, then the snapshot is rebuilt and written to the file and to Redis)"
        )
        if refreshed_at is not None:
            say(f"  nginx's cached copy of {EDIT_PAGE} was fresh at t={refreshed_at - start:.2f} s ({cache_control})")
        for label in targets:
            shown = f"t={seen[label] - start:6.3f} s" if label in seen else "NOT within the time allowed"
            say(f"  {label:<34} shows the edit at {shown}")
        direct = [label for label in targets if label != "cached nginx, page"]
        late = [
            f"{label}: old answer to a request sent at t={last_old[label] - start:.3f} s"
            if label in seen
            else f"{label}: never"
            for label in direct
            if label not in seen or last_old.get(label, 0) > saved
        ]
        self.check(
            not late,
            "no request sent after save() returned got the old answer from an app server "
            "(the version stamp is shared: database and Redis)",
            "; ".join(late),
        )
        label = "cached nginx, page"
        bound = (refreshed_at or start) + self.args.max_age + 1.5
        self.check(
            label in seen and seen[label] <= bound,
            f"nginx's cache shows it once its copy is out of date (max-age {self.args.max_age} s here)",
            f"t={seen[label] - start:.2f} s" if label in seen else "never",
        )
        say(
            "  in production (SIGNPOST_PUBLIC_MAX_AGE=300) nginx's cache, a CDN and browsers may keep showing "
            "the old page for up to 300 s after an edit; the app servers themselves, never"
        )

    # both app servers down ------------------------------------------------------------------------------------

    def both_down(self) -> None:
        say()
        say("== both app servers stopped (SIGTERM): nginx's cache must still answer every page ==")
        for app in self.apps.values():
            app.proc.stop(signal.SIGTERM)
        cached = self.nginx["cached"].tls_port
        time.sleep(self.args.max_age + 1)  # every cached copy is now out of date
        statuses, bad = {}, []
        for path in PATHS:
            answer = fetch(cached, path, tls=True)
            status = answer.header("X-Cache-Status") or "-"
            statuses[status] = statuses.get(status, 0) + 1
            if not answer.ok:
                bad.append(f"{path} -> {answer.status or answer.error}")
        uncached = fetch(self.nginx["uncached"].tls_port, PATHS[1], tls=True)
        self.check(
            not bad,
            f"cached nginx answered all {len(PATHS)} paths with both app servers down",
            "X-Cache-Status "
            + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
            + ("; " + "; ".join(bad) if bad else ""),
        )
        say(f"  (the uncached nginx, with nothing to fall back on, answers {uncached.status or uncached.error})")

    # summary and tear-down ---------------------------------------------------------------------------------

    def summary(self) -> bool:
        say()
        say(
            f"Summary: {self.args.phase_seconds} s per phase; 2 app servers x {self.args.workers} sync workers; "
            f"DEBUG off; PostgreSQL + Redis; SIGNPOST_PUBLIC_MAX_AGE={self.args.max_age}; machine: {os.cpu_count()} "
            f"CPUs, load average {os.getloadavg()[0]:.2f}"
        )
        columns = ("req/s", "p50 ms", "p90 ms", "p99 ms", "max ms")
        header = (
            f"{'phase':<44}{'stream':<10}"
            + "".join(f"{c:>9}" for c in columns)
            + f"{'requests':>10}{'failed':>8}{'  A/B answered':>15}"
        )
        say(header)
        say("-" * len(header))
        for phase in self.phases:
            for i, s in enumerate(phase.streams):
                served = f"{phase.served_by.get('A', 0)}/{phase.served_by.get('B', 0)}" if i == 0 else ""
                say(
                    f"{phase.title if i == 0 else '':<44}{s.label:<10}{s.rps:>9.1f}{s.p50_ms:>9.1f}{s.p90_ms:>9.1f}"
                    f"{s.p99_ms:>9.1f}{s.max_ms:>9.1f}{s.requests:>10}{s.errors:>8}{served:>15}"
                )
        say(
            "failed = socket errors (connect, read, write, timeout) + answers that were not 2xx; "
            "A/B answered = requests in each app server's access log"
        )
        total_requests = sum(s.requests for p in self.phases for s in p.streams)
        failed_answers = sum(p.failed for p in self.phases)
        passed = all(p.passed for p in self.phases) and not self.check_failures and len(self.phases) == 5
        if passed:
            say(f"PASS: {total_requests} requests in 5 phases, 0 failed answers, all checks passed")
        else:
            say(
                f"FAIL: {failed_answers} failed answers out of {total_requests}; {len(self.check_failures)} failed "
                "checks"
            )
            for phase in self.phases:
                for stream in phase.streams:
                    if not stream.passed:
                        say(f"  phase {phase.title}, {stream.label}: {stream.explain()}")
                for failure in phase.extra_failures:
                    say(f"  phase {phase.title}: {failure}")
            for failure in self.check_failures:
                say(f"  check: {failure}")
        return passed

    def show_logs(self) -> None:
        if self.workdir is None:
            return
        for app in self.apps.values():
            say(f"  app server {app.name} error log (last lines):\n{tail(app.error_log)}")
        for server in self.nginx.values():
            say(f"  nginx {server.name} error log (last lines):\n{tail(server.site_error_log)}")

    def tear_down(self) -> None:
        for process in self.running_wrk:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=5)
        for server in self.nginx.values():
            if server.proc is not None:
                server.proc.stop(signal.SIGTERM, wait=10)
        for app in self.apps.values():
            if app.proc is not None:
                app.proc.stop(signal.SIGTERM, wait=15)
        if self.redis is not None:
            self.redis.stop(signal.SIGTERM, wait=10)
        if self.postgres is not None and (self.postgres.data / "postmaster.pid").exists():
            with contextlib.suppress(Exception):
                self.postgres.stop("immediate")
        if self.workdir is not None:
            if self.args.keep:
                say(f"kept {self.workdir}")
            else:
                shutil.rmtree(self.workdir, ignore_errors=True)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    install_signal_handlers()  # SIGTERM and SIGHUP: the tear-down runs on kill and on a closed terminal too
    # Ctrl-C / SIGINT stops the run even when started with SIGINT ignored (a background job of a script).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    run = Run(args)
    started = time.monotonic()
    try:
        run.set_up()
        run.configuration_checks()
        run.run_phases()
        run.curator_edit()
        run.both_down()
        passed = run.summary()
        if not passed:
            run.show_logs()
        say(f"(took {time.monotonic() - started:.0f} s)")
        return 0 if passed else 1
    except SetupError as problem:
        say(f"FAIL (setup): {problem}")
        run.show_logs()
        return 2
    except KeyboardInterrupt:
        say("\ninterrupted: stopping everything")
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the tear-down short
        run.tear_down()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
