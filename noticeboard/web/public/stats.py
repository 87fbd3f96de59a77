"""Public statistics: charts drawn on the server as SVG, each with its table."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext as _

from noticeboard.extensions import db
from noticeboard.services.public.stats import Period, Stats, public_stats
from noticeboard.services.triage.campaigns import CampaignFigures, campaign_figures
from noticeboard.web.core.names import localized
from noticeboard.web.core.vocabulary import CHANNEL, OUTCOME
from noticeboard.web.public.charts import bar_chart, line_chart, share_bar
from noticeboard.web.public.home import cached

bp = Blueprint("stats", __name__)

TOP_OFFICES = 12


def period_label(period: Period) -> str:
    if period.unit == "month":
        return f"{period.year}-{period.part:02d}"
    if period.unit == "quarter":
        return _("%(year)d Q%(quarter)d", year=period.year, quarter=period.part)
    return str(period.year)


@bp.get("/stats")
def index() -> str:
    stats: Stats = cached("stats", lambda: public_stats(db.session()))
    campaigns: CampaignFigures = cached("campaigns", lambda: campaign_figures(db.session()))
    offices = [
        (localized(o.name, o.name_en) if o.name else _("Online, through no office"), o.opinions, 0)
        for o in stats.per_office[:TOP_OFFICES]
    ]
    rest = sum(o.opinions for o in stats.per_office[TOP_OFFICES:])
    if rest:
        offices.append((_("Other offices"), rest, 0))
    return render_template(
        "public/stats.html",
        stats=stats,
        campaigns=campaigns,
        laws=bar_chart(
            [(localized(w.title, w.title_en), w.opinions, w.adopted) for w in stats.per_law]
        ),
        offices=bar_chart(offices),
        channels=bar_chart([(CHANNEL.public(c), n, 0) for c, n in stats.per_channel]),
        outcomes=share_bar([(o.value, OUTCOME.public(o), n) for o, n in stats.outcomes if n]),
        adoption=line_chart(
            [(period_label(p), p.rate, p.decided, p.adopted) for p in stats.adoption]
        ),
    )
