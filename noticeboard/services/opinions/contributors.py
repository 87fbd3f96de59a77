"""Contributors' rights over their personal data, and the contact rule.

Personal data on an opinion is the contributor's name and contact. The opinion's text,
summary and outcome are the public record and stay.

- **Withdrawing consent**: on request, staff switch off the public name; the name is kept
  for the office's own records but never shown again.
- **Erasure**: on request, staff erase the name and the contact (and consent with them);
  the opinion stays, anonymous.
- **The contact rule**: a contact is kept only while the opinion is open (outcome
  ``pending``). When an opinion gets a final outcome (adopted, partially adopted, not
  adopted, withdrawn) its contact is erased at once: the ``Opinion.outcome`` validator
  does it on every path through the ORM, and ``sweep_closed_contacts`` (the
  ``noticeboard erase-contacts`` command) erases any contact left on a closed opinion,
  such as opinions closed before the rule existed or changed by hand in SQL.
- **Consent to be told the outcome** (``Opinion.notify``) keeps the contact past the
  decision, for its notice only: it is erased once the notice is delivered or has failed
  for good (``services.notices.states``), or ``NOTICEBOARD_CONTACT_RETENTION_DAYS``
  after the decision, whichever comes first. Unsubscribing erases it at once.

Each of these writes an audit row; none of them writes the erased data anywhere.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.orm import Session

from noticeboard.models import Notice, Opinion, Outcome, utcnow
from noticeboard.services.accounts.scope import office_scope
from noticeboard.services.audit import record_event
from noticeboard.services.errors import Conflict, NotFound
from noticeboard.services.notices.outbox import OPEN_STATES
from noticeboard.services.notices.states import expire_kept_contacts
from noticeboard.services.permissions import Actor, Permission, require


def _check(session: Session, actor: Actor, opinion: Opinion, lock_version: int | None) -> None:
    require(actor, Permission.RECORD_OPINIONS)
    if not office_scope(session, actor).covers(opinion.office_id):
        raise NotFound("No such opinion.")
    if lock_version is not None and lock_version != opinion.lock_version:
        raise Conflict("Someone changed this opinion meanwhile. Reload the page and try again.")


def withdraw_name_consent(
    session: Session, actor: Actor, opinion: Opinion, *, lock_version: int | None = None
) -> Opinion:
    """The contributor no longer wants their name shown publicly."""
    _check(session, actor, opinion, lock_version)
    if opinion.name_public:
        opinion.name_public = False
        session.flush()
        record_event(
            session,
            actor,
            "opinion.withdraw_consent",
            "opinion",
            opinion.id,
            receipt=opinion.receipt_code,
        )
    return opinion


def erase_personal_data(
    session: Session, actor: Actor, opinion: Opinion, *, lock_version: int | None = None
) -> Opinion:
    """Erase the contributor's name and contact; the opinion and its outcome stay."""
    _check(session, actor, opinion, lock_version)
    fields = (("name", opinion.contributor_name), ("contact", opinion.contact))
    had = [name for name, value in fields if value]
    now = utcnow()
    opinion.contributor_name = ""
    opinion.name_public = False
    if opinion.contact:
        opinion.contact = ""
        opinion.contact_erased_at = now
    opinion.personal_data_erased_at = now
    session.flush()
    record_event(
        session,
        actor,
        "opinion.erase_personal_data",
        "opinion",
        opinion.id,
        receipt=opinion.receipt_code,
        erased=had,
    )
    return opinion


def sweep_closed_contacts(session: Session, actor: Actor, *, retention_days: int) -> int:
    """Erase every contact still stored on a closed opinion, but those kept for an outcome
    notice not yet sent, within ``retention_days`` of the decision; returns how many.
    A notice still waiting past that fails for good, its contact erased with it."""
    require(actor, Permission.DECIDE_OPINIONS)
    expired = expire_kept_contacts(session, retention_days)
    cutoff = utcnow() - timedelta(days=retention_days)
    kept_for_notice = and_(
        Opinion.notify.is_(True),
        Opinion.decided_at >= cutoff,
        exists().where(Notice.opinion_id == Opinion.id, Notice.state.in_(OPEN_STATES)),
    )
    closed = (Opinion.outcome != Outcome.PENDING, Opinion.contact != "", ~kept_for_notice)
    count = session.scalar(select(func.count()).select_from(Opinion).where(*closed)) or 0
    if count:
        session.execute(
            update(Opinion)
            .where(*closed)
            .values(
                contact="",
                contact_erased_at=utcnow(),
                lock_version=Opinion.lock_version + 1,
            )
            .execution_options(synchronize_session="fetch")
        )
    if count or expired:
        record_event(
            session,
            actor,
            "opinion.sweep_contacts",
            "opinion",
            None,
            count=count,
            notices_expired=expired,
        )
        session.flush()
    return count + expired
