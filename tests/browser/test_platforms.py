"""A teenager being sextorted on a named app, on a phone, in German: the country's help, the police, Take It
Down and the app's own report route in one answer, and what to do first on the first screen."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.mark.parametrize("javascript", [True, False])
def test_a_teenager_chooses_the_app_and_gets_its_report_route_with_the_countrys_help(
    open_context, directory, problems, javascript
):
    page = open_context(**PHONE, locale="de-DE", java_script_enabled=javascript).new_page()
    page.goto("/de/help/de/sextortion/?who=child")
    expect(page.locator("#platform-step")).to_have_count(0)  # nothing about an app until the person names one
    page.get_by_label("Wo ist es passiert?").select_option(label="Instagram")
    page.get_by_role("button", name="Zeigen, wie man dort meldet").click()

    # The choice stays in the address, with who is asking: the answer can be shared and cached.
    expect(page).to_have_url(re.compile(r"/de/help/de/sextortion/\?who=child&platform=instagram$"))
    expect(page.get_by_label("Wo ist es passiert?")).to_have_value("instagram")
    main = page.locator("main")

    # Do this first: the country's helpline and its button, and the way to the app's step, on the first screen.
    first = main.locator(".first")
    expect(first.locator("[data-service-name]")).to_have_text(re.compile("Nummer gegen Kummer"))
    to_the_app = first.get_by_role("link", name="Melde das Konto bei Instagram")
    for element in (first.locator("[data-main-action]"), to_the_app):
        box = element.bounding_box()
        assert box["y"] + box["height"] <= 740, box

    # The app's step comes last, after the country's help and the police, never in their place.
    steps = main.locator("ol.steps > li")
    last = steps.last
    expect(last).to_have_id("platform-step")
    expect(last.get_by_role("heading")).to_have_text("Melde das Konto bei Instagram")
    report = last.get_by_role("link", name="So meldest du bei Instagram")
    expect(report).to_have_attribute("href", "https://help.instagram.example/report")
    expect(report).to_have_attribute("rel", "noreferrer noopener")
    expect(last).to_contain_text("Take It Down")
    texts = steps.all_inner_texts()
    police = next(i for i, text in enumerate(texts) if "Polizei" in text)
    helpline = next(i for i, text in enumerate(texts) if "Nummer gegen Kummer" in text)
    assert helpline < police < len(texts) - 1, texts
    assert any("Take It Down" in text for text in texts[:-1]), "Take It Down keeps its own step"

    # The link to the step moves there.
    to_the_app.click()
    expect(page).to_have_url(re.compile(r"#platform-step$"))

    # Another app, not known to take part in Take It Down: the step does not claim it does.
    page.get_by_label("Wo ist es passiert?").select_option(label="Roblox")
    page.get_by_role("button", name="Zeigen, wie man dort meldet").click()
    expect(page).to_have_url(re.compile(r"platform=roblox$"))
    expect(main.locator("#platform-step")).not_to_contain_text("Take It Down")
    expect(main.locator("#platform-step").get_by_role("link", name="So meldest du bei Roblox")).to_have_attribute(
        "href", "https://help.roblox.example/report"
    )
    assert not problems, problems
