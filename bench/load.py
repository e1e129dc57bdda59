"""Load test for Signpost: serve the app with gunicorn (debug off) on a throwaway database, drive it with wrk.

Run it through `bench/load` (which uses the project's .venv python); see bench/README.md.

Steps: install wrk with apt if it is missing; create a temporary directory holding a SQLite database and the
collected static files; `migrate`, `import_directory` (the shipped directory) and `collectstatic`; start
gunicorn on 127.0.0.1 at a free port; check that every path answers 2xx; run wrk against each target for a
fixed time at a fixed concurrency; print requests per second, latency percentiles and errors; exit non-zero
if any request failed. gunicorn and the temporary directory are removed on exit, Ctrl-C and errors included.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
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

# What is measured. Real answers: English, German, French, Ukrainian, Arabic … pages, national and
# worldwide-only countries. Each target's paths are requested in turn by every wrk connection.
TARGETS: dict[str, tuple[str, list[str]]] = {
    "pages": (
        "results pages",
        [
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
        ],
    ),
    "api": (
        "route API",
        [
            "/api/v1/route/?country=DE&situation=csam-found",
            "/api/v1/route/?country=GB&situation=my-images",
            "/api/v1/route/?country=FR&situation=grooming&lang=fr",
            "/api/v1/route/?country=UA&situation=sextortion&lang=uk",
            "/api/v1/route/?country=EG&situation=need-to-talk&lang=ar",
            "/api/v1/route/?country=US&situation=danger-now",
            "/api/v1/route/?country=BR&situation=told-me&lang=pt",
        ],
    ),
}

# Sent with every request (wrk: bench/cycle.lua; the checks below), so that an HTTPS redirect behind a
# proxy header would not fire. Harmless while the settings do not trust the header.
FORWARDED_HEADERS = {"X-Forwarded-Proto": "https"}


class SetupError(Exception):
    """Something the benchmark needs failed before any measurement (exit status 2)."""


def say(message: str = "") -> None:
    print(message, flush=True)


def env_default(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/load",
        description="Serve Signpost with gunicorn (DEBUG off, throwaway SQLite) and load-test it with wrk.",
        epilog="Each option can also be set by the environment variable in brackets; flags win.",
    )
    parser.add_argument(
        "--duration",
        default=env_default("DURATION", "15s"),
        help="wrk run time per target, e.g. 15s, 1m [DURATION; default 15s]",
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=env_default("CONNECTIONS", "32"),
        help="open connections (the concurrency) [CONNECTIONS; default 32]",
    )
    parser.add_argument(
        "--threads", type=int, default=env_default("THREADS", "2"), help="wrk threads [THREADS; default 2]"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=env_default("WORKERS", "2"),
        help="gunicorn sync workers [WORKERS; default 2]",
    )
    parser.add_argument(
        "--timeout",
        default=env_default("TIMEOUT", "5s"),
        help="wrk: a response slower than this counts as an error [TIMEOUT; default 5s]",
    )
    parser.add_argument(
        "--targets",
        default=env_default("TARGETS", ",".join(TARGETS)),
        help=f"comma-separated, from: {', '.join(TARGETS)} [TARGETS; default all]",
    )
    args = parser.parse_args(argv)
    args.targets = [name.strip() for name in args.targets.split(",") if name.strip()]
    unknown = [name for name in args.targets if name not in TARGETS]
    if unknown or not args.targets:
        parser.error(f"unknown target(s) {unknown}; choose from {', '.join(TARGETS)}")
    if not re.fullmatch(r"\d+[smh]?", args.duration) or not re.fullmatch(r"\d+[smh]?", args.timeout):
        parser.error("--duration and --timeout take a number with an optional unit s, m or h, e.g. 15s")
    if args.threads < 1 or args.workers < 1 or args.connections < args.threads:
        parser.error("need --threads >= 1, --workers >= 1 and --connections >= --threads")
    return args


# --- wrk ---------------------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    """wrk's path, installing the Debian package first if it is not on PATH."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise SetupError("wrk is not installed; install it (Debian/Ubuntu: sudo apt-get install wrk) or run as root.")
    if not shutil.which("apt-get"):
        raise SetupError("wrk is not installed and there is no apt-get here; install wrk and run again.")
    say("wrk is not installed: apt-get update && apt-get install -y wrk")
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "wrk"]):
        result = subprocess.run(command, env=apt_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            raise SetupError(f"{' '.join(command)} failed (exit {result.returncode}):\n{result.stdout[-3000:]}")
    found = shutil.which("wrk")
    if not found:
        raise SetupError("apt-get installed wrk but it is not on PATH.")
    return found


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


def app_environment(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTEST_VERSION", None)  # the settings relax the secret-key check under pytest
    env.update(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "DJANGO_STATIC_ROOT": str(workdir / "static"),
            "PYTHONUNBUFFERED": "1",
            **https_off_variables(),
        }
    )
    return env


def manage(env: dict[str, str], *command: str) -> None:
    say(f"$ manage.py {' '.join(command)}")
    result = subprocess.run(
        [str(PYTHON), "manage.py", *command],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0:
        raise SetupError(f"manage.py {' '.join(command)} failed (exit {result.returncode}):\n{result.stdout[-4000:]}")
    if lines:
        say(f"  {lines[-1]}")


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


def get(port: int, path: str, timeout: float = 10) -> tuple[int, str]:
    """(status, Location header) of one GET, redirects not followed."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers=FORWARDED_HEADERS)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
    finally:
        connection.close()


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


def check_paths(server: Server, names: list[str]) -> None:
    """Every path must answer 2xx before it is measured (a 404 or an HTTPS redirect would be a useless figure)."""
    problems = []
    for name in names:
        for path in TARGETS[name][1]:
            status, location = get(server.port, path)
            if not 200 <= status <= 299:
                problems.append(f"  {path} -> {status}" + (f" (Location: {location})" if location else ""))
    if problems:
        raise SetupError("These paths do not answer 2xx, so they cannot be measured:\n" + "\n".join(problems))


# --- measuring ---------------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
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


def run_wrk(wrk: str, port: int, name: str, args: argparse.Namespace) -> Result:
    label, paths = TARGETS[name]
    command = [
        wrk,
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={args.duration}",
        f"--timeout={args.timeout}",
        "--latency",
        f"--script={LUA_SCRIPT}",
        f"http://{HOST}:{port}",
        "--",
        *paths,
    ]
    say()
    say(f"== {label}: {len(paths)} paths, {args.duration}, {args.connections} connections, {args.threads} threads ==")
    result = Result(name, label, len(paths))
    completed = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in completed.stdout.splitlines():
        if not line.startswith("BENCH "):
            say(f"  {line}")
    parse_wrk(completed.stdout, result)
    if completed.returncode != 0:
        say(f"  wrk exited with status {completed.returncode}")
        result.complete = False
    return result


def parse_wrk(output: str, result: Result) -> None:
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


def report(results: list[Result], args: argparse.Namespace) -> bool:
    say()
    say(
        f"Summary ({args.duration} per target, {args.connections} connections, {args.threads} wrk threads, "
        f"{args.workers} gunicorn sync workers, DEBUG off, SQLite)"
    )
    columns = ("req/s", "p50 ms", "p90 ms", "p99 ms", "max ms")
    header = f"{'target':<14}" + "".join(f"{name:>9}" for name in columns) + f"{'requests':>10}{'errors':>8}"
    say(header)
    say("-" * len(header))
    for r in results:
        say(
            f"{r.label:<14}{r.rps:>9.1f}{r.p50_ms:>9.1f}{r.p90_ms:>9.1f}{r.p99_ms:>9.1f}{r.max_ms:>9.1f}"
            f"{r.requests:>10}{r.errors:>8}"
        )
    say("errors = socket errors (connect, read, write, timeout) + responses that were not 2xx")
    passed = all(r.passed for r in results)
    for r in results:
        if r.passed:
            continue
        if not r.complete:
            say(f"  {r.label}: wrk did not finish or its summary could not be read")
        else:
            socket = ", ".join(f"{k} {v}" for k, v in r.socket_errors.items() if v) or "none"
            say(f"  {r.label}: socket errors: {socket}; non-2xx responses: {r.non2xx} {r.statuses}".rstrip())
    total = sum(r.errors for r in results)
    if passed:
        say(f"PASS: {sum(r.requests for r in results)} requests, 0 errors")
    else:
        say(f"FAIL: {total} errors (see above)")
    return passed


# --- main --------------------------------------------------------------------------------------------------


def raise_exit(signum, _frame):
    raise SystemExit(128 + signum)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, raise_exit)  # so that the cleanup below runs on kill and on a closed terminal too
    if not PYTHON.exists() or not GUNICORN.exists():
        say(f"{PYTHON} or {GUNICORN} is missing: run `make venv` in {PROJECT} first.")
        return 2
    workdir: Path | None = None
    server: Server | None = None
    try:
        wrk = ensure_wrk()
        version = subprocess.run([wrk, "--version"], capture_output=True, text=True).stdout.split(" [")[0].strip()
        say(f"wrk: {wrk} ({version})")
        workdir = Path(tempfile.mkdtemp(prefix="signpost-bench-"))
        env = app_environment(workdir)
        say(f"temporary directory: {workdir}")
        say(f"DATABASE_URL={env['DATABASE_URL']}  DJANGO_STATIC_ROOT={env['DJANGO_STATIC_ROOT']}")
        say("DJANGO_DEBUG=0  " + "  ".join(f"{k}={v}" for k, v in https_off_variables().items()))
        say(f"cache: {'Redis (REDIS_URL)' if env.get('REDIS_URL') else 'memory, per gunicorn worker'}")
        manage(env, "migrate", "--noinput")
        manage(env, "import_directory")
        manage(env, "collectstatic", "--noinput")
        server = start_gunicorn(env, workdir, args.workers)
        wait_until_up(server)
        check_paths(server, args.targets)
        say(f"serving on http://{HOST}:{server.port}/; every path answers 2xx")
        load_before = os.getloadavg()[0]
        results = [run_wrk(wrk, server.port, name, args) for name in args.targets]
        say()
        say(
            f"machine: {os.cpu_count()} CPUs; 1-minute load average {load_before:.2f} before the runs, "
            f"{os.getloadavg()[0]:.2f} after (wrk and gunicorn share these CPUs; other work skews the figures)"
        )
        if server.process.poll() is not None:
            say(f"gunicorn exited during the run (status {server.process.returncode}):\n{server.log_tail()}")
            for r in results:
                r.complete = False
        return 0 if report(results, args) else 1
    except SetupError as problem:
        say(f"FAIL (setup): {problem}")
        return 2
    except KeyboardInterrupt:
        say("\ninterrupted: stopping")
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the cleanup short
        if server is not None:
            server.stop()
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
