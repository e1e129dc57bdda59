from django.urls import path, register_converter

from reporting import api, cards, feedback, partners, views


class CountryCode:
    """Two letters, in either case: the view (reporting.public.country_page) checks that the country exists
    and redirects an upper-case address to the lower-case one."""

    regex = "[A-Za-z]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CountryCode, "country")

app_name = "reporting"

urlpatterns = [
    path("", views.start, name="start"),
    path("help/", views.choose, name="choose"),
    path("help/<country:country_code>/", views.country, name="country"),
    path("help/<country:country_code>/card/", cards.card, name="card"),
    path("help/<country:country_code>/card.pdf", cards.card_pdf, name="card-pdf"),
    path("help/<country:country_code>/<slug:slug>/", views.answer, name="answer"),
    path("leaving/", views.leaving, name="leaving"),
    path("about/", views.about, name="about"),
    path("embed/<country:country_code>/<slug:slug>/", partners.embed, name="embed"),
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
        path("platforms/", api.platforms, name="platforms"),
        path("organisations/", api.organisations, name="organisations"),
        path("openapi.json", api.openapi, name="openapi"),
    ],
    "api",
)
