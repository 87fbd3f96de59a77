"""The triage report (from rows arranged here) and the `triage` command, on both engines."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.commands.triage import triage_command
from noticeboard.models import (
    Change,
    ChangeKind,
    Opinion,
    OpinionCluster,
    OpinionMatch,
    OpinionTriage,
    VersionComparison,
)
from noticeboard.services.errors import NotFound
from noticeboard.services.laws.comparisons import comparison_between
from noticeboard.services.opinions.receipts import format_receipt_code
from noticeboard.services.triage.report import triage_report
from tests.factories import DRAFT_V1, DRAFT_V2, make_law, make_opinion, make_version

# v3 rewrites the third article and adds a sixth: two changes to report, and the rest
# unchanged (not reported).
DRAFT_V3 = (
    DRAFT_V2.replace("国家保障未成年人的生存权", "国家依法保障未成年人的生存权")
    + "第六条 本法自公布之日起施行。\n"
)
KEYS = {"law", "from", "to", "opinions", "clusters", "changes", "opinion_suggestions"}


@dataclass(frozen=True)
class Pair:
    change_id: int
    score: float


@dataclass
class World:
    law: Any
    versions: list[Any]
    on_v1: list[Opinion]
    on_v2: list[Opinion]
    changes: list[Change]  # v2 -> v3, reported ones, in order


def _changes(db_session: Session, old: Any, new: Any) -> list[Change]:
    stored = db_session.scalar(
        select(VersionComparison).where(
            VersionComparison.from_version_id == old.id, VersionComparison.to_version_id == new.id
        )
    )
    assert stored is not None
    return [
        c
        for c in db_session.scalars(
            select(Change).where(Change.comparison_id == stored.id).order_by(Change.ordinal)
        )
        if c.kind not in (ChangeKind.UNCHANGED, ChangeKind.RENUMBERED)
    ]


@pytest.fixture
def world(db_session: Session) -> World:
    law = make_law(db_session, slug="minors")
    versions = [make_version(db_session, law, text) for text in (DRAFT_V1, DRAFT_V2, DRAFT_V3)]
    on_v1 = [
        make_opinion(db_session, versions[0], reference="LETTER-1", text="同一封信。"),
        make_opinion(db_session, versions[0], text="没有编号的意见。"),
    ]
    on_v2 = [
        make_opinion(db_session, versions[1], reference=f"LETTER-{n}", text=f"第{n}封信。")
        for n in (2, 3, 4)
    ]
    on_v3 = make_opinion(db_session, versions[2], reference="LATER", text="后来的意见。")
    changes = _changes(db_session, versions[1], versions[2])
    assert [c.kind for c in changes] == [ChangeKind.MODIFIED, ChangeKind.ADDED]
    campaign = OpinionCluster(law_id=law.id, representative_id=on_v1[0].id, size=4)
    alone = OpinionCluster(law_id=law.id, representative_id=on_v2[2].id, size=2)
    db_session.add_all([campaign, alone])
    db_session.flush()
    in_cluster = {on_v1[0].id: campaign, on_v1[1].id: campaign, on_v2[0].id: campaign}
    # LATER is on v3, after `from`: its membership is not the report's business.
    in_cluster |= {on_v3.id: alone, on_v2[2].id: alone}
    for opinion in [*on_v1, *on_v2, on_v3]:
        cluster = in_cluster.get(opinion.id)
        db_session.add(
            OpinionTriage(
                opinion_id=opinion.id,
                law_id=law.id,
                cluster_id=cluster.id if cluster else None,
                shingles=10,
                matched_at=opinion.created_at,
            )
        )
    modified, added = changes
    scores = {on_v2[0].id: [(added, 0.61), (modified, 0.93)], on_v2[1].id: [(modified, 0.4)]}
    for opinion_id, pairs in scores.items():
        ranked = sorted(pairs, key=lambda p: -p[1])
        for rank, (change, score) in enumerate(ranked, 1):
            db_session.add(
                OpinionMatch(opinion_id=opinion_id, change_id=change.id, score=score, rank=rank)
            )
    db_session.commit()
    return World(law, versions, on_v1, on_v2, changes)


def test_the_report_has_the_interface_shape(db_session: Session, world: World) -> None:
    report = triage_report(db_session, world.law, world.versions[1], world.versions[2])
    body = report.to_dict()
    assert set(body) == KEYS
    assert (body["law"], body["from"], body["to"]) == ("minors", 2, 3)
    assert body["opinions"] == 5  # on v1 and v2, not the one on v3
    modified, added = world.changes
    assert body["changes"] == [
        {
            "id": modified.id,
            "kind": "modified",
            "old": ["第四条"],
            "new": ["第四条"],
            "suggested": [
                {"opinion": "LETTER-2", "score": 0.93},
                {"opinion": "LETTER-3", "score": 0.4},
            ],
        },
        {
            "id": added.id,
            "kind": "added",
            "old": [],
            "new": ["第六条"],
            "suggested": [{"opinion": "LETTER-2", "score": 0.61}],
        },
    ]
    unnamed = format_receipt_code(world.on_v1[1].receipt_code)
    assert body["opinion_suggestions"] == [
        # Without a matcher, older opinions have no suggestions (their stored matches
        # are against v1 -> v2).
        {"opinion": "LETTER-1", "changes": []},
        {"opinion": unnamed, "changes": []},
        {
            "opinion": "LETTER-2",
            "changes": [{"id": modified.id, "score": 0.93}, {"id": added.id, "score": 0.61}],
        },
        {"opinion": "LETTER-3", "changes": [{"id": modified.id, "score": 0.4}]},
        {"opinion": "LETTER-4", "changes": []},
    ]
    # Every member of the campaign listed, by reference or receipt code; the second
    # cluster has one member on v2 or earlier, so it is no group here.
    campaign = world.on_v1[0]
    cluster_id = db_session.scalar(
        select(OpinionTriage.cluster_id).where(OpinionTriage.opinion_id == campaign.id)
    )
    assert body["clusters"] == [
        {"id": cluster_id, "size": 3, "members": ["LETTER-1", unnamed, "LETTER-2"]}
    ]
    streamed = io.StringIO()
    report.write_json(streamed)
    assert json.loads(streamed.getvalue()) == body


def test_older_opinions_are_scored_by_the_matcher(db_session: Session, world: World) -> None:
    modified, added = world.changes
    asked: list[int] = []

    def matcher(ids: Sequence[int]) -> dict[int, list[Pair]]:
        asked.extend(ids)
        return {i: [Pair(modified.id, 0.2), Pair(added.id, 0.0)] for i in ids}

    body = triage_report(
        db_session, world.law, world.versions[1], world.versions[2], matcher=matcher
    ).to_dict()
    assert sorted(asked) == sorted(o.id for o in world.on_v1)  # v2's are stored
    first = body["opinion_suggestions"][0]
    assert first == {"opinion": "LETTER-1", "changes": [{"id": modified.id, "score": 0.2}]}
    # Stored first, then the computed one: best first whatever the source.
    assert [s["opinion"] for s in body["changes"][0]["suggested"]][:2] == ["LETTER-2", "LETTER-3"]


def test_from_limits_the_opinions_and_a_missing_comparison_is_an_error(
    db_session: Session, world: World
) -> None:
    v1, v2, v3 = world.versions
    early = triage_report(db_session, world.law, v1, v2).to_dict()
    assert early["opinions"] == 2
    assert next(s["opinion"] for s in early["opinion_suggestions"]) == "LETTER-1"
    assert early["clusters"][0]["members"] == [
        "LETTER-1",
        format_receipt_code(world.on_v1[1].receipt_code),
    ]
    with pytest.raises(NotFound):
        triage_report(db_session, world.law, v1, v3)
    comparison_between(db_session, v1, v3)
    asked: list[int] = []

    def matcher(ids: Sequence[int]) -> dict[int, list[Pair]]:
        asked.extend(ids)
        return {}

    skipping = triage_report(db_session, world.law, v1, v3, matcher=matcher).to_dict()
    assert skipping["opinions"] == 2
    assert sorted(asked) == sorted(o.id for o in world.on_v1)


def test_a_change_lists_its_best_hundred(db_session: Session, world: World) -> None:
    modified, _added = world.changes
    extra = [
        make_opinion(db_session, world.versions[0], reference=f"R{n:03d}", text=f"意见{n}")
        for n in range(105)
    ]
    db_session.commit()
    scores = {o.id: (n % 50) / 50 for n, o in enumerate(extra)}

    def matcher(ids: Sequence[int]) -> dict[int, list[Pair]]:
        return {i: [Pair(modified.id, scores[i])] for i in ids if i in scores}

    body = triage_report(
        db_session, world.law, world.versions[1], world.versions[2], matcher=matcher
    ).to_dict()
    suggested = body["changes"][0]["suggested"]
    assert len(suggested) == 100
    values = [s["score"] for s in suggested]
    assert values == sorted(values, reverse=True)
    assert values[0] == 0.98
    assert 0.93 in values
    assert all(0 <= v <= 1 for v in values)
    assert body["opinions"] == 5 + 105


def test_the_command_clusters_matches_and_writes_the_report(
    app: Flask, db_session: Session, tmp_path: Path
) -> None:
    law = make_law(db_session, slug="minors")
    v1, v2 = (make_version(db_session, law, text) for text in (DRAFT_V1, DRAFT_V2))
    letter = (
        "尊敬的立法机关：我们是本社区的家长，认真学习了草案后一致认为，第二条应当规定未成年人"
        "保护工作坚持中国共产党的领导，并明确各级人民政府和学校的具体责任，建立定期报告和"
        "监督检查制度，切实保障每一个孩子的合法权益。恳请采纳我们的建议。"
    )
    for n, name in enumerate(("张伟", "李娜", "王芳")):
        make_opinion(db_session, v1, reference=f"CAMPAIGN-{n}", text=f"{letter}此致敬礼！{name}")
    make_opinion(db_session, v1, text="关于学校周边交通安全的一点想法，希望多设红绿灯。")
    make_opinion(db_session, v2, reference="ON-V2", text="另一条意见。")
    db_session.commit()
    out = tmp_path / "report.json"
    result = app.test_cli_runner().invoke(triage_command, ["minors", "--out", str(out)])
    assert result.exit_code == 0, result.output
    body = json.loads(out.read_text(encoding="utf-8"))
    assert set(body) == KEYS
    assert (body["from"], body["to"], body["opinions"]) == (1, 2, 4)
    assert len(body["opinion_suggestions"]) == 4
    assert {"CAMPAIGN-0", "CAMPAIGN-1", "CAMPAIGN-2"} <= {
        s["opinion"] for s in body["opinion_suggestions"]
    }
    assert any(
        set(c["members"]) == {"CAMPAIGN-0", "CAMPAIGN-1", "CAMPAIGN-2"} for c in body["clusters"]
    ), body["clusters"]
    assert [c["kind"] for c in body["changes"]] == ["added"], body
    # The stored matching is kept: the command did the work, not only the report.
    db_session.expire_all()
    assert db_session.scalar(select(OpinionMatch.opinion_id).limit(1)) is not None
    bad = app.test_cli_runner().invoke(triage_command, ["minors", "--from", "2", "--to", "1"])
    assert bad.exit_code == 1
    assert "earlier version" in bad.output
