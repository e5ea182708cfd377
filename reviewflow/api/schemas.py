"""The API's request and response shapes (marshmallow): they validate what comes in (unknown
fields refused) and describe what goes out in the OpenAPI document."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ..models import SEVERITIES, THREAD_KINDS, WEBHOOK_EVENTS


class Strict(Schema):
    class Meta:
        unknown = RAISE
        ordered = True


class Problem(Schema):
    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    code = fields.String(required=True)
    request_id = fields.String(required=True)
    errors = fields.Dict()
    current = fields.Dict()


class PageArgs(Strict):
    cursor = fields.String(validate=validate.Length(max=40), metadata={"description": "next_cursor of the page before"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class Page(Schema):
    next_cursor = fields.String(allow_none=True, required=True)


class Person(Schema):
    id = fields.Integer(allow_none=True, required=True)
    name = fields.String(required=True)
    organisation = fields.String(allow_none=True, required=True)


class Me(Person):
    email = fields.String(required=True)
    language = fields.String(required=True)
    is_admin = fields.Boolean(required=True)
    token = fields.Dict(required=True)


class ReportSummary(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    template = fields.String(required=True)
    type = fields.String(required=True)
    year = fields.Integer(required=True)
    state = fields.String(required=True)
    latest_version = fields.Integer(required=True)
    roles = fields.List(fields.String(), required=True)
    open_threads = fields.Integer(required=True)
    created_at = fields.String(required=True)


class ReportPage(Page):
    items = fields.List(fields.Nested(ReportSummary), required=True)


class Member(Person):
    role = fields.String(required=True)
    lead = fields.Boolean(required=True)


class ReportDetail(ReportSummary):
    outcomes = fields.Integer(required=True)
    members = fields.List(fields.Nested(Member), required=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    actions = fields.List(fields.String(), required=True)


class VersionSummary(Schema):
    number = fields.Integer(required=True)
    source = fields.String(required=True)
    base = fields.Integer(allow_none=True, required=True)
    note = fields.String(required=True)
    created_at = fields.String(required=True)
    created_by = fields.Nested(Person, allow_none=True, required=True)
    changed = fields.List(fields.String(), required=True)


class VersionPage(Page):
    items = fields.List(fields.Nested(VersionSummary), required=True)


class SectionOut(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    kind = fields.String(required=True)
    limit = fields.Integer(allow_none=True, required=True)
    text = fields.String(required=True)
    blocks = fields.List(fields.Dict(), required=True)
    chars = fields.Integer(required=True)
    chars_no_spaces = fields.Integer(required=True)
    sha256 = fields.String(required=True)


class VersionDetail(VersionSummary):
    sections = fields.List(fields.Nested(SectionOut), required=True)


class DiffOp(Schema):
    op = fields.String(required=True, metadata={"description": "equal, insert or delete"})
    text = fields.String(required=True)


class SectionDiff(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    chars_before = fields.Integer(required=True)
    chars_after = fields.Integer(required=True)
    ops = fields.List(fields.Nested(DiffOp), required=True)


class CompareArgs(Strict):
    from_ = fields.Integer(data_key="from", required=True, validate=validate.Range(min=1, max=2**31 - 1))
    to = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    section = fields.String(validate=validate.Length(max=80))


class Comparison(Schema):
    from_ = fields.Integer(data_key="from", required=True)
    to = fields.Integer(required=True)
    sections = fields.List(fields.Nested(SectionDiff), required=True)


class Anchor(Schema):
    kind = fields.String(required=True)
    status = fields.String(required=True)
    score = fields.Float(required=True)
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    quote = fields.String(required=True)
    cell = fields.String(allow_none=True, required=True)


class CommentOut(Schema):
    id = fields.Integer(required=True)
    author = fields.Nested(Person, required=True)
    body = fields.String(required=True)
    created_at = fields.String(required=True)
    edited_at = fields.String(allow_none=True, required=True)


class ThreadOut(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    section = fields.String(required=True)
    version = fields.Integer(required=True)
    status = fields.String(required=True)
    severity = fields.String(required=True)
    internal = fields.Boolean(required=True)
    anchor = fields.Nested(Anchor, required=True)
    created_by = fields.Nested(Person, allow_none=True, required=True)
    created_at = fields.String(required=True)
    addressed_in = fields.Integer(allow_none=True, required=True)
    resolved_by = fields.Nested(Person, allow_none=True, required=True)
    resolved_at = fields.String(allow_none=True, required=True)
    resolution_note = fields.String(required=True)
    replacement = fields.String(allow_none=True, required=True)
    decision = fields.String(allow_none=True, required=True)
    etag = fields.String(required=True)


class ThreadDetail(ThreadOut):
    comments = fields.List(fields.Nested(CommentOut), required=True)


class ThreadPage(Page):
    items = fields.List(fields.Nested(ThreadOut), required=True)


class ThreadArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(("open", "addressed", "resolved", "orphaned", "all")),
                           metadata={"description": "default: what is left to do (not resolved)"})
    mine = fields.Boolean()
    reviewer = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    section = fields.String(validate=validate.Length(max=80))
    blocking = fields.Boolean()
    kind = fields.String(validate=validate.OneOf(THREAD_KINDS))
    version = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1),
                             metadata={"description": "only the threads sitting on this version"})


class NewThread(Strict):
    section = fields.String(required=True, validate=validate.Length(min=1, max=80))
    body = fields.String(required=True, validate=validate.Length(max=20000))
    version = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1),
                             metadata={"description": "the version the offsets are on (default: the latest)"})
    start = fields.Integer(validate=validate.Range(min=0, max=2**31 - 1))
    end = fields.Integer(validate=validate.Range(min=0, max=2**31 - 1))
    quote = fields.String(validate=validate.Length(max=20000),
                          metadata={"description": "the words between start and end, checked against the text"})
    severity = fields.String(load_default="normal", validate=validate.OneOf(SEVERITIES))
    internal = fields.Boolean(load_default=False, metadata={"description": "visible to your organisation only"})


class Reply(Strict):
    body = fields.String(required=True, validate=validate.Length(max=20000))
    reopen = fields.Boolean(allow_none=True, load_default=None,
                            metadata={"description": "on a resolved thread: reopen it (true) or not (false)"})


class Address(Strict):
    version = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    body = fields.String(load_default="", validate=validate.Length(max=20000))


class Note(Strict):
    note = fields.String(load_default="", validate=validate.Length(max=20000))


class FindingOut(Schema):
    fingerprint = fields.String(required=True)
    code = fields.String(required=True)
    severity = fields.String(required=True)
    section = fields.String(allow_none=True, required=True)
    message = fields.String(required=True)
    start = fields.Integer(allow_none=True, required=True)
    end = fields.Integer(allow_none=True, required=True)
    note = fields.String(allow_none=True, required=True)


class Findings(Schema):
    version = fields.Integer(required=True)
    summary = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    items = fields.List(fields.Nested(FindingOut), required=True)


class RequirementOut(Schema):
    code = fields.String(required=True)
    met = fields.Boolean(required=True)
    count = fields.Integer(required=True)
    blocks = fields.Boolean(required=True, metadata={"description": "false: counted, never refuses sign-off"})


class SignatureOut(Schema):
    approver = fields.Nested(Person, required=True)
    decision = fields.String(allow_none=True, required=True)
    version = fields.Integer(allow_none=True, required=True)
    at = fields.String(allow_none=True, required=True)


class SignoffStatus(Schema):
    state = fields.String(required=True)
    version = fields.Integer(required=True)
    requirements = fields.List(fields.Nested(RequirementOut), required=True)
    signatures = fields.List(fields.Nested(SignatureOut), required=True)
    all_signed = fields.Boolean(required=True)


class Sign(Strict):
    version = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    decision = fields.String(load_default="approve", validate=validate.OneOf(("approve", "reject")))
    note = fields.String(load_default="", validate=validate.Length(max=20000))
    override = fields.String(load_default="", validate=validate.Length(max=20000))


class WorkflowAction(Strict):
    action = fields.String(required=True, validate=validate.Length(min=1, max=40))
    note = fields.String(load_default="", validate=validate.Length(max=20000))


class StateOut(Schema):
    id = fields.Integer(required=True)
    state = fields.String(required=True)
    actions = fields.List(fields.String(), required=True)


class SectionEdit(Strict):
    text = fields.String(validate=validate.Length(max=200000),
                         metadata={"description": "one paragraph per line, '- ' for list items"})
    rows = fields.List(fields.List(fields.String(validate=validate.Length(max=20000)),
                                   validate=validate.Length(max=50)),
                       validate=validate.Length(max=500),
                       metadata={"description": "table sections: the cells, row by row"})
    note = fields.String(load_default="", validate=validate.Length(max=500))


class SectionState(Schema):
    key = fields.String(required=True)
    version = fields.Integer(required=True)
    text = fields.String(required=True)
    blocks = fields.List(fields.Dict(), required=True)
    chars = fields.Integer(required=True)
    etag = fields.String(required=True)


class MatrixOut(Schema):
    columns = fields.List(fields.String(), required=True)
    rows = fields.List(fields.List(fields.String()), required=True)


class ExportArgs(Strict):
    version = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    resolved = fields.Boolean(load_default=True)


class NewSuggestion(Strict):
    section = fields.String(required=True, validate=validate.Length(min=1, max=80))
    start = fields.Integer(required=True, validate=validate.Range(min=0, max=2**31 - 1))
    end = fields.Integer(required=True, validate=validate.Range(min=0, max=2**31 - 1))
    replacement = fields.String(required=True, validate=validate.Length(max=20000),
                                metadata={"description": "the proposed words (empty: delete them)"})
    quote = fields.String(validate=validate.Length(max=20000))
    version = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    note = fields.String(load_default="", validate=validate.Length(max=20000))


class Decide(Strict):
    decision = fields.String(required=True, validate=validate.OneOf(("accept", "reject")))
    ids = fields.List(fields.Integer(validate=validate.Range(min=1, max=2**31 - 1)), validate=validate.Length(max=500))
    reviewer = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    section = fields.String(validate=validate.Length(max=80))
    reason = fields.String(load_default="", validate=validate.Length(max=20000))
    replacement = fields.String(validate=validate.Length(max=20000))


class DecisionOut(Schema):
    decision = fields.String(required=True)
    version = fields.Integer(allow_none=True, required=True)
    decided = fields.List(fields.Integer(), required=True)
    skipped = fields.List(fields.Integer(), required=True)


class SignatureDone(Schema):
    id = fields.Integer(required=True)
    decision = fields.String(required=True)
    version = fields.Integer(required=True)
    state = fields.String(required=True)


class SectionSaved(SectionState):
    created = fields.Boolean(required=True, metadata={"description": "false: nothing changed, no new version"})


class NewWebhook(Strict):
    url = fields.String(required=True, validate=validate.Length(min=1, max=500))
    report = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    organisation = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1),
                                  metadata={"description": "every report it takes part in, and its internal threads"})
    events = fields.List(fields.String(validate=validate.OneOf(WEBHOOK_EVENTS)), validate=validate.Length(max=10))


class WebhookOut(Schema):
    id = fields.Integer(required=True)
    url = fields.String(required=True)
    report = fields.Integer(allow_none=True, required=True)
    organisation = fields.Integer(allow_none=True, required=True)
    events = fields.List(fields.String(), required=True)
    active = fields.Boolean(required=True)


class WebhookCreated(WebhookOut):
    secret = fields.String(required=True, metadata={"description": "the signing secret, shown once"})


class WebhookList(Schema):
    items = fields.List(fields.Nested(WebhookOut), required=True)


class DeliveryOut(Schema):
    id = fields.Integer(required=True)
    event = fields.String(required=True)
    status = fields.String(required=True)
    attempts = fields.Integer(required=True)
    response_status = fields.Integer(allow_none=True, required=True)
    error = fields.String(required=True)
    created_at = fields.String(required=True)
    next_attempt_at = fields.String(allow_none=True, required=True)
    delivered_at = fields.String(allow_none=True, required=True)


class DeliveryList(Schema):
    items = fields.List(fields.Nested(DeliveryOut), required=True)


class UploadArgs(Strict):
    mode = fields.String(validate=validate.OneOf(["version", "review"]),
                         metadata={"description": "version (drafters: the next version) or review (comments and "
                                                  "tracked changes); default: version for drafters, else review"})
    filename = fields.String(load_default="upload.docx", validate=validate.Length(min=1, max=200))
    accept_other_report = fields.Boolean(
        load_default=False, metadata={"description": "import a file whose provenance names another report"})


class ImportPlanOut(Schema):
    plan = fields.Integer(required=True)
    mode = fields.String(required=True)
    base_version = fields.Integer(allow_none=True)
    latest_version = fields.Integer(allow_none=True)
    sections_changed = fields.List(fields.String())
    sections_kept_absent = fields.List(fields.String())
    conflicts = fields.List(fields.String(), metadata={"description": "sections changed on both sides: settle "
                                                                      "each on confirm"})
    unmapped_chars = fields.Integer()
    comments_new = fields.Integer()
    already_known = fields.Integer()
    tracked_changes = fields.Integer()


class ConfirmImport(Strict):
    resolve = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(["keep", "file"]),
                            metadata={"description": "every conflict: keep the report's text or take the file's"})
    sections = fields.Dict(keys=fields.String(validate=validate.Length(max=200)),
                           values=fields.String(validate=validate.OneOf(["keep", "file"])), load_default=dict,
                           metadata={"description": "a choice per conflicting section"})
    edits = fields.Dict(keys=fields.String(validate=validate.Length(max=200)),
                        values=fields.String(validate=validate.Length(max=200000)), load_default=dict,
                        metadata={"description": "a conflicting section settled with this text"})
    authors = fields.Dict(keys=fields.String(validate=validate.Length(max=200)),
                          values=fields.Integer(validate=validate.Range(min=1, max=2**31 - 1)), load_default=dict,
                          metadata={"description": "Word author -> member id, as the plan's authors_to_confirm offer"})


class ImportDone(Schema):
    landed = fields.Boolean(required=True)
    version = fields.Integer(allow_none=True, metadata={"description": "the new version; null: nothing changed"})
    on_version = fields.Integer(allow_none=True)
    threads_created = fields.Integer()
    sections_changed = fields.List(fields.String())
