"""Noticeboard: did my opinion on the draft law change anything?"""

from noticeboard.app import create_app
from noticeboard.version import __version__

__all__ = ["__version__", "create_app"]
