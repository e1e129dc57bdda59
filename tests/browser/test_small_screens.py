"""On a cheap phone (360×740): nothing to scroll sideways, everything big enough to tap; and on paper."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import horizontal_overflow, too_small_targets

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}

PAGES = [
    "/",  # the start page
    "/help/de/",  # a situation page
    "/help/de/sextortion/",  # a long answer: four steps, many services
    "/de/help/de/csam-found/",  # long German words
    "/uk/help/ua/sextortion/",
    "/ar/help/eg/need-to-talk/",  # right to left
    "/ar/help/eg/",
    "/help/?country=",  # the start page with its error messages
    "/help/xx/csam-found/",  # the helpful 404
    "/leaving/",
]


def test_a_phone_never_scrolls_sideways_and_every_target_can_be_tapped(open_context, directory, problems):
    page = open_context(**PHONE).new_page()
    found = []
    for path in PAGES:
        page.goto(path)
        assert page.evaluate("window.innerWidth") == 360, path
        if overflow := horizontal_overflow(page):
            found.append(f"{path} scrolls sideways: {overflow}")
        # WCAG 2.2 target size (minimum): 24×24 CSS px, for every link, button and control on the page.
        found.extend(f"{path} has a small target: {target}" for target in too_small_targets(page))
    # WCAG reflow: still nothing to scroll sideways at 320 CSS px (a 1280 px window zoomed to 400%).
    page.set_viewport_size({"width": 320, "height": 568})
    for path in ("/", "/de/help/de/csam-found/", "/ar/help/eg/need-to-talk/"):
        page.goto(path)
        if overflow := horizontal_overflow(page):
            found.append(f"{path} scrolls sideways at 320 px: {overflow}")
    assert not found, "\n".join(found)
    # The 400 and 404 answers log their status in the console; nothing else may be there.
    assert [p for p in problems if "the server responded with a status of 40" not in p] == []


def test_the_emergency_number_is_on_the_first_screen_of_a_phone(open_context, directory):
    page = open_context(**PHONE).new_page()
    for path in ("/help/de/danger-now/", "/help/de/sextortion/", "/ar/help/eg/need-to-talk/"):
        page.goto(path)
        # "Do this first" where calling it is the first thing to do; otherwise the line under it.
        call = page.locator(".first [data-main-action][href^='tel:'], .emergency-line .call").first
        box = call.bounding_box()
        assert box["y"] + box["height"] <= 740, (path, box)
        assert page.locator("a[href='tel:112']").count() <= 2, path  # never three times on one page


def test_the_answer_prints_readably(tab, directory):
    tab.goto("/help/de/need-to-talk/")
    tab.emulate_media(media="print")
    expect(tab.locator("header.top")).to_be_hidden()
    expect(tab.get_by_role("button", name="Show me where to get help")).to_have_count(0)
    # Browsers leave out backgrounds when printing: white text on a green button would vanish.
    for selector in (".call.big", ".org .call", ".org .button"):
        colour = tab.locator(selector).first.evaluate("el => getComputedStyle(el).color")
        assert colour == "rgb(0, 0, 0)", (selector, colour)
    # Web addresses are printed after their links, so the paper can be used.
    after = tab.locator(".org .button[href^='http']").first.evaluate("el => getComputedStyle(el, '::after').content")
    assert "http" in after


# A dozen answers as a child, a parent and a professional would open them, in four languages.
ANSWERS = [
    "/help/de/sextortion/?who=child",
    "/de/help/de/sextortion/?who=parent",
    "/help/de/csam-found/?who=adult",
    "/de/help/de/my-images/?who=child",
    "/help/de/grooming/?who=parent",
    "/de/help/de/told-me/?who=adult",
    "/help/de/need-to-talk/?who=child",
    "/help/de/not-sure/?who=parent",
    "/uk/help/ua/sextortion/?who=child",
    "/uk/help/ua/csam-found/?who=adult",
    "/ar/help/eg/need-to-talk/?who=child",
    "/ar/help/eg/danger-now/?who=parent",
]


def test_on_a_phone_the_first_service_and_its_button_are_on_the_first_screen_and_no_card_twice(open_context, directory):
    page = open_context(**PHONE).new_page()
    for path in ANSWERS:
        page.goto(path)
        name, button = page.locator("[data-service-name]").first, page.locator("[data-main-action]").first
        expect(name).to_be_visible()
        for element in (name, button):
            box = element.bounding_box()
            assert box["y"] + box["height"] <= 740, (path, element, box)
        cards = page.locator("article.org").evaluate_all("cards => cards.map(card => card.id)")
        assert len(cards) == len(set(cards)), (path, cards)
        assert page.evaluate("document.documentElement.scrollHeight") <= 4.5 * 740, path
