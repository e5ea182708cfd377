"""ORM entities, one per module."""
from .api_token import TOKEN_SCOPES, ApiToken
from .comment import Comment
from .comment_edit import CommentEdit
from .event import Event
from .finding_note import FindingNote
from .import_plan import PLAN_STATUSES, ImportPlan
from .login_attempt import LoginAttempt
from .membership import ROLES, Membership
from .notification import Notification
from .organisation import Organisation
from .project import Project
from .recipient import Recipient
from .report import REPORT_STATES, REPORT_TYPES, Report
from .section import Section
from .section_content import SectionContent
from .signoff import SignOff
from .thread import ANCHOR_KINDS, ANCHOR_STATUSES, SEVERITIES, THREAD_KINDS, THREAD_STATUSES, Thread
from .thread_anchor import ThreadAnchor
from .upload import Upload
from .user import User
from .version import Version
from .version_section import VersionSection
from .workbook_file import WorkbookFile

__all__ = [
    "Organisation", "User", "LoginAttempt", "Project", "Recipient", "Report", "Membership",
    "Section", "SectionContent", "Version", "VersionSection", "Upload", "Thread", "ThreadAnchor",
    "Comment", "CommentEdit", "SignOff", "Event", "Notification", "FindingNote", "WorkbookFile",
    "ApiToken", "TOKEN_SCOPES",
    "REPORT_STATES", "REPORT_TYPES", "ROLES", "THREAD_STATUSES", "ANCHOR_STATUSES", "SEVERITIES",
    "ANCHOR_KINDS",
    "THREAD_KINDS",
    "ImportPlan", "PLAN_STATUSES",
]
