"""The Atom helper: valid, escaped, stable feeds."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from flask import Flask

from noticeboard.web.public.atom import (
    ATOM_NS,
    AtomEntry,
    atom_feed,
    atom_response,
    rfc3339,
    tag_uri,
)

A = f"{{{ATOM_NS}}}"


def parse(body: str) -> ET.Element:
    return ET.fromstring(body.encode())  # noqa: S314 - our own output


def _feed(entries: list[AtomEntry]) -> str:
    return atom_feed(
        feed_id=tag_uri("feeds", "test"),
        title="Adopted <suggestions> & more",
        self_url="https://example.org/feeds/test.atom?a=1&b=2",
        alternate_url="https://example.org/",
        entries=entries,
        lang="en",
    )


def test_feed_escapes_values_and_drops_characters_xml_cannot_carry() -> None:
    hostile = 'Say "<script>alert(1)</script>" & \x00\x07bell\ufffe'
    body = _feed(
        [
            AtomEntry(
                id=tag_uri("opinion", 7),
                title=hostile,
                updated=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
                link="https://example.org/laws/x/changes/3?a=1&b=2",
                summary=hostile,
                categories=("adopted",),
            )
        ]
    )
    root = parse(body)
    assert root.tag == f"{A}feed"
    assert root.find(f"{A}title").text == "Adopted <suggestions> & more"
    entry = root.find(f"{A}entry")
    assert entry.find(f"{A}title").text == 'Say "<script>alert(1)</script>" & bell'
    assert entry.find(f"{A}updated").text == "2026-01-02T03:04:05Z"
    assert entry.find(f"{A}link").get("href").endswith("?a=1&b=2")
    assert entry.find(f"{A}id").text == "tag:noticeboard,2026:opinion/7"
    assert "<script>" not in body


def test_feed_updated_is_the_newest_entry_and_empty_feeds_are_stable() -> None:
    early = datetime(2025, 1, 1, tzinfo=UTC)
    late = datetime(2026, 6, 1, 12, tzinfo=UTC)
    body = _feed(
        [AtomEntry(id="a", title="a", updated=early), AtomEntry(id="b", title="b", updated=late)]
    )
    root = parse(body)
    assert root.find(f"{A}updated").text == rfc3339(late)
    assert _feed([]) == _feed([])
    assert parse(_feed([])).find(f"{A}author/{A}name").text


def test_response_is_atom_and_conditional() -> None:
    app = Flask(__name__)
    body = _feed([])
    with app.test_request_context("/feed"):
        first = atom_response(body)
        etag = first.headers["ETag"]
    assert first.mimetype == "application/atom+xml"
    assert "max-age" in first.headers["Cache-Control"]
    with app.test_request_context("/feed", headers={"If-None-Match": etag}):
        assert atom_response(body).status_code == 304
