from .annotation import Annotation, AnnotationStatus
from .claim import Claim, Evidence, Relation
from .codebook import Theme, ThemeAnchor
from .dataset import ExportJob, JobStatus, Release
from .deletion import ProjectDeletion
from .event import Event
from .feedback import Comment, Criterion, Discussion, DiscussionDecision, Grade, Score
from .invitation import Invitation, InvitationKind
from .notification import MailChoice, Notification, NotificationKind, NotificationSettings
from .project import LICENCE_URLS, Licence, Membership, Project, Role
from .review import Decision, Review
from .session import Session, Submission
from .source import Passage, PassageKind, Source
from .suggestion import (
    BulkAcceptance,
    Recommender,
    RecommenderEvaluation,
    RecommenderSettings,
    Suggestion,
    SuggestionRejection,
)
from .upload import RemovedSource, SourceUpload, UploadStatus
from .worker import WorkerHeartbeat

__all__ = [
    "LICENCE_URLS",
    "Annotation",
    "AnnotationStatus",
    "BulkAcceptance",
    "Claim",
    "Comment",
    "Criterion",
    "Decision",
    "Discussion",
    "DiscussionDecision",
    "Event",
    "Evidence",
    "ExportJob",
    "Grade",
    "Invitation",
    "InvitationKind",
    "JobStatus",
    "Licence",
    "MailChoice",
    "Membership",
    "Notification",
    "NotificationKind",
    "NotificationSettings",
    "Passage",
    "PassageKind",
    "Project",
    "ProjectDeletion",
    "Recommender",
    "RecommenderEvaluation",
    "RecommenderSettings",
    "Relation",
    "Release",
    "RemovedSource",
    "Review",
    "Role",
    "Score",
    "Session",
    "Source",
    "SourceUpload",
    "Submission",
    "Suggestion",
    "SuggestionRejection",
    "Theme",
    "ThemeAnchor",
    "UploadStatus",
    "WorkerHeartbeat",
]
