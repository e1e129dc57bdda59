"""The public pages run clean in the browser: no console errors, no script errors, no CSP violations,
no request to another site, and no cookie."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES = [
    "/",
    "/help/de/",
    "/help/de/csam-found/",
    "/help/de/danger-now/",
    "/de/help/de/grooming/",
    "/uk/help/ua/sextortion/",
    "/pl/help/pl/csam-found/",
    "/ar/",
    "/ar/help/eg/need-to-talk/",
    "/leaving/",
    "/de/leaving/",
]
# Pages that answer an error status, which Chromium reports in the console (and nothing else may be).
ERROR_PAGES = {"/help/xx/csam-found/": 404, "/nowhere/": 404, "/help/?country=XX": 400, "/help/de/?situation=": 400}


@pytest.fixture
def csp_watch(open_context):
    """A context that also reports CSP violations the page sees (as well as Chromium's console messages)."""
    context = open_context()
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')));"
    )
    return context


def test_public_pages_have_no_console_errors_or_csp_violations(csp_watch, directory, problems):
    page = csp_watch.new_page()
    for path in PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")  # the stylesheet and the script have run
        assert page.evaluate("getComputedStyle(document.querySelector('.exit')).backgroundColor") == "rgb(176, 0, 32)"
        assert not problems, f"{path}:\n{problems}"
    assert csp_watch.cookies() == []


def test_error_pages_have_no_other_console_errors(csp_watch, directory, problems):
    page = csp_watch.new_page()
    for path, status in ERROR_PAGES.items():
        response = page.goto(path)
        assert response.status == status, path
        expected = re.compile(rf"Failed to load resource: the server responded with a status of {status}\b")
        unexpected = [problem for problem in problems if not expected.search(problem)]
        assert not unexpected, f"{path}:\n" + "\n".join(unexpected)
        problems.clear()


def test_the_quick_exit_and_keyboard_use_raise_no_errors(csp_watch, directory, problems):
    page = csp_watch.new_page()
    page.goto("/help/de/csam-found/")
    for key in ("Tab", "Shift+Tab", "ArrowDown", "Shift+A"):
        page.keyboard.press(key)
    page.get_by_role("link", name="Leave this site").click()
    page.wait_for_url("https://www.bbc.co.uk/weather")
    assert not problems, problems
