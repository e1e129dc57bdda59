"""What the bench/ scripts share: serving Signpost the way production does, on a throwaway database, and wrk.

Used by bench/load.py, bench/throughput.py, bench/weight.py, bench/lighthouse.py and bench/queries.py, which
run on the project's .venv python with bench/ first on sys.path (each is started as `python bench/NAME.py`);
deploy/chaos/scale_out.py takes the wrk parts (cycle.lua's command line and summary) and a few helpers from here.

`App` is the usual way in: a context manager that makes a temporary directory (SQLite database and collected
static files), runs `migrate`, `import_directory` and `collectstatic` there, starts gunicorn on 127.0.0.1 at
a free port with DEBUG off, waits until it answers, and on the way out (errors, Ctrl-C and SIGTERM included,
see `install_signal_handlers`) stops gunicorn and deletes the directory.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT = BENCH_DIR.parent
PYTHON = PROJECT / ".venv" / "bin" / "python"
GUNICORN = PROJECT / ".venv" / "bin" / "gunicorn"
LUA_SCRIPT = BENCH_DIR / "cycle.lua"
HOST = "127.0.0.1"

# Real answers: English, German, French, Ukrainian, Arabic … pages, national and worldwide-only countries.
RESULTS_PAGES = [
    "/help/de/csam-found/",
    "/help/gb/my-images/",
    "/fr/help/fr/grooming/",
    "/uk/help/ua/sextortion/",
    "/ar/help/eg/need-to-talk/",
    "/de/help/at/told-me/",
    "/es/help/mx/danger-now/",
    "/it/help/it/advice/",
    "/nl/help/be/own-thoughts/",
    "/pl/help/pl/not-sure/",
    "/pt/help/br/sextortion/",
    "/ro/help/ro/csam-found/",
    "/help/us/my-images/",
    "/help/ke/need-to-talk/",
]
ROUTE_API_CALLS = [
    "/api/v1/route/?country=DE&situation=csam-found",
    "/api/v1/route/?country=GB&situation=my-images",
    "/api/v1/route/?country=FR&situation=grooming&lang=fr",
    "/api/v1/route/?country=UA&situation=sextortion&lang=uk",
    "/api/v1/route/?country=EG&situation=need-to-talk&lang=ar",
    "/api/v1/route/?country=US&situation=danger-now",
    "/api/v1/route/?country=BR&situation=told-me&lang=pt",
]

# Sent with every request (wrk: bench/cycle.lua; the checks below), so that an HTTPS redirect behind a
# proxy header would not fire. Harmless while the settings do not trust the header.
FORWARDED_HEADERS = {"X-Forwarded-Proto": "https"}


class SetupError(Exception):
    """Something the benchmark needs failed before any measurement (exit status 2)."""


def say(message: str = "") -> None:
    print(message, flush=True)


def env_default(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


def raise_exit(signum, _frame):
    raise SystemExit(128 + signum)


def install_signal_handlers() -> None:
    """SIGTERM and SIGHUP raise SystemExit, so that `finally:` and `with App(...)` clean up on kill too."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, raise_exit)


def check_venv() -> None:
    if not PYTHON.exists() or not GUNICORN.exists():
        raise SetupError(f"{PYTHON} or {GUNICORN} is missing: run `make venv` in {PROJECT} first.")


def machine_note() -> str:
    return f"{os.cpu_count()} CPUs, 1-minute load average {os.getloadavg()[0]:.2f}"


# --- wrk ---------------------------------------------------------------------------------------------------


def ensure_apt_binary(binary: str, package: str) -> str:
    """`binary`'s path, installing the Debian `package` first (apt-get, as root) if it is not on PATH."""
    found = shutil.which(binary)
    if found:
        return found
    if os.geteuid() != 0:
        raise SetupError(f"{binary} is not installed; install it (Debian/Ubuntu: sudo apt-get install {package}).")
    if not shutil.which("apt-get"):
        raise SetupError(f"{binary} is not installed and there is no apt-get here; install {package} and run again.")
    say(f"{binary} is not installed: apt-get update && apt-get install -y {package}")
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", package]):
        result = subprocess.run(command, env=apt_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            raise SetupError(f"{' '.join(command)} failed (exit {result.returncode}):\n{result.stdout[-3000:]}")
    found = shutil.which(binary)
    if not found:
        raise SetupError(f"apt-get installed {package} but {binary} is not on PATH.")
    return found


def ensure_wrk() -> str:
    """wrk's path, installing the Debian package first if it is not on PATH."""
    return ensure_apt_binary("wrk", "wrk")


def wrk_version(wrk: str) -> str:
    return subprocess.run([wrk, "--version"], capture_output=True, text=True).stdout.split(" [")[0].strip()


@dataclass
class WrkResult:
    label: str
    paths: int
    requests: int = 0
    seconds: float = 0.0
    p50_ms: float = 0.0
    p90_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    socket_errors: dict[str, int] = field(default_factory=dict)
    non2xx: int = 0
    statuses: str = ""
    complete: bool = False

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return sum(self.socket_errors.values()) + self.non2xx

    @property
    def passed(self) -> bool:
        return self.complete and self.requests > 0 and self.errors == 0

    def problem(self) -> str:
        """Why the run does not count, in one line ("" when it does)."""
        if not self.complete:
            return f"{self.label}: wrk did not finish or its summary could not be read"
        if self.errors or not self.requests:
            socket_errors = ", ".join(f"{k} {v}" for k, v in self.socket_errors.items() if v) or "none"
            return f"{self.label}: socket errors: {socket_errors}; non-2xx responses: {self.non2xx} {self.statuses}"
        return ""


def wrk_command(
    wrk: str,
    url: str,
    paths: list[str],
    *,
    connections: int,
    threads: int,
    duration: str,
    timeout: str = "5s",
    latency: bool = True,
) -> list[str]:
    """wrk's command line with bench/cycle.lua: each connection requests `paths` in turn from `url`."""
    return [
        wrk,
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={duration}",
        f"--timeout={timeout}",
        *(["--latency"] if latency else []),
        f"--script={LUA_SCRIPT}",
        url,
        "--",
        *paths,
    ]


def wrk_environment(headers: dict[str, str] | None = None) -> dict[str, str]:
    """wrk's environment: bench/cycle.lua sends `headers` (CYCLE_HEADERS), or by default X-Forwarded-Proto: https."""
    env = {name: value for name, value in os.environ.items() if name != "CYCLE_HEADERS"}
    if headers is not None:
        env["CYCLE_HEADERS"] = "\n".join(f"{name}: {value}" for name, value in headers.items())
    return env


def run_wrk(
    wrk: str,
    port: int,
    label: str,
    paths: list[str],
    *,
    connections: int,
    threads: int,
    duration: str,
    timeout: str = "5s",
    echo: bool = True,
) -> WrkResult:
    """Run wrk with bench/cycle.lua (each connection requests `paths` in turn) and read its BENCH lines."""
    url = f"http://{HOST}:{port}"
    command = wrk_command(wrk, url, paths, connections=connections, threads=threads, duration=duration, timeout=timeout)
    result = WrkResult(label, len(paths))
    completed = subprocess.run(
        command, env=wrk_environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    if echo:
        for line in completed.stdout.splitlines():
            if not line.startswith("BENCH "):
                say(f"  {line}")
    parse_wrk(completed.stdout, result)
    if completed.returncode != 0:
        say(f"  wrk exited with status {completed.returncode}")
        result.complete = False
    return result


def parse_wrk(output: str, result: WrkResult) -> None:
    def fields(prefix: str) -> dict[str, str] | None:
        match = re.search(rf"^BENCH {prefix} (.*)$", output, re.MULTILINE)
        return dict(item.split("=", 1) for item in match.group(1).split()) if match else None

    totals = re.search(r"^BENCH requests=(\d+) duration_us=(\d+)", output, re.MULTILINE)
    errors = fields("errors")
    latency = fields("latency_us")
    statuses = re.search(r"^BENCH non2xx_statuses ?(.*)$", output, re.MULTILINE)
    if not (totals and errors and latency):
        return  # result.complete stays False: the run is reported as failed
    result.requests = int(totals.group(1))
    result.seconds = int(totals.group(2)) / 1e6
    result.p50_ms, result.p90_ms, result.p99_ms, result.max_ms = (
        int(latency[key]) / 1000 for key in ("p50", "p90", "p99", "max")
    )
    result.socket_errors = {key: int(errors[key]) for key in ("connect", "read", "write", "timeout")}
    result.non2xx = int(errors["non2xx"])
    result.statuses = statuses.group(1).strip() if statuses else ""
    result.complete = True


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


# --- the app -----------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def https_off_variables() -> dict[str, str]:
    """Environment variables that config/settings.py reads to force HTTPS, set to off for plain-HTTP loopback.

    Read from the settings file at run time, so that a DJANGO_SECURE_SSL_REDIRECT (or similar) added later is
    switched off without editing this script. DJANGO_SECURE_SSL_REDIRECT is always set, in case it is read
    somewhere this scan misses.
    """
    text = (PROJECT / "config" / "settings.py").read_text(encoding="utf-8")
    names = {"DJANGO_SECURE_SSL_REDIRECT"}
    pattern = r"[\"']((?:DJANGO|SIGNPOST)_[A-Z0-9_]*(?:SSL_REDIRECT|HTTPS_REDIRECT|FORCE_HTTPS)[A-Z0-9_]*)[\"']"
    names.update(re.findall(pattern, text))
    return {name: "0" for name in sorted(names)}


def app_environment(workdir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Production's configuration (DEBUG off), with a throwaway database and static root under `workdir`."""
    env = dict(os.environ)
    env.pop("PYTEST_VERSION", None)  # the settings relax the secret-key check under pytest
    env.update(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "DJANGO_STATIC_ROOT": str(workdir / "static"),
            "SIGNPOST_SNAPSHOT_PATH": str(workdir / "directory-snapshot.json"),
            "PYTHONUNBUFFERED": "1",
            **https_off_variables(),
        }
    )
    env.update(extra or {})
    return env


def manage(env: dict[str, str], *command: str, quiet: bool = False) -> str:
    """Run a management command; its output, or SetupError with the output's end when it fails."""
    if not quiet:
        say(f"$ manage.py {' '.join(command)}")
    result = subprocess.run(
        [str(PYTHON), "manage.py", *command],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        output = (result.stdout + result.stderr)[-4000:]
        raise SetupError(f"manage.py {' '.join(command)} failed (exit {result.returncode}):\n{output}")
    lines = (result.stderr.strip() or result.stdout.strip()).splitlines()
    if lines and not quiet:
        say(f"  {lines[-1][:300]}")
    return result.stdout


def prepare_database(env: dict[str, str], directory_file: Path | None = None) -> None:
    manage(env, "migrate", "--noinput")
    if directory_file is None:
        manage(env, "import_directory")
    else:
        manage(env, "import_directory", "--file", str(directory_file))


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by gunicorn's master and its live workers, from /proc."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                # Fields after the command name (which may hold spaces), from field 3 (state) on.
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            pid, ppid = int(entry.name), int(fields[1])
            if pid == self.process.pid or ppid == self.process.pid:
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def stop(self) -> None:
        """SIGTERM to gunicorn's process group (master and workers), SIGKILL if it has not gone in 10 s."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


def start_gunicorn(env: dict[str, str], workdir: Path, workers: int) -> Server:
    port = free_port()
    log = workdir / "gunicorn.log"
    command = [
        str(GUNICORN),
        "config.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--error-logfile",
        str(log),
        "--log-level",
        "warning",
    ]
    say(f"$ gunicorn config.wsgi --bind {HOST}:{port} --workers {workers} (sync)")
    with log.open("w") as log_file:
        # Its own session: Ctrl-C in the terminal reaches only this script, which then stops gunicorn itself.
        process = subprocess.Popen(
            command, cwd=PROJECT, env=env, stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file,
            start_new_session=True,
        )  # fmt: skip
    return Server(process, port, log)


@dataclass
class Response:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


def fetch(port: int, path: str, headers: dict[str, str] | None = None, timeout: float = 10) -> Response:
    """One GET over loopback with X-Forwarded-Proto: https (plus `headers`), redirects not followed."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={**FORWARDED_HEADERS, **(headers or {})})
        response = connection.getresponse()
        body = response.read()
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        connection.close()


def get(port: int, path: str, timeout: float = 10) -> tuple[int, str]:
    """(status, Location header) of one GET, redirects not followed."""
    response = fetch(port, path, timeout=timeout)
    return response.status, response.header("Location")


def wait_until_up(server: Server, deadline_seconds: float = 60) -> None:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SetupError(f"gunicorn exited with status {server.process.returncode}:\n{server.log_tail()}")
        try:
            get(server.port, "/api/v1/situations/", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SetupError(f"gunicorn did not answer within {deadline_seconds:.0f} s:\n{server.log_tail()}")


def check_paths(server: Server, paths: list[str]) -> None:
    """Every path must answer 2xx before it is measured (a 404 or an HTTPS redirect would be a useless figure)."""
    problems = []
    for path in paths:
        status, location = get(server.port, path)
        if not 200 <= status <= 299:
            problems.append(f"  {path} -> {status}" + (f" (Location: {location})" if location else ""))
    if problems:
        raise SetupError("These paths do not answer 2xx, so they cannot be measured:\n" + "\n".join(problems))


def static_manifest(env: dict[str, str]) -> dict[str, str]:
    """collectstatic's manifest: original name -> hashed name (CompressedManifestStaticFilesStorage)."""
    path = Path(env["DJANGO_STATIC_ROOT"]) / "staticfiles.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))["paths"]
    except (OSError, ValueError, KeyError) as problem:
        raise SetupError(f"cannot read the static files' manifest {path}: {problem}") from None


class App:
    """Signpost under gunicorn on a throwaway database, for the length of a `with` block.

        with App(workers=2) as app:
            fetch(app.port, "/help/de/csam-found/")

    `extra_env` is added to the app's environment (e.g. DJANGO_HSTS_SECONDS=0); `directory_file` is imported
    instead of the shipped directory.
    """

    def __init__(
        self,
        *,
        workers: int = 2,
        extra_env: dict[str, str] | None = None,
        directory_file: Path | None = None,
        prefix: str = "signpost-bench-",
    ):
        self.workers = workers
        self.extra_env = extra_env or {}
        self.directory_file = directory_file
        self.prefix = prefix
        self.workdir: Path | None = None
        self.server: Server | None = None
        self.env: dict[str, str] = {}

    @property
    def port(self) -> int:
        assert self.server is not None
        return self.server.port

    @property
    def url(self) -> str:
        assert self.server is not None
        return self.server.url

    def __enter__(self) -> App:
        check_venv()
        try:
            self.workdir = Path(tempfile.mkdtemp(prefix=self.prefix))
            self.env = app_environment(self.workdir, self.extra_env)
            say(f"temporary directory: {self.workdir}")
            shown = {**https_off_variables(), **self.extra_env}
            say("DJANGO_DEBUG=0  " + "  ".join(f"{k}={v}" for k, v in shown.items()))
            say(f"cache: {'Redis (REDIS_URL)' if self.env.get('REDIS_URL') else 'memory, per gunicorn worker'}")
            prepare_database(self.env, self.directory_file)
            manage(self.env, "collectstatic", "--noinput")
            self.server = start_gunicorn(self.env, self.workdir, self.workers)
            wait_until_up(self.server)
            return self
        except BaseException:
            self.close()
            raise

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the cleanup short
        try:
            if self.server is not None:
                self.server.stop()
                self.server = None
            if self.workdir is not None:
                shutil.rmtree(self.workdir, ignore_errors=True)
                self.workdir = None
        finally:
            signal.signal(signal.SIGINT, previous)

    def alive_or_raise(self) -> None:
        if self.server is not None and self.server.process.poll() is not None:
            raise SetupError(
                f"gunicorn exited during the run (status {self.server.process.returncode}):\n{self.server.log_tail()}"
            )
