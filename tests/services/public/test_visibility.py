"""What the public may see: published versions only, names only with consent, and the
rules in one module that every public read uses."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import DraftVersion, Opinion, Outcome, VersionStatus, utcnow
from noticeboard.services.decisions.outcomes import DecisionInput, decide_opinion
from noticeboard.services.errors import NotFound
from noticeboard.services.laws.versions import withdraw_version
from noticeboard.services.open_data import datasets
from noticeboard.services.open_data.opinions import OpinionFilters, list_public_opinions
from noticeboard.services.open_data.texts import public_laws, version_detail
from noticeboard.services.opinions.contributors import erase_personal_data, withdraw_name_consent
from noticeboard.services.permissions import SYSTEM
from noticeboard.services.public.adoptions import adopted_items
from noticeboard.services.public.catalogue import headline_counters
from noticeboard.services.public.catalogue import public_laws as catalogue_laws
from noticeboard.services.public.feed_items import published_versions
from noticeboard.services.public.law_pages import visible_versions
from noticeboard.services.public.visibility import (
    is_public_opinion,
    is_public_version,
    latest_public_sequences,
    public_contributor_name,
    public_version_dict,
    public_version_ids,
    shown_to_public,
)
from tests import factories

V3 = factories.DRAFT_V2 + "第六条 本法自公布之日起施行。\n"


@dataclass
class World:
    law: Any
    published: DraftVersion
    withdrawn: DraftVersion
    draft: DraftVersion
    on_published: Opinion
    on_withdrawn: Opinion


def _world(session: Session) -> World:
    """One law with a version in every status, and an opinion on each public-once one."""
    law = factories.make_law(session)
    published = factories.make_version(session, law, label="一审稿")
    withdrawn = factories.make_version(session, law, factories.DRAFT_V2, label="二审稿")
    on_published = factories.make_opinion(session, published, summary="对一审稿的意见")
    on_withdrawn = factories.make_opinion(session, withdrawn, summary="对二审稿的意见")
    withdraw_version(session, SYSTEM, withdrawn, reason="贴错了文本")
    draft = factories.make_version(session, law, V3, label="三审稿", publish=False)
    session.commit()
    assert [v.status for v in (published, withdrawn, draft)] == [
        VersionStatus.PUBLISHED,
        VersionStatus.WITHDRAWN,
        VersionStatus.DRAFT,
    ]
    return World(law, published, withdrawn, draft, on_published, on_withdrawn)


def test_draft_and_withdrawn_versions_are_invisible(db_session: Session) -> None:
    world = _world(db_session)
    public = db_session.scalars(select(DraftVersion).where(is_public_version())).all()
    assert public == [world.published]
    assert list(db_session.scalars(public_version_ids())) == [world.published.id]
    for version in (world.published, world.withdrawn, world.draft):
        # The loaded-row predicate, the SQL condition and the model's property agree.
        assert shown_to_public(version) is (version in public) is version.is_public
    latest = db_session.execute(select(latest_public_sequences())).all()
    assert [tuple(row) for row in latest] == [(world.law.id, 1)]


def test_every_public_read_shows_the_published_version_only(db_session: Session) -> None:
    world = _world(db_session)
    assert visible_versions(db_session, world.law, staff=False) == [world.published]
    assert visible_versions(db_session, world.law, staff=True) == [
        world.published,
        world.withdrawn,
        world.draft,
    ]
    assert [v["sequence"] for v in public_laws(db_session)[0]["versions"]] == [1]
    assert [r["sequence"] for r in datasets.records(db_session, "versions")] == [1]
    assert {r["version"] for r in datasets.records(db_session, "articles")} == {1}
    summary = catalogue_laws(db_session)[0]
    assert (summary.published_versions, summary.latest_label) == (1, "一审稿")
    assert headline_counters(db_session).versions == 1
    assert [entry.version for entry in published_versions(db_session)] == [world.published]
    for sequence in (2, 3):
        with pytest.raises(NotFound):
            version_detail(db_session, world.law.slug, sequence)


def test_opinions_on_a_withdrawn_version_leave_the_open_data(db_session: Session) -> None:
    world = _world(db_session)
    public = db_session.scalars(select(Opinion.id).where(is_public_opinion())).all()
    assert public == [world.on_published.id]
    page = list_public_opinions(db_session, OpinionFilters())
    assert [item["id"] for item in page.items] == [world.on_published.id]
    assert page.total == 1
    assert [r["id"] for r in datasets.records(db_session, "opinions")] == [world.on_published.id]


def test_the_public_version_dict_is_the_api_and_the_files_shape(db_session: Session) -> None:
    world = _world(db_session)
    shape = public_version_dict(world.published)
    assert list(shape) == [
        "sequence",
        "label",
        "published_at",
        "is_adopted_text",
        "comment_opens_at",
        "comment_closes_at",
        "articles",
    ]
    assert shape["published_at"] is not None
    assert shape["published_at"].endswith("Z")
    assert shape["articles"] == 4
    assert list(datasets.records(db_session, "versions")) == [{"law": world.law.slug} | shape]
    detail = version_detail(db_session, world.law.slug, 1)
    assert {key: detail[key] for key in shape} == shape
    assert public_laws(db_session)[0]["versions"] == [shape]


def _contributor(session: Session, version: DraftVersion, name: str, *, public: bool) -> Opinion:
    return factories.make_opinion(
        session, version, contributor_name=name, name_public=public, contact="13800000000"
    )


def test_names_only_with_consent_and_erased_contributors_anonymous(
    db_session: Session,
) -> None:
    version = factories.make_version(db_session)
    named = _contributor(db_session, version, "  张  三 ", public=True)
    unconsented = _contributor(db_session, version, "李四", public=False)
    withdrawn = _contributor(db_session, version, "王五", public=True)
    withdraw_name_consent(db_session, SYSTEM, withdrawn)
    erased = _contributor(db_session, version, "赵六", public=True)
    erase_personal_data(db_session, SYSTEM, erased)
    # Data changed outside the services (old imports, SQL by hand): the erasure stamp
    # alone anonymises, and a consent on a blank name shows nothing.
    stamped = _contributor(db_session, version, "钱七", public=True)
    stamped.personal_data_erased_at = utcnow()
    blank = _contributor(db_session, version, "孙八", public=True)
    blank.contributor_name = "   "
    opinions = [named, unconsented, withdrawn, erased, stamped, blank]
    for opinion in opinions:
        decide_opinion(
            db_session, SYSTEM, opinion, DecisionInput(Outcome.ADOPTED), lock_version=None
        )
    db_session.commit()

    expected = {named.id: "张 三"} | {o.id: None for o in opinions[1:]}
    assert {o.id: public_contributor_name(o) for o in opinions} == expected
    # The same rule reaches the open data, the files and the boards.
    api = list_public_opinions(db_session, OpinionFilters()).items
    assert {item["id"]: item["contributor"]["name"] for item in api} == expected
    records = datasets.records(db_session, "opinions")
    assert {r["id"]: r["contributor_name"] for r in records} == expected
    board = adopted_items(db_session)
    assert {item.opinion_id: item.contributor.name for item in board} == expected


# Services that name ``VersionStatus.PUBLISHED`` for staff reasons: the lifecycle of a
# version, which no visibility rule decides. Keyed by (module, function).
STAFF_SIDE = {
    ("laws/versions.py", "publish_version"): "publishing sets the status",
    ("laws/versions.py", "withdraw_version"): "only a published version can be withdrawn",
    ("laws/versions.py", "mark_adopted_text"): "only a published version can be the law",
    ("opinions/recording.py", "check_input"): (
        "opinions are recorded on published versions only: a draft can be replaced, which "
        "would drop the articles they target, and a withdrawn version was a mistake"
    ),
    ("opinions/queries.py", "entry_choices"): "the versions check_input accepts",
    ("imports/values.py", "version"): "import rows go through check_input",
    ("demo/scale.py", "_targets"): "generated demo opinions target published versions",
}
SERVICES = Path(__file__).resolve().parents[3] / "noticeboard" / "services"
VISIBILITY = SERVICES / "public" / "visibility.py"


def _mentions_of_published(path: Path) -> set[tuple[str, str]]:
    """(module, enclosing function) of every ``VersionStatus.PUBLISHED`` and every
    comparison with the literal ``"published"`` in the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[tuple[str, str]] = set()
    module = path.relative_to(SERVICES).as_posix()

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        named = (
            isinstance(node, ast.Attribute)
            and node.attr == "PUBLISHED"
            and isinstance(node.value, ast.Name)
            and node.value.id == "VersionStatus"
        )
        literal = isinstance(node, ast.Compare) and any(
            isinstance(part, ast.Constant) and part.value == "published"
            for part in (node.left, *node.comparators)
        )
        if named or literal:
            found.add((module, function))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, "<module>")
    return found


def test_no_public_read_compares_the_published_status_itself() -> None:
    modules = [p for p in sorted(SERVICES.rglob("*.py")) if p != VISIBILITY]
    assert len(modules) > 40
    found = set().union(*(_mentions_of_published(p) for p in modules))
    assert found - set(STAFF_SIDE) == set(), "use noticeboard.services.public.visibility"
    assert set(STAFF_SIDE) - found == set(), "a staff-side exception is gone: drop it here"
    assert _mentions_of_published(VISIBILITY)  # the scan does see the rule where it lives
