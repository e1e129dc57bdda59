from django.urls import path

from reporting import api, views

app_name = "reporting"

urlpatterns = [
    path("", views.start, name="start"),
    path("help/", views.choose, name="choose"),
    path("help/<str:country_code>/", views.country, name="country"),
    path("help/<str:country_code>/<str:slug>/", views.answer, name="answer"),
    path("leaving/", views.leaving, name="leaving"),
    path("api/v1/situations/", api.situations, name="api-situations"),
    path("api/v1/countries/", api.countries_list, name="api-countries"),
    path("api/v1/route/", api.route, name="api-route"),
    path("api/v1/organisations/", api.organisations, name="api-organisations"),
    path("api/v1/openapi.json", api.openapi, name="api-openapi"),
]
