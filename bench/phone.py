"""How an answer reads on a cheap phone: each sample answer's length in screens, and where its first service is.

    .venv/bin/python bench/phone.py            (or bench/phone)

Serves Signpost with the shipped directory (a throwaway SQLite database, `manage.py runserver`), opens a dozen
answers in the machine's Chromium at 360 × 740 CSS pixels, as a child, a parent and a professional, in several
languages, and prints for each: the page's length in screens (its height / 740), where the first service's name
and its main button are (in screens from the top), and whether any organisation's card appears twice.

Goals (issue "the answer a frightened person can use"): median ≤ 3 screens, none over 4.5, the first service's
name and main button on the first screen in every answer, no card twice. Exit status 0 when they hold, 1 if not.
"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 360, 740
# (address, who is reading it)
ANSWERS = [
    ("/help/gb/sextortion/?who=child", "child"),
    ("/de/help/de/need-to-talk/?who=child", "child"),
    ("/fr/help/fr/csam-found/?who=adult", "professional"),
    ("/help/us/my-images/?who=parent", "parent"),
    ("/pt/help/br/grooming/?who=parent", "parent"),
    ("/uk/help/ua/told-me/?who=adult", "professional"),
    ("/ar/help/eg/sextortion/?who=child", "child"),
    ("/pl/help/pl/own-thoughts/?who=adult", "adult"),
    ("/es/help/es/not-sure/?who=child", "child"),
    ("/it/help/it/danger-now/?who=parent", "parent"),
    ("/nl/help/nl/advice/?who=parent", "parent"),
    ("/ro/help/ro/csam-found/?who=adult", "professional"),
]
# Where it happened, named (issue "report it to the app too"): "do this first" must still fit the first screen,
# with the way to the app's own report route in it.
PLATFORM_ANSWERS = [
    ("/help/us/sextortion/?who=child&platform=instagram", "child"),
    ("/de/help/de/my-images/?who=child&platform=tiktok", "child"),
    ("/fr/help/fr/grooming/?who=parent&platform=snapchat", "parent"),
    ("/ar/help/eg/sextortion/?who=child&platform=whatsapp", "child"),
    ("/help/gb/csam-found/?who=adult&platform=x", "professional"),
]
MEASURE = """() => {
  const top = (el) => el ? (el.getBoundingClientRect().top + window.scrollY) / innerHeight : null;
  const bottom = (el) => el ? (el.getBoundingClientRect().bottom + window.scrollY) / innerHeight : null;
  const name = document.querySelector('[data-service-name]');
  const action = document.querySelector('[data-main-action]');
  const cards = [...document.querySelectorAll('article.org')].map((card) => card.id);
  const app = document.querySelector('.first .first-also a');
  return {
    screens: document.documentElement.scrollHeight / innerHeight,
    name: bottom(name), action: bottom(action), nameText: name ? name.textContent.trim() : '', app: bottom(app),
    repeated: cards.filter((id, i) => cards.indexOf(id) !== i),
  };
}"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(workdir: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}"}
    env.pop("REDIS_URL", None)
    python = sys.executable
    for command in (["migrate", "--noinput"], ["import_directory"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def fmt(screens: float | None) -> str:
    """A position in screens, or "none" where the page has no such element."""
    return f"{screens:6.2f}" if screens is not None else "  none"


def main() -> int:
    port = free_port()
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        server = serve(Path(folder), port)
        try:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            measured = []
            for address, reader in ANSWERS + PLATFORM_ANSWERS:
                page.goto(f"http://127.0.0.1:{port}{address}")
                measured.append((address, reader, page.evaluate(MEASURE)))
            browser.close()
        finally:
            server.terminate()
            server.wait()

    results, with_app = measured[: len(ANSWERS)], measured[len(ANSWERS) :]
    print(f"Answers at {WIDTH} × {HEIGHT} (lengths in screens of {HEIGHT} px)\n")
    print(f"{'answer':42} {'reader':13} {'screens':>7} {'name':>6} {'button':>6}  first service")
    for address, reader, m in results:
        print(f"{address:42} {reader:13} {m['screens']:7.2f} {fmt(m['name'])} {fmt(m['action'])}  {m['nameText'][:40]}")
    screens = [m["screens"] for _a, _r, m in results]
    first_screen = sum(
        1
        for _a, _r, m in results
        if m["name"] is not None and m["action"] is not None and max(m["name"], m["action"]) <= 1
    )
    repeated = [(a, m["repeated"]) for a, _r, m in results if m["repeated"]]
    print(f"\nmedian {statistics.median(screens):.2f} screens (goal ≤ 3), longest {max(screens):.2f} (goal ≤ 4.5)")
    print(f"first service's name and main button on the first screen: {first_screen} of {len(results)}")
    print(f"answers with a card shown twice: {len(repeated)} {repeated or ''}")
    ok = statistics.median(screens) <= 3 and max(screens) <= 4.5 and first_screen == len(results) and not repeated

    print("\nWith the app named (its report route is the answer's last step; the way to it is in 'do this first'):")
    print(f"{'answer':52} {'reader':13} {'screens':>7} {'button':>6} {'app':>6}")
    for address, reader, m in with_app:
        print(f"{address:52} {reader:13} {m['screens']:7.2f} {fmt(m['action'])} {fmt(m['app'])}")
    app_first = sum(1 for _a, _r, m in with_app if m["action"] is not None and m["app"] is not None and m["app"] <= 1)
    print(f"'do this first' with the app's link on the first screen: {app_first} of {len(with_app)}")
    ok = ok and app_first == len(with_app)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
