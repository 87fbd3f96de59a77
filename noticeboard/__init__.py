"""Noticeboard: did my opinion on the draft law change anything?"""

from noticeboard.app import create_app

__version__ = "0.1.0"
__all__ = ["__version__", "create_app"]
