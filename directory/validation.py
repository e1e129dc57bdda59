"""Checks of directory facts: phone numbers, web addresses, languages.

Used by the models' clean() (so curators see errors in admin) and by the importer, so
that both paths apply exactly the same rules.
"""

import ipaddress
import re
import zoneinfo
from collections.abc import Sequence
from urllib.parse import urlsplit

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from phonenumbers import shortnumberinfo

validate_web_address = URLValidator(schemes=["http", "https"])
validate_email = EmailValidator()

_LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
_EMERGENCY_NUMBER = re.compile(r"^[0-9][0-9 -]{0,14}$")


def parse_phone_number(value: str, region: str | None) -> phonenumbers.PhoneNumber:
    """Parse a published phone number for a region; raise ValidationError if it is not a real number.

    Short numbers (116 111, 1098, 112 …) are valid when libphonenumber knows them as short
    numbers of that region; an international number (+44 …) needs no region.
    """
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("Enter a phone number."), code="required")
    if not value.startswith("+") and not region:
        raise ValidationError(
            _("Give the country this number is for, or write it in international form (+44 …)."),
            code="no_region",
        )
    try:
        number = phonenumbers.parse(value, region or None)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("“%(value)s” is not a phone number."), code="invalid_phone", params={"value": value}
        ) from None
    if phonenumbers.is_valid_number(number):
        return number
    short_region = region or phonenumbers.region_code_for_number(number)
    if short_region and shortnumberinfo.is_valid_short_number_for_region(number, short_region):
        return number
    where = region or _("any country")
    raise ValidationError(
        _("“%(value)s” is not a valid phone number for %(region)s."),
        code="invalid_phone",
        params={"value": value, "region": where},
    )


_PLAIN_NUMBER = re.compile(r"^\+?[0-9(][0-9 ().-]{0,24}$")


def validate_plain_number(value: str) -> None:
    """A number written with digits (and spaces, dots, dashes, brackets): what a curator confirmed by hand."""
    digits = sum(character.isdigit() for character in value)
    if not _PLAIN_NUMBER.match(value) or not 2 <= digits <= 15:
        raise ValidationError(
            _("“%(value)s” is not written as a phone number: digits, with spaces or dashes."),
            code="invalid_phone",
            params={"value": value},
        )


def validate_emergency_number(value: str) -> None:
    """An emergency number is a short string of digits (spaces and hyphens allowed)."""
    if value and not _EMERGENCY_NUMBER.match(value):
        raise ValidationError(
            _("“%(value)s” is not an emergency number: use digits only, such as 112."),
            code="invalid_emergency_number",
            params={"value": value},
        )


def validate_language_codes(value: list) -> None:
    """Languages are lists of lower-case ISO 639-1 codes such as ["de", "en"]."""
    if not isinstance(value, list) or not all(isinstance(v, str) and _LANGUAGE_CODE.match(v) for v in value):
        raise ValidationError(
            _("Languages must be two-letter ISO 639-1 codes such as de, en, ar."), code="invalid_languages"
        )


def validate_web_addresses(value: list) -> None:
    """A list of http(s) addresses, such as an entry's sources."""
    if not isinstance(value, list):
        raise ValidationError(_("Enter a list of web addresses."), code="invalid_list")
    for address in value:
        if not isinstance(address, str):
            raise ValidationError(_("Enter a list of web addresses."), code="invalid_list")
        try:
            validate_web_address(address)
        except ValidationError:
            raise ValidationError(
                _("“%(value)s” is not an http(s) web address."), code="invalid_url", params={"value": address}
            ) from None


@deconstructible
class ChoiceListValidator:
    """A list whose items must all come from `choices` (for JSON list fields)."""

    def __init__(self, choices: list[str]):
        self.choices = list(choices)

    def __call__(self, value: list) -> None:
        if not isinstance(value, list) or any(item not in self.choices for item in value):
            raise ValidationError(
                _("Choose from: %(choices)s."),
                code="invalid_list_choice",
                params={"choices": ", ".join(self.choices)},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ChoiceListValidator) and self.choices == other.choices


def dial_uri(value: str, region: str | None, scheme: str = "tel") -> str:
    """A tel: (or sms:) link for a published number.

    Full numbers become E.164 (+4930…); short numbers such as 116 111 cannot be dialled in
    E.164 form, and numbers the library does not know are dialled as written: their digits.
    """
    written = ("+" if value.strip().startswith("+") else "") + phonenumbers.normalize_digits_only(value)
    try:
        number = phonenumbers.parse(value, region or None)
    except phonenumbers.NumberParseException:
        return f"{scheme}:{written}"
    if phonenumbers.is_valid_number(number):
        return f"{scheme}:{phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)}"
    return f"{scheme}:{written}"


def validate_time_zone(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Europe/Berlin."),
            code="invalid_time_zone",
            params={"value": value},
        )


_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")


def is_origin(value: str) -> bool:
    """https://host or https://host:port, and nothing else: no user-info, wildcard, path, query or fragment."""
    try:
        parts = urlsplit(value or "")
        port = parts.port
    except ValueError:
        return False
    host = parts.hostname or ""
    expected = host + (f":{port}" if port is not None else "")
    return (
        parts.scheme == "https"
        and bool(_HOST.match(host))
        and parts.netloc.lower() == expected
        and parts.path in ("", "/")
        and not parts.query
        and not parts.fragment
        and not any(character in value for character in " ;,*'\"")
    )


def validate_origin(value: str) -> None:
    """An origin for framing: https://host[:port], nothing else (no user-info, path, wildcard)."""
    if not is_origin(value):
        raise ValidationError(
            _("Give only the https address of the site, such as https://www.school.example"), code="invalid_origin"
        )


def validate_whatsapp_number(value: str, region: str | None) -> None:
    """A WhatsApp number as printed: a plain number, in international form (+…) or with a country to read it
    in, so that its wa.me link can be built. WhatsApp is messaged over the internet, never dialled, so the
    phone-number library's tables (which lack many WhatsApp lines) are not asked."""
    validate_plain_number(value)
    if not value.strip().startswith("+") and not region:
        raise ValidationError(
            _("Give the country this number is for, or write it in international form (+44 …)."),
            code="no_region",
        )
    if not whatsapp_digits(value, region):
        raise ValidationError(_("“%(value)s” is not a phone number."), code="invalid_phone", params={"value": value})


def whatsapp_digits(value: str, region: str | None) -> str:
    """The number in international form without the +, as wa.me takes it ("" if it cannot be told)."""
    value = (value or "").strip()
    if value.startswith("+"):
        return phonenumbers.normalize_digits_only(value)
    if not region:
        return ""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return ""
    return f"{number.country_code}{phonenumbers.national_significant_number(number)}"


def whatsapp_uri(value: str, region: str | None) -> str:
    """A link that opens a chat with this number in WhatsApp (never tel:): https://wa.me/<international digits>."""
    digits = whatsapp_digits(value, region)
    return f"https://wa.me/{digits}" if digits else ""


_TELEGRAM_NAME = re.compile(r"^@([A-Za-z0-9_]{4,32})$")
TELEGRAM_HOSTS = ("t.me", "telegram.me")


def validate_telegram(value: str) -> None:
    """A Telegram address: https://t.me/… or a public name written @name."""
    if _TELEGRAM_NAME.match(value or ""):
        return
    parts = urlsplit(value or "")
    if parts.scheme != "https" or (parts.hostname or "") not in TELEGRAM_HOSTS or parts.path in ("", "/"):
        raise ValidationError(
            _("“%(value)s” is not a Telegram address: write https://t.me/name or @name."),
            code="invalid_telegram",
            params={"value": value},
        )
    validate_public_web_address(value)


def telegram_uri(value: str) -> str:
    """The https link for a Telegram address (@name opens https://t.me/name)."""
    match = _TELEGRAM_NAME.match(value or "")
    return f"https://t.me/{match.group(1)}" if match else value


NOT_FROM_ABROAD = {
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.SHARED_COST,
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
}


def reachable_from_abroad(value: str) -> bool:
    """Whether a published number can be dialled from another country: written in international
    form (+…), and not a toll-free, shared-cost, premium or short number (those work only at home)."""
    if not value.strip().startswith("+"):
        return False  # national format or a short number: only in its own country
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return False
    if phonenumbers.number_type(number) in NOT_FROM_ABROAD:
        return False
    region = number_region(value)
    return phonenumbers.is_valid_number(number) or not (
        region and shortnumberinfo.is_valid_short_number_for_region(number, region)
    )


def number_region(value: str, likely: Sequence[str] = ()) -> str | None:
    """The country an international-format number belongs to (None for national format or unknown numbers).

    Countries that share a calling code (+1: the US, Canada, the Caribbean) cannot always be told apart
    by the number (a +1 800 number is filed under the US): one of the `likely` countries with that code wins.
    """
    if not value.strip().startswith("+"):
        return None
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return None
    region = phonenumbers.region_code_for_number(number)
    if region in likely:
        return region
    sharing = [code for code in likely if phonenumbers.country_code_for_region(code) == number.country_code]
    if sharing:
        return sharing[0]
    return region if region and region != phonenumbers.UNKNOWN_REGION else None


SAFE_LINK_SCHEMES = ("http", "https", "tel", "sms", "mailto")


def is_safe_link(href: str) -> bool:
    """Whether an address may be rendered as a link: http(s), tel, sms or mailto (WhatsApp and Telegram
    links are https). Anything else — javascript:, data: — is never linked, whatever is in the database."""
    scheme = urlsplit(href or "").scheme.lower()
    if scheme in ("http", "https"):
        return bool(urlsplit(href).netloc)
    return scheme in SAFE_LINK_SCHEMES and ":" in href


# Where a curator-entered address may never lead the checker: this machine, the private network,
# link-local (cloud metadata at 169.254.169.254) and reserved ranges. Otherwise the checker would be
# an oracle for what answers inside the network, with the results shown in the admin.
def is_public_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def refused_host(host: str) -> str:
    """Why an address typed as this host is not one to publish or visit ("" if nothing is known against it)."""
    host = (host or "").strip("[]").lower()
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return "a local host name"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return ""
    return "" if is_public_address(ip) else "a private, local or reserved address"


def validate_public_web_address(value: str) -> None:
    """A web address a person can open: http(s), and not on this machine or a private network."""
    validate_web_address(value)
    why = refused_host(urlsplit(value).hostname or "")
    if why:
        raise ValidationError(
            _("“%(value)s” points to %(why)s: people cannot open it, and the link checker will not visit it."),
            code="private_address",
            params={"value": value, "why": why},
        )
