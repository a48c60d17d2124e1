from .annotation import Annotation, AnnotationStatus
from .claim import Claim, Evidence, Relation
from .codebook import Theme
from .dataset import ExportJob, JobStatus, Release
from .project import Membership, Project, Role
from .review import Decision, Review
from .session import Session, Submission
from .source import Passage, PassageKind, Source

__all__ = [
    "Annotation",
    "AnnotationStatus",
    "Claim",
    "Decision",
    "Evidence",
    "ExportJob",
    "JobStatus",
    "Membership",
    "Passage",
    "PassageKind",
    "Project",
    "Relation",
    "Release",
    "Review",
    "Role",
    "Session",
    "Source",
    "Submission",
    "Theme",
]
