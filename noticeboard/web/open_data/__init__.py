"""``/open-data``: the bulk downloads and their data dictionary."""

from noticeboard.web.open_data.downloads import bp

__all__ = ["bp"]
