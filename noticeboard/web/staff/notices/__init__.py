"""``/staff/notices``: the outbox of outcome notices, and what the opinion page shows of
one opinion's notices."""

from noticeboard.web.staff.notices.pages import bp, opinion_notices

__all__ = ["bp", "opinion_notices"]
