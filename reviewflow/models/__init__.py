"""ORM entities, one per module."""
from .organisation import Organisation
from .user import User
from .login_attempt import LoginAttempt
from .project import Project
from .recipient import Recipient
from .report import Report, REPORT_STATES, REPORT_TYPES
from .membership import Membership, ROLES
from .section import Section
from .section_content import SectionContent
from .version import Version
from .version_section import VersionSection
from .upload import Upload
from .thread import Thread, THREAD_STATUSES, ANCHOR_STATUSES, SEVERITIES
from .thread_anchor import ThreadAnchor
from .comment import Comment
from .comment_edit import CommentEdit
from .signoff import SignOff
from .event import Event
from .notification import Notification
from .finding_note import FindingNote

__all__ = [
    "Organisation", "User", "LoginAttempt", "Project", "Recipient", "Report", "Membership",
    "Section", "SectionContent", "Version", "VersionSection", "Upload", "Thread", "ThreadAnchor",
    "Comment", "CommentEdit", "SignOff", "Event", "Notification", "FindingNote",
    "REPORT_STATES", "REPORT_TYPES", "ROLES", "THREAD_STATUSES", "ANCHOR_STATUSES", "SEVERITIES",
]
