import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from directory import snapshot
from directory.models import Channel, EmergencyNumber, Organisation, Place
from tests.factories import make_emergency, make_organisation


@pytest.mark.django_db
def test_keys_are_unique_in_the_database():
    make_organisation(key="de-one")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(key="de-one", name="Other", kind="hotline")


@pytest.mark.django_db
def test_the_database_rejects_an_unknown_kind():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(key="x", name="X", kind="astrologer")


@pytest.mark.django_db
def test_the_database_rejects_an_unknown_status_and_channel_type():
    organisation = make_organisation()
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(pk=organisation.pk).update(status="secret")
    with pytest.raises(IntegrityError), transaction.atomic():
        Channel.objects.create(organisation=organisation, type="pigeon", value="x")


@pytest.mark.django_db
def test_a_country_is_served_once_per_organisation():
    organisation = make_organisation(countries=("DE",))
    with pytest.raises(IntegrityError), transaction.atomic():
        Place.objects.create(organisation=organisation, country="DE")


@pytest.mark.django_db
def test_there_is_one_emergency_row_per_country():
    make_emergency("DE")
    with pytest.raises(IntegrityError), transaction.atomic():
        EmergencyNumber.objects.create(country="DE", general="112")


@pytest.mark.django_db
def test_a_phone_channel_is_checked_in_the_organisations_country():
    organisation = make_organisation(countries=("DE",), channels=())
    Channel(organisation=organisation, type="phone", value="116 111").full_clean()
    with pytest.raises(ValidationError) as error:
        Channel(organisation=organisation, type="phone", value="999 999 999 999").full_clean()
    assert "value" in error.value.message_dict


@pytest.mark.django_db
def test_a_channel_country_overrides_the_organisations_countries():
    organisation = make_organisation(countries=("GB", "IE"), channels=())
    with pytest.raises(ValidationError):
        Channel(organisation=organisation, type="phone", value="0808 1000 900").full_clean()
    Channel(organisation=organisation, type="phone", value="0808 1000 900", country="GB").full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["www.example.org", "ftp://example.org/", "javascript:alert(1)", "https://"])
def test_web_channels_need_an_http_address(value):
    organisation = make_organisation(channels=())
    with pytest.raises(ValidationError):
        Channel(organisation=organisation, type="web_form", value=value).full_clean()


@pytest.mark.django_db
def test_web_channels_accept_http_and_https():
    organisation = make_organisation(channels=())
    Channel(organisation=organisation, type="website", value="https://www.jugendschutz.net").full_clean()
    Channel(organisation=organisation, type="website", value="http://example.org/").full_clean()


@pytest.mark.django_db
def test_list_fields_are_validated():
    organisation = make_organisation()
    organisation.languages = ["German"]
    organisation.audience = ["aliens"]
    organisation.source_urls = ["not a url"]
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert set(error.value.message_dict) == {"languages", "audience", "source_urls"}


@pytest.mark.django_db
def test_publication_needs_a_channel_and_a_place():
    bare = make_organisation(countries=(), channels=(), status="draft")
    assert len(bare.publication_problems()) == 2
    bare.worldwide = True
    assert len(bare.publication_problems()) == 1
    complete = make_organisation()
    assert complete.publication_problems() == {}


@pytest.mark.django_db
def test_published_is_what_the_public_side_reads():
    national = make_organisation(countries=("DE",), services=("report_csam",))
    make_organisation(countries=("DE",), services=("report_csam",), status="draft")
    assert list(Organisation.objects.published()) == [national]
    assert [record["key"] for record in snapshot.build()["organisations"]] == [national.key]


@pytest.mark.django_db
def test_a_number_the_library_does_not_know_needs_a_curators_confirmation():
    # Zambia's child helpline 116 is not in libphonenumber's data for ZM.
    organisation = make_organisation(countries=("ZM",), channels=())
    with pytest.raises(ValidationError):
        Channel(organisation=organisation, type="phone", value="116").full_clean()
    Channel(organisation=organisation, type="phone", value="116", number_confirmed=True).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["call 116", "1", "<b>116</b>", "1" * 20])
def test_a_confirmed_number_must_still_be_written_as_a_number(value):
    organisation = make_organisation(countries=("ZM",), channels=())
    with pytest.raises(ValidationError):
        Channel(organisation=organisation, type="phone", value=value, number_confirmed=True).full_clean()


@pytest.mark.parametrize(
    "address", ["http://127.0.0.1/report", "https://localhost/", "http://169.254.169.254/latest/", "https://[::1]/"]
)
def test_a_channel_pointing_inside_the_network_is_refused_with_a_reason(db, address):
    from django.core.exceptions import ValidationError

    from directory.models import Channel
    from tests.factories import make_organisation

    channel = Channel(organisation=make_organisation(), type="web_form", value=address)
    with pytest.raises(ValidationError, match="link checker will not visit it"):
        channel.clean()
