"""Hostile values stored through the services in every text a page shows: law titles and
summaries, version labels and texts, office and collection point names, contributors'
names, opinions, summaries, link notes, public reasons, token names, import file names.

A value a service refuses (an empty title, say) is refused with a ServiceError; anything
else must be stored as given, and the crawl then checks how every page shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import Change, ChangeKind, Channel, Outcome
from noticeboard.services.accounts.api_tokens import create_token
from noticeboard.services.accounts.offices import create_collection_point, create_office
from noticeboard.services.accounts.scope import office_scope
from noticeboard.services.decisions.links import link_opinion, mark_editorial
from noticeboard.services.decisions.outcomes import DecisionInput, decide_opinion
from noticeboard.services.errors import ServiceError
from noticeboard.services.imports.jobs import start_import
from noticeboard.services.laws.creation import create_law
from noticeboard.services.laws.versions import add_version
from noticeboard.services.open_data import datasets as open_data
from noticeboard.services.opinions.recording import OpinionInput, check_input, record_opinion
from noticeboard.services.permissions import SYSTEM
from tests.hostile_corpus import INJECTIONS
from tests.queues import NoWorkerQueue
from tests.security.world import World

# Every injection string in one value that fits every field (NUL aside: no service
# stores it; the entry points refuse it, see test_hostile_forms).
EVERY_INJECTION = " ".join(
    value.replace("\x00", "") if not value.startswith("😀") else "😀😀" for value in INJECTIONS
)


@dataclass
class HostileWorld:
    groups: list[list[dict[str, Any]]]
    refused: list[str] = field(default_factory=list)  # "what: value" the services refused
    stored: int = 0


def seed(session: Session, world: World, values: Sequence[str]) -> HostileWorld:
    laws: list[dict[str, Any]] = []
    offices: list[dict[str, Any]] = [{"office": "hongqiao"}]
    opinions: list[dict[str, Any]] = []
    jobs: list[dict[str, Any]] = [{"job_id": world.values["job_id"]}]
    result = HostileWorld(groups=[])
    queue = NoWorkerQueue()  # the import jobs wait, showing their file names
    now = datetime.now(UTC)

    def attempt(what: str, value: str, action: Callable[[], Any]) -> Any:
        try:
            with session.begin_nested():
                made = action()
        except ServiceError:
            result.refused.append(f"{what}: {value!r}")
            return None
        result.stored += 1
        return made

    admin = world.users["admin"]
    for i, value in enumerate(values):
        office = attempt(
            "office",
            value,
            lambda value=value, i=i: create_office(
                session, SYSTEM, slug=f"hostile-{i}", name=value, name_en=value,
                tier="national", region=value,
            ),
        )  # fmt: skip
        office = office or world.scenario.hongqiao
        offices.append({"office": office.slug})
        point = attempt(
            "collection point",
            value,
            lambda value=value, i=i, office=office: create_collection_point(
                session, SYSTEM, office, slug=f"hostile-{i}", name=value, address=value
            ),
        )
        law = (
            attempt(
                "law",
                value,
                lambda value=value, i=i: create_law(
                    session, SYSTEM, slug=f"hostile-{i}", title=value, title_en=value, summary=value
                ),
            )
            or world.scenario.law
        )
        v1 = attempt(
            "version",
            value,
            lambda value=value, law=law: add_version(
                session, SYSTEM, law, label=value, publish=True,
                source_text=f"第一条 {value}\n第二条 正文。\n",
                published_at=now - timedelta(days=10),
            ),
        )  # fmt: skip
        v2 = attempt(
            "second version",
            value,
            lambda value=value, law=law: add_version(
                session, SYSTEM, law, label=value + "二", publish=True,
                source_text=f"第一条 {value}改\n第二条 正文。\n第三条 {value}\n",
                comment_opens_at=now - timedelta(days=1), comment_closes_at=now + timedelta(days=9),
            ),
        )  # fmt: skip
        if v1 is None or v2 is None:
            continue
        changes = {
            c.kind: c
            for c in session.scalars(
                select(Change).where(Change.comparison.has(to_version_id=v2.id))
            )
        }
        modified = changes.get(ChangeKind.MODIFIED)
        added = changes.get(ChangeKind.ADDED)
        data = OpinionInput(
            version=v1,
            text=value,
            channel=Channel.LETTER,
            received_on=date(2024, 5, 6),
            articles=list(v1.articles[:1]),
            office=office,
            collection_point=point,
            contributor_name=value,
            name_public=bool(value.strip()),
            contact=value,
            summary=value,
        ).cleaned()
        problems = check_input(office_scope(session, SYSTEM), data)
        if problems:
            result.refused.append(f"opinion: {value!r} ({problems[0][0]})")
            continue
        opinion = attempt("opinion", value, lambda data=data: record_opinion(session, SYSTEM, data))
        if opinion is None:
            continue
        opinions.append({"opinion_id": opinion.id, "token": opinion.feed_token})
        if modified is not None:
            attempt(
                "link",
                value,
                lambda value=value, opinion=opinion, modified=modified: link_opinion(
                    session, SYSTEM, modified, opinion, note=value
                ),
            )
        attempt(
            "decision",
            value,
            lambda value=value, opinion=opinion: decide_opinion(
                session, SYSTEM, opinion,
                DecisionInput(Outcome.ADOPTED, public_reason=value), lock_version=None,
            ),
        )  # fmt: skip
        if added is not None:
            attempt(
                "editorial mark",
                value,
                lambda value=value, added=added: mark_editorial(session, SYSTEM, added, note=value),
            )
        attempt("token", value, lambda value=value: create_token(session, admin, value[:100]))
        job = attempt(
            "import job",
            value,
            lambda value=value: start_import(
                session, admin, queue, filename=value, law_slug=None, dry_run=True, payload=b""
            ),
        )
        if job is not None:
            jobs.append({"job_id": job.id})
        laws.append(
            {
                "law": law.slug,
                "sequence": v2.sequence,
                "from_seq": v1.sequence,
                "to_seq": v2.sequence,
                "change_id": (modified or added or next(iter(changes.values()))).id,
                "key": v2.articles[0].key,
            }
        )
    session.commit()
    datasets = [
        {"dataset": name, "fmt": fmt} for name in open_data.DATASETS for fmt in ("csv", "json")
    ]
    clusters = [{"cluster_id": world.values["cluster_id"]}]
    result.groups = [laws, offices, opinions, jobs, datasets, clusters]
    return result
