"""The admin site: with SIGNPOST_REQUIRE_2FA (on in production) staff also need a one-time code."""

from django import forms
from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class SignInForm(OTPAdminAuthenticationForm):
    """Password and one-time code, with one answer for every failure.

    A wrong code must not say "your password was right", and it counts towards the lockout
    (django-axes listens to `user_login_failed`) exactly like a wrong password.
    """

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code in ("invalid_login", "inactive"):
                raise  # the password step: already counted and already the general message
            username = self.cleaned_data.get("username")
            user_login_failed.send(sender=__name__, credentials={"username": username}, request=self.request)
            raise self.get_invalid_login_error() from None


class SignpostAdminSite(OTPAdminSite):
    name = "admin"
    site_header = "Signpost directory"
    site_title = "Signpost"
    index_title = "Curators' back office"

    # Read at each request, so the setting (and tests) decide, not the import order.
    @property
    def login_form(self):
        return SignInForm if settings.SIGNPOST_REQUIRE_2FA else AdminAuthenticationForm

    @property
    def login_template(self):
        return "otp/admin111/login.html" if settings.SIGNPOST_REQUIRE_2FA else None

    def has_permission(self, request) -> bool:
        if settings.SIGNPOST_REQUIRE_2FA:
            return super().has_permission(request)  # staff, active, and verified by a device
        return AdminSite.has_permission(self, request)
