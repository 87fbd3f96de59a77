"""Atom feeds of adopted suggestions (everywhere, per law, per office) and of newly
published draft versions, in the visitor's language (``?lang=zh|en``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from noticeboard.extensions import db
from noticeboard.models import Law, Office
from noticeboard.services.public.adoptions import AdoptedItem
from noticeboard.services.public.feed_items import adopted_feed, published_versions
from noticeboard.web.core.names import contributor_text, localized
from noticeboard.web.core.vocabulary import KIND, OUTCOME
from noticeboard.web.public.atom import AtomEntry, atom_feed, atom_response, tag_uri

bp = Blueprint("feeds", __name__)


def _lang() -> str:
    return "zh-Hans" if str(get_locale()) == "zh" else "en"


def _self() -> str:
    return url_for(request.endpoint or "", **(request.view_args or {}), _external=True)


def _adopted_entry(item: AdoptedItem) -> AtomEntry:
    change = item.change
    if change is not None:
        link = url_for(
            "public.laws.change", slug=item.law_slug, change_id=change.id, _external=True
        )
    else:
        link = url_for("public.adoptions.law_board", slug=item.law_slug, _external=True)
    articles = "、".join(item.article_labels)
    law = localized(item.law_title, item.law_title_en)
    title = f"{law} {articles}: {OUTCOME.public(item.outcome)}".replace("  ", " ")
    lines = [item.summary, _("Suggested by %(who)s", who=contributor_text(item.contributor))]
    if change is not None:
        lines.append(
            _(
                "%(kind)s between %(old)s and %(new)s.",
                kind=KIND.public(change.kind),
                old=change.from_label,
                new=change.to_label,
            )
        )
    moment = item.decided_at
    assert moment is not None  # adopted opinions have a decision
    return AtomEntry(
        id=tag_uri("opinion", item.opinion_id, "change", change.id if change else 0),
        title=title,
        updated=moment,
        link=link,
        summary="\n".join(line for line in lines if line),
        categories=(item.outcome.value,),
    )


def _adopted(subject: Law | Office | None, items: list[AdoptedItem], alternate: str) -> Response:
    if isinstance(subject, Law):
        title = _("Adopted suggestions: %(law)s", law=localized(subject.title, subject.title_en))
        feed_id = tag_uri("laws", subject.slug, "adopted")
    elif isinstance(subject, Office):
        name = localized(subject.name, subject.name_en)
        title = _("Adopted suggestions: %(office)s", office=name)
        feed_id = tag_uri("offices", subject.slug, "adopted")
    else:
        title = _("Adopted suggestions")
        feed_id = tag_uri("feeds", "adopted")
    entries = [_adopted_entry(item) for item in items if item.decided_at is not None]
    body = atom_feed(
        feed_id=feed_id,
        title=title,
        subtitle=_("Suggestions from the public that were adopted into draft laws."),
        self_url=_self(),
        alternate_url=alternate,
        entries=entries,
        author=_("Noticeboard"),
        lang=_lang(),
    )
    return atom_response(body)


@bp.get("/feeds/adopted.atom")
def adopted() -> Response:
    subject, items = adopted_feed(db.session())
    return _adopted(subject, items, url_for("public.home", _external=True))


@bp.get("/laws/<slug>/adopted.atom")
def law_adopted(slug: str) -> Response:
    subject, items = adopted_feed(db.session(), law_slug=slug)
    return _adopted(
        subject, items, url_for("public.adoptions.law_board", slug=slug, _external=True)
    )


@bp.get("/offices/<slug>/adopted.atom")
def office_adopted(slug: str) -> Response:
    subject, items = adopted_feed(db.session(), office_slug=slug)
    return _adopted(subject, items, url_for("public.offices.show", slug=slug, _external=True))


def _versions(law_slug: str | None) -> Response:
    entries = []
    for entry in published_versions(db.session(), law_slug=law_slug):
        law, version = entry.law, entry.version
        name = localized(law.title, law.title_en)
        entries.append(
            AtomEntry(
                id=tag_uri("versions", version.id),
                title=_("%(law)s: %(label)s published", law=name, label=version.label),
                updated=entry.moment,
                published=entry.moment,
                link=url_for("public.laws.show", slug=law.slug, _external=True),
                summary=_("%(n)d articles.", n=version.article_count)
                + (f"\n{law.summary}" if law.summary else ""),
            )
        )
    extra: dict[str, Any] = {}
    if law_slug is not None:
        extra["alternate_url"] = url_for("public.laws.show", slug=law_slug, _external=True)
    body = atom_feed(
        feed_id=tag_uri("feeds", "versions", law_slug or "all"),
        title=_("New draft versions"),
        self_url=_self(),
        entries=entries,
        author=_("Noticeboard"),
        lang=_lang(),
        **({"alternate_url": url_for("public.laws.index", _external=True)} | extra),
    )
    return atom_response(body)


@bp.get("/feeds/versions.atom")
def versions() -> Response:
    return _versions(None)


@bp.get("/laws/<slug>/versions.atom")
def law_versions(slug: str) -> Response:
    return _versions(slug)
