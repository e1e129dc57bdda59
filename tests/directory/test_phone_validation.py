import pytest
from django.core.exceptions import ValidationError

from directory.validation import parse_phone_number, validate_emergency_number


@pytest.mark.parametrize(
    ("number", "region"),
    [
        ("116 111", "DE"),  # European child helpline: a short number
        ("116111", "FR"),
        ("0800 111 0 550", "DE"),
        ("1098", "IN"),
        ("0808 1000 900", "GB"),
        ("+44 1372 847 161", None),  # international form needs no region
        ("+44 1372 847 161", "IE"),
        ("1-800-843-5678", "US"),
    ],
)
def test_it_accepts_real_numbers_and_short_numbers(number, region):
    parse_phone_number(number, region)


@pytest.mark.parametrize(
    ("number", "region"),
    [
        ("12", "DE"),
        ("not a number", "DE"),
        ("0800 111 0 550", "FR"),  # a German free number is not a French one
        ("116 111", "US"),  # 116 111 is not in use in the US
        ("+49 1", None),
        ("", "DE"),
    ],
)
def test_it_rejects_numbers_that_are_not_real_for_the_country(number, region):
    with pytest.raises(ValidationError):
        parse_phone_number(number, region)


def test_it_asks_for_a_country_for_a_national_number():
    with pytest.raises(ValidationError) as error:
        parse_phone_number("116 111", None)
    assert error.value.code == "no_region"


@pytest.mark.parametrize("number", ["112", "110", "1 1 2", "911"])
def test_emergency_numbers_are_digits(number):
    validate_emergency_number(number)


@pytest.mark.parametrize("number", ["call 112", "+112", "<b>112</b>", "1" * 20])
def test_emergency_numbers_reject_anything_else(number):
    with pytest.raises(ValidationError):
        validate_emergency_number(number)
