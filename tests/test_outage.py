"""Serving through a database outage, proved with a real PostgreSQL server that stops mid-way.

The test starts its own PostgreSQL cluster in a temporary folder (initdb / pg_ctl from the
machine's PostgreSQL), loads the shipped directory into it, serves the app with gunicorn
(production settings), stops the database, and checks that people still get their answers
while the admin answers a clean 503; then starts the database again.
"""

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if shutil.which("pg_config"):
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
        candidates.insert(0, Path(bindir) / "pg_ctl")
    for pg_ctl in candidates:
        if pg_ctl.exists() and (pg_ctl.parent / "initdb").exists():
            return pg_ctl.parent
    raise AssertionError("PostgreSQL's initdb/pg_ctl are needed for this test (apt-get install postgresql)")


class Cluster:
    """A throwaway PostgreSQL server on 127.0.0.1 (run as the postgres user when we are root)."""

    def __init__(self, folder: Path):
        self.bin = postgres_bin()
        self.data = folder / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        folder.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            shutil.chown(folder, "postgres")
            folder.chmod(0o755)

    def run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        subprocess.run(prefix + list(command), check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        self.run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.data.parent / "server.log")  # the server must not keep our pipes open
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", log, "-o", options, "-w", "-t", "30", "start")

    def stop(self) -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


def get(url: str, timeout: float = 10, cookie: str = "") -> tuple[int, str, dict]:
    headers = {"X-Forwarded-Proto": "https"}
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


@pytest.fixture(scope="module")
def served_with_postgres():
    # Not under pytest's own temporary folder: that one is private to us, and the server runs as postgres.
    folder = Path(tempfile.mkdtemp(prefix="signpost-outage-"))
    folder.chmod(0o755)
    cluster = Cluster(folder / "pg")
    cluster.init()
    cluster.start()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": cluster.url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SIGNPOST_SNAPSHOT_PATH": str(folder / "snapshot.json"),
        "DJANGO_STATIC_ROOT": str(folder / "static"),
    }
    env.pop("PYTEST_VERSION", None)  # the app runs as in production, not as a test
    manage = [PYTHON, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput"], ["import_directory"], ["collectstatic", "--noinput"]):
        subprocess.run(manage + command, env=env, cwd=ROOT, check=True, capture_output=True, timeout=300)
    server = subprocess.Popen(
        [GUNICORN, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "30"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                get(base + "/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield base, cluster, server
    finally:
        server.terminate()
        server.wait(timeout=10)
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.stop()  # unless already stopped
        shutil.rmtree(folder, ignore_errors=True)


def test_people_get_answers_while_the_database_is_down(served_with_postgres):
    base, cluster, _server = served_with_postgres
    warm_status, warm_page, _ = get(base + "/help/de/csam-found/")
    assert warm_status == 200
    assert "jugendschutz.net" in warm_page
    status, admin_page, _ = get(base + "/admin/login/")
    assert status == 200

    cluster.stop()
    try:
        # A page served before the outage, from the cache.
        status, page, _ = get(base + "/help/de/csam-found/")
        assert (status, "jugendschutz.net" in page) == (200, True)
        # Pages nobody asked for yet, from the snapshot, and the same as they would be.
        status, page, headers = get(base + "/help/gb/my-images/")
        assert status == 200
        assert "Internet Watch Foundation" in page
        assert "Call 999" in page
        assert "set-cookie" not in {name.lower() for name in headers}
        status, page, _ = get(base + "/fr/help/fr/grooming/")
        assert status == 200
        status, body, _ = get(base + "/api/v1/route/?country=IN&situation=csam-found")
        assert status == 200
        assert '"fallback": false' in body
        status, body, _ = get(base + "/api/v1/countries/")
        assert status == 200 and '"code": "DE"' in body
        # Nothing alarming for the person, no traceback.
        assert "database" not in page.lower() and "Traceback" not in page
        # The admin cannot work without its database: a curator's session cannot even be read. A clean 503.
        status, page, headers = get(base + "/admin/", cookie="__Host-signpost-session=a-curators-session")
        assert status == 503
        assert "Back in a moment" in page and "Traceback" not in page
        assert headers.get("Retry-After") == "60"
    finally:
        cluster.start()

    status, _page, _ = get(base + "/admin/login/", cookie="__Host-signpost-session=a-curators-session")
    assert status == 200
