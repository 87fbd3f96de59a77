"""Triage of a national consultation: the queue per law, campaign clusters, bulk actions
with their undo, and the office's report upward."""

from noticeboard.web.staff.triage import bulk, clusters, office_report, queue
from noticeboard.web.staff.triage.blueprint import bp

__all__ = ["bp", "bulk", "clusters", "office_report", "queue"]
