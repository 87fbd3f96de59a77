"""The release, read by the build (pyproject's [tool.hatch.version]) and shown by the API.

Its own module so that the web layer can show it without importing the app factory."""

__version__ = "0.1.0"
