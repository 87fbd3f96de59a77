"""The triage screens' blueprint, ``staff.triage``: one blueprint for the modules beside
this one, each serving one screen (queue, clusters, bulk actions, the office's report)."""

from flask import Blueprint

bp = Blueprint("triage", __name__)
