"""The public site: home and search (``home.bp``, the area's blueprint), and a child blueprint
per module: laws (``/laws``), adoption boards, the comment form, offices, statistics, receipt
tracking, the Atom feeds and the outcome notices' unsubscribe link."""

from noticeboard.web.public import (
    adoptions,
    comment,
    feeds,
    laws,
    notices,
    offices,
    stats,
    track,
)
from noticeboard.web.public.home import bp

for _child in (laws, adoptions, comment, offices, stats, track, feeds, notices):
    bp.register_blueprint(_child.bp)

__all__ = ["bp"]
