"""Every fixed vocabulary the site names, with the public and the staff wording side by side.

The public wording is what citizens read: public pages, kiosk boards, feeds, the open-data
and API documentation pages. The staff wording is the staff area's: its pages, forms and
exports. Where the two agree, ``same()`` says so. Templates choose by name,
``public_label("tier", office.tier)`` or ``staff_label("tier", office.tier)``; Python code
asks the vocabulary, ``TIER.public(value)`` or ``TIER.staff(value)``.

Names are translated once per language and audience: a compare page of the Civil Code names
a change kind thousands of times, and asking the catalog each time cost half the render.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from flask_babel import get_locale, lazy_pgettext
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

Audience = Literal["public", "staff"]


@dataclass(frozen=True)
class Label:
    public: LazyString
    staff: LazyString


def same(wording: LazyString) -> Label:
    """A label both audiences read in the same words."""
    return Label(public=wording, staff=wording)


@dataclass(frozen=True)
class Vocabulary:
    name: str  # what templates pass to public_label() and staff_label()
    labels: Mapping[str, Label]

    def public(self, value: str) -> str:
        return _translated(self, "public")[value]

    def staff(self, value: str) -> str:
        return _translated(self, "staff")[value]

    def __contains__(self, value: object) -> bool:
        return value in self.labels


_cache: dict[tuple[str, str, Audience], dict[str, str]] = {}


def _translated(vocabulary: Vocabulary, audience: Audience) -> dict[str, str]:
    key = (str(get_locale()), vocabulary.name, audience)
    names = _cache.get(key)
    if names is None:
        names = _cache[key] = {
            value: str(getattr(label, audience)) for value, label in vocabulary.labels.items()
        }
    return names


KIND = Vocabulary(
    "kind",
    {
        "unchanged": same(_l("Unchanged")),
        "renumbered": same(_l("Renumbered")),
        "modified": same(_l("Modified")),
        "moved": same(_l("Moved")),
        "added": same(_l("Added")),
        "deleted": same(_l("Deleted")),
        "split": same(_l("Split")),
        "merged": same(_l("Merged")),
    },
)

# "Adopted" names a law's status too (enacted); the context keeps the two apart.
OUTCOME = Vocabulary(
    "outcome",
    {
        "pending": same(lazy_pgettext("outcome", "Under consideration")),
        "adopted": same(lazy_pgettext("outcome", "Adopted")),
        "partially_adopted": same(lazy_pgettext("outcome", "Partially adopted")),
        "not_adopted": same(lazy_pgettext("outcome", "Not adopted")),
        "withdrawn": same(lazy_pgettext("outcome", "Withdrawn")),
    },
)

# The reason a contributor reads; staff choose it in the same words.
REASON = Vocabulary(
    "reason",
    {
        "already_covered": same(_l("Already covered by existing law")),
        "out_of_scope": same(_l("Outside this law's scope")),
        "conflicts_higher_law": same(_l("Conflicts with a higher law")),
        "left_to_regulations": same(_l("Better settled in regulations")),
        "not_feasible": same(_l("Not feasible at present")),
        "other_opinions_prevailed": same(_l("Weighed against other opinions")),
        "no_change_needed": same(_l("No change needed: the draft already provides for it")),
        "other": same(_l("Other reason")),
    },
)

# How far a change does what an opinion asked ("adopted fully").
DEGREE = Vocabulary("degree", {"full": same(_l("fully")), "partial": same(_l("partly"))})

# Public: plural, as a board says who asked ("Students, Hongqiao"); staff: one contributor.
CATEGORY = Vocabulary(
    "category",
    {
        "citizen": Label(public=_l("Citizens"), staff=_l("Citizen")),
        "enterprise": Label(public=_l("Enterprises"), staff=_l("Enterprise")),
        "organisation": Label(public=_l("Social organisations"), staff=_l("Organisation")),
        "expert": Label(public=_l("Experts"), staff=_l("Expert")),
        "deputy": Label(public=_l("People's deputies"), staff=_l("People's congress deputy")),
        "student": Label(public=_l("Students"), staff=_l("Student")),
    },
)

CHANNEL = Vocabulary(
    "channel",
    {
        "symposium": same(_l("Symposium")),
        "letter": same(_l("Letter")),
        "online_form": same(_l("Online form")),
        "social_media": same(_l("Social media")),
        "qr_poster": Label(public=_l("QR poster"), staff=_l("QR code poster")),
        "hearing": same(_l("Hearing")),
        "school": same(_l("School")),
        "other": same(_l("Other")),
    },
)

# The public names the office by what it is; staff, who know, by its tier.
TIER = Vocabulary(
    "tier",
    {
        "national": same(_l("National outreach office")),
        "provincial": Label(public=_l("Provincial outreach office"), staff=_l("Provincial office")),
        "prefecture": Label(public=_l("Prefecture outreach office"), staff=_l("Prefecture office")),
    },
)

# Staff roles appear only in the staff area; the public wording is there for completeness.
ROLE = Vocabulary(
    "role",
    {
        "admin": same(_l("Administrator")),
        "commission": same(_l("Commission")),
        "office": same(_l("Office staff")),
    },
)

VOCABULARIES = {v.name: v for v in (KIND, OUTCOME, REASON, DEGREE, CATEGORY, CHANNEL, TIER, ROLE)}


def public_label(vocabulary: str, value: str) -> str:
    """``public_label("tier", "provincial")``: the words public pages, boards and feeds use."""
    return VOCABULARIES[vocabulary].public(value)


def staff_label(vocabulary: str, value: str) -> str:
    """``staff_label("tier", "provincial")``: the words the staff area uses."""
    return VOCABULARIES[vocabulary].staff(value)
