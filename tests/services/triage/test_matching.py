"""Stored matches between opinions and changes (issue 18, part 2), on both engines."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.models import Change, ChangeKind, OpinionMatch, OpinionTriage
from noticeboard.services.laws.comparisons import stored_between
from noticeboard.services.triage.matching import (
    BEST_KEPT,
    STORED_SCORE,
    match_against,
    match_pending,
)
from noticeboard.services.triage.staleness import rematch_versions
from tests import factories

V1 = (
    "第一章 总则\n"
    "第一条 为了加强退役军人保障工作，制定本法。\n"
    "第二条 退役军人的安置由县级人民政府退役军人工作主管部门负责。\n"
    "第三条 国家鼓励社会力量参与退役军人服务保障工作。\n"
    "第二章 移交接收\n"
    "第四条 退役军人应当按照规定时间到安置地报到。\n"
    "第五条 退役军人的档案由安置地接收。\n"
)
# Article 2 edited, a new article 3 inserted (the old 3 to 5 move down by one).
V2 = (
    "第一章 总则\n"
    "第一条 为了加强退役军人保障工作，制定本法。\n"
    "第二条 退役军人的安置由省级人民政府退役军人工作主管部门负责。\n"
    "第三条 对自主就业的退役军人，国家给予一次性退役金，并提供职业培训和创业扶持。\n"
    "第四条 国家鼓励社会力量参与退役军人服务保障工作。\n"
    "第二章 移交接收\n"
    "第五条 退役军人应当按照规定时间到安置地报到。\n"
    "第六条 退役军人的档案由安置地接收。\n"
)


def _setup(session: Session):  # type: ignore[no-untyped-def]
    law = factories.make_law(session)
    v1 = factories.make_version(session, law, V1)
    v2 = factories.make_version(session, law, V2)
    comparison = stored_between(session, v1, v2)
    assert comparison is not None
    changes = {
        (c.kind, tuple(c.new_labels)): c
        for c in session.scalars(select(Change).where(Change.comparison_id == comparison.id))
    }
    edited = changes[(ChangeKind.MODIFIED, ("第二条",))]
    added = changes[(ChangeKind.ADDED, ("第三条",))]
    return law, v1, v2, comparison, edited, added


def _opinion(session: Session, version, text: str, articles=()):  # type: ignore[no-untyped-def]
    opinion = factories.make_opinion(session, version, text=text, articles=list(articles))
    # Clustering makes the triage row; these tests stand in for it.
    if session.get(OpinionTriage, opinion.id) is None:
        session.add(OpinionTriage(opinion_id=opinion.id, law_id=version.law_id))
    session.flush()
    return opinion


def _matches(session: Session, opinion_id: int) -> list[OpinionMatch]:
    return list(
        session.scalars(
            select(OpinionMatch)
            .where(OpinionMatch.opinion_id == opinion_id)
            .order_by(OpinionMatch.rank)
        )
    )


def test_match_pending_stores_ranked_matches_with_reasons(db_session: Session) -> None:
    law, v1, _v2, _cmp, edited, added = _setup(db_session)
    article_2 = next(a for a in v1.articles if a.label == "第二条")
    quoting = _opinion(db_session, v1, "建议将“县级人民政府”改为“省级人民政府”。", [article_2])
    paraphrase = _opinion(db_session, v1, "自主就业的退役军人应当有一次性退役金和创业扶持。")
    off_topic = _opinion(db_session, v1, "我家门口的路灯坏了。")

    batch = match_pending(db_session, law.id)

    assert batch.processed == 3
    best = _matches(db_session, quoting.id)
    assert best[0].change_id == edited.id
    assert best[0].rank == 1
    assert best[0].score >= 0.5
    assert best[0].article == 1.0
    assert best[0].quoted == 1.0
    assert _matches(db_session, paraphrase.id)[0].change_id == added.id
    assert all(m.score < 0.5 for m in _matches(db_session, off_topic.id))
    triage = db_session.get(OpinionTriage, quoting.id)
    db_session.refresh(triage)
    assert triage is not None
    assert triage.matched_at is not None
    # Nothing left: the job's loop ends.
    assert match_pending(db_session, law.id).processed == 0


def test_stored_rows_are_the_threshold_plus_the_best_three(db_session: Session) -> None:
    law, v1, *_ = _setup(db_session)
    opinion = _opinion(db_session, v1, "退役军人保障工作很重要，安置和退役金都要落实。")
    match_pending(db_session, law.id)
    rows = _matches(db_session, opinion.id)
    assert [m.rank for m in rows] == list(range(1, len(rows) + 1))
    assert all(m.score >= STORED_SCORE or m.rank <= BEST_KEPT for m in rows)
    assert [m.score for m in rows] == sorted((m.score for m in rows), reverse=True)


def test_against_evidence_keeps_unadopted_requests_unlikely(db_session: Session) -> None:
    law, v1, _v2, comparison, edited, _added = _setup(db_session)
    article_2 = next(a for a in v1.articles if a.label == "第二条")
    # Asks to replace wording the next version still has unchanged.
    text = "建议将第二条“退役军人工作主管部门”改为“民政部门”。"
    opinion = _opinion(db_session, v1, text, [article_2])
    scored = match_against(db_session, comparison, [opinion.id])[opinion.id]
    # It cites the edited article, yet the evidence against brings it to nothing.
    assert all(s.change_id != edited.id for s in scored)
    adopted = _opinion(db_session, v1, "建议将第二条“县级”改为“省级”。", [article_2])
    assert match_against(db_session, comparison, [adopted.id])[adopted.id][0].change_id == edited.id
    match_pending(db_session, law.id)
    assert all(m.score < 0.5 for m in _matches(db_session, opinion.id))


def test_opinions_on_the_latest_version_are_matched_with_no_rows(db_session: Session) -> None:
    law, _v1, v2, *_ = _setup(db_session)
    opinion = _opinion(db_session, v2, "建议增加“退役军人就业培训”。")
    assert match_pending(db_session, law.id).processed == 1
    assert _matches(db_session, opinion.id) == []


def test_opinions_without_a_triage_row_wait_for_clustering(db_session: Session) -> None:
    law, v1, *_ = _setup(db_session)
    factories.make_opinion(db_session, v1, text="建议将“县级”改为“省级”。")
    db_session.execute(OpinionTriage.__table__.delete())
    assert match_pending(db_session, law.id).processed == 0


def test_limit_batches_and_rematch_replaces_rows(db_session: Session) -> None:
    law, v1, *_ = _setup(db_session)
    opinions = [_opinion(db_session, v1, f"建议将“县级”改为“省级”。第{i}份。") for i in range(5)]
    assert match_pending(db_session, law.id, limit=2).processed == 2
    assert match_pending(db_session, law.id, limit=10).processed == 3
    before = db_session.scalar(select(func.count()).select_from(OpinionMatch))
    assert rematch_versions(db_session, [v1.id]) == 5
    assert match_pending(db_session, law.id).processed == 5
    # Replaced, not added to.
    assert db_session.scalar(select(func.count()).select_from(OpinionMatch)) == before
    assert all(_matches(db_session, o.id) for o in opinions)


def test_match_against_follows_renumbering_by_key(db_session: Session) -> None:
    _law, v1, _v2, comparison, edited, added = _setup(db_session)
    article_4 = next(a for a in v1.articles if a.label == "第四条")
    # Old 第四条 became 第五条 (renumbered, no wording changed): nothing to suggest on
    # its key, and the stated article must not drag in another change.
    on_moved = _opinion(db_session, v1, "第四条规定的报到时间要明确。", [article_4])
    asking = _opinion(db_session, v1, "Please add a lump-sum retirement payment 一次性退役金.")
    result = match_against(db_session, comparison, [on_moved.id, asking.id])
    assert set(result) == {on_moved.id, asking.id}
    assert all(s.change_id != edited.id or s.score < 0.5 for s in result[on_moved.id])
    assert result[asking.id][0].change_id == added.id
    assert db_session.scalar(select(func.count()).select_from(OpinionMatch)) == 0


def test_bad_input_gives_sensible_results(db_session: Session) -> None:
    law, v1, *_ = _setup(db_session)
    empty = _opinion(db_session, v1, "。。。！！！")
    huge = _opinion(db_session, v1, "建议将“县级”改为“省级”。")
    # Forms cap texts at 20,000 characters; older imports and letters scanned in may not.
    huge.text += "很好" * 50_000
    db_session.flush()
    english = _opinion(
        db_session, v1, "Please change county level to provincial level in Article 2."
    )
    assert match_pending(db_session, law.id).processed == 3
    assert _matches(db_session, empty.id) == []
    assert _matches(db_session, huge.id)
    assert all(0.0 <= m.score <= 1.0 for m in _matches(db_session, english.id))
