import pytest

from directory.models import Organisation, ProblemReport
from tests.conftest import HttpsClient
from tests.factories import make_emergency, make_organisation


@pytest.fixture
def hotline(db):
    make_emergency("DE")
    return make_organisation(name="Meldestelle", countries=("DE",))


def problem_url(organisation):
    return f"/problem/{organisation.pk}/?from=/help/de/csam-found/"


def post(client, organisation, **data):
    form = client.get(problem_url(organisation))
    token = form.cookies["__Host-signpost-csrf"].value
    data = {"csrfmiddlewaretoken": token, **data}
    return client.post(problem_url(organisation), data, headers={"origin": "https://testserver"})


def test_each_entry_on_an_answer_links_to_the_form(client, hotline):
    page = client.get("/help/de/csam-found/").text
    assert f'href="/problem/{hotline.pk}/?from=/help/de/csam-found/"' in page


def test_a_report_lands_in_the_queue_without_personal_data(client, hotline):
    response = post(client, hotline, reason="number", text="It rings but nobody answers")
    assert response.status_code == 200
    assert "Thank you" in response.text
    report = ProblemReport.objects.get()
    assert (report.organisation, report.reason, report.text, report.state) == (
        hotline,
        "number",
        "It rings but nobody answers",
        "open",
    )
    assert {f.name for f in ProblemReport._meta.fields} == {
        "id",
        "organisation",
        "reason",
        "text",
        "language",
        "created_at",
        "state",
    }


def test_the_form_is_protected_by_csrf(hotline):
    strict = HttpsClient(enforce_csrf_checks=True)
    response = strict.post(problem_url(hotline), {"reason": "number"})
    assert response.status_code == 403
    assert not ProblemReport.objects.exists()
    assert post(strict, hotline, reason="number").status_code == 200


def test_only_the_form_sets_a_cookie(client, hotline):
    assert client.get(problem_url(hotline)).cookies  # the CSRF token, for this form only
    assert client.get("/help/de/csam-found/").cookies == {}


def test_a_bad_answer_reshows_the_form(client, hotline):
    response = post(client, hotline, reason="aliens", text="x" * 600)
    assert response.status_code == 400
    assert "Please choose what is wrong" in response.text or "Select a valid choice" in response.text
    assert not ProblemReport.objects.exists()


def test_reports_are_rate_limited_per_client_without_storing_addresses(client, hotline, settings):
    settings.SIGNPOST_PROBLEM_REPORT_LIMIT = 2
    assert post(client, hotline, reason="number").status_code == 200
    assert post(client, hotline, reason="number").status_code == 200
    limited = post(client, hotline, reason="number")
    assert limited.status_code == 429
    assert ProblemReport.objects.count() == 2
    other = HttpsClient(REMOTE_ADDR="203.0.113.7")
    assert post(other, hotline, reason="closed").status_code == 200
    for report in ProblemReport.objects.all():
        assert "127.0.0.1" not in str(report.__dict__) and "203.0.113.7" not in str(report.__dict__)


def test_reports_never_change_a_public_answer_by_themselves(client, hotline, commit):
    from directory import versioning

    commit()
    before = (versioning.current(), client.get("/help/de/csam-found/").text)
    for reason in ("number", "website", "closed", "other"):
        post(HttpsClient(REMOTE_ADDR=f"203.0.113.{len(reason)}"), hotline, reason=reason)
    commit()
    assert Organisation.objects.get(pk=hotline.pk).needs_check is False  # a curator decides, not the reports
    assert ProblemReport.objects.filter(organisation=hotline).count() == 4
    assert (versioning.current(), client.get("/help/de/csam-found/").text) == before


def test_drafts_cannot_be_reported(client, db):
    draft = make_organisation(status="draft")
    assert client.get(problem_url(draft)).status_code == 404


def test_the_queue_is_in_the_admin_and_counted_on_the_dashboard(admin_client, client, hotline):
    post(client, hotline, reason="closed", text="Closed since 2025")
    queue = admin_client.get("/admin/directory/problemreport/")
    assert "Closed since 2025" in queue.text
    dashboard = admin_client.get("/admin/directory/coverage/")
    assert dashboard.context["open_problem_reports"] == 1
    report = ProblemReport.objects.get()
    admin_client.post("/admin/directory/problemreport/", {"action": "resolve", "_selected_action": [report.pk]})
    assert ProblemReport.objects.get().state == "resolved"


def test_the_return_path_is_never_another_site(client, hotline):
    page = client.get(f"/problem/{hotline.pk}/?from=//evil.example/").text
    assert "evil.example" not in page


def test_the_limit_holds_across_processes_without_a_shared_cache(client, hotline, settings):
    from django.core.cache import cache

    settings.SIGNPOST_PROBLEM_REPORT_LIMIT = 2
    statuses = []
    for _ in range(3):
        cache.clear()  # another worker: its own, empty memory cache
        statuses.append(post(client, hotline, reason="number").status_code)
    assert statuses == [200, 200, 429]
