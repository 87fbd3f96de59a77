"""Names the public pages and boards show: contributor categories, channels, office tiers,
and law and office names in the visitor's language."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from noticeboard.services.public.adoptions import PublicContributor
from noticeboard.services.public.boards import trim_ops

# Plural, as a board says who asked: "Students, Hongqiao".
CATEGORY_NAMES = {
    "citizen": _l("Citizens"),
    "enterprise": _l("Enterprises"),
    "organisation": _l("Social organisations"),
    "expert": _l("Experts"),
    "deputy": _l("People's deputies"),
    "student": _l("Students"),
}

CHANNEL_NAMES = {
    "symposium": _l("Symposium"),
    "letter": _l("Letter"),
    "online_form": _l("Online form"),
    "social_media": _l("Social media"),
    "qr_poster": _l("QR poster"),
    "hearing": _l("Hearing"),
    "school": _l("School"),
    "other": _l("Other"),
}

TIER_NAMES = {
    "national": _l("National outreach office"),
    "provincial": _l("Provincial outreach office"),
    "prefecture": _l("Prefecture outreach office"),
}


def category_name(value: str) -> str:
    return str(CATEGORY_NAMES[value])


def channel_name(value: str) -> str:
    return str(CHANNEL_NAMES[value])


def tier_name(value: str) -> str:
    return str(TIER_NAMES[value])


def english() -> bool:
    return str(get_locale()) == "en"


def localized(chinese: str, english_name: str | None) -> str:
    """The English name for English visitors when there is one, else the Chinese."""
    return english_name if english_name and english() else chinese


def law_title(law: Any) -> str:
    return localized(law.title, getattr(law, "title_en", None))


def office_name(office: Any) -> str:
    return localized(office.name, getattr(office, "name_en", None))


def contributor_text(contributor: PublicContributor) -> str:
    """The name when the contributor agreed to show it; else category and office."""
    if contributor.name:
        return contributor.name
    category = category_name(contributor.category.value)
    office = localized(contributor.office_name or "", contributor.office_name_en)
    if not office:
        return category
    return _("%(category)s, %(office)s", category=category, office=office)


def install(bp: Blueprint) -> None:
    """Make these names (and the short redline) template globals once the blueprint is
    registered."""
    for function in (
        category_name,
        channel_name,
        tier_name,
        law_title,
        office_name,
        contributor_text,
        localized,
        trim_ops,
    ):
        bp.add_app_template_global(function)
