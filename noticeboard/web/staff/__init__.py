"""The staff area, ``/staff``: sign-in and the dashboard (``home.bp``, the area's blueprint),
and a child blueprint per module, each named for the URL it serves: ``/staff/opinions`` is
``opinions.py``, ``/staff/opinions/import`` is ``imports.py``, ``/staff/laws`` is ``laws.py``."""

from noticeboard.web.staff import (
    alignment,
    boards,
    decisions,
    imports,
    jobs,
    laws,
    notices,
    offices,
    opinion_list,
    opinions,
    reports,
    tokens,
    triage,
)
from noticeboard.web.staff.home import bp

for _child in (
    laws,
    alignment,
    reports,
    decisions,
    offices,
    imports,
    jobs,
    notices,
    opinion_list,
    opinions,
    boards,
    tokens,
    triage,
):
    bp.register_blueprint(_child.bp)

__all__ = ["bp"]
