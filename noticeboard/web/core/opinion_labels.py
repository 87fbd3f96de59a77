"""Translated names of the opinion and office vocabularies, for forms and pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CHANNEL_NAMES = {
    "symposium": _l("Symposium"),
    "letter": _l("Letter"),
    "online_form": _l("Online form"),
    "social_media": _l("Social media"),
    "qr_poster": _l("QR code poster"),
    "hearing": _l("Hearing"),
    "school": _l("School"),
    "other": _l("Other"),
}

CATEGORY_NAMES = {
    "citizen": _l("Citizen"),
    "enterprise": _l("Enterprise"),
    "organisation": _l("Organisation"),
    "expert": _l("Expert"),
    "deputy": _l("People's congress deputy"),
    "student": _l("Student"),
}

TIER_NAMES = {
    "national": _l("National outreach office"),
    "provincial": _l("Provincial office"),
    "prefecture": _l("Prefecture office"),
}

ROLE_NAMES = {
    "admin": _l("Administrator"),
    "commission": _l("Commission"),
    "office": _l("Office staff"),
}


def vocabulary() -> dict[str, object]:
    """Template helpers: ``channel_name(value)`` and friends."""
    return {
        "channel_name": lambda value: str(CHANNEL_NAMES[str(value)]),
        "category_name": lambda value: str(CATEGORY_NAMES[str(value)]),
        "tier_name": lambda value: str(TIER_NAMES[str(value)]),
        "role_name": lambda value: str(ROLE_NAMES[str(value)]),
    }
