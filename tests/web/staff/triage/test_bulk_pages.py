"""The bulk forms on the change page and the cluster page (issue 18): preview then
confirm, a changed count refused, one decision for many, undo; the cluster's page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.models import (
    AuditEvent,
    BulkAction,
    ChangeKind,
    ChangeLink,
    Opinion,
    OpinionCluster,
    OpinionMatch,
    OpinionTriage,
    Outcome,
)
from noticeboard.services.laws.comparisons import stored_between
from tests import factories


@dataclass
class Seeded:
    change_id: int
    cluster_id: int
    opinion_ids: list[int]  # scores 0.9, 0.8, 0.7, 0.3; the first three in the cluster
    codes: list[str]


@pytest.fixture
def seeded(db_session: Session) -> Seeded:
    law = factories.make_law(db_session, slug="minors-bulk")
    v1 = factories.make_version(db_session, law)
    v2 = factories.make_version(db_session, law, factories.DRAFT_V2)
    comparison = stored_between(db_session, v1, v2)
    assert comparison is not None
    change = next(c for c in comparison.changes if c.kind is ChangeKind.ADDED)
    cluster = OpinionCluster(law_id=law.id, size=3)
    db_session.add(cluster)
    db_session.flush()
    opinions = []
    for n, score in enumerate((0.9, 0.8, 0.7, 0.3)):
        made = factories.make_opinion(
            db_session, v1, text=f"建议写明坚持党的领导。第{n}封", contributor_name=f"联名{n}"
        )
        in_cluster = cluster.id if n < 3 else None
        db_session.merge(OpinionTriage(opinion_id=made.id, law_id=law.id, cluster_id=in_cluster))
        db_session.add(
            OpinionMatch(
                opinion_id=made.id, change_id=change.id, score=score, rank=1, similar=score
            )
        )
        opinions.append(made)
    cluster.representative_id = opinions[0].id
    db_session.commit()
    return Seeded(
        change.id, cluster.id, [o.id for o in opinions], [o.receipt_code for o in opinions]
    )


def _shown(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def test_link_matched_previews_then_links_and_undoes(
    staff_client: Callable[..., FlaskClient], db_session: Session, seeded: Seeded
) -> None:
    client = staff_client("commission")
    url = f"/staff/changes/{seeded.change_id}"
    page = client.get(f"{url}?lang=en").get_data(as_text=True)
    assert "4 opinions matched." in page
    assert "3 opinions matched with a score of 0.50 or more are not linked yet." in page
    preview = client.get(f"{url}?lang=en&min_score=0.75&preview=1").get_data(as_text=True)
    assert "2 opinions matched with a score of 0.75 or more would be linked" in preview
    assert _shown(seeded.codes[0]) in preview
    assert 'name="expected_count" value="2"' in preview
    response = client.post(
        f"{url}/bulk/link-matched", data={"min_score": "0.75", "expected_count": "2"}
    )
    assert response.status_code == 302
    linked = db_session.scalars(select(ChangeLink.opinion_id).order_by(ChangeLink.opinion_id))
    assert list(linked) == seeded.opinion_ids[:2]
    after = client.get(f"{url}?lang=en").get_data(as_text=True)
    assert "Linked 2 opinions." in after
    assert "Linked the matched opinions" in after  # the recent bulk actions list
    action = db_session.scalars(select(BulkAction)).one()
    assert client.post(f"/staff/bulk/{action.id}/undo", data={"back": url}).status_code == 302
    assert db_session.scalar(select(func.count()).select_from(ChangeLink)) == 0
    assert "Undone: 2 opinions put back." in client.get(f"{url}?lang=en").get_data(as_text=True)
    # Twice: refused, and said so.
    client.post(f"/staff/bulk/{action.id}/undo", data={"back": url})
    assert "already undone" in client.get(f"{url}?lang=en").get_data(as_text=True)


def test_a_count_changed_since_the_preview_links_nothing(
    staff_client: Callable[..., FlaskClient], db_session: Session, seeded: Seeded
) -> None:
    client = staff_client("commission")
    url = f"/staff/changes/{seeded.change_id}"
    response = client.post(
        f"{url}/bulk/link-matched?lang=en", data={"min_score": "0.5", "expected_count": "2"}
    )
    assert response.status_code == 302
    assert "preview=1" in response.headers["Location"]
    assert db_session.scalar(select(func.count()).select_from(ChangeLink)) == 0
    page = client.get(response.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert "changed since the preview (2, now 3)" in page


def test_link_a_cluster_then_decide_all_linked(
    staff_client: Callable[..., FlaskClient], db_session: Session, seeded: Seeded
) -> None:
    client = staff_client("commission")
    url = f"/staff/changes/{seeded.change_id}"
    page = client.get(f"{url}?lang=en").get_data(as_text=True)
    assert f"Cluster {seeded.cluster_id}: 3 of its 3 copies matched" in page
    client.post(f"{url}/bulk/link-cluster", data={"cluster_id": seeded.cluster_id})
    assert db_session.scalar(select(func.count()).select_from(ChangeLink)) == 3
    refused = client.post(
        f"{url}/bulk/decide",
        data={"bulk-outcome": "not_adopted", "bulk-reason_code": "out_of_scope"},
    )
    assert refused.status_code == 409  # linked: needs the confirmation
    assert "Tick the box to confirm." in refused.get_data(as_text=True)
    done = client.post(
        f"{url}/bulk/decide",
        data={
            "bulk-outcome": "adopted",
            "bulk-public_reason": "二稿第二条已写入。",
            "bulk-expected_pending": "3",
            "bulk-expected_total": "3",
        },
    )
    assert done.status_code == 302
    outcomes = db_session.scalars(
        select(Opinion.outcome).where(Opinion.id.in_(seeded.opinion_ids)).order_by(Opinion.id)
    ).all()
    assert outcomes == [Outcome.ADOPTED] * 3 + [Outcome.PENDING]
    audited = db_session.scalars(
        select(AuditEvent.subject_id).where(AuditEvent.action == "opinion.decide")
    ).all()
    assert sorted(audited) == seeded.opinion_ids[:3]


def test_cluster_page_shows_members_and_decides_them_all(
    staff_client: Callable[..., FlaskClient], db_session: Session, seeded: Seeded
) -> None:
    assert staff_client("office").get(f"/staff/clusters/{seeded.cluster_id}").status_code == 403
    client = staff_client("commission")
    url = f"/staff/clusters/{seeded.cluster_id}"
    page = client.get(f"{url}?lang=en").get_data(as_text=True)
    assert "3 copies of one letter" in page
    assert "建议写明坚持党的领导。第0封" in page  # the representative text
    assert all(_shown(code) in page for code in seeded.codes[:3])
    assert _shown(seeded.codes[3]) not in page
    assert "联名1" in page
    assert "name not shown" in page
    response = client.post(
        f"{url}/decide",
        data={"bulk-outcome": "partially_adopted", "bulk-expected_pending": "3"},
    )
    assert response.status_code == 302
    decided = db_session.scalars(
        select(Opinion.outcome).where(Opinion.id.in_(seeded.opinion_ids[:3]))
    ).all()
    assert set(decided) == {Outcome.PARTIALLY_ADOPTED}
    assert "Decided a cluster" in client.get(f"{url}?lang=en").get_data(as_text=True)


def test_take_a_member_out_of_the_cluster(
    staff_client: Callable[..., FlaskClient], db_session: Session, seeded: Seeded
) -> None:
    client = staff_client("commission")
    member = seeded.opinion_ids[2]
    url = f"/staff/clusters/{seeded.cluster_id}"
    response = client.post(f"{url}/members/{member}/take-out", data={"size": "3"})
    assert response.headers["Location"].endswith(f"{url}#members")
    triage = db_session.get(OpinionTriage, member)
    assert triage is not None
    db_session.refresh(triage)
    assert triage.cluster_id is None
    page = client.get(f"{url}?lang=en").get_data(as_text=True)
    assert "2 copies of one letter" in page
