"""Versions: parsing on save, stored comparisons, keys, lifecycle, corrections."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.models import (
    AuditEvent,
    Change,
    LawStatus,
    VersionArticle,
    VersionComparison,
    VersionStatus,
)
from noticeboard.services.errors import Conflict, PermissionDenied, ValidationFailed
from noticeboard.services.laws.comparisons import comparison_between, correct_alignment
from noticeboard.services.laws.creation import create_law
from noticeboard.services.laws.versions import (
    add_version,
    mark_adopted_text,
    preview_version,
    publish_version,
    replace_draft,
    set_comment_window,
    withdraw_version,
)
from noticeboard.services.permissions import SYSTEM
from tests import factories
from tests.samples import sample_text

V1 = (
    "第一章 总则\n第一条 为了保护环境，制定本法。\n第二条 国家保护环境。\n"
    "第三条 由县级人民政府负责。\n第四条 依照本法第三条执行。\n"
)
V2 = (
    "第一章 总则\n第一条 为了保护环境，制定本法。\n第二条 由省级人民政府负责。\n"
    "第三条 依照本法第二条执行。\n第四条 新增的一条。\n"
)


def test_create_law_validation(db_session: Session) -> None:
    law = create_law(db_session, SYSTEM, slug="Civil-Code", title=" 民法典 ")
    assert (law.slug, law.title, law.status) == ("civil-code", "民法典", LawStatus.DRAFTING)
    with pytest.raises(Conflict):
        create_law(db_session, SYSTEM, slug="civil-code", title="乙")
    with pytest.raises(ValidationFailed):
        create_law(db_session, SYSTEM, slug="has space", title="乙")
    with pytest.raises(ValidationFailed):
        create_law(db_session, SYSTEM, slug="b", title="  ")


def test_saving_stores_articles_and_the_comparison(db_session: Session) -> None:
    law = factories.make_law(db_session)
    first = add_version(db_session, SYSTEM, law, label="一审稿", source_text=V1)
    second = add_version(db_session, SYSTEM, law, label="二审稿", source_text=V2)
    assert (first.sequence, second.sequence) == (1, 2)
    assert [a.label for a in first.articles] == ["第一条", "第二条", "第三条", "第四条"]
    assert first.articles[0].heading_path == ["第一章 总则"]
    assert first.article_count == 4
    assert len(first.content_hash) == 64

    stored = db_session.scalar(select(VersionComparison))
    assert stored is not None
    assert (stored.from_version_id, stored.to_version_id) == (first.id, second.id)
    kinds = {(tuple(c.old_labels), tuple(c.new_labels)): c.kind.value for c in stored.changes}
    assert kinds[("第一条",), ("第一条",)] == "unchanged"
    assert kinds[("第二条",), ()] == "deleted"  # 国家保护环境 is gone
    assert kinds[("第四条",), ("第三条",)] == "modified"  # only its cross-reference changed
    assert next(c for c in stored.changes if c.old_labels == ["第四条"]).reference_only
    assert stored.counts["deleted"] == 1
    # The old 第三条 lives on as 第二条 with an edit; it keeps its key.
    old_third = first.articles[2]
    new_second = second.articles[1]
    assert new_second.key == old_third.key == "1-3"
    assert second.articles[3].key == "2-4"  # a new article gets a new key
    modified = next(c for c in stored.changes if c.new_labels == ["第二条"])
    assert modified.diff is not None
    assert [-1, "县"] in modified.diff or any(op == -1 and "县" in t for op, t in modified.diff)


def test_preview_counts_without_writing(db_session: Session) -> None:
    law = factories.make_law(db_session)
    add_version(db_session, SYSTEM, law, label="一审稿", source_text=V1)
    before = db_session.scalar(select(func.count()).select_from(VersionArticle))
    preview = preview_version(db_session, law, V2)
    assert preview.previous_label == "一审稿"
    assert preview.counts is not None
    assert preview.counts["unchanged"] == 1
    assert len(preview.parsed.articles) == 4
    assert preview.chapters == (("第一章 总则",),)
    assert db_session.scalar(select(func.count()).select_from(VersionArticle)) == before


def test_text_without_articles_is_refused_with_a_reason(db_session: Session) -> None:
    law = factories.make_law(db_session)
    with pytest.raises(ValidationFailed, match="No articles"):
        add_version(db_session, SYSTEM, law, label="x", source_text="只是一段话，没有条文。")
    with pytest.raises(ValidationFailed, match="empty"):
        add_version(db_session, SYSTEM, law, label="x", source_text="  \n")


def test_lifecycle_draft_published_withdrawn(db_session: Session) -> None:
    law = factories.make_law(db_session)
    version = add_version(db_session, SYSTEM, law, label="一审稿", source_text=V1)
    assert version.status is VersionStatus.DRAFT
    replace_draft(db_session, SYSTEM, version, source_text=V2, label="一审稿（修订）")
    assert version.label == "一审稿（修订）"
    assert [a.label for a in version.articles][-1] == "第四条"
    assert "新增" in version.articles[-1].text

    publish_version(db_session, SYSTEM, version)
    assert version.status is VersionStatus.PUBLISHED
    assert version.published_at is not None
    assert law.status is LawStatus.CONSULTATION
    with pytest.raises(Conflict):
        replace_draft(db_session, SYSTEM, version, source_text=V1)  # published is immutable
    with pytest.raises(ValidationFailed):
        withdraw_version(db_session, SYSTEM, version, reason=" ")
    withdraw_version(db_session, SYSTEM, version, reason="贴错了文本")
    assert version.status is VersionStatus.WITHDRAWN
    assert version.withdrawal_reason == "贴错了文本"
    actions = db_session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert (
        actions[-4:]
        == ["version.add", "version.replace", "version.publish", "version.withdraw"][-4:]
    )


def test_adopted_text_must_be_the_last_version(db_session: Session) -> None:
    law = factories.make_law(db_session)
    first = add_version(db_session, SYSTEM, law, label="一审稿", source_text=V1, publish=True)
    second = add_version(db_session, SYSTEM, law, label="通过稿", source_text=V2, publish=True)
    with pytest.raises(Conflict):
        mark_adopted_text(db_session, SYSTEM, first)
    mark_adopted_text(db_session, SYSTEM, second)
    assert second.is_adopted_text
    assert not first.is_adopted_text
    assert law.status is LawStatus.ADOPTED


def test_comment_window_is_validated_and_audited(db_session: Session) -> None:
    law = factories.make_law(db_session)
    version = add_version(db_session, SYSTEM, law, label="一审稿", source_text=V1)
    now = datetime.now(UTC)
    with pytest.raises(ValidationFailed):
        set_comment_window(
            db_session, SYSTEM, version, opens_at=now, closes_at=now - timedelta(days=1)
        )
    set_comment_window(
        db_session, SYSTEM, version, opens_at=now, closes_at=now + timedelta(days=30)
    )
    event = db_session.scalar(
        select(AuditEvent).where(AuditEvent.action == "version.comment_window")
    )
    assert event is not None
    assert event.details["before"] == [None, None]


def test_office_staff_cannot_manage_versions(db_session: Session) -> None:
    law = factories.make_law(db_session)
    office_user = factories.make_user(db_session, role="office")
    with pytest.raises(PermissionDenied):
        add_version(db_session, office_user, law, label="x", source_text=V1)


def test_correction_is_honoured_and_survives_recomputation(db_session: Session) -> None:
    law = factories.make_law(db_session)
    first = add_version(db_session, SYSTEM, law, label="一审稿", source_text=V1)
    second = add_version(db_session, SYSTEM, law, label="二审稿", source_text=V2)
    # Staff say: the old 第二条 (国家保护环境) became the new 第四条, not deleted + added.
    staff = factories.make_user(db_session, role="commission")
    stored = correct_alignment(
        db_session, staff, first, second, old_positions=[1], new_positions=[3], note="委员会确认"
    )
    pinned = next(c for c in stored.changes if c.old_positions == [1])
    assert pinned.new_positions == [3]
    assert pinned.corrected
    assert second.articles[3].key == first.articles[1].key
    # Replacing the draft recomputes; the staff's word still holds.
    replace_draft(
        db_session, SYSTEM, second, source_text=V2.replace("新增的一条", "新增的一条，略有修改")
    )
    again = comparison_between(db_session, first, second)
    assert next(c for c in again.changes if c.old_positions == [1]).new_positions == [3]
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "alignment.correct"))
    assert event is not None
    assert event.actor_id == staff.id
    assert event.details["old"] == ["第二条"]
    assert event.details["new"] == ["第四条"]


def test_non_consecutive_comparison_is_computed_once_and_cached(db_session: Session) -> None:
    law = factories.make_law(db_session)
    v1 = add_version(db_session, SYSTEM, law, label="一", source_text=V1)
    add_version(db_session, SYSTEM, law, label="二", source_text=V2)
    v3 = add_version(db_session, SYSTEM, law, label="三", source_text=V2 + "第五条 再加一条。\n")
    first = comparison_between(db_session, v1, v3)
    assert comparison_between(db_session, v1, v3).id == first.id
    assert db_session.scalar(select(func.count()).select_from(VersionComparison)) == 3
    assert first.counts["added"] == 2
    with pytest.raises(ValidationFailed):
        comparison_between(db_session, v3, v1)


def test_foreign_trade_law_sample_stores_the_renumbering(db_session: Session) -> None:
    law = factories.make_law(db_session)
    old = add_version(
        db_session, SYSTEM, law, label="2016", source_text=sample_text("cn/duiwai-maoyifa/2016.txt")
    )
    new = add_version(
        db_session, SYSTEM, law, label="2022", source_text=sample_text("cn/duiwai-maoyifa/2022.txt")
    )
    stored = comparison_between(db_session, old, new)
    assert (old.article_count, new.article_count) == (70, 69)
    assert stored.counts["deleted"] == 1
    deleted = db_session.scalar(
        select(Change).where(Change.comparison_id == stored.id, Change.kind == "deleted")
    )
    assert deleted is not None
    assert deleted.old_labels == ["第九条"]
    # Old 第十条 is new 第九条 and keeps its key.
    assert new.articles[8].key == old.articles[9].key


def test_a_correction_past_the_end_of_a_replaced_draft_is_ignored(db_session: Session) -> None:
    law = factories.make_law(db_session)
    first = add_version(db_session, SYSTEM, law, label="一审稿", source_text=V1)
    second = add_version(db_session, SYSTEM, law, label="二审稿", source_text=V2)
    correct_alignment(db_session, SYSTEM, first, second, old_positions=[1], new_positions=[3])
    shorter = "第一章 总则\n第一条 为了保护环境，制定本法。\n第二条 由省级人民政府负责。\n"
    replace_draft(db_session, SYSTEM, second, source_text=shorter)  # 第四条 is gone
    stored = comparison_between(db_session, first, second)
    assert sum(len(c.new_positions) for c in stored.changes) == 2
