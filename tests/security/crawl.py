"""Open every GET page of the site with real values and check what comes back: never a
500, never a hostile value unescaped in markup, and every feed, workbook and JSON answer
readable by the program it is meant for."""

from __future__ import annotations

import io
import json
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.routing import Rule

from tests.security.forms import raw_markup_in

# Placeholders -> the kind of thing they name; `slug` depends on the address.
OFFICE_PREFIXES = ("/offices/", "/staff/offices/", "/board/", "/api/v1/offices/", "/api/v1/boards/")
SKIPPED = ("static",)
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


class Crawl:
    """What a crawl found: problems, and how many pages showed the script, escaped."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.showing_escaped: list[str] = []


def slug_kind(rule: Rule) -> str:
    return "office" if rule.rule.startswith(OFFICE_PREFIXES) else "law"


def value_key(rule: Rule, argument: str) -> str:
    """The name of the value that fills ``argument``: ``slug`` names an office or a law."""
    return slug_kind(rule) if argument == "slug" else argument


def get_rules(app: Flask, *, staff: bool) -> list[Rule]:
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or set())
        and rule.endpoint not in SKIPPED
        and rule.rule.startswith("/staff") == staff
    ]
    return sorted(rules, key=lambda r: r.rule)


def urls_for(
    app: Flask, rules: Iterable[Rule], groups: Sequence[Sequence[dict[str, Any]]]
) -> list[str]:
    """Each rule's address for every combination of values that names all its parts.

    ``groups`` are lists of consistent value sets (a law with one of its changes and
    versions; an office; an opinion with its feed token...); a rule takes the first group
    whose sets have every placeholder it needs.
    """
    adapter = app.url_map.bind("localhost")
    urls: list[str] = []
    for rule in rules:
        needed = {value_key(rule, a) for a in rule.arguments}
        if not needed:
            urls.append(str(adapter.build(rule.endpoint, {}, method="GET")))
            continue
        group = next((g for g in groups if g and needed <= set(g[0])), None)
        if group is None:
            raise AssertionError(f"{rule.rule}: no values for {sorted(needed)} in the crawl")
        for values in group:
            arguments = {a: values[value_key(rule, a)] for a in rule.arguments}
            urls.append(str(adapter.build(rule.endpoint, arguments, method="GET")))
    return list(dict.fromkeys(urls))


def check_page(client: FlaskClient, url: str, found: Crawl) -> None:
    """Note what is wrong with the answer at ``url`` in ``found``."""
    response = client.get(url)
    status = response.status_code
    problems = found.problems
    if status >= 500:
        problems.append(f"GET {url}: {status}")
        return
    body = response.get_data()
    kind = response.mimetype or ""
    if kind in ("text/html", "image/svg+xml") or kind.endswith("+xml") or kind == "text/xml":
        text = body.decode("utf-8")
        problems += [f"GET {url}: unescaped {marker!r}" for marker in raw_markup_in(text)]
        if ESCAPED_SCRIPT in text:
            found.showing_escaped.append(url)
    if status != 200:
        return
    try:
        if kind.endswith("+xml") or kind in ("text/xml", "application/xml"):
            ET.fromstring(body)  # noqa: S314 - our own output
        elif kind == "application/json":
            json.loads(body)
        elif kind.endswith("spreadsheetml.sheet"):
            _read_workbook(body)
        elif kind == "text/csv":
            body.decode("utf-8")
    except Exception as exc:  # any failure to read it is the finding
        problems.append(f"GET {url}: {kind} does not read back: {exc!r}")


def _read_workbook(body: bytes) -> None:
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        book = load_workbook(io.BytesIO(body), read_only=True)
        for sheet in book.worksheets:
            for _row in sheet.iter_rows(values_only=True):
                pass
        book.close()


def crawl(
    client: FlaskClient,
    urls: Iterable[str],
    staff: FlaskClient | None = None,
    found: Crawl | None = None,
) -> Crawl:
    """Check every page; one that sends ``client`` to the login page is checked again
    as ``staff``."""
    found = found or Crawl()
    for url in urls:
        if staff is not None and client.get(url).status_code == 302:
            check_page(staff, url, found)
        else:
            check_page(client, url, found)
    return found


def groups_from_db(session: Session, *, opinions: int = 40) -> list[list[dict[str, Any]]]:
    """Value sets for ``urls_for`` from what the database holds now: each law with its
    published versions, a change and an article; every office; the newest opinions with
    their feed tokens; every import job; every open-data file."""
    from noticeboard.models import (
        Change,
        DraftVersion,
        Job,
        JobKind,
        Law,
        Office,
        Opinion,
        OpinionCluster,
        VersionComparison,
        VersionStatus,
    )
    from noticeboard.services.open_data import datasets as open_data

    session.expire_all()
    laws = []
    for law in session.scalars(select(Law).order_by(Law.id)):
        # Published versions for the public pages; a law withdrawn whole still has its
        # staff pages (the public ones then answer 404).
        published = [v for v in law.versions if v.status is VersionStatus.PUBLISHED]
        published = published or list(law.versions)
        if not published or not published[-1].articles:
            continue
        first, last = published[0], published[-1]
        change = session.scalar(
            select(Change.id)
            .join(VersionComparison)
            .join(DraftVersion, VersionComparison.to_version_id == DraftVersion.id)
            .where(DraftVersion.law_id == law.id)
            .order_by(Change.id)
            .limit(1)
        )
        if change is None:
            continue
        laws.append(
            {
                "law": law.slug,
                "sequence": last.sequence,
                "from_seq": first.sequence,
                "to_seq": last.sequence,
                "change_id": change,
                "key": last.articles[0].key,
            }
        )
    offices = [
        {"office": slug} for slug in session.scalars(select(Office.slug).order_by(Office.id))
    ]
    newest = session.execute(
        select(Opinion.id, Opinion.feed_token).order_by(Opinion.id.desc()).limit(opinions)
    )
    imports = select(Job.id).where(Job.kind == JobKind.IMPORT).order_by(Job.created_at, Job.id)
    jobs = [{"job_id": job_id} for job_id in session.scalars(imports)]
    datasets = [
        {"dataset": name, "fmt": fmt} for name in open_data.DATASETS for fmt in ("csv", "json")
    ]
    return [
        laws,
        offices,
        [{"opinion_id": i, "token": token} for i, token in newest],
        jobs,
        datasets,
        [
            {"cluster_id": i}
            for i in session.scalars(select(OpinionCluster.id).order_by(OpinionCluster.id))
        ],
    ]
