from .annotation import Annotation, AnnotationStatus
from .claim import Claim, Evidence, Relation
from .codebook import Theme, ThemeAnchor
from .dataset import ExportJob, JobStatus, Release
from .feedback import Comment, Criterion, Discussion, DiscussionDecision, Grade, Score
from .project import Membership, Project, Role
from .review import Decision, Review
from .session import Session, Submission
from .source import Passage, PassageKind, Source
from .upload import RemovedSource, SourceUpload, UploadStatus
from .worker import WorkerHeartbeat

__all__ = [
    "Annotation",
    "AnnotationStatus",
    "Claim",
    "Comment",
    "Criterion",
    "Decision",
    "Discussion",
    "DiscussionDecision",
    "Evidence",
    "ExportJob",
    "Grade",
    "JobStatus",
    "Membership",
    "Passage",
    "PassageKind",
    "Project",
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
    "Theme",
    "ThemeAnchor",
    "UploadStatus",
    "WorkerHeartbeat",
]
