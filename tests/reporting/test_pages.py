import pytest

from directory.models import Organisation, Service
from tests.factories import make_emergency, make_organisation


@pytest.fixture
def germany(db):
    make_emergency("DE", general="112", police="110")
    make_organisation(
        name="Beschwerdestelle",
        countries=("DE",),
        services=("report_csam",),
        channels=(("web_form", "https://hotline.example.de/melden"),),
        anonymous=True,
        languages=["de", "en"],
    )
    make_organisation(
        name="Nummer gegen Kummer",
        kind="child_helpline",
        countries=("DE",),
        services=("support_child", "support_adult"),
        channels=(("phone", "116 111"),),
    )
    make_organisation(
        name="INHOPE", kind="worldwide_service", countries=(), worldwide=True, services=("report_csam",),
        channels=(("website", "https://www.inhope.org/what-we-do/how-to-report"),),
    )  # fmt: skip


def test_the_start_page_asks_the_three_questions(client, germany):
    response = client.get("/")
    assert response.status_code == 200
    assert '<select name="country"' in response.text
    assert response.text.count('name="who"') == 3  # who is asking (optional)
    assert response.text.count('name="situation"') == 10
    assert "I&#x27;m not sure / something else happened" in response.text
    assert 'method="get"' in response.text


def test_the_start_page_preselects_the_browsers_region(client, germany):
    response = client.get("/", headers={"accept-language": "en-AT,en;q=0.9"})
    assert '<option value="AT" selected>' in response.text
    assert "Accept-Language" in response["Vary"]


def test_the_start_page_guesses_nothing_from_a_language_alone(client, germany):
    response = client.get("/", headers={"accept-language": "en"})
    assert '<option value="" selected>' in response.text
    assert response.text.count(" selected>") == 1


def test_the_form_goes_to_the_answers_own_address(client, germany):
    response = client.get("/help/", {"country": "de", "situation": "csam-found"})
    assert response.status_code == 302
    assert response["Location"] == "/help/de/csam-found/"


def test_the_form_with_only_a_country_asks_the_situation_next(client, germany):
    response = client.get("/help/", {"country": "DE"})
    assert response["Location"] == "/help/de/"
    page = client.get("/help/de/")
    assert page.status_code == 200
    assert "Germany: what happened?" in page.text


def test_the_situation_question_goes_on_to_the_answer(client, germany):
    response = client.get("/help/de/", {"situation": "grooming"})
    assert response["Location"] == "/help/de/grooming/"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "Choose your country"),
        ({"country": "XX"}, "We don&#x27;t know that country"),
        ({"country": "DE", "situation": "<script>"}, "Please choose one of the answers"),
    ],
)
def test_bad_answers_reshow_the_form_with_a_message(client, germany, query, message):
    response = client.get("/help/", query)
    assert response.status_code == 400
    assert message in response.text
    assert "<script>" not in response.text


def test_an_empty_situation_answer_asks_again(client, germany):
    response = client.get("/help/de/", {"situation": ""})
    assert response.status_code == 400
    assert "If you&#x27;re not sure, choose the last one" in response.text


def test_the_answer_shows_the_emergency_number_first_then_the_steps(client, germany):
    response = client.get("/help/de/csam-found/")
    assert response.status_code == 200
    text = response.text
    assert text.index('href="tel:112"') < text.index('<ol class="steps">')
    assert "Beschwerdestelle" in text
    assert 'href="https://hotline.example.de/melden" rel="noreferrer noopener"' in text
    assert "Do not download, screenshot, save or forward the images" in text
    assert "You can stay anonymous" in text
    assert "Deutsch, English" in text
    assert "Checked November 2026" in text


def test_the_answer_links_phone_numbers_for_calling(client, germany):
    response = client.get("/help/de/need-to-talk/")
    assert 'href="tel:116111"' in response.text


def test_a_step_without_a_national_service_says_the_answer_is_worldwide(client, germany):
    make_emergency("FR", general="112")
    response = client.get("/help/fr/csam-found/")
    assert "We don't know a service in this country for this yet" in response.text
    assert "INHOPE" in response.text


def test_a_worldwide_step_never_claims_there_is_no_national_service_when_another_step_has_one(client, germany):
    # Germany has a hotline and a helpline but (in these test data) no police service: the police step
    # uses the police number, and a worldwide step only says that its services work from anywhere.
    response = client.get("/help/de/my-images/")
    assert "know a service" not in response.text


def test_each_organisation_appears_once_and_later_steps_refer_back_to_it(client, germany):
    helpline = Organisation.objects.get(name="Nummer gegen Kummer")
    helpline.services.add(Service.objects.get(slug="advice"))
    response = client.get("/help/de/need-to-talk/")
    assert response.text.count(f'id="org-{helpline.pk}"') == 1
    assert f'See <a href="#org-{helpline.pk}">Nummer gegen Kummer</a> above.' in response.text


def test_upper_case_addresses_redirect_to_lower_case(client, germany):
    assert client.get("/help/DE/csam-found/")["Location"] == "/help/de/csam-found/"
    assert client.get("/help/De/")["Location"] == "/help/de/"


@pytest.mark.parametrize(
    "path", ["/help/xx/csam-found/", "/help/de/nothing/", "/help/zz/", "/nowhere/", "/help/%3Cb%3E/csam-found/"]
)
def test_unknown_addresses_are_helpful_404s(client, germany, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Call the local emergency number or the police" in response.text
    assert "Services that work from any country" in response.text
    assert "<b>" not in response.text


def test_a_404_for_a_known_situation_shows_its_worldwide_services(client, germany):
    response = client.get("/help/xx/csam-found/")
    assert response.status_code == 404
    assert "INHOPE" in response.text


def test_public_pages_set_no_cookie_and_may_be_cached(client, germany):
    for path in ("/", "/help/de/", "/help/de/csam-found/", "/leaving/", "/help/?country=DE"):
        response = client.get(path)
        assert response.cookies == {}, path
        assert response["Referrer-Policy"] == "no-referrer", path
        assert "Cookie" not in response.get("Vary", ""), path
    assert "public" in client.get("/help/de/csam-found/")["Cache-Control"]


def test_the_quick_exit_is_on_every_page(client, germany):
    for path in ("/", "/help/de/", "/help/de/csam-found/", "/leaving/", "/help/xx/csam-found/"):
        response = client.get(path)
        assert 'data-exit-url="https://www.bbc.co.uk/weather"' in response.text, path


def test_the_answer_is_cached_and_refreshed_when_a_curator_changes_the_directory(
    client, germany, django_assert_num_queries, commit
):
    client.get("/help/de/csam-found/")
    with django_assert_num_queries(0):
        assert "Beschwerdestelle" in client.get("/help/de/csam-found/").text
    make_organisation(name="Neue Meldestelle", countries=("DE",), services=("report_csam",))
    commit()  # the change commits
    assert "Neue Meldestelle" in client.get("/help/de/csam-found/").text


def test_the_answer_needs_the_same_few_queries_however_big_the_directory(
    client, germany, django_assert_max_num_queries
):
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(6):
        client.get("/help/de/csam-found/")
    for number in range(30):
        make_organisation(name=f"Extra {number}", countries=("DE",), services=("report_csam", "support_adult"))
    cache.clear()
    with django_assert_max_num_queries(6):
        response = client.get("/help/de/csam-found/")
    assert "Extra 29" in response.text


def test_post_is_not_allowed_on_public_pages(client, germany):
    assert client.post("/help/de/csam-found/").status_code == 405


def test_an_entry_checked_more_than_a_year_ago_says_so(client, germany):
    import datetime

    Organisation.objects.filter(name="Beschwerdestelle").update(last_checked=datetime.date(2023, 5, 1))
    text = client.get("/help/de/csam-found/").text
    assert "Checked May 2023 — more than a year ago" in text
    assert "Checked November 2026 — more than a year ago" not in text


def test_a_javascript_address_in_the_database_is_never_rendered_as_a_link(client, germany):
    from directory.models import Channel

    organisation = Organisation.objects.get(name="Beschwerdestelle")
    # Not possible through the admin or the import; a value that reached the database another way.
    Channel.objects.filter(organisation=organisation).update(value="javascript:alert(1)")
    Organisation.objects.filter(pk=organisation.pk).update(source_urls=["javascript:alert(2)"])
    text = client.get("/help/de/csam-found/").text
    assert "javascript:" not in text
    assert "Beschwerdestelle" in text


def test_a_query_string_gets_the_cached_answer_not_a_new_render(client, germany, django_assert_num_queries):
    client.get("/help/de/csam-found/")
    with django_assert_num_queries(0):
        response = client.get("/help/de/csam-found/?utm_source=anything&x=1")
    assert "Beschwerdestelle" in response.text


def test_robots_txt_keeps_search_engines_out_of_the_back_office_only(client, germany):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in response.text and "Disallow: /problem/" in response.text
    assert "Disallow: /help/" not in response.text


def test_every_page_has_a_description_in_its_language(client, germany):
    assert '<meta name="description" content="Where to report online child sexual abuse' in client.get("/").text
    assert '<meta name="description" content="' in client.get("/de/help/de/csam-found/").text


def test_the_about_page_says_what_signpost_is_and_who_runs_it(client, settings, db):
    page = client.get("/about/").text
    assert "Signpost is a directory, not a helpline." in page
    assert "CC BY 4.0" in page and 'href="/data/directory.json"' in page
    assert "is run by" not in page  # nobody named: nothing invented
    settings.SIGNPOST_OPERATOR = "Example Foundation"
    settings.SIGNPOST_CONTACT_EMAIL = "signpost@example.org"
    page = client.get("/about/?v=2").text
    assert "Signpost on this site is run by Example Foundation." in page
    assert 'href="mailto:signpost@example.org"' in page
    assert 'href="/about/"' in client.get("/").text  # every page links to it


def test_who_is_asking_is_a_question_and_stays_in_the_address(client, db):
    response = client.get("/help/", {"country": "DE", "who": "parent", "situation": "sextortion"})
    assert response.status_code == 302 and response["Location"] == "/help/de/sextortion/?who=parent"
    response = client.get("/help/de/", {"who": "adult", "situation": "grooming"})
    assert response["Location"] == "/help/de/grooming/?who=adult"
    assert client.get("/help/", {"country": "DE", "who": "robot", "situation": "grooming"}).status_code == 400
    page = client.get("/help/de/sextortion/?who=parent").text
    assert "Someone is threatening to share sexual images of a child I care for" in page
    assert "You are not in trouble, and it is not your fault." not in page
    assert 'href="/help/de/sextortion/?who=child"' in page  # the reader can change who is asking
    child = client.get("/help/de/sextortion/").text  # not said: a young person, for this situation
    assert "Someone is threatening to share sexual images of me" in child


def test_not_sure_offers_the_other_situations_and_the_reporting_route(client, db):
    page = client.get("/help/de/not-sure/?who=parent").text
    assert "Is one of these closest to what happened?" in page
    assert 'href="/help/de/sextortion/?who=parent"' in page
    assert "report_csam" not in page and "If you saw sexual images of a child, report them" in page
