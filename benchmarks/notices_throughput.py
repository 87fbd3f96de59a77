"""Outcome notices at the size of a campaign: 10,000 contributors who asked to be told,
decided in one bulk decision, their notices sent to a real SMTP server on loopback
(goal: at least 200 a second).

Makes a throwaway PostgreSQL database, migrates it, writes N opinions with consent and
an e-mail address, all matched to one change, links and decides them with the bulk
services a request calls (which write the N notices in the decision's transaction),
then runs the notices job in a process of its own, as a worker would, against an
aiosmtpd server in a third process. Prints the time to decide, the sending throughput,
the sender's peak memory, and what the server received (every Message-ID once).

    python benchmarks/notices_throughput.py [--opinions 10000] [--rate 0] [--keep]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.harness import free_port, throwaway_database


def smtp_sink(port: int) -> None:
    """A server that accepts everything and, when its stdin closes, prints how many
    messages it got and how many distinct Message-IDs."""
    from aiosmtpd.controller import Controller

    ids: list[str] = []

    class Sink:
        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            for line in envelope.content.split(b"\r\n"):  # type: ignore[attr-defined]
                if line[:11].lower() == b"message-id:":
                    ids.append(line[11:].strip().decode())
                    break
            return "250 OK"

    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    sys.stdin.read()
    controller.stop()
    print(json.dumps({"received": len(ids), "distinct": len(set(ids))}), flush=True)


def config(url: str, port: int, rate: float, instance: str) -> dict[str, object]:
    return {
        "DATABASE_URL": url,
        "SECRET_KEY": "bench",
        "TRIAGE_ON_RECORD": False,
        "INSTANCE_PATH": instance,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_DEFAULT_SENDER": "Noticeboard <notices@noticeboard.example.org>",
        "PUBLIC_BASE_URL": "https://noticeboard.example.org",
        "NOTICE_RATE": rate,
    }


def send(url: str, port: int, rate: float, instance: str, job_id: str) -> None:
    """Run the notices job here, as a worker process does; print its figures."""
    from noticeboard import create_app
    from noticeboard.extensions import db
    from noticeboard.services.jobs.handlers import job_handlers
    from noticeboard.services.jobs.running import run_job
    from noticeboard.worker.queue import job_queue

    app = create_app(config(url, port, rate, instance))
    with app.app_context():
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        state = run_job(
            db.engine, job_queue(app), job_id, job_handlers(), worker="bench", lease_seconds=60
        )
        took = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"state": str(state), "seconds": took, "peak_kib": peak, "start_kib": before}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--opinions", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=0, help="notices a second (0: no limit)")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--smtp-sink", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--send", nargs=4, metavar=("URL", "PORT", "INSTANCE", "JOB"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.smtp_sink:
        return smtp_sink(args.smtp_sink)
    if args.send:
        url, port, instance, job = args.send
        return send(url, int(port), args.rate, instance, job)

    import tempfile

    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from benchmarks.bulk_link import seed
    from noticeboard import create_app
    from noticeboard.extensions import db
    from noticeboard.models import Job, JobKind, Notice, Opinion, Outcome, User
    from noticeboard.services.decisions.bulk import decide_linked, link_matched
    from noticeboard.services.decisions.outcomes import DecisionInput

    port = free_port()
    sink = subprocess.Popen(
        [sys.executable, __file__, "--smtp-sink", str(port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert sink.stdout is not None
    assert sink.stdout.readline().strip() == "ready"
    with (
        throwaway_database("noticeboard_notices", keep=args.keep) as url,
        tempfile.TemporaryDirectory() as instance,
    ):
        app = create_app(config(url, port, args.rate, instance))
        with app.app_context():
            upgrade(directory=app.extensions["migrate"].directory)
        change_id, staff_id = seed(app, args.opinions)
        with app.app_context():
            session = db.session()
            session.execute(
                Opinion.__table__.update().values(  # type: ignore[attr-defined]
                    notify=True,
                    contact="reader" + func.cast(Opinion.id, db.String) + "@example.org",
                )
            )
            session.commit()
            actor = session.get(User, staff_id)
            assert actor is not None
            link_matched(session, actor, change_id, 0.0, expected_count=args.opinions)
            session.commit()
            started = time.perf_counter()
            decide_linked(
                session, actor, change_id, DecisionInput(Outcome.ADOPTED, public_reason="已采纳。")
            )
            session.commit()
            decided = time.perf_counter() - started
            notices = session.scalar(select(func.count()).select_from(Notice))
            job_id = session.scalar(select(Job.id).where(Job.kind == JobKind.NOTICES))
            db.session.remove()
            db.engine.dispose()
        print(f"{args.opinions:,} opinions with consent, decided in bulk (PostgreSQL)")
        print(f"  bulk decision + its {notices:,} notices, committed   {decided:6.2f} s")
        sender = subprocess.run(
            [
                sys.executable,
                __file__,
                "--rate",
                str(args.rate),
                "--send",
                url,
                str(port),
                instance,
                str(job_id),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        figures = json.loads(sender.stdout.strip().splitlines()[-1])
        rate = notices / figures["seconds"]
        print(
            f"  notices job: {figures['seconds']:.2f} s, {rate:,.0f} notices a second "
            f"(goal >= 200; rate limit {args.rate or 'none'})  [{figures['state']}]"
        )
        print(
            f"  sender's peak memory: {figures['peak_kib'] / 1024:.0f} MiB "
            f"({figures['start_kib'] / 1024:.0f} MiB once started)"
        )
        sink.stdin.close()  # type: ignore[union-attr]
        counts = json.loads(sink.stdout.read().strip().splitlines()[-1])
        print(
            f"  the SMTP server received {counts['received']:,} messages, "
            f"{counts['distinct']:,} distinct Message-IDs"
        )
        sink.wait()


if __name__ == "__main__":
    main()
