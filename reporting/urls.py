from django.urls import path

from reporting import api, views

app_name = "reporting"

urlpatterns = [
    path("", views.start, name="start"),
    path("help/", views.choose, name="choose"),
    path("help/<str:country_code>/", views.country, name="country"),
    path("help/<str:country_code>/<str:slug>/", views.answer, name="answer"),
    path("leaving/", views.leaving, name="leaving"),
]

api_patterns = (
    [
        path("situations/", api.situations, name="situations"),
        path("countries/", api.countries_list, name="countries"),
        path("route/", api.route, name="route"),
        path("organisations/", api.organisations, name="organisations"),
        path("openapi.json", api.openapi, name="openapi"),
    ],
    "api",
)
