from django.urls import path

from reporting import api, cards, feedback, partners, views

app_name = "reporting"

urlpatterns = [
    path("", views.start, name="start"),
    path("help/", views.choose, name="choose"),
    path("help/<str:country_code>/", views.country, name="country"),
    path("help/<str:country_code>/card/", cards.card, name="card"),
    path("help/<str:country_code>/card.pdf", cards.card_pdf, name="card-pdf"),
    path("help/<str:country_code>/<str:slug>/", views.answer, name="answer"),
    path("leaving/", views.leaving, name="leaving"),
    path("embed/<str:country_code>/<str:slug>/", partners.embed, name="embed"),
    path("problem/<int:organisation_id>/", feedback.report_problem, name="problem"),
]

data_patterns = (
    [
        path("directory.json", partners.directory_json, name="directory-json"),
        path("directory.csv", partners.directory_csv, name="directory-csv"),
    ],
    "data",
)

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
