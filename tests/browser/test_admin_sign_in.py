"""A curator signs in to the admin in a real browser, with production settings: CSRF, the admin's
same-origin referrer policy, __Host- cookies and a second factor."""

import re

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "a long pass phrase for the browser test"


@pytest.fixture
def curator(live_server, settings):
    assert settings.SIGNPOST_REQUIRE_2FA, "production settings: two-factor sign-in is on"
    user = get_user_model().objects.create_superuser("curator", "curator@example.org", PASSWORD)
    device = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    StaticToken.objects.create(device=device, token="7n4kq2xp")
    return user


def test_a_curator_signs_in_with_password_and_one_time_code(tab, curator, settings):
    response = tab.goto("/admin/")
    expect(tab).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    assert response.headers["referrer-policy"] == "same-origin"
    # Chromium accepts __Host- cookies from http://localhost (a secure context), so production's
    # cookie names and Secure flags are kept in this test.
    cookies = {cookie["name"]: cookie for cookie in tab.context.cookies()}
    assert settings.CSRF_COOKIE_NAME == "__Host-signpost-csrf"
    assert settings.CSRF_COOKIE_NAME in cookies, f"the CSRF cookie was refused; cookies: {list(cookies)}"
    assert cookies[settings.CSRF_COOKIE_NAME]["secure"] is True

    # First the password: the form then offers the curator's devices.
    tab.get_by_label("Username").fill("curator")
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Log in").click()
    device = tab.get_by_label("OTP Device")
    expect(device).to_be_visible()
    device.select_option(label="Backup codes")
    expect(tab.get_by_label("Password")).to_have_value(PASSWORD)  # kept, so it need not be typed again
    tab.get_by_label("OTP Token").fill("7n4kq2xp")
    tab.get_by_role("button", name="Log in").click()

    expect(tab).to_have_url(re.compile(r"/admin/$"))
    expect(tab.get_by_role("heading", name="Curators' back office")).to_be_visible()
    cookies = {cookie["name"]: cookie for cookie in tab.context.cookies()}
    session = cookies[settings.SESSION_COOKIE_NAME]
    assert settings.SESSION_COOKIE_NAME == "__Host-signpost-session"
    assert session["secure"] and session["httpOnly"] and session["path"] == "/" and session["sameSite"] == "Lax"
    assert not StaticToken.objects.filter(token="7n4kq2xp").exists(), "the one-time code is used up"


def test_a_wrong_code_does_not_sign_in(tab, curator):
    tab.goto("/admin/login/")
    tab.get_by_label("Username").fill("curator")
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_label("OTP Token").fill("00000000")
    tab.get_by_role("button", name="Log in").click()
    expect(tab).to_have_url(re.compile(r"/admin/login/"))
    expect(tab.locator(".errornote")).to_be_visible()
    tab.goto("/admin/")
    expect(tab).to_have_url(re.compile(r"/admin/login/"))
