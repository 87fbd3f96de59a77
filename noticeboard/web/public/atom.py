"""Atom 1.0 feeds (RFC 4287), built with ElementTree so every value is escaped.

Feeds are small and hand-built: a feed is a title, an id, an ``updated`` moment and a
list of ``AtomEntry``. Characters XML 1.0 cannot carry at all (most control characters,
which hostile or pasted text may contain) are dropped, so a feed always parses.

Usage::

    body = atom_feed(
        feed_id=tag_uri("feeds/adopted"),
        title="Adopted suggestions",
        self_url=url_for(".adopted", _external=True),
        alternate_url=url_for("public.home", _external=True),
        entries=[AtomEntry(id=tag_uri("opinion", 7), title="...", updated=when, link=url)],
    )
    return atom_response(body)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from flask import Response

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MIMETYPE = "application/atom+xml"
# The tag URI authority (RFC 4151): stable, so readers never see old entries as new.
TAG_AUTHORITY = "noticeboard,2026"
# Everything XML 1.0 forbids: C0 controls but tab, newline and return; surrogates; FFFE/FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class AtomEntry:
    id: str
    title: str
    updated: datetime
    link: str | None = None
    summary: str | None = None  # plain text
    content: str | None = None  # plain text
    published: datetime | None = None
    author: str | None = None
    categories: Sequence[str] = field(default_factory=tuple)


def tag_uri(*parts: object) -> str:
    """``tag:noticeboard,2026:feeds/adopted`` or ``...:opinion/7``: ids that never change."""
    return f"tag:{TAG_AUTHORITY}:" + "/".join(str(part) for part in parts)


def xml_text(value: str) -> str:
    return _NOT_XML.sub("", value)


def rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:  # stored values are UTC; a naive one is taken as UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(
        parent, f"{{{ATOM_NS}}}{tag}", {k: xml_text(v) for k, v in attrs.items()}
    )
    if text is not None:
        element.text = xml_text(text)
    return element


def atom_feed(
    *,
    feed_id: str,
    title: str,
    self_url: str,
    entries: Iterable[AtomEntry],
    alternate_url: str | None = None,
    subtitle: str | None = None,
    author: str = "Noticeboard",
    updated: datetime | None = None,
    lang: str | None = None,
) -> str:
    """The feed document as text. ``updated`` defaults to the newest entry's (or the
    epoch for an empty feed, so an unchanged feed is byte-for-byte the same)."""
    entries = list(entries)
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    if lang:
        feed.set(f"{{{XML_NS}}}lang", lang)
    _add(feed, "id", feed_id)
    _add(feed, "title", title)
    if subtitle:
        _add(feed, "subtitle", subtitle)
    newest = max((entry.updated for entry in entries), default=EPOCH)
    _add(feed, "updated", rfc3339(updated or newest))
    _add(feed, "link", rel="self", type=MIMETYPE, href=self_url)
    if alternate_url:
        _add(feed, "link", rel="alternate", type="text/html", href=alternate_url)
    _add(_add(feed, "author"), "name", author)
    _add(feed, "generator", "Noticeboard")
    for entry in entries:
        _entry(feed, entry)
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def _entry(feed: ET.Element, entry: AtomEntry) -> None:
    element = _add(feed, "entry")
    _add(element, "id", entry.id)
    _add(element, "title", entry.title)
    _add(element, "updated", rfc3339(entry.updated))
    if entry.published is not None:
        _add(element, "published", rfc3339(entry.published))
    if entry.author:
        _add(_add(element, "author"), "name", entry.author)
    if entry.link:
        _add(element, "link", rel="alternate", type="text/html", href=entry.link)
    for term in entry.categories:
        _add(element, "category", term=term)
    if entry.summary is not None:
        _add(element, "summary", entry.summary, type="text")
    if entry.content is not None:
        _add(element, "content", entry.content, type="text")


def atom_response(body: str, *, max_age: int = 300) -> Response:
    """The feed with caching headers; conditional requests get a 304."""
    from flask import request

    response = Response(body, mimetype=MIMETYPE)
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.add_etag()
    return response.make_conditional(request)
