from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from directory.views import coverage
from reporting import views as reporting_views
from reporting.urls import api_patterns, data_patterns  # also registers the <country:…> converter

ADMIN = settings.SIGNPOST_ADMIN_PATH

urlpatterns = [
    # Curators' views that the admin cannot declare; before the admin's own catch-all patterns.
    path(f"{ADMIN}directory/coverage/", admin.site.admin_view(coverage), name="directory-coverage"),
    # Through admin_view: the admin site's own check (staff, signed in with the second factor).
    path(f"{ADMIN}preview/", admin.site.admin_view(reporting_views.preview), name="preview-start"),
    path(
        f"{ADMIN}preview/<country:country_code>/<slug:slug>/",
        admin.site.admin_view(reporting_views.preview),
        name="preview",
    ),
    path(ADMIN, admin.site.urls),
    path("api/v1/", include(api_patterns)),
    path("data/", include(data_patterns)),
    path("robots.txt", reporting_views.robots_txt, name="robots-txt"),
]
# Public pages carry their language in the address (/de/help/…), except English (/help/…),
# so that a shared link opens in the language it was shared in.
urlpatterns += i18n_patterns(path("", include("reporting.urls")), prefix_default_language=False)

handler400 = "reporting.views.bad_request"
handler404 = "reporting.views.not_found"
handler500 = "reporting.views.server_error"
