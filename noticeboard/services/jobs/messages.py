"""What a job's row says, in English; pages translate these (scripts/i18n.sh extracts
every ``job_message()`` argument), and the console prints them as they are."""

from __future__ import annotations


def job_message(text: str) -> str:
    """Mark a job message for translation; the text itself is what the row stores."""
    return text


CHECKING = job_message("checking rows")
SAVING = job_message("saving")
DONE = job_message("done")
INTERRUPTED = job_message("interrupted: nothing was saved, start it again")
RESTARTED = job_message("restarted after its worker stopped")
NOT_QUEUED = job_message("could not be queued: nothing was saved, start it again")
CRASHED = job_message("stopped on an error: nothing was saved")
SUPERSEDED = job_message("started again elsewhere: this run saved nothing")
COMPUTING = job_message("computing comparisons")
WRITING = job_message("writing files")
ACCOUNT_GONE = job_message("the account that started the job is gone: nothing was saved")
