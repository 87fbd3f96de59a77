"""Law and office names in the visitor's language, and how the public pages name a
contributor."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _

from noticeboard.services.public.adoptions import PublicContributor
from noticeboard.web.core.vocabulary import CATEGORY


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
    category = CATEGORY.public(contributor.category.value)
    office = localized(contributor.office_name or "", contributor.office_name_en)
    if not office:
        return category
    return _("%(category)s, %(office)s", category=category, office=office)
