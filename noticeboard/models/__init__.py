"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

from noticeboard.models.article import (
    AlignmentCorrection,
    Change,
    ChangeArticle,
    ChangeKind,
    VersionArticle,
    VersionComparison,
)
from noticeboard.models.audit import AuditEvent
from noticeboard.models.base import Base, utcnow
from noticeboard.models.law import DraftVersion, Law, LawStatus, VersionStatus
from noticeboard.models.office import Office, OfficeTier
from noticeboard.models.user import Role, User

__all__ = [
    "AlignmentCorrection",
    "AuditEvent",
    "Base",
    "Change",
    "ChangeArticle",
    "ChangeKind",
    "DraftVersion",
    "Law",
    "LawStatus",
    "Office",
    "OfficeTier",
    "Role",
    "User",
    "VersionArticle",
    "VersionComparison",
    "VersionStatus",
    "utcnow",
]
