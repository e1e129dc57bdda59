"""In the reader's own language: a person goes from the start page to an answer in Brazilian Portuguese, Hindi
and simplified Chinese, by mouse, on a phone; the language menu at the top offers every language."""

import re

import polib
import pytest
from django.conf import settings
from django.utils.translation import to_locale
from playwright.sync_api import expect

from tests.browser.support import horizontal_overflow, too_small_targets

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def translated(code: str, english: str) -> str:
    catalogue = polib.pofile(str(settings.BASE_DIR / "locale" / to_locale(code) / "LC_MESSAGES" / "django.po"))
    return catalogue.find(english).msgstr


@pytest.mark.parametrize(("code", "germany"), [("pt-br", "Alemanha"), ("hi", "जर्मनी"), ("zh-hans", "德国")])
def test_from_the_start_page_to_an_answer_in_a_new_language(open_context, directory, problems, code, germany):
    page = open_context(**PHONE).new_page()
    page.goto(f"/{code}/")
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        translated(code, "Get help or report child sexual abuse online")
    )
    page.get_by_label(translated(code, "Where are you?")).select_option(label=germany)
    page.get_by_text(translated(code, "I'm a parent or carer")).click()
    page.get_by_text(translated(code, "I saw sexual images or videos of a child online")).click()
    page.get_by_role("button", name=translated(code, "Show me where to get help")).click()
    expect(page).to_have_url(re.compile(rf"/{code}/help/de/csam-found/\?who=parent$"))
    first = page.locator(".first")
    expect(first.get_by_role("heading", level=2)).to_have_text(translated(code, "Do this first"))
    button = first.get_by_role("link", name=translated(code, "Open the report form"))
    box = button.bounding_box()
    assert box["y"] + box["height"] <= 740, "the first thing to do is on the first screen"
    assert horizontal_overflow(page) is None
    assert too_small_targets(page) == []
    # Germany's own language is offered above the answer.
    expect(page.locator(".offer-lang a")).to_have_attribute("hreflang", "de")
    assert not [p for p in problems if "status of 40" not in p], problems


def test_the_language_menu_opens_without_a_script_and_lists_every_language(open_context, directory):
    page = open_context(java_script_enabled=False, **PHONE).new_page()
    page.goto("/help/br/sextortion/")
    page.locator("details.langs summary").click()
    links = page.locator("details.langs nav a")
    expect(links).to_have_count(len(settings.LANGUAGES))
    expect(links.first).to_have_attribute("hreflang", "pt-br")  # Brazil's own language first
    links.first.click()
    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
