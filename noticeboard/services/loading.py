"""Explicit loads for services that walk relationships of objects they were handed.

During a request every relationship is raiseload in the tests (RAISELOAD_RELATIONSHIPS),
so pages get what their service loaded and nothing is fetched behind a template's back.
A service that needs a relationship its caller may not have loaded (the articles of a
version it compares, the law of a version it publishes) says so here: the attribute is
loaded once, explicitly, and stays loaded.
"""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.orm import Session


def ensure_loaded(session: Session, instance: object, *relationships: str) -> None:
    """Load the named relationships of ``instance`` that are not loaded yet. New objects
    (not yet flushed) hold what was assigned to them and need no load."""
    state = inspect(instance)
    missing = [name for name in relationships if name in state.unloaded]
    if missing and state.persistent:
        session.refresh(instance, missing)
