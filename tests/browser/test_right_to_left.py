"""Arabic pages read right to left, and their layout is mirrored."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_arabic_pages_are_mirrored(tab, directory, problems):
    width = tab.viewport_size["width"]
    for path in ("/ar/", "/ar/help/eg/", "/ar/help/eg/need-to-talk/"):
        tab.goto(path)
        expect(tab.locator("html")).to_have_attribute("dir", "rtl")
        expect(tab.locator("html")).to_have_attribute("lang", "ar")
        assert tab.evaluate("getComputedStyle(document.body).direction") == "rtl", path
        # The quick exit sits at the start of the header, which in Arabic is the left; the name on the right.
        exit_box = tab.locator("header .exit").bounding_box()
        brand_box = tab.locator("header .brand").bounding_box()
        assert exit_box["x"] < brand_box["x"], path
        assert exit_box["x"] < width / 4, path
        assert brand_box["x"] + brand_box["width"] > width * 3 / 4, path
        # Headings start on the right of the content column.
        heading, main = tab.locator("main h1").first.bounding_box(), tab.locator("main").bounding_box()
        assert abs((heading["x"] + heading["width"]) - (main["x"] + main["width"])) < 40, path
    assert not problems, problems


def test_arabic_radios_and_step_numbers_are_on_the_right(tab, directory):
    tab.goto("/ar/help/eg/")
    choice = tab.locator(".choice").first
    radio, label = choice.locator("input").bounding_box(), choice.locator("label").bounding_box()
    assert radio["x"] > label["x"], "the radio stands to the right of its label"
    tab.goto("/ar/help/eg/need-to-talk/")
    steps = tab.locator("ol.steps")
    padding_right, padding_left = steps.evaluate(
        "el => [parseFloat(getComputedStyle(el).paddingRight), parseFloat(getComputedStyle(el).paddingLeft)]"
    )
    assert padding_right > padding_left, "the numbers of the steps stand in the right-hand margin"
    number = steps.locator(":scope > li").first.evaluate("el => getComputedStyle(el).direction")
    assert number == "rtl"
