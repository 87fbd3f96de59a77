"""Which service does each kind of job: the one table a worker dispatches on."""

from __future__ import annotations

from noticeboard.models import JobKind
from noticeboard.services.jobs.running import Handler


def job_handlers() -> dict[JobKind, Handler]:
    # Imported here, not at the top: the features import services.jobs themselves.
    from noticeboard.services.imports.jobs import run_import
    from noticeboard.services.laws.recompute import run_recompute
    from noticeboard.services.notices.sending import run_notices
    from noticeboard.services.open_data.export_job import run_export
    from noticeboard.services.triage.refresh import run_matching

    return {
        JobKind.IMPORT: run_import,
        JobKind.RECOMPUTE: run_recompute,
        JobKind.EXPORT: run_export,
        JobKind.MATCHING: run_matching,
        JobKind.NOTICES: run_notices,
    }
