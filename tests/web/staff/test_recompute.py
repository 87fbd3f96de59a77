"""The staff law page's "Recompute comparisons" button: it queues the job and shows the
jobs page; office staff get neither the page nor the action."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.models import AuditEvent, Change, ChangeLink, Job, JobKind, JobState
from noticeboard.services.decisions.links import link_opinion
from noticeboard.services.errors import QueueUnavailable
from noticeboard.services.jobs.queue import QUEUE_EXTENSION
from noticeboard.services.laws.comparisons import comparison_between
from noticeboard.services.permissions import SYSTEM
from tests import factories

BUTTON = "Recompute comparisons"
ACTION = 'action="/staff/laws/minors/recompute"'


def _law_with_a_link(db_session: Session) -> int:
    """Two versions of ``minors``, a change of theirs linked to an opinion: the link id."""
    law = factories.make_law(db_session, slug="minors")
    first = factories.make_version(db_session, law)
    second = factories.make_version(db_session, law, factories.DRAFT_V2)
    added = next(
        c
        for c in comparison_between(db_session, first, second).changes
        if c.new_positions == [1] and not c.old_positions
    )
    link = link_opinion(db_session, SYSTEM, added, factories.make_opinion(db_session, first))
    db_session.commit()
    return link.id


def _jobs(db_session: Session) -> list[Job]:
    db_session.expire_all()
    return list(db_session.scalars(select(Job)))


def test_the_button_queues_the_job_and_shows_the_jobs_page(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    link_id = _law_with_a_link(db_session)
    client = staff_client("commission")
    page = client.get("/staff/laws/minors?lang=en").get_data(as_text=True)
    assert BUTTON in page
    assert ACTION in page
    assert "重新计算对照" in client.get("/staff/laws/minors?lang=zh").get_data(as_text=True)
    response = client.post("/staff/laws/minors/recompute?lang=en")
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/jobs"
    [job] = _jobs(db_session)
    # The job ran as the request committed (immediate mode), with every load explicit.
    assert (job.kind, job.state) == (JobKind.RECOMPUTE, JobState.DONE), job.message
    assert job.result["comparisons"] == 1
    assert job.result["links_kept"] == 1
    moved = db_session.get(ChangeLink, link_id)
    assert moved is not None
    change = db_session.get(Change, moved.change_id)
    assert change is not None
    assert (change.old_positions, change.new_positions) == ([], [1])
    jobs_page = client.get("/staff/jobs?lang=en").get_data(as_text=True)
    assert "The comparisons will be recomputed in the background." in jobs_page
    assert f'id="job-{job.id}"' in jobs_page


def test_no_button_for_a_law_with_nothing_to_compare(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    factories.make_version(db_session, factories.make_law(db_session, slug="minors"))
    db_session.commit()
    page = staff_client("admin").get("/staff/laws/minors?lang=en").get_data(as_text=True)
    assert "第1稿" in page  # the page itself is there
    assert BUTTON not in page


def test_office_staff_see_no_button_and_may_not_press_it(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    _law_with_a_link(db_session)
    office = staff_client("office")
    page = office.get("/staff/laws/minors?lang=en")
    assert page.status_code == 403
    assert BUTTON not in page.get_data(as_text=True)
    assert office.post("/staff/laws/minors/recompute").status_code == 403
    assert _jobs(db_session) == []


def test_a_queue_that_is_down_is_said_at_once_and_nothing_is_saved(
    app: Flask,
    staff_client: Callable[..., FlaskClient],
    db_session: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _law_with_a_link(db_session)
    client = staff_client("commission")

    def down() -> None:
        raise QueueUnavailable("The job queue is unavailable (%(reason)s).", reason="tested")

    monkeypatch.setattr(app.extensions[QUEUE_EXTENSION], "check", down)
    response = client.post("/staff/laws/minors/recompute?lang=en")
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/laws/minors"
    page = client.get("/staff/laws/minors?lang=en").get_data(as_text=True)
    assert "The job queue is unavailable (tested)." in page
    assert _jobs(db_session) == []
    recorded = select(func.count()).where(AuditEvent.action == "law.recompute")
    assert db_session.scalar(recorded) == 0


def test_the_button_sends_its_csrf_token(
    make_app: Callable[..., Flask], db_session: Session
) -> None:
    _law_with_a_link(db_session)
    user = factories.make_user(db_session, role="commission")
    db_session.commit()
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    signed_in = client.post(
        "/staff/login",
        data={
            "email": user.email,
            "password": factories.PASSWORD,
            "csrf_token": _token(client.get("/staff/login").get_data(as_text=True)),
        },
    )
    assert signed_in.status_code == 302
    page = client.get("/staff/laws/minors").get_data(as_text=True)
    form = page[page.index(ACTION) :]
    assert client.post("/staff/laws/minors/recompute").status_code == 400
    assert _jobs(db_session) == []
    sent = client.post("/staff/laws/minors/recompute", data={"csrf_token": _token(form)})
    assert sent.status_code == 302
    assert len(_jobs(db_session)) == 1


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', html)
    assert found is not None, html[:2000]
    return found.group(1)
