"""The admin site: with SIGNPOST_REQUIRE_2FA (on in production) staff also need a one-time code."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class SignpostAdminSite(OTPAdminSite):
    name = "admin"
    site_header = "Signpost directory"
    site_title = "Signpost"
    index_title = "Curators' back office"

    # Read at each request, so the setting (and tests) decide, not the import order.
    @property
    def login_form(self):
        return OTPAdminAuthenticationForm if settings.SIGNPOST_REQUIRE_2FA else AdminAuthenticationForm

    @property
    def login_template(self):
        return "otp/admin111/login.html" if settings.SIGNPOST_REQUIRE_2FA else None

    def has_permission(self, request) -> bool:
        if settings.SIGNPOST_REQUIRE_2FA:
            return super().has_permission(request)  # staff, active, and verified by a device
        return AdminSite.has_permission(self, request)
