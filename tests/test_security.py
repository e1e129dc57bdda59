"""Production settings and headers: what a person's visit leaves behind, and who can get into the admin."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_emergency, make_organisation

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_PATHS = ["/", "/de/", "/help/de/", "/help/de/csam-found/", "/ar/help/de/grooming/", "/leaving/", "/about/",
                "/help/xx/csam-found/", "/help/?country=DE&situation=csam-found"]  # fmt: skip
API_PATHS = ["/api/v1/situations/", "/api/v1/route/?country=DE&situation=csam-found", "/api/v1/route/"]


@pytest.fixture
def germany(db):
    make_emergency("DE", general="112")
    make_organisation(name="Meldestelle", countries=("DE",), channels=(("web_form", "https://melden.example.de/"),))


def check_deploy(public_url: str, **settings: str) -> subprocess.CompletedProcess:
    """`manage.py check --deploy --fail-level WARNING` with production settings (nginx in front, as in
    deploy/signpost.env.example), in a fresh process."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "DJANGO_TRUSTED_PROXY_COUNT": "1",
        "SIGNPOST_PUBLIC_URL": public_url,
        **settings,
    }
    env.pop("PYTEST_VERSION", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.slow  # a fresh Django process
def test_check_deploy_is_clean_with_production_settings():
    result = check_deploy("https://example.org")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow  # a fresh Django process
def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": ""}
    env.pop("PYTEST_VERSION", None)
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("path", PUBLIC_PATHS + API_PATHS)
def test_every_public_response_has_the_protective_headers(client, germany, path):
    response = client.get(path)
    assert response.status_code < 500
    policy = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'",
                      "frame-ancestors 'none'"):  # fmt: skip
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response.cookies == {}


@pytest.mark.parametrize("path", [p for p in PUBLIC_PATHS if "xx" not in p and "?" not in p])
def test_public_pages_may_be_kept_by_shared_caches(client, germany, path):
    response = client.get(path)
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")


def test_every_outbound_link_sends_no_referrer(client, germany):
    page = client.get("/help/de/csam-found/").text
    outbound = [line for line in page.split("<a ") if 'href="http' in line.split(">")[0]]
    assert outbound
    assert all('rel="noreferrer noopener"' in link.split(">")[0] for link in outbound)


def test_the_public_pages_run_no_inline_script(client, germany):
    page = client.get("/help/de/csam-found/").text
    assert "<script>" not in page and "onclick" not in page
    assert '<script src="/static/reporting/exit.' in page


def test_plain_http_is_redirected_to_https(db):
    from django.test import Client

    response = Client().get("/help/de/csam-found/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_the_admin_keeps_same_origin_referrers_and_secure_host_cookies(client, db):
    response = client.get("/admin/login/")
    assert response["Referrer-Policy"] == "same-origin"
    cookie = response.cookies["__Host-signpost-csrf"]
    assert cookie["secure"] and cookie["httponly"] and cookie["path"] == "/" and not cookie["domain"]


@pytest.fixture
def curator(db):
    return User.objects.create_user("curator", password="correct horse battery staple", is_staff=True,
                                    is_superuser=True)  # fmt: skip


def login(client, username="curator", password="correct horse battery staple", token="", device=""):
    data = {"username": username, "password": password, "otp_token": token, "otp_device": device}
    return client.post("/admin/login/?next=/admin/", data)


def test_staff_need_a_second_factor_in_production(client, curator):
    response = login(client)
    assert response.status_code == 200  # the form again, asking for the code
    assert client.get("/admin/").status_code == 302  # still not in
    device = TOTPDevice.objects.create(user=curator, name="phone", confirmed=True)
    token = f"{TOTP(device.bin_key, step=device.step, digits=device.digits).token():06d}"
    wrong = f"{(int(token) + 1) % 1000000:06d}"
    assert login(client, token=wrong, device=device.persistent_id).status_code == 200
    assert client.get("/admin/").status_code == 302
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait; don't wait in a test
    response = login(client, token=token, device=device.persistent_id)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_password_alone_is_enough_only_when_2fa_is_off(client, curator, settings):
    settings.SIGNPOST_REQUIRE_2FA = False
    assert login(client).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_repeated_failed_sign_ins_lock_the_account_out(client, curator, settings):
    settings.SIGNPOST_REQUIRE_2FA = False
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, password="wrong password")
    response = login(client)  # now even the right password is refused
    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302


@pytest.mark.slow  # a fresh Django process
def test_the_admin_path_is_configurable():
    env = {**os.environ, "DJANGO_ADMIN_PATH": "back-office-7f3/", "DJANGO_DEBUG": "1"}
    env.pop("PYTEST_VERSION", None)
    code = "from django.urls import reverse; print(reverse('admin:index'))"
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True)  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == "/back-office-7f3/", result.stderr


@pytest.mark.slow  # a fresh Django process
def test_check_deploy_requires_the_public_address_for_cards_and_qr_codes():
    result = check_deploy("")
    assert result.returncode != 0
    assert "signpost.W001" in result.stdout + result.stderr


def test_a_card_requested_with_another_host_never_poisons_later_visitors(client, settings, db):
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    make_organisation(name="Meldestelle", countries=("DE",), channels=(("web_form", "https://melden.example.de/"),))
    client.get("/help/de/card/", HTTP_HOST="evil.example")
    assert "evil.example" not in client.get("/help/de/card/").text


def test_the_card_carries_the_configured_public_address(client, settings, db):
    settings.SIGNPOST_PUBLIC_URL = "https://signpost.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    text = client.get("/help/de/card/", HTTP_HOST="evil.example").text
    assert "https://signpost.example.org/help/de/" in text
    assert "evil.example" not in text


@pytest.mark.parametrize(
    "path", ["/help/de/csam-found/", "/de/help/de/csam-found/", "/embed/de/csam-found/",
             "/api/v1/route/?country=DE&situation=csam-found", "/data/directory.json", "/leaving/"],
)  # fmt: skip
def test_responses_that_do_not_depend_on_the_browsers_language_do_not_vary_on_it(client, germany, path):
    response = client.get(path, headers={"accept-language": "fr-FR,fr;q=0.9"})
    assert response.status_code == 200
    assert "accept-language" not in response.get("Vary", "").lower()


def test_the_start_page_varies_on_the_browsers_language(client, germany):
    response = client.get("/", headers={"accept-language": "en-AT,en;q=0.9"})
    assert "accept-language" in response["Vary"].lower()


def error_text(response) -> str:
    return " ".join(str(error) for error in response.context["form"].non_field_errors())


def test_a_wrong_code_and_a_wrong_password_get_the_same_answer(client, curator):
    device = TOTPDevice.objects.create(user=curator, name="phone", confirmed=True)
    token = f"{TOTP(device.bin_key, step=device.step, digits=device.digits).token():06d}"
    wrong_code = f"{(int(token) + 1) % 1000000:06d}"
    wrong_password = login(client, password="wrong password", token=token, device=device.persistent_id)
    right_password_wrong_code = login(client, token=wrong_code, device=device.persistent_id)
    right_password_no_code = login(client)
    assert error_text(wrong_password) == error_text(right_password_wrong_code) == error_text(right_password_no_code)
    assert "correct username and password" in error_text(wrong_password)


def test_wrong_codes_count_towards_the_lockout(client, curator, settings):
    device = TOTPDevice.objects.create(user=curator, name="phone", confirmed=True)
    token = f"{TOTP(device.bin_key, step=device.step, digits=device.digits).token():06d}"
    wrong_code = f"{(int(token) + 1) % 1000000:06d}"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        device.throttle_reset()
        login(client, token=wrong_code, device=device.persistent_id)
    device.throttle_reset()
    response = login(client, token=token, device=device.persistent_id)  # now even the right code is refused
    assert response.status_code == 429


def test_a_spoofed_forwarded_address_is_ignored_unless_it_comes_through_our_proxy(rf, settings):
    from directory.clients import client_ip

    settings.SIGNPOST_TRUSTED_PROXY_COUNT = 1
    settings.SIGNPOST_TRUSTED_PROXIES = ["127.0.0.1"]
    direct = rf.get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert client_ip(direct) == "198.51.100.9"  # reached the app server directly: its own address counts
    proxied = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.7")
    assert client_ip(proxied) == "198.51.100.7"  # the address our nginx saw, not what the client claimed


def test_a_spoofed_header_cannot_dodge_the_sign_in_lockout(client, curator, settings):
    settings.SIGNPOST_REQUIRE_2FA = False
    settings.SIGNPOST_TRUSTED_PROXY_COUNT = 1
    settings.SIGNPOST_TRUSTED_PROXIES = ["10.9.9.9"]  # our proxy; this client is not it
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/?next=/admin/", {"username": "curator", "password": "wrong"},
                    HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}")  # fmt: skip
    right = {"username": "curator", "password": "correct horse battery staple"}
    response = client.post("/admin/login/?next=/admin/", right, HTTP_X_FORWARDED_FOR="203.0.113.200")
    assert response.status_code == 429


def test_a_typo_in_the_trusted_proxies_fails_the_check(settings):
    from reporting.checks import trusted_proxies_are_networks

    settings.SIGNPOST_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/33"]
    assert [error.id for error in trusted_proxies_are_networks()] == ["signpost.E002"]


def test_error_pages_keep_the_quick_exit(client, germany, settings):
    from django.test import Client

    from directory.models import Organisation

    strict = Client(enforce_csrf_checks=True)
    organisation = Organisation.objects.get(name="Meldestelle")
    forbidden = strict.post(f"/problem/{organisation.pk}/", {"reason": "number"}, secure=True)
    assert forbidden.status_code == 403
    assert 'class="exit"' in forbidden.text and settings.SIGNPOST_EXIT_URL in forbidden.text
    from reporting.views import server_error

    assert settings.SIGNPOST_EXIT_URL in server_error(None).content.decode()
    assert client.get("/help/xx/csam-found/").status_code == 404
    assert 'class="exit"' in client.get("/help/xx/csam-found/").text
