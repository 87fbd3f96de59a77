"""Hostile input through every form: each text field of each staff and public form in
turn, the draft upload (pasted and as files), the opinion import, the comment form,
/track and search. Each value is refused with a clear 4xx page that writes nothing, or
stored and shown escaped on every page; never a 500.

Both engines: PostgreSQL refuses what SQLite keeps (NUL characters, overlong strings).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests import hostile_corpus
from tests.hostile_corpus import INJECTIONS
from tests.security import crawl, forms, hostile_world
from tests.security import world as world_module

ERROR_TEXT = re.compile(r'class="error-text"[^>]*>([^<]+)<|<main[^>]*>.*?<p>([^<]+)</p>', re.S)
SAMPLES = Path(__file__).parents[2] / "noticeboard" / "samples"


def test_stored_hostile_values_are_shown_escaped_on_every_page(
    app: Flask, db_session: Session
) -> None:
    world = world_module.build(db_session)
    seeded = hostile_world.seed(db_session, world, [hostile_world.EVERY_INJECTION, ""])
    # The injections are stored everywhere; the empty values are refused where required.
    assert seeded.refused == ["office: ''", "collection point: ''", "law: ''", "opinion: '' (text)"]
    admin = world_module.sign_in(app, world.users["admin"])
    public = app.test_client()
    staff_urls = crawl.urls_for(app, crawl.get_rules(app, staff=True), seeded.groups)
    public_urls = crawl.urls_for(app, crawl.get_rules(app, staff=False), seeded.groups)
    found = crawl.crawl(admin, staff_urls)
    crawl.crawl(public, public_urls, staff=admin, found=found)
    assert not found.problems, "\n".join(found.problems)
    assert len(staff_urls) + len(public_urls) > 80
    # The values did reach the pages: shown, escaped.
    assert len(found.showing_escaped) > 30, found.showing_escaped


# ---- every text field of every form -------------------------------------------------

OVERLONG = "长" * 30_001  # beyond every field's limit, within the request size limit
# PostgreSQL and SQLite differ on NUL characters and on overlong strings; the rest does
# not depend on the engine, so it runs on SQLite only.
ENGINE_VALUES = {
    "sqlite": (*INJECTIONS, "", OVERLONG),
    "postgresql": (*(v for v in INJECTIONS if "\x00" in v), OVERLONG),
}
STAFF_PAGES = (
    "/staff/laws",
    "/staff/laws/{law}/versions/{sequence}/alignment",
    "/staff/laws/{law}/versions/{sequence}/completeness",
    "/staff/changes/{change_id}",
    "/staff/opinions/{opinion_id}/decision",
    "/staff/opinions/new",
    "/staff/opinions/{opinion_id}",
    "/staff/opinions",
    "/staff/opinions/import",
    "/staff/offices",
    "/staff/offices/hongqiao",
    "/staff/accounts",
    "/staff/tokens",
    "/staff/boards/",
    "/staff/laws/{law}",  # last: withdrawing its versions closes the other forms
)
PUBLIC_PAGES = (
    "/",
    "/search",
    "/track",
    "/laws/{law}/comment",
    "/laws/{law}/compare",
    "/staff/login",
)
SIGN_OUT = ("/staff/logout", "/staff/sign-out-everywhere")


def _endpoint(app: Flask, form: forms.Form) -> str:
    path = urlsplit(form.action).path
    try:
        endpoint, _ = app.url_map.bind("localhost").match(path, method=form.method)
    except Exception:  # a form that posts nowhere known is itself a finding
        return f"unknown:{path}"
    return str(endpoint)


def _key(app: Flask, form: forms.Form) -> tuple[str, tuple[str, ...]]:
    """Forms that post to the same view with the same fields are walked once."""
    return _endpoint(app, form), tuple(f.name for f in form.fields)


def walk_forms(
    app: Flask, client: FlaskClient, pages: list[str], values: tuple[str, ...]
) -> tuple[list[str], int]:
    """Each text field of each form on ``pages``, in turn, with each of ``values``."""
    problems: list[str] = []
    done: set[tuple[str, tuple[str, ...]]] = set()
    sent = 0
    for page in pages:
        html = client.get(page).get_data(as_text=True)
        for form in forms.forms_on(html, page):
            key = _key(app, form)
            if key in done or form.action in SIGN_OUT or not form.typed_fields():
                continue
            done.add(key)
            live = form
            for target in [f.name for f in form.typed_fields()]:
                for value in values:
                    found, changed = submit(app, client, live, target, value)
                    problems += found
                    sent += 1
                    if changed:  # a saved value may change the page's forms
                        current = forms.forms_on(client.get(page).get_data(as_text=True), page)
                        live = next((f for f in current if _key(app, f) == key), form)
    return problems, sent


def submit(
    app: Flask, client: FlaskClient, form: forms.Form, target: str, value: str
) -> tuple[list[str], bool]:
    """Send ``form`` with ``value`` in ``target``: the problems, and whether it wrote."""
    data = form.fill(target, value)
    before = world_module.row_counts(app) if form.method == "POST" else None
    if form.method == "GET":
        response = client.get(form.action, query_string=data)
    else:
        response = forms.post_form(client, form.action, data, form.multipart)
    where = f"{form.method} {form.action} [{target}={value[:20]!r}]"
    status = response.status_code
    body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    problems = [f"{where}: unescaped {m!r}" for m in forms.raw_markup_in(body)]
    after = world_module.row_counts(app) if before is not None else None
    if status >= 500:
        problems.append(f"{where}: {status}")
    elif status >= 400 and after != before:
        problems.append(f"{where}: refused with {status} but wrote rows")
    return problems, status < 400 and after != before


def test_every_text_field_of_every_form_takes_hostile_values(
    app: Flask, db_session: Session, database_url: str
) -> None:
    world = world_module.build(db_session)
    values = world.values | {"sequence": 2}
    admin = world_module.sign_in(app, world.users["admin"])
    public = app.test_client()
    hostile = ENGINE_VALUES["postgresql" if database_url.startswith("postgresql") else "sqlite"]
    more, sent_public = walk_forms(app, public, [p.format(**values) for p in PUBLIC_PAGES], hostile)
    problems, sent = walk_forms(app, admin, [p.format(**values) for p in STAFF_PAGES], hostile)
    assert not problems + more, "\n".join(problems + more)
    assert sent + sent_public >= 25 * len(hostile)
    # What was stored shows escaped, everywhere.
    found = crawl.crawl(
        admin,
        crawl.urls_for(app, crawl.get_rules(app, staff=True), crawl.groups_from_db(db_session)),
    )
    crawl.crawl(
        public,
        crawl.urls_for(app, crawl.get_rules(app, staff=False), crawl.groups_from_db(db_session)),
        staff=admin,
        found=found,
    )
    assert not found.problems, "\n".join(found.problems)


# ---- drafts: pasted and uploaded ----------------------------------------------------


def preview_and_save(
    client: FlaskClient, law: str, name: str, data: bytes | None, text: str = ""
) -> tuple[int, str]:
    """Preview a draft (a file, or pasted text) and, when the preview is shown, save it:
    the final status and page."""
    fields: dict[str, object] = {"label": f"草案 {name}"}
    if data is not None:
        fields["upload"] = (io.BytesIO(data), name)
    else:
        fields["text"] = text
    preview = forms.post_form(
        client, f"/staff/laws/{law}/versions/preview?lang=en", fields, multipart=True
    )
    body = preview.get_data(as_text=True)
    if preview.status_code != 200:
        return preview.status_code, body
    confirm = next(f for f in forms.forms_on(body, "") if f.action.endswith("/versions"))
    saved = forms.post_form(
        client,
        confirm.action + "?lang=en",
        confirm.fill(None, None) | {"action": "draft"},
        confirm.multipart,
    )
    return saved.status_code, saved.get_data(as_text=True)


def test_every_stored_file_becomes_a_draft_or_is_refused_with_a_reason(
    app: Flask, db_session: Session
) -> None:
    world = world_module.build(db_session)
    admin = world_module.sign_in(app, world.users["admin"])
    problems = []
    outcomes = {}
    for name, data in hostile_corpus.stored_files():
        for how, payload, text in (
            ("file", data, ""),
            ("pasted", None, data.decode("utf-8", errors="replace")),
        ):
            before = world_module.row_counts(app)
            status, body = preview_and_save(admin, "minors", name, payload, text)
            outcomes[f"{how} {name}"] = status
            problems += [f"{how} {name}: unescaped {m!r}" for m in forms.raw_markup_in(body)]
            if status == 302:
                continue
            if status != 422 or not ERROR_TEXT.search(body):
                problems.append(f"{how} {name}: {status} without a reason")
            elif world_module.row_counts(app) != before:
                problems.append(f"{how} {name}: refused but wrote rows")
    assert not problems, "\n".join(problems)
    # Legacy encodings are read; binary and empty files are refused.
    assert outcomes["file gbk.txt"] == outcomes["file utf16-no-bom.txt"] == 302
    assert outcomes["file binary-named.txt"] == outcomes["file empty.txt"] == 422
    assert outcomes["file formula.csv"] == outcomes["file not-a-docx.docx"] == 422


def test_large_and_booby_trapped_drafts_are_read_safely_or_refused(
    app: Flask, db_session: Session
) -> None:
    world = world_module.build(db_session)
    admin = world_module.sign_in(app, world.users["admin"])
    cases = {
        "bomb.docx": hostile_corpus.zip_bomb_docx(),
        "laughs.docx": hostile_corpus.entity_expansion_docx(),
        "nested.docx": hostile_corpus.nested_tables_docx(),
    }
    results = {}
    for name, data in cases.items():
        results[name] = preview_and_save(admin, "minors", name, data)
    status, body = results["bomb.docx"]
    assert (status, "too large once unpacked" in body) == (422, True)
    status, body = results["laughs.docx"]
    # python-docx expands no entities: the document is refused, quickly, as unreadable.
    assert status == 422
    assert "lollol" not in body
    assert "This .docx file is damaged or is not a Word document." in body
    assert results["nested.docx"][0] == 302  # 第二条 outside the tables is read

    # Over the upload limit: the 413 page, pasted or as a file.
    line = hostile_corpus.ten_megabyte_line()
    for status, body in (
        preview_and_save(admin, "minors", "line.txt", line),
        preview_and_save(admin, "minors", "line", None, line.decode()),
    ):
        assert status == 413
        assert "larger than the site accepts" in body


def test_a_law_as_long_as_the_civil_code_can_be_previewed_and_saved(
    app: Flask, db_session: Session
) -> None:
    world = world_module.build(db_session)
    admin = world_module.sign_in(app, world.users["admin"])
    code = (SAMPLES / "cn" / "civilcode-2020.txt").read_bytes()
    status, body = preview_and_save(admin, "minors", "civilcode-2020.txt", code)
    assert status == 302, ERROR_TEXT.findall(body) or body[:500]


def test_a_hundred_thousand_articles_within_the_upload_limit_are_refused_by_count(
    app: Flask, db_session: Session
) -> None:
    world = world_module.build(db_session)
    admin = world_module.sign_in(app, world.users["admin"])
    data = hostile_corpus.hundred_thousand_articles()
    assert len(data) < app.config["MAX_CONTENT_LENGTH"]
    before = world_module.row_counts(app)
    status, body = preview_and_save(admin, "minors", "many.txt", data)
    assert status == 422
    assert "This text has 100,000 articles; a draft can hold at most 10,000." in body
    assert world_module.row_counts(app) == before
