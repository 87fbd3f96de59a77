"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

from noticeboard.models.api_token import ApiToken
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
from noticeboard.models.decision import ChangeLink, Decision, EditorialMark, LinkDegree, ReasonCode
from noticeboard.models.job import Job, JobKind, JobPayload, JobState
from noticeboard.models.law import DraftVersion, Law, LawStatus, VersionStatus
from noticeboard.models.notice import Notice, NoticeChannel, NoticeState
from noticeboard.models.office import CollectionPoint, Office, OfficeTier
from noticeboard.models.opinion import (
    Channel,
    ContributorCategory,
    Opinion,
    Outcome,
    opinion_article,
)
from noticeboard.models.triage import (
    BulkAction,
    BulkActionItem,
    BulkKind,
    ClusterBand,
    OpinionCluster,
    OpinionMatch,
    OpinionTriage,
    QueueSummary,
    QueueSummaryBuild,
)
from noticeboard.models.user import Role, User

__all__ = [
    "AlignmentCorrection",
    "ApiToken",
    "AuditEvent",
    "Base",
    "BulkAction",
    "BulkActionItem",
    "BulkKind",
    "Change",
    "ChangeArticle",
    "ChangeKind",
    "ChangeLink",
    "Channel",
    "ClusterBand",
    "CollectionPoint",
    "ContributorCategory",
    "Decision",
    "DraftVersion",
    "EditorialMark",
    "Job",
    "JobKind",
    "JobPayload",
    "JobState",
    "Law",
    "LawStatus",
    "LinkDegree",
    "Notice",
    "NoticeChannel",
    "NoticeState",
    "Office",
    "OfficeTier",
    "Opinion",
    "OpinionCluster",
    "OpinionMatch",
    "OpinionTriage",
    "Outcome",
    "QueueSummary",
    "QueueSummaryBuild",
    "ReasonCode",
    "Role",
    "User",
    "VersionArticle",
    "VersionComparison",
    "VersionStatus",
    "opinion_article",
    "utcnow",
]
