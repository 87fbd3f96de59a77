"""The commission's screens: change, opinion decision, completeness."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import (
    AuditEvent,
    ChangeKind,
    ChangeLink,
    OpinionMatch,
    Outcome,
    VersionStatus,
)
from noticeboard.services.laws.comparisons import stored_between
from tests import factories
from tests.services.decisions.test_outcomes import V1, V2


def _setup(db_session: Session) -> dict[str, object]:
    law = factories.make_law(db_session, slug="veterans", title="退役军人保障法")
    first = factories.make_version(db_session, law, V1)
    second = factories.make_version(db_session, law, V2, publish=False)
    veteran = factories.make_opinion(
        db_session,
        first,
        articles=[first.articles[1]],
        contributor_name="老兵甲",
        text="建议把安置工作由县级改为省级人民政府负责，并单独规定自主就业退役军人的退役金和创业扶持。",
    )
    stored = stored_between(db_session, first, second)
    assert stored is not None
    modified = next(c for c in stored.changes if c.kind is ChangeKind.MODIFIED)
    # As the matching job stores it: the page reads stored matches, it computes none.
    db_session.add(
        OpinionMatch(
            opinion_id=veteran.id, change_id=modified.id, score=0.8, rank=1, article=1.0, quoted=0.6
        )
    )
    db_session.commit()
    return {"law": law, "second": second, "veteran": veteran, "modified": modified}


def test_office_staff_cannot_open_decision_screens(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    data = _setup(db_session)
    office = staff_client("office")
    assert office.get(f"/staff/changes/{data['modified'].id}").status_code == 403
    assert office.get(f"/staff/opinions/{data['veteran'].id}/decision").status_code == 403


def test_change_screen_suggests_then_links_with_one_click(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    data = _setup(db_session)
    client = staff_client("commission")
    change_id, veteran = data["modified"].id, data["veteran"]
    page = client.get(f"/staff/changes/{change_id}?lang=en").get_data(as_text=True)
    assert "Matched opinions" in page
    assert (
        f"{veteran.receipt_code[:4]}-{veteran.receipt_code[4:8]}-{veteran.receipt_code[8:]}" in page
    )
    assert "targets this article" in page
    assert "quotes the changed wording (60%)" in page  # the stored reasons, shown
    response = client.post(
        f"/staff/changes/{change_id}/links", data={"opinion_id": veteran.id, "degree": "full"}
    )
    assert response.status_code == 302
    flashed = client.get(f"/staff/changes/{change_id}?lang=en").get_data(as_text=True)
    assert "Proposed outcome: Adopted" in flashed
    link = db_session.scalar(select(ChangeLink))
    assert link is not None
    assert link.opinion_id == veteran.id
    db_session.refresh(veteran)
    assert veteran.outcome is Outcome.PENDING


def test_opinion_decision_with_preview_conflict_and_history(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    data = _setup(db_session)
    veteran = data["veteran"]
    url = f"/staff/opinions/{veteran.id}/decision?lang=en"
    first, second = staff_client("commission"), staff_client("commission")
    page = first.get(url).get_data(as_text=True)
    assert "Changes in the next version that may answer it" in page
    seen = veteran.lock_version
    preview = first.post(
        url,
        data={
            "outcome": "not_adopted",
            "reason_code": "out_of_scope",
            "public_reason": "超出本法调整范围。",
            "lock_version": seen,
            "action": "preview",
        },
    )
    assert preview.status_code == 200
    assert "The contributor will read:" in preview.get_data(as_text=True)
    assert "Outside this law&#39;s scope" in preview.get_data(as_text=True)
    saved = first.post(
        url,
        data={
            "outcome": "adopted",
            "reason_code": "",
            "public_reason": "已采纳。",
            "lock_version": seen,
            "action": "save",
        },
    )
    assert saved.status_code == 302
    # The second member of staff decided on the page they opened before: refused, clearly.
    late = second.post(
        url, data={"outcome": "partially_adopted", "lock_version": seen, "action": "save"}
    )
    assert late.status_code == 409
    assert "Someone else decided or edited this opinion meanwhile" in late.get_data(as_text=True)
    db_session.refresh(veteran)
    assert veteran.outcome is Outcome.ADOPTED
    history = first.get(url).get_data(as_text=True)
    assert "opinion.decide" in history


def test_not_adopted_on_a_linked_opinion_asks_for_confirmation(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    data = _setup(db_session)
    veteran = data["veteran"]
    client = staff_client("commission")
    client.post(
        f"/staff/changes/{data['modified'].id}/links",
        data={"opinion_id": veteran.id, "degree": "full"},
    )
    db_session.refresh(veteran)
    url = f"/staff/opinions/{veteran.id}/decision?lang=en"
    form = {
        "outcome": "not_adopted",
        "reason_code": "already_covered",
        "lock_version": veteran.lock_version,
        "action": "save",
    }
    asked = client.post(url, data=form)
    assert asked.status_code == 409
    assert "Tick the box to confirm." in asked.get_data(as_text=True)
    assert client.post(url, data={**form, "confirm": "y"}).status_code == 302
    db_session.refresh(veteran)
    assert veteran.outcome is Outcome.NOT_ADOPTED


def test_group_decision_from_the_change_screen(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    data = _setup(db_session)
    first_version = data["law"].versions[0]
    students = [
        factories.make_opinion(
            db_session,
            first_version,
            articles=[first_version.articles[1]],
            text=f"建议由省级负责（学生{i}）",
        )
        for i in range(3)
    ]
    db_session.commit()
    client = staff_client("commission")
    response = client.post(
        f"/staff/changes/{data['modified'].id}/decide",
        data={
            "opinion_ids": [s.id for s in students],
            "outcome": "adopted",
            "reason_code": "",
            "public_reason": "已采纳",
        },
    )
    assert response.status_code == 302
    for student in students:
        db_session.refresh(student)
        assert student.outcome is Outcome.ADOPTED


def test_publishing_an_incomplete_version_goes_through_the_check(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    data = _setup(db_session)
    client = staff_client("commission")
    response = client.post("/staff/laws/veterans/versions/2/publish")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/staff/laws/veterans/versions/2/completeness")
    page = client.get("/staff/laws/veterans/versions/2/completeness?lang=en").get_data(as_text=True)
    assert "2 changed articles with no linked opinion and no editorial mark" in page
    assert "1 opinion on" in page
    assert (
        client.post("/staff/laws/veterans/versions/2/publish", data={"confirm": "on"}).status_code
        == 302
    )
    db_session.refresh(data["second"])
    assert data["second"].status is VersionStatus.PUBLISHED
    event = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "version.publish").order_by(AuditEvent.id)
    ).all()[-1]
    assert event.details["incomplete"] == {"uncredited_changes": 2, "pending_opinions": 1}
