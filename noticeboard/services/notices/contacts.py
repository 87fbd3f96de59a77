"""The contact a contributor leaves: an e-mail address or a mobile number, checked with
kept libraries (email-validator, phonenumbers) and stored in one normal form, so the
sender never meets an address it cannot use.

Without consent to notices a contact may be anything a letter gave (a postal address, a
landline); only something that claims to be an e-mail address (it has an ``@``) must be
a valid one. With consent it must be an e-mail address or a mobile number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from noticeboard.models import NoticeChannel
from noticeboard.services.errors import ValidationFailed

# Numbers written without a country code are read as Chinese ones.
DEFAULT_REGION = "CN"
_PHONE_LIKE = re.compile(r"^\+?[\d\s().-]{6,}$")
_MOBILE_TYPES = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


@dataclass(frozen=True)
class CheckedContact:
    value: str  # as stored: the normalised address, E.164 for a mobile, else as given
    channel: NoticeChannel | None  # how a notice would reach it; None: it cannot


def check_contact(contact: str, *, notify: bool) -> CheckedContact:
    """The contact as it is stored, or ValidationFailed saying what is wrong with it."""
    contact = contact.strip()
    if not contact:
        if notify:
            raise ValidationFailed(
                "To be told the outcome, leave an e-mail address or a mobile number."
            )
        return CheckedContact("", None)
    if "@" in contact:
        try:
            checked = validate_email(contact, check_deliverability=False)
        except EmailNotValidError:
            raise ValidationFailed(
                "This e-mail address is not valid: check it for typing errors."
            ) from None
        return CheckedContact(checked.normalized, NoticeChannel.EMAIL)
    mobile = _mobile(contact)
    if mobile is not None:
        return CheckedContact(mobile, NoticeChannel.SMS)
    if notify:
        raise ValidationFailed(
            "To be told the outcome, the contact must be an e-mail address or a mobile number."
        )
    return CheckedContact(contact, None)


def notice_channel(contact: str) -> NoticeChannel | None:
    """How a notice reaches a stored contact (already in normal form)."""
    if "@" in contact:
        return NoticeChannel.EMAIL
    return NoticeChannel.SMS if _mobile(contact) is not None else None


def _mobile(contact: str) -> str | None:
    if not _PHONE_LIKE.match(contact):
        return None
    try:
        number = phonenumbers.parse(contact, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
