"""Campaign clustering on both engines: copies grouped, distinct letters apart, state in
the database, incremental batches, staff taking an opinion out."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from noticeboard.models import AuditEvent, ClusterBand, Opinion, OpinionCluster, OpinionTriage
from noticeboard.services.decisions.leave_cluster import take_out_of_cluster
from noticeboard.services.demo.campaigns import campaign_copies, campaign_letters
from noticeboard.services.errors import PermissionDenied, ValidationFailed
from noticeboard.services.triage.campaigns import cluster_size
from noticeboard.services.triage.clustering import (
    ClusteringBatch,
    cluster_pending,
)
from tests import factories

LETTER = (
    "我们认为第十条关于未成年人网络保护的规定还不够具体，建议明确网络平台的责任。"
    "平台应当对未成年人用户设置使用时段和时长的限制，并向监护人提供必要的管理工具。"
    "现实中已经出现了大量问题，违法成本太低，受害者很难维权。"
    "因此建议增加罚则，由网信部门每年向社会公开检查结果。"
)
ENGLISH = (
    "Children spend too many hours online without any supervision. Platforms should "
    "offer parents simple tools and publish what they do each year. The penalties in "
    "the draft are far too low to change how these companies behave."
)


def version(session: Session) -> Any:
    return factories.make_version(session)


def record(session: Session, v: Any, texts: list[str]) -> list[int]:
    return [factories.make_opinion(session, v, text=t).id for t in texts]


def cluster_all(session: Session, law_id: int, limit: int = 2000) -> ClusteringBatch:
    total, after = [0, 0, 0], 0
    while (batch := cluster_pending(session, law_id, limit=limit, after=after)).processed:
        session.commit()
        total = [
            total[0] + batch.processed,
            total[1] + batch.joined,
            total[2] + batch.clusters_created,
        ]
        after = batch.last_id
    return ClusteringBatch(*total)


def clusters_of(session: Session, ids: list[int]) -> dict[int, int | None]:
    rows = session.execute(
        select(OpinionTriage.opinion_id, OpinionTriage.cluster_id).where(
            OpinionTriage.opinion_id.in_(ids)
        )
    )
    return dict(rows.all())


def test_copies_join_one_cluster_and_distinct_letters_stay_apart(db_session: Session) -> None:
    v = version(db_session)
    copies = record(db_session, v, [LETTER, *campaign_copies(LETTER, 15, random.Random(5))])
    others = record(db_session, v, campaign_letters(8, random.Random(6)))
    done = cluster_all(db_session, v.law_id)
    assert done == ClusteringBatch(processed=24, joined=16, clusters_created=1)
    found = clusters_of(db_session, copies + others)
    assert {found[i] for i in copies} == {found[copies[0]]}
    assert all(found[i] is None for i in others)
    cluster = db_session.get(OpinionCluster, found[copies[0]])
    assert cluster is not None
    assert cluster.size == 16 == cluster_size(db_session, cluster.id)
    assert cluster.representative_id == copies[0]
    # The buckets live in the database: one row per key, held by the first opinion.
    held = db_session.scalar(select(func.count()).select_from(ClusterBand))
    assert held is not None
    assert 16 <= held < 16 * 24


def test_small_batches_cluster_as_one_batch_does(db_session: Session) -> None:
    texts = [LETTER, *campaign_copies(LETTER, 9, random.Random(8))]
    texts += campaign_letters(3, random.Random(8))
    partitions = []
    for limit in (3, 2000):
        v = version(db_session)
        ids = record(db_session, v, texts)
        done = cluster_all(db_session, v.law_id, limit=limit)
        assert done.processed == len(texts)
        found = clusters_of(db_session, ids)
        partitions.append([[found[a] == found[b] is not None for b in ids] for a in ids])
    assert partitions[0] == partitions[1]
    assert sum(map(sum, partitions[0])) >= 8 * 8  # most copies are together


def test_a_later_batch_joins_the_existing_cluster(db_session: Session) -> None:
    v = version(db_session)
    first = record(db_session, v, [LETTER, *campaign_copies(LETTER, 4, random.Random(1))])
    cluster_all(db_session, v.law_id)
    before = dict(
        db_session.execute(select(OpinionTriage.opinion_id, OpinionTriage.clustered_at)).all()
    )
    later = record(db_session, v, campaign_copies(LETTER, 6, random.Random(2)))
    batch = cluster_pending(db_session, v.law_id)
    db_session.commit()
    assert batch == ClusteringBatch(processed=6, joined=6, clusters_created=0, last_id=later[-1])
    found = clusters_of(db_session, first + later)
    assert len(set(found.values())) == 1
    cluster = db_session.get(OpinionCluster, found[first[0]])
    assert cluster is not None
    db_session.refresh(cluster)
    assert cluster.size == 11
    after = dict(
        db_session.execute(
            select(OpinionTriage.opinion_id, OpinionTriage.clustered_at).where(
                OpinionTriage.opinion_id.in_(first)
            )
        ).all()
    )
    assert after == {i: before[i] for i in first}  # nothing clustered again
    assert cluster_pending(db_session, v.law_id).processed == 0


def test_a_later_copy_pairs_with_a_lone_earlier_letter(db_session: Session) -> None:
    v = version(db_session)
    [alone] = record(db_session, v, [LETTER])
    assert cluster_all(db_session, v.law_id).clusters_created == 0
    [copy] = record(db_session, v, [f"尊敬的领导：{LETTER.replace('。', '.')}此致敬礼！张伟"])
    assert cluster_pending(db_session, v.law_id).clusters_created == 1
    db_session.commit()
    found = clusters_of(db_session, [alone, copy])
    assert found[alone] is not None
    assert found[alone] == found[copy]


def test_take_out_is_audited_and_kept_apart(db_session: Session) -> None:
    v = version(db_session)
    staff = factories.make_user(db_session, role="commission")
    ids = record(db_session, v, [LETTER, *campaign_copies(LETTER, 5, random.Random(3))])
    cluster_all(db_session, v.law_id)
    cluster_id = clusters_of(db_session, ids)[ids[0]]
    assert cluster_id is not None
    take_out_of_cluster(db_session, staff, ids[0])
    db_session.commit()
    triage = db_session.get(OpinionTriage, ids[0])
    assert triage is not None
    assert triage.cluster_id is None
    assert triage.kept_apart
    cluster = db_session.get(OpinionCluster, cluster_id)
    assert cluster is not None
    assert cluster.size == 5 == cluster_size(db_session, cluster_id)
    assert cluster.representative_id == ids[1]  # the first member left stands for it now
    event = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "opinion.cluster_left")
    ).one()
    assert (event.subject_id, event.details["cluster"]) == (ids[0], cluster_id)
    # A new copy still finds the campaign; the one taken out is never put back.
    [later] = record(db_session, v, campaign_copies(LETTER, 1, random.Random(9)))
    cluster_all(db_session, v.law_id)
    found = clusters_of(db_session, [ids[0], later])
    assert found == {ids[0]: None, later: cluster_id}
    with pytest.raises(ValidationFailed):
        take_out_of_cluster(db_session, staff, ids[0])


def test_taking_one_out_of_two_dissolves_the_cluster(db_session: Session) -> None:
    v = version(db_session)
    staff = factories.make_user(db_session, role="admin")
    ids = record(db_session, v, [LETTER, *campaign_copies(LETTER, 1, random.Random(3))])
    cluster_all(db_session, v.law_id)
    cluster_id = clusters_of(db_session, ids)[ids[0]]
    assert cluster_id is not None
    take_out_of_cluster(db_session, staff, ids[1])
    db_session.commit()
    assert db_session.get(OpinionCluster, cluster_id) is None
    assert clusters_of(db_session, ids) == {ids[0]: None, ids[1]: None}


def test_office_staff_cannot_take_an_opinion_out(db_session: Session) -> None:
    v = version(db_session)
    office = factories.make_office(db_session)
    clerk = factories.make_user(db_session, role="office", office=office)
    ids = record(db_session, v, [LETTER, LETTER])
    cluster_all(db_session, v.law_id)
    with pytest.raises(PermissionDenied):
        take_out_of_cluster(db_session, clerk, ids[0])


def test_bad_inputs_give_sensible_results(db_session: Session) -> None:
    v = version(db_session)
    empty = record(db_session, v, ["！？。，……", "——", "占位"])
    # Blank texts the forms refuse may still come from old imports.
    db_session.execute(update(Opinion).where(Opinion.id == empty[2]).values(text=" \n "))
    short = record(db_session, v, ["同意"] * 5 + ["agree"] * 5 + ["我支持这个草案。"] * 3)
    english = record(
        db_session, v, [ENGLISH, *campaign_copies(ENGLISH, 4, random.Random(2), language="en")]
    )
    [huge] = record(db_session, v, ["占位"])
    rng = random.Random(11)
    text = "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(100_000))
    db_session.execute(update(Opinion).where(Opinion.id == huge).values(text=text))
    cluster_all(db_session, v.law_id)
    found = clusters_of(db_session, empty + short + english + [huge])
    assert all(found[i] is None for i in empty + short + [huge])
    assert {found[i] for i in english} == {found[english[0]]} != {None}
    shingles = dict(
        db_session.execute(select(OpinionTriage.opinion_id, OpinionTriage.shingles)).all()
    )
    assert all(shingles[i] == 0 for i in empty)
    assert shingles[huge] > 99_000


def test_no_cluster_of_everything(db_session: Session) -> None:
    v = version(db_session)
    letters = campaign_letters(30, random.Random(12), quote="国家保障未成年人的生存权、发展权")
    ids = record(db_session, v, [*letters, LETTER, ENGLISH])
    cluster_all(db_session, v.law_id)
    sizes = db_session.scalars(select(OpinionCluster.size)).all()
    assert sum(sizes) <= len(ids) // 4  # a few look-alike letters at most, never one heap
    assert all(size < 10 for size in sizes)


def test_a_copy_joins_the_campaign_rather_than_start_one_with_a_lone_copy() -> None:
    """Two copies that shared no bucket would each seed a campaign, and campaigns never
    merge: a copy alike to both joins the one already in a campaign, even if the lone
    copy is a little more alike."""
    from noticeboard.services.triage import clustering
    from noticeboard.services.triage.fingerprints import fingerprints

    base = LETTER * 2
    texts = [base, base + "王芳", base + "王芳李强", base + "王芳李强"]
    shingles = [f.shingles for f in fingerprints(texts)]
    batch = clustering._Batch(law_id=1)
    campaign = clustering._Group(existing_id=9)
    batch.members[1] = clustering._Member(shingles[0], group=campaign)
    batch.members[2] = clustering._Member(shingles[2])  # the most alike, but alone
    new = clustering._Member(shingles[3], stored=False)
    assert clustering._most_similar(batch, new, {1, 2}) == 1
    del batch.members[1]
    assert clustering._most_similar(batch, new, {1, 2}) == 2  # no campaign: the lone copy
