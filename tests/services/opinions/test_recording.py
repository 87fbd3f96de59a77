"""Recording opinions: the rules every entry path shares, on both engines."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from noticeboard.models import AuditEvent, Channel, ContributorCategory, Opinion, Outcome
from noticeboard.services.accounts.offices import create_collection_point
from noticeboard.services.errors import PermissionDenied, ValidationFailed
from noticeboard.services.laws.versions import withdraw_version
from noticeboard.services.opinions.queries import article_trails, get_opinion
from noticeboard.services.opinions.receipts import is_valid
from noticeboard.services.opinions.recording import resolve_articles
from noticeboard.services.permissions import SYSTEM
from tests import factories


def test_record_an_opinion_with_receipt_feed_token_and_audit(db_session: Session) -> None:
    version = factories.make_version(db_session)
    office = factories.make_office(db_session, slug="hongqiao")
    opinion = factories.make_opinion(
        db_session,
        version,
        office=office,
        articles=[version.articles[1]],
        contributor_name=" 王  芳 ",
        contributor_category=ContributorCategory.STUDENT,
        contact="138 0000 0000",
        text="  建议删除保证金的规定。 ",
    )
    db_session.commit()
    stored = db_session.get(Opinion, opinion.id)
    assert stored is not None
    assert is_valid(stored.receipt_code)
    assert len(stored.feed_token) >= 22
    assert stored.feed_token != stored.receipt_code
    assert stored.contributor_name == "王 芳"
    assert stored.text == "建议删除保证金的规定。"
    assert stored.name_public is False  # consent is never assumed
    assert stored.outcome is Outcome.PENDING
    assert stored.lock_version == 1
    assert [a.label for a in stored.articles] == ["第二条"]
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "opinion.record"))
    assert event is not None
    assert event.subject_id == opinion.id
    # The audit row names the receipt, never the person.
    assert "王 芳" not in str(event.details)
    assert "138" not in str(event.details)


def test_general_opinions_and_online_submissions_need_no_article_or_office(
    db_session: Session,
) -> None:
    version = factories.make_version(db_session)
    opinion = factories.make_opinion(db_session, version, channel=Channel.ONLINE_FORM)
    assert opinion.articles == []
    assert opinion.office is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text": "   "}, "text"),
        ({"text": "字" * 20_001}, "text"),
        ({"received_on": date.today() + timedelta(days=3)}, "received_on"),
        ({"received_on": date(1900, 1, 1)}, "received_on"),
        ({"name_public": True}, "name_public"),  # consent without a name
        ({"contact": "x" * 301}, "contact"),
    ],
)
def test_invalid_input_is_refused_with_the_field(
    db_session: Session, fields: dict[str, object], field: str
) -> None:
    version = factories.make_version(db_session)
    with pytest.raises(ValidationFailed) as caught:
        factories.make_opinion(db_session, version, **fields)
    assert field in caught.value.details["fields"]


def test_only_published_versions_take_opinions(db_session: Session) -> None:
    draft = factories.make_version(db_session, publish=False)
    with pytest.raises(ValidationFailed):
        factories.make_opinion(db_session, draft)
    published = factories.make_version(db_session)
    withdraw_version(db_session, SYSTEM, published, reason="错误版本")
    with pytest.raises(ValidationFailed):
        factories.make_opinion(db_session, published)


def test_articles_must_belong_to_the_version(db_session: Session) -> None:
    first = factories.make_version(db_session)
    second = factories.make_version(db_session, first.law, factories.DRAFT_V2)
    with pytest.raises(ValidationFailed) as caught:
        factories.make_opinion(db_session, second, articles=[first.articles[0]])
    assert "articles" in caught.value.details["fields"]


def test_collection_point_must_be_of_the_office_and_open(db_session: Session) -> None:
    version = factories.make_version(db_session)
    hongqiao = factories.make_office(db_session, slug="hongqiao")
    lintao = factories.make_office(db_session, slug="lintao")
    point = create_collection_point(db_session, SYSTEM, hongqiao, slug="gubei", name="古北")
    with pytest.raises(ValidationFailed):
        factories.make_opinion(db_session, version, office=lintao, collection_point=point)
    with pytest.raises(ValidationFailed):
        factories.make_opinion(db_session, version, collection_point=point)  # no office
    point.is_active = False
    with pytest.raises(ValidationFailed):
        factories.make_opinion(db_session, version, office=hongqiao, collection_point=point)
    hongqiao.is_active = False
    with pytest.raises(ValidationFailed):
        factories.make_opinion(db_session, version, office=hongqiao)


def test_office_staff_record_for_their_subtree_only(db_session: Session) -> None:
    version = factories.make_version(db_session)
    national = factories.make_office(db_session, slug="hongqiao")
    below = factories.make_office(db_session, slug="changning", parent=national, tier="provincial")
    other = factories.make_office(db_session, slug="lintao")
    staff = factories.make_user(db_session, role="office", office=national)
    assert factories.make_opinion(db_session, version, actor=staff, office=below).office is below
    with pytest.raises(PermissionDenied):
        factories.make_opinion(db_session, version, actor=staff, office=other)
    with pytest.raises(ValidationFailed):  # office staff always name the office
        factories.make_opinion(db_session, version, actor=staff)
    lower_staff = factories.make_user(db_session, role="office", office=below)
    with pytest.raises(PermissionDenied):  # nothing above one's own office
        factories.make_opinion(db_session, version, actor=lower_staff, office=national)


@pytest.mark.parametrize("role", ["admin", "commission"])
def test_admin_and_commission_record_for_any_office(db_session: Session, role: str) -> None:
    version = factories.make_version(db_session)
    actor = factories.make_user(db_session, role=role)
    office = factories.make_office(db_session, slug="yiwu")
    assert factories.make_opinion(db_session, version, actor=actor, office=office).office is office


def test_an_inactive_account_records_nothing(db_session: Session) -> None:
    version = factories.make_version(db_session)
    staff = factories.make_user(db_session, role="commission", is_active=False)
    with pytest.raises(PermissionDenied):
        factories.make_opinion(db_session, version, actor=staff)


def test_resolve_articles_by_label_or_number(db_session: Session) -> None:
    law = factories.make_law(db_session)
    version = factories.make_version(
        db_session, law, "第一条 一。\n第二条 二。\n第二条之一 插入。\n第十二条 十二。\n"
    )
    found, unknown = resolve_articles(version.articles, "12，第一条、2-1; 99 第九十条")
    assert [a.label for a in found] == ["第十二条", "第一条", "第二条之一"]
    assert unknown == ["99 第九十条"]
    found, unknown = resolve_articles(version.articles, "1 2 2之1 1")
    assert [a.label for a in found] == ["第一条", "第二条", "第二条之一"]
    assert unknown == []


def test_opinion_follows_its_article_through_renumbering(db_session: Session) -> None:
    first = factories.make_version(db_session, label="一审稿")
    opinion = factories.make_opinion(db_session, first, articles=[first.articles[2]])
    [trail] = article_trails(db_session, opinion)
    assert trail.latest is None  # no later version yet

    factories.make_version(db_session, first.law, factories.DRAFT_V2, label="二审稿")
    db_session.commit()
    [trail] = article_trails(db_session, get_opinion(db_session, SYSTEM, opinion.id))
    assert trail.article.label == "第三条"
    assert trail.latest is not None
    assert trail.latest.label == "二审稿"
    assert trail.now is not None
    assert trail.now.label == "第四条"
    assert trail.renumbered


def test_an_article_dropped_later_is_reported_gone(db_session: Session) -> None:
    first = factories.make_version(db_session)
    opinion = factories.make_opinion(db_session, first, articles=[first.articles[3]])
    factories.make_version(db_session, first.law, "\n".join(factories.DRAFT_V1.splitlines()[:3]))
    [trail] = article_trails(db_session, opinion)
    assert trail.latest is not None
    assert trail.now is None


def test_concurrent_edits_fail_instead_of_overwriting(db_session: Session, app) -> None:  # type: ignore[no-untyped-def]
    version = factories.make_version(db_session)
    opinion = factories.make_opinion(db_session, version, summary="第一版摘要")
    db_session.commit()
    with app.app_context():
        from noticeboard.extensions import db

        with Session(db.engine) as other:
            theirs = other.get(Opinion, opinion.id)
            assert theirs is not None
            theirs.summary = "他们的摘要"
            other.commit()
    opinion.summary = "我们的摘要"
    with pytest.raises(StaleDataError):
        db_session.commit()
    db_session.rollback()


def test_final_outcome_erases_the_contact(db_session: Session) -> None:
    version = factories.make_version(db_session)
    opinion = factories.make_opinion(db_session, version, contact="wang@example.org")
    opinion.outcome = Outcome.PENDING
    assert opinion.contact == "wang@example.org"
    opinion.outcome = Outcome.NOT_ADOPTED
    assert opinion.contact == ""
    assert opinion.contact_erased_at is not None
    db_session.commit()
    assert db_session.get(Opinion, opinion.id).contact == ""  # type: ignore[union-attr]
