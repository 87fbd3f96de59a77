"""``/staff/jobs``: recent jobs newest first, each account's own and the system's (admins
all), the retry button where nothing was saved, and what the import pages say of a job.
Jobs run as their request commits (immediate mode); a held queue keeps them waiting."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from noticeboard.models import (
    AuditEvent,
    Job,
    JobKind,
    JobPayload,
    JobState,
    Opinion,
    User,
    utcnow,
)
from noticeboard.services.accounts.offices import create_collection_point
from noticeboard.services.imports.jobs import start_import
from noticeboard.services.jobs import messages
from noticeboard.services.jobs.records import create_job
from noticeboard.services.jobs.running import claim
from noticeboard.services.permissions import SYSTEM
from noticeboard.worker.queue import job_queue
from tests import factories
from tests.queues import LEASE, HeldQueue, NoWorkerQueue, interrupt, start_running
from tests.services.imports.test_opinion_import import GOOD, HEADER, csv_bytes

ROW = re.compile(
    r'<tr id="job-(?P<id>[0-9a-f]{32})" class="job-(?P<state>\w+)">(?P<cells>.*?)</tr>', re.S
)
CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
BADGE = re.compile(r'<span class="badge[^"]*">(.*?)</span>')
TAG = re.compile(r"<[^>]+>")


def _text(html: str) -> str:
    return " ".join(TAG.sub(" ", html).split())


def listed(client: FlaskClient) -> list[dict[str, Any]]:
    """The jobs page's rows, in order: id, state, and the text of each column."""
    response = client.get("/staff/jobs?lang=en")
    assert response.status_code == 200
    rows = []
    for row in ROW.finditer(response.get_data(as_text=True)):
        cells = CELL.findall(row["cells"])
        rows.append(
            {
                "id": row["id"],
                "state": row["state"],
                "job": _text(cells[0]),
                "badge": BADGE.findall(cells[1]),
                "by": _text(cells[3]),
                "retry": f"/staff/jobs/{row['id']}/retry" in row["cells"],
            }
        )
    return rows


@pytest.fixture
def held(app: Flask) -> HeldQueue:
    return HeldQueue(job_queue(app))


@pytest.fixture
def people(db_session: Session) -> dict[str, User]:
    """A law open for opinions, two offices with an account each, and an admin."""
    law = factories.make_law(db_session, slug="minors")
    factories.make_version(db_session, law, label="一审稿")
    hongqiao = factories.make_office(db_session, slug="hongqiao")
    create_collection_point(db_session, SYSTEM, hongqiao, slug="teahouse", name="社区茶馆")
    lintao = factories.make_office(db_session, slug="lintao")
    made = {
        "office": factories.make_user(db_session, role="office", office=hongqiao),
        "other": factories.make_user(db_session, role="office", office=lintao),
        "admin": factories.make_user(db_session, role="admin"),
    }
    db_session.commit()
    return made


def sign_in(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    response = client.post(
        "/staff/login", data={"email": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def _import(
    session: Session,
    actor: Any,
    queue: Any,
    rows: int = 3,
    name: str = "a.csv",
    payload: bytes | None = None,
) -> str:
    """An upload of ``rows`` good rows (or ``payload``), committed: on the app's queue it
    runs now, on a held one it waits."""
    job = start_import(
        session,
        actor,
        queue,
        filename=name,
        law_slug=None,
        dry_run=False,
        payload=payload or csv_bytes([GOOD] * rows),
    )
    session.commit()
    return job.id


def _age(session: Session, job_id: str, minutes: int) -> None:
    """Date the job ``minutes`` ago, so the order of the page does not hang on clock ties."""
    session.execute(
        update(Job).where(Job.id == job_id).values(created_at=utcnow() - timedelta(minutes=minutes))
    )
    session.commit()


def _job(session: Session, job_id: str) -> Job:
    session.expire_all()
    job = session.get(Job, job_id)
    assert job is not None
    return job


def _opinions(session: Session) -> int:
    session.expire_all()
    return int(session.scalar(select(func.count()).select_from(Opinion)) or 0)


def test_the_page_lists_jobs_newest_first_with_kind_state_and_who_started_them(
    app: Flask, db_session: Session, people: dict[str, User], held: HeldQueue
) -> None:
    done = _import(db_session, people["office"], job_queue(app), name="letters.csv")
    export = create_job(db_session, SYSTEM, held, JobKind.EXPORT, params={"out": "open-data"}).id
    db_session.commit()
    waiting = _import(db_session, people["office"], held, name="later.csv")
    for minutes, job_id in ((30, done), (20, export), (10, waiting)):
        _age(db_session, job_id, minutes)

    rows = listed(sign_in(app, people["office"]))
    assert [r["id"] for r in rows] == [waiting, export, done]
    assert [r["state"] for r in rows] == ["queued", "queued", "done"]
    assert rows[0]["job"] == "Import later.csv"
    assert rows[1]["job"] == "Open-data files"
    assert rows[2]["job"] == "Import letters.csv"
    assert [r["badge"] for r in rows] == [["Queued"], ["Queued"], ["Done"]]
    assert [r["by"] for r in rows] == [people["office"].email, "the system", people["office"].email]
    # Each row links to the job's own page: an import's progress page.
    page = sign_in(app, people["office"]).get("/staff/jobs").get_data(as_text=True)
    assert f'href="/staff/opinions/import/{done}"' in page
    assert f'href="/staff/jobs#job-{export}"' in page


def test_office_staff_see_their_own_and_the_systems_jobs_and_admins_all(
    app: Flask, db_session: Session, people: dict[str, User], held: HeldQueue
) -> None:
    mine = _import(db_session, people["office"], held)
    theirs = _import(db_session, people["other"], held, name="theirs.csv")
    system = _import(db_session, SYSTEM, held, name="console.csv")

    office = sign_in(app, people["office"])
    assert {r["id"] for r in listed(office)} == {mine, system}
    assert office.get(f"/staff/opinions/import/{theirs}").status_code == 404
    assert office.get(f"/staff/opinions/import/{theirs}/status").status_code == 404
    assert office.get(f"/staff/opinions/import/{mine}").status_code == 200
    assert office.get(f"/staff/opinions/import/{system}").status_code == 200
    other = sign_in(app, people["other"])
    assert {r["id"] for r in listed(other)} == {theirs, system}
    admin = sign_in(app, people["admin"])
    assert {r["id"] for r in listed(admin)} == {mine, theirs, system}
    assert admin.get(f"/staff/opinions/import/{theirs}").status_code == 200
    # Another's job cannot be retried either: as if it did not exist.
    assert office.post(f"/staff/jobs/{theirs}/retry").status_code == 404


def test_the_retry_button_shows_only_for_an_interrupted_import_with_its_file(
    app: Flask, db_session: Session, people: dict[str, User], held: HeldQueue
) -> None:
    staff, queue = people["office"], job_queue(app)
    interrupted = _import(db_session, staff, held, rows=4, name="interrupted.csv")
    interrupt(db_session, queue, interrupted)
    no_file = _import(db_session, staff, held, name="no-file.csv")
    interrupt(db_session, queue, no_file)
    db_session.execute(delete(JobPayload).where(JobPayload.job_id == no_file))
    db_session.commit()
    done = _import(db_session, staff, queue, name="done.csv")
    bad = list(GOOD)
    bad[HEADER.index("received_on")] = "yesterday"
    failed = _import(db_session, staff, queue, name="bad.csv", payload=csv_bytes([bad]))
    waiting = _import(db_session, staff, held, name="waiting.csv")
    assert _opinions(db_session) == 3  # the done one's

    office = sign_in(app, staff)
    rows = {r["id"]: r for r in listed(office)}
    assert {job_id: r["state"] for job_id, r in rows.items()} == {
        interrupted: "interrupted",
        no_file: "interrupted",
        done: "done",
        failed: "failed",
        waiting: "queued",
    }
    assert {job_id for job_id, r in rows.items() if r["retry"]} == {interrupted}
    page = office.get(f"/staff/opinions/import/{interrupted}?lang=en").get_data(as_text=True)
    assert f'action="/staff/jobs/{interrupted}/retry"' in page
    assert "Interrupted: the worker doing it stopped." in page
    for other in (no_file, done, failed, waiting):
        page = office.get(f"/staff/opinions/import/{other}").get_data(as_text=True)
        assert "/retry" not in page, other

    # Pressed: queued again, and (immediate mode) run as the request commits.
    pressed = office.post(f"/staff/jobs/{interrupted}/retry?lang=en")
    assert pressed.status_code == 302
    assert pressed.headers["Location"] == f"/staff/opinions/import/{interrupted}"
    followed = office.get(pressed.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "The job is queued again." in followed
    assert "Done: 4 opinions saved" in followed
    job = _job(db_session, interrupted)
    assert (job.state, job.result["created"], job.attempts) == (JobState.DONE, 4, 2)
    assert _opinions(db_session) == 3 + 4
    retries = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "job.retry")
    assert db_session.scalar(retries) == 1


def test_a_retry_of_a_finished_job_is_refused_and_changes_nothing(
    app: Flask, db_session: Session, people: dict[str, User]
) -> None:
    done = _import(db_session, people["office"], job_queue(app))
    before = _job(db_session, done)
    state = (before.state, before.attempts, before.finished_at, before.result)
    office = sign_in(app, people["office"])
    refused = office.post(f"/staff/jobs/{done}/retry?lang=en")
    assert refused.status_code == 302
    assert refused.headers["Location"] == "/staff/jobs"
    page = office.get("/staff/jobs?lang=en").get_data(as_text=True)
    assert "This job cannot be started again; start a new one." in page
    after = _job(db_session, done)
    assert (after.state, after.attempts, after.finished_at, after.result) == state
    assert _opinions(db_session) == 3
    retries = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "job.retry")
    assert db_session.scalar(retries) == 0


def test_the_status_says_where_a_job_stands(
    app: Flask, db_session: Session, people: dict[str, User], held: HeldQueue
) -> None:
    staff, queue = people["office"], job_queue(app)
    office = sign_in(app, staff)

    def status(job_id: str) -> dict[str, Any]:
        answer = office.get(f"/staff/opinions/import/{job_id}/status")
        assert answer.status_code == 200
        return dict(answer.get_json())

    waiting = _import(db_session, staff, held)
    assert status(waiting) == {
        "state": "queued",
        "phase": "queued",
        "message": "",
        "finished": False,
        "processed": 0,
        "total": None,
        "created": 0,
        "errors": 0,
        "percent": 0,
    }
    saving = _import(db_session, staff, held)
    start_running(db_session, saving, ago=1)
    db_session.execute(
        update(Job).where(Job.id == saving).values(message=messages.SAVING, processed=3, total=4)
    )
    db_session.commit()
    queue.beat(saving)
    shown = status(saving)
    assert (shown["state"], shown["phase"], shown["finished"]) == ("running", "saving", False)
    assert (shown["processed"], shown["total"], shown["percent"]) == (3, 4, 75)
    # Its worker stopped beating: shown as interrupted before any sweep writes it down.
    lapsed = _import(db_session, staff, held)
    start_running(db_session, lapsed, ago=2 * LEASE)
    shown = status(lapsed)
    assert (shown["state"], shown["phase"], shown["finished"]) == ("interrupted", "", True)
    assert shown["message"] == messages.INTERRUPTED
    assert shown["percent"] == 100
    assert _job(db_session, lapsed).state is JobState.RUNNING
    done = _import(db_session, staff, queue)
    shown = status(done)
    assert (shown["state"], shown["created"], shown["percent"]) == ("done", 3, 100)


def test_an_upload_while_the_queue_is_unreachable_is_refused_and_saves_nothing(
    make_app: Callable[..., Flask], db_session: Session, people: dict[str, User]
) -> None:
    # Nothing listens on port 1: the queue cannot be reached, for real.
    app = make_app(JOBS_IMMEDIATE=False, REDIS_URL="redis://127.0.0.1:1/0")
    office = sign_in(app, people["office"])
    answer = office.post(
        "/staff/opinions/import?lang=en",
        data={"upload": (io.BytesIO(csv_bytes([GOOD] * 3)), "a.csv")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 503
    page = answer.get_data(as_text=True)
    assert "The job queue is unavailable" in page
    assert "nothing was started. Try again later." in page
    assert db_session.scalar(select(func.count()).select_from(Job)) == 0
    assert db_session.scalar(select(func.count()).select_from(JobPayload)) == 0
    assert _opinions(db_session) == 0


def test_the_jobs_page_opens_while_the_queue_is_unreachable(
    make_app: Callable[..., Flask], db_session: Session, people: dict[str, User]
) -> None:
    app = make_app(JOBS_IMMEDIATE=False, REDIS_URL="redis://127.0.0.1:1/0")
    running = create_job(db_session, SYSTEM, NoWorkerQueue(), JobKind.EXPORT)
    db_session.commit()
    assert claim(db_session, running.id, "w:1") == 1
    admin = sign_in(app, people["admin"])
    rows = listed(admin)  # its lease cannot be read: shown as it is
    assert [(r["id"], r["state"]) for r in rows] == [(running.id, "running")]
    assert "The job queue is unavailable" in admin.get("/staff/jobs?lang=en").get_data(as_text=True)
