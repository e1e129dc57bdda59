"""A person finds help in a real browser: by mouse, by keyboard alone, and without JavaScript."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import focused

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SAW_IMAGES = "I saw sexual images or videos of a child online"


def assert_the_answer_for_germany(page: Page, problems) -> None:
    """Do this first (the hotline's form) and the emergency number on the first screen; then the steps as a
    numbered list, with calls."""
    expect(page).to_have_url(re.compile(r"/help/de/csam-found/$"))
    expect(page).to_have_title(re.compile("Germany"))
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(SAW_IMAGES)
    first = main.locator(".first")
    expect(first.get_by_role("heading", level=2)).to_have_text("Do this first")
    expect(first.locator("[data-service-name]")).to_have_text("Beschwerdestelle")
    first_button = first.get_by_role("link", name="Open the report form")
    expect(first_button).to_have_attribute("href", "https://hotline.example.de/melden")
    call = main.locator(".emergency-line").get_by_role("link", name="Call 112")
    expect(call).to_have_attribute("href", "tel:112")
    steps = main.locator("ol.steps")
    expect(steps).to_be_visible()
    expect(steps.locator(":scope > li")).to_have_count(3)  # the situation's three steps, numbered
    assert page.evaluate("getComputedStyle(document.querySelector('ol.steps > li')).display") == "list-item"
    call_box, steps_box = call.bounding_box(), steps.bounding_box()
    assert call_box["y"] < steps_box["y"], "the emergency number comes before the steps"
    assert call_box["y"] + call_box["height"] <= page.viewport_size["height"], "the number is on the first screen"
    button_box = first_button.bounding_box()
    assert button_box["y"] + button_box["height"] <= page.viewport_size["height"], "so is the first thing to do"
    # Phone numbers say what they do: "Call 116 111", a tel: link.
    expect(steps.get_by_role("link", name="Call 116 111")).to_have_attribute("href", "tel:116111")
    report = steps.get_by_role("link", name="Open the report form")
    expect(report).to_have_attribute("href", "https://hotline.example.de/melden")
    expect(report).to_have_attribute("rel", "noreferrer noopener")
    expect(report).to_have_accessible_description("Beschwerdestelle")  # whose form it is
    assert not problems, problems


def test_by_mouse_from_the_start_page_to_the_answer(tab, directory, problems):
    tab.goto("/")
    expect(tab.get_by_role("heading", level=1)).to_have_text("Get help or report child sexual abuse online")
    tab.get_by_label("Where are you?").select_option(label="Germany")
    tab.get_by_text(SAW_IMAGES).click()  # the label: a big target, not only the small circle
    expect(tab.get_by_role("radio", name=SAW_IMAGES)).to_be_checked()
    tab.get_by_role("button", name="Show me where to get help").click()
    assert_the_answer_for_germany(tab, problems)


def test_by_keyboard_alone_with_visible_focus(tab, directory, problems):
    tab.goto("/")
    seen = []

    def tab_to(matches, *, key="Tab", limit=15):
        for _ in range(limit):
            tab.keyboard.press(key)
            now = focused(tab)
            assert now is not None, f"{key} lost focus (after {seen[-1:]})"
            assert now["visible"], f"no visible focus indicator on {now['element']}"
            assert now["on_screen"] and not now["covered"], f"focus not visible on screen: {now}"
            seen.append(now["element"])
            if matches(now):
                return now
        raise AssertionError(f"never reached the element with {key}; focus went to {seen}")

    # The first Tab shows the skip link, which takes focus to the main content.
    skip = tab_to(lambda f: True)
    assert "skip" in skip["element"]
    assert tab.evaluate("document.activeElement.getBoundingClientRect().left") >= 0, "skip link shown when focused"
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "main"

    tab_to(lambda f: f["tag"] == "select")
    tab.keyboard.type("Germany")  # a closed native select picks the option typed
    assert tab.evaluate("document.activeElement.value") == "DE"

    who = tab_to(lambda f: f["type"] == "radio")  # who is asking: optional, and skipped here
    assert who["value"] == "child"
    tab_to(lambda f: f["type"] == "radio" and f["value"] == "danger-now")
    tab.keyboard.press("ArrowDown")  # arrows move through the group, and choose
    assert focused(tab)["value"] == "csam-found"
    expect(tab.get_by_role("radio", name=SAW_IMAGES)).to_be_checked()
    tab_to(lambda f: f["tag"] == "button")
    # Shift+Tab goes back into the group, onto the chosen answer; Tab returns to the button.
    back = tab_to(lambda f: f["type"] == "radio", key="Shift+Tab", limit=1)
    assert back["value"] == "csam-found"
    tab_to(lambda f: f["tag"] == "button", limit=1)
    tab.keyboard.press("Enter")
    assert_the_answer_for_germany(tab, problems)

    # On the answer, every link can be reached and shows its focus, down the page and back up
    # (where the sticky header must not cover it).
    seen.clear()
    tab_to(lambda f: f["href"] == "tel:112")
    tab_to(lambda f: f["href"] == "tel:116111", limit=40)
    tab_to(lambda f: "How to leave quickly" in f["element"], limit=60)
    tab_to(lambda f: f["href"] == "tel:112", key="Shift+Tab", limit=80)
    # The language menu at the top opens from the keyboard too.
    tab_to(lambda f: f["tag"] == "summary", key="Shift+Tab", limit=20)
    tab.keyboard.press("Enter")
    tab_to(lambda f: "Polski" in f["element"], limit=20)


def test_without_javascript_the_forms_still_work(open_context, directory):
    page = open_context(java_script_enabled=False).new_page()
    page.goto("/")
    # The country alone first: the situation is asked on the next page.
    page.get_by_label("Where are you?").select_option("DE")
    page.get_by_role("button", name="Show me where to get help").click()
    expect(page).to_have_url(re.compile(r"/help/de/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Germany: what happened?")
    page.get_by_text(SAW_IMAGES).click()
    page.get_by_role("button", name="Show me where to get help").click()
    assert_the_answer_for_germany(page, problems=[])
    # Both answers at once, from the start page.
    page.goto("/")
    page.get_by_label("Where are you?").select_option("DE")
    page.get_by_role("radio", name=SAW_IMAGES).check()
    page.get_by_role("button", name="Show me where to get help").click()
    assert_the_answer_for_germany(page, problems=[])
    # "Leave this site" is an ordinary link.
    page.get_by_role("link", name="Leave this site").click()
    expect(page).to_have_url("https://www.bbc.co.uk/weather")


@pytest.mark.parametrize("how", ["button", "Shift three times"])
def test_the_quick_exit_replaces_the_page(tab, live_server, directory, problems, how):
    tab.goto("https://neutral.example/")  # where the person was before (answered locally)
    tab.goto(live_server.url + "/help/de/csam-found/")
    expect(tab.get_by_role("heading", level=1)).to_have_text(SAW_IMAGES)
    if how == "button":
        tab.get_by_role("link", name="Leave this site").click()
    else:
        for _ in range(3):
            tab.keyboard.press("Shift")
    tab.wait_for_url("https://www.bbc.co.uk/weather")
    expect(tab).to_have_title("Weather")
    tab.go_back()
    # Back goes to where the person was before Signpost, not to Signpost: its page was replaced,
    # and Forward goes to the weather page again.
    assert tab.url == "https://neutral.example/"
    tab.go_forward()
    assert tab.url == "https://www.bbc.co.uk/weather"
    assert not problems, problems


def test_shift_used_with_other_keys_does_not_leave(tab, directory):
    """Moving back with Shift+Tab, or typing a capital, must not throw the person out."""
    tab.goto("/help/de/")
    for key in ("Shift", "Shift", "Shift+Tab", "Shift+Tab", "Shift+Tab", "Shift+KeyA", "Shift+Tab"):
        tab.keyboard.press(key)
    tab.wait_for_timeout(100)
    expect(tab).to_have_url(re.compile(r"/help/de/$"))


def test_error_messages_are_tied_to_their_questions(tab, directory, problems):
    tab.goto("/")
    country = tab.get_by_label("Where are you?")
    country.select_option("")  # the browser's region (GB) was preselected: undo it
    tab.get_by_role("button", name="Show me where to get help").click()  # nothing chosen
    expect(country).to_have_attribute("aria-invalid", "true")
    expect(country).to_have_accessible_description(re.compile("Choose your country, so we can show services"))
    summary = tab.get_by_role("alert")
    expect(summary).to_contain_text("Please check your answers:")
    summary.get_by_role("link").first.click()  # the summary's link takes the person to the question
    expect(country).to_be_focused()

    tab.goto("/help/de/?situation=")  # the situation question, sent without an answer
    group = tab.get_by_role("group", name="Germany: what happened?")
    expect(group).to_have_accessible_description(re.compile("Please choose the answer closest to what happened"))
    tab.goto("/help/?country=DE&situation=nonsense")
    group = tab.get_by_role("group", name="What happened?")
    expect(group).to_have_accessible_description(re.compile("Please choose one of the answers below"))
    # The 400 answers log "Failed to load resource" in the console; nothing else may be there.
    assert [p for p in problems if "status of 400" not in p] == []


def test_escape_never_leaves_the_page(tab, directory):
    """People press Escape while typing or to close the country list: it must not throw them out."""
    tab.goto("/")
    tab.get_by_label("Where are you?").focus()
    tab.keyboard.press("Escape")
    tab.locator("body").press("Escape")
    tab.wait_for_timeout(200)
    expect(tab).to_have_url(re.compile(r"/$"))


def test_the_problem_form_sends_in_a_real_browser(tab, directory, problems):
    tab.goto("/help/de/csam-found/")
    tab.get_by_text("More about this service").first.click()  # a card's details unfold (no script needed)
    tab.get_by_role("link", name="Is something wrong here?").first.click()
    expect(tab.get_by_role("heading", level=1)).to_contain_text("Is something wrong with")
    tab.get_by_role("radio").first.check()
    tab.get_by_role("button").filter(has_text=re.compile("Send", re.IGNORECASE)).click()
    expect(tab.get_by_role("status")).to_contain_text("Thank you. A person who keeps this directory will check it.")
    assert not problems, problems
