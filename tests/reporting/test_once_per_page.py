"""Each organisation once per page: a later step refers back to the card above, on the page and the printable card;
the API keeps listing it in every step it answers."""

import pytest

from tests.factories import make_emergency, make_organisation


@pytest.fixture
def germany(db):
    make_emergency("DE", general="112", police="110")
    return {
        "helpline": make_organisation(
            name="Nummer gegen Kummer", kind="child_helpline", countries=("DE",),
            services=("support_child", "support_adult", "advice"), channels=(("phone", "116 111"),),
        ),
        "hotline": make_organisation(
            name="Beschwerdestelle", countries=("DE",), services=("report_csam", "report_police"),
            channels=(("web_form", "https://melden.example.de/"),),
        ),
    }  # fmt: skip


def test_an_organisation_answering_several_steps_is_shown_once_and_referred_to(client, germany):
    helpline = germany["helpline"]
    page = client.get("/help/de/advice/").text  # advice · support_adult
    assert page.count(f'id="org-{helpline.pk}"') == 1
    assert page.count(f'See <a href="#org-{helpline.pk}">Nummer gegen Kummer</a> above.') == 1
    # Its number: the one button of "Do this first", and once on its card.
    assert page.count("Call 116 111") == 2
    assert page.count('class="call big" data-main-action href="tel:') == 1


def test_the_api_still_lists_it_in_every_step(client, germany):
    body = client.get("/api/v1/route/?country=DE&situation=advice").json()
    assert [[o["name"] for o in step["organisations"]] for step in body["steps"]] == [["Nummer gegen Kummer"]] * 2


def test_the_card_shows_each_organisation_once_and_refers_back_to_it(client, germany):
    hotline = germany["hotline"]
    text = client.get("/help/de/card/").text
    assert text.count(f'id="org-{hotline.pk}"') == 1
    assert f'See <a href="#org-{hotline.pk}">Beschwerdestelle</a> above.' in text  # in the police section
    assert text.count("https://melden.example.de/") == 1


def test_the_card_refers_back_only_to_what_it_really_printed(client, germany):
    # The card prints three services per step: a fourth reporting service is not "above" in the police step.
    for number in range(3):
        make_organisation(name=f"Hotline {number}", countries=("DE",), priority=number)
    text = client.get("/help/de/card/").text
    hotline = germany["hotline"]
    assert f'See <a href="#org-{hotline.pk}"' not in text
    assert text.count(f'id="org-{hotline.pk}"') == 1  # printed once, in the police section
