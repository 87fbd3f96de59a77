"""A small world for the public boards: three tiers of offices, a law with two published
versions, opinions from several offices, and the commission's decisions and links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import (
    Change,
    ChangeKind,
    ContributorCategory,
    LinkDegree,
    Office,
    OfficeTier,
    Outcome,
    ReasonCode,
)
from noticeboard.services.decisions.links import link_opinion
from noticeboard.services.decisions.outcomes import DecisionInput, decide_opinion
from noticeboard.services.permissions import SYSTEM
from tests import factories

V1 = (
    "第一条 为了保护未成年人，制定本法。\n"
    "第二条 未成年人保护工作由县级人民政府负责，具体工作由民政部门承担。\n"
    "第三条 监护人实施家庭暴力的，应当缴纳保证金，并由居民委员会予以劝诫。\n"
)
V2 = (
    "第一条 为了保护未成年人，制定本法。\n"
    "第二条 未成年人保护工作由省级人民政府负责，具体工作由民政部门承担。\n"
    "第三条 监护人实施家庭暴力的，由居民委员会予以劝诫、制止。\n"
    "第四条 学校应当建立学生欺凌防控制度。\n"
)
# A name that must never appear on a public page: its owner did not consent.
SECRET_NAME = "莫须有先生Zq7"
SECRET_CONTACT = "zq7-secret@example.org"
PUBLIC_NAME = "虹桥中学初二三班"
PENDING_NAME = "王五Xk4"
PENDING_CONTACT = "wangwu-xk4@example.org"


@dataclass
class Scenario:
    law: Any
    v1: Any
    v2: Any
    hongqiao: Office
    changning: Office
    gubei: Office
    lintao: Office
    modified: Change  # 第二条: 县级 -> 省级
    trimmed: Change  # 第三条: the deposit clause deleted
    added: Change  # 第四条
    students: Any  # public name, adopted, two changes
    secret: Any  # no consent, partially adopted, from gubei (below hongqiao)
    rejected: Any  # not adopted, with a public reason
    pending: Any
    elsewhere: Any  # adopted, from lintao


def build(session: Session) -> Scenario:
    hongqiao = factories.make_office(
        session, slug="hongqiao", name="虹桥街道基层立法联系点", name_en="Hongqiao Subdistrict"
    )
    changning = factories.make_office(
        session, slug="changning", name="长宁区立法联系点", tier=OfficeTier.PROVINCIAL,
        parent=hongqiao,
    )  # fmt: skip
    gubei = factories.make_office(
        session, slug="gubei", name="古北市民中心", name_en="Gubei Civic Centre",
        tier=OfficeTier.PREFECTURE, parent=changning,
    )  # fmt: skip
    lintao = factories.make_office(session, slug="lintao", name="临洮县基层立法联系点")
    law = factories.make_law(
        session, slug="minors", title="未成年人保护法", title_en="Minors Protection Law"
    )
    now = datetime.now(UTC)
    v1 = factories.make_version(
        session, law, V1, label="一审稿", published_at=now - timedelta(days=60)
    )
    v2 = factories.make_version(
        session, law, V2, label="二审稿", published_at=now - timedelta(days=5),
        comment_opens_at=now - timedelta(days=5), comment_closes_at=now + timedelta(days=25),
    )  # fmt: skip
    by_label = {
        tuple(c.new_labels or c.old_labels): c
        for c in session.scalars(select(Change).where(Change.kind != ChangeKind.UNCHANGED))
    }
    articles = {a.label: a for a in v1.articles}

    def opinion(office: Office | None, **fields: Any) -> Any:
        return factories.make_opinion(session, v1, office=office, **fields)

    students = opinion(
        hongqiao, contributor_name=PUBLIC_NAME, name_public=True,
        contributor_category=ContributorCategory.STUDENT,
        articles=[articles["第二条"], articles["第三条"]],
        summary="删除对实施家庭暴力的监护人收取保证金的内容",
    )  # fmt: skip
    secret = opinion(
        gubei, contributor_name=SECRET_NAME, contact=SECRET_CONTACT,
        articles=[articles["第二条"]], summary="由省级人民政府负责未成年人保护工作",
    )  # fmt: skip
    rejected = opinion(lintao, summary="建议取消民政部门的职责")
    pending = opinion(
        hongqiao, contributor_name=PENDING_NAME, contact=PENDING_CONTACT, summary="待处理的建议"
    )
    elsewhere = opinion(lintao, summary="建议增加防控学生欺凌的规定")

    modified, trimmed = by_label[("第二条",)], by_label[("第三条",)]
    added = by_label[("第四条",)]
    link_opinion(session, SYSTEM, modified, students)
    link_opinion(session, SYSTEM, trimmed, students)
    link_opinion(session, SYSTEM, modified, secret, degree=LinkDegree.PARTIAL)
    link_opinion(session, SYSTEM, added, elsewhere)
    decide = lambda o, outcome, days, **kw: decide_opinion(  # noqa: E731
        session, SYSTEM, o, DecisionInput(outcome, **kw), lock_version=None,
        decided_at=now - timedelta(days=days),
    )  # fmt: skip
    decide(students, Outcome.ADOPTED, 10)
    decide(secret, Outcome.PARTIALLY_ADOPTED, 9)
    decide(elsewhere, Outcome.ADOPTED, 8)
    decide(
        rejected, Outcome.NOT_ADOPTED, 7, reason_code=ReasonCode.OUT_OF_SCOPE,
        public_reason="不属于本法调整范围。",
    )  # fmt: skip
    session.commit()
    return Scenario(
        law=law, v1=v1, v2=v2, hongqiao=hongqiao, changning=changning, gubei=gubei,
        lintao=lintao, modified=modified, trimmed=trimmed, added=added, students=students,
        secret=secret, rejected=rejected, pending=pending, elsewhere=elsewhere,
    )  # fmt: skip
