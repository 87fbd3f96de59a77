"""A contributor stops the outcome notices of their opinion with the link in a notice
(``/notices/unsubscribe/<token>``), or their mail program does it for them (RFC 8058
one-click). The link's token is the only credential: it is neither the receipt code nor
the feed token, and it names one notice, hence one opinion.

Unsubscribing withdraws the consent (``notify``), erases the contact left for the
notice, and cancels the opinion's notices still waiting to be sent. A notice a worker is
handing over at that moment goes ahead: it cannot be called back. Doing it again changes
nothing and is not audited again.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, joinedload

from noticeboard.models import Notice, NoticeState, Opinion, utcnow
from noticeboard.services.audit import record_event
from noticeboard.services.notices.outbox import cancel_open
from noticeboard.services.permissions import PUBLIC

UNSUBSCRIBED = "unsubscribed"
# ``secrets.token_urlsafe(32)`` is 43 characters; anything much longer is no token of ours.
MAX_TOKEN = 64
# The audit trail says how it came in; it never holds the token or the contact.
VIA = "unsubscribe link"


def find_by_token(session: Session, token: str) -> Notice | None:
    """The notice whose unsubscribe link carries ``token``, with its opinion, or None."""
    if not token or len(token) > MAX_TOKEN:
        return None
    return session.scalar(
        select(Notice).where(Notice.unsubscribe_token == token).options(joinedload(Notice.opinion))
    )


def is_unsubscribed(session: Session, notice: Notice) -> bool:
    """Nothing is left to stop: no consent, no contact, no notice waiting to be sent."""
    opinion = notice.opinion
    if opinion.notify or opinion.contact:
        return False
    waiting = exists().where(Notice.opinion_id == opinion.id, Notice.state == NoticeState.PENDING)
    return not session.scalar(select(waiting))


def unsubscribe(session: Session, token: str) -> bool:
    """Stop the notices of the opinion behind ``token`` and erase its contact. True when
    this changed something; False for an unknown token or one already used."""
    notice = find_by_token(session, token)
    if notice is None or is_unsubscribed(session, notice):
        return False
    opinion: Opinion = notice.opinion
    opinion.notify = False
    if opinion.contact:
        opinion.contact = ""
        opinion.contact_erased_at = utcnow()
    session.flush()  # the opinion's lock version moves: an open edit screen must reload
    cancel_open(session, [opinion.id], UNSUBSCRIBED)
    record_event(session, PUBLIC, "opinion.unsubscribe", "opinion", opinion.id, via=VIA)
    session.flush()
    return True
