"""Bulk import of opinions from a spreadsheet: every row checked, all or nothing.

Columns (header row; English names or the Chinese ones of the template, any order):
``law`` (slug; may come from ``--law``), ``version`` (sequence number or label; empty for
the latest published), ``articles`` (labels or numbers: ``第十二条, 14``), ``office``
and ``collection_point`` (slugs), ``channel``, ``received_on`` (YYYY-MM-DD, or a date
cell), ``contributor_name``, ``contributor_category``, ``name_public`` (yes/no),
``contact``, ``notify`` (yes/no: send the outcome to the contact; ``通知``), ``language``
(of that message: zh or en, empty for zh; ``语言``), ``text``, ``summary``, ``reference``
(the sender's own number, unique per law; ``编号``). Required: ``channel``,
``received_on``, ``text``.

Every row is read and checked before anything is written; one bad row and nothing is
saved, and the report lists each bad row with its number and reasons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from noticeboard.models import Law, Outcome, utcnow
from noticeboard.services.accounts.scope import office_scope
from noticeboard.services.audit import record_event
from noticeboard.services.errors import ServiceError, ValidationFailed
from noticeboard.services.imports.files import Table, cell_text
from noticeboard.services.imports.rows import row_input
from noticeboard.services.imports.values import COLUMN_ALIASES, REQUIRED, Lookups
from noticeboard.services.opinions.bulk import insert_opinions
from noticeboard.services.opinions.recording import check_input, today_in
from noticeboard.services.opinions.references import ReferenceLedger
from noticeboard.services.permissions import Actor, Permission, require

MAX_REPORTED = 1000
PROGRESS_EVERY = 250
INSERT_COLUMNS = (
    "law_id",
    "version_id",
    "office_id",
    "collection_point_id",
    "channel",
    "received_on",
    "contributor_name",
    "contributor_category",
    "name_public",
    "contact",
    "text",
    "summary",
    "outcome",
    "recorded_by_id",
    "created_at",
    "updated_at",
)
# An import's rows carry the sender's reference and the consent to an outcome notice
# too, last so that writers of the columns above (``demo --scale``) stay as they are.
IMPORT_COLUMNS = (*INSERT_COLUMNS, "reference", "notify", "language")


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str
    error: ServiceError

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.error.message}"


@dataclass
class ImportReport:
    rows: int = 0  # data rows read (blank rows skipped)
    created: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first MAX_REPORTED
    dry_run: bool = False
    # Checked rows waiting to be saved, as tuples of IMPORT_COLUMNS, and their articles.
    pending: list[tuple[Any, ...]] = field(default_factory=list, repr=False)
    targets: list[list[int]] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, row: int, column: str, error: ServiceError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(RowError(row, column, error))


def map_header(header: list[str], law_given: bool) -> dict[str, int]:
    """Column name -> position, or ValidationFailed naming the problem."""
    if not any(str(cell).strip() for cell in header):
        raise ValidationFailed("The file is empty: its first row should name the columns.")
    positions: dict[str, int] = {}
    for index, raw in enumerate(header):
        label = raw.strip().lstrip("\ufeff").strip()
        if not label:
            continue
        name = COLUMN_ALIASES.get(label.lower().replace(" ", "_").replace("-", "_"))
        if name is None:
            raise ValidationFailed(
                "Unknown column %(column)s. The template lists the columns.", column=label
            )
        if name in positions:
            raise ValidationFailed("The column %(column)s appears twice.", column=label)
        positions[name] = index
    missing = [name for name in REQUIRED if name not in positions]
    if "law" not in positions and not law_given:
        missing.insert(0, "law")
    if missing:
        raise ValidationFailed("Missing columns: %(columns)s.", columns=", ".join(sorted(missing)))
    return positions


def import_opinions(
    session: Session,
    actor: Actor,
    table: Table,
    *,
    law_slug: str | None = None,
    dry_run: bool = False,
    source_name: str = "",
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check every row of ``table``; when all are good (and not a dry run), store them.

    Raises ValidationFailed for problems with the file as a whole (its columns, its
    encoding); row problems go to the report. Never commits: the caller does, or rolls
    back, so a failed import leaves nothing behind.
    """
    report = check_import(session, actor, table, law_slug=law_slug, progress=progress)
    report.dry_run = dry_run
    if report.ok and not dry_run:
        save_import(session, actor, report, source_name=source_name, law_slug=law_slug)
    return report


def check_import(
    session: Session,
    actor: Actor,
    table: Table,
    *,
    law_slug: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Read and check every row, writing nothing; the good rows wait in the report."""
    require(actor, Permission.RECORD_OPINIONS)
    positions = map_header(table.header, law_slug is not None)
    lookups = Lookups(session)
    default_law: Law | None = None
    if law_slug is not None:
        default_law = lookups.law(law_slug)
        if default_law is None:
            raise ValidationFailed("No law with the slug %(slug)s.", slug=law_slug)
    scope = office_scope(session, actor)
    report = ImportReport()
    now = utcnow()
    today = today_in()
    actor_id = actor.id
    references = ReferenceLedger()

    for number, cells in table.rows:
        values = {name: cells[i] if i < len(cells) else None for name, i in positions.items()}
        text = {name: cell_text(value) for name, value in values.items()}
        if not any(text.values()):
            continue  # blank rows are spacing, not data
        report.rows += 1
        if progress is not None and report.rows % PROGRESS_EVERY == 0:
            progress(report.rows)
        data, problems = row_input(lookups, values, text, default_law)
        if data is not None:
            problems.extend(check_input(scope, data.cleaned(), today))
            twice = references.note(data.version.law_id, data.reference, number)
            if twice is not None:
                problems.append(("reference", twice))
        for column, error in problems:
            report.add(number, column, error)
        if not report.ok:
            # Nothing will be saved: keep checking rows for the report, stop keeping them.
            report.pending.clear()
            report.targets.clear()
            continue
        assert data is not None
        report.pending.append(
            (
                data.version.law_id,
                data.version.id,
                data.office.id if data.office else None,
                data.collection_point.id if data.collection_point else None,
                data.channel,
                data.received_on,
                data.contributor_name,
                data.contributor_category,
                data.name_public,
                data.contact,
                data.text,
                data.summary,
                Outcome.PENDING,
                actor_id,
                now,
                now,
                data.reference,
                data.notify,
                data.language,
            )
        )
        report.targets.append([article.id for article in data.articles])
    if progress is not None:
        progress(report.rows)
    if report.rows == 0:
        raise ValidationFailed("The file has no rows below the header.")
    for number, error in references.stored_duplicates(session):
        report.add(number, "reference", error)
    if not report.ok:
        report.pending.clear()
        report.targets.clear()
    return report


def save_import(
    session: Session,
    actor: Actor,
    report: ImportReport,
    *,
    source_name: str = "",
    law_slug: str | None = None,
) -> int:
    """Store the rows a clean check left in ``report``, in one go; returns how many."""
    require(actor, Permission.RECORD_OPINIONS)
    if not report.ok:
        raise ValidationFailed("Rows with errors: nothing was saved.")
    insert_opinions(session, IMPORT_COLUMNS, report.pending, report.targets)
    report.created = len(report.pending)
    report.pending, report.targets = [], []
    record_event(
        session,
        actor,
        "opinion.import",
        "opinion",
        None,
        count=report.created,
        file=source_name[:200],
        law=law_slug,
    )
    session.flush()
    return report.created
