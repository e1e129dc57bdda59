from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Signpost directory"
admin.site.site_title = "Signpost"
admin.site.index_title = "Curators' back office"

urlpatterns = [
    path(settings.SIGNPOST_ADMIN_PATH, admin.site.urls),
    path("", include("reporting.urls")),
]

handler404 = "reporting.views.not_found"
handler500 = "reporting.views.server_error"
