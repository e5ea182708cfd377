"""Users, organisations, memberships and log-in (with throttling)."""
from datetime import timedelta

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import LoginAttempt, Membership, Organisation, Report, User
from ..permissions import ROLES
from ..timeutil import utcnow
from . import audit
from .errors import N_, Conflict, Invalid, NotFound, TooManyAttempts

NAME_MAX = 120
PASSWORD_MIN = 8


def normalize_email(email: str) -> str:
    email = (email or "").strip()
    if len(email) > 254:
        raise Invalid(N_("The e-mail address is too long."))
    try:
        result = validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise Invalid(N_("Invalid e-mail address: %(reason)s"), reason=str(exc)) from None
    return result.normalized.lower()


def get_or_create_org(name: str, *, kind="agency") -> Organisation:
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise Invalid(N_("An organisation needs a name of at most 120 characters."))
    org = db.session.scalar(select(Organisation).where(func.lower(Organisation.name) == name.lower()))
    if org is None:
        org = Organisation(name=name, kind=kind)
        db.session.add(org)
        db.session.flush()
    return org


def create_user(email, *, name, password, org_name=None, is_admin=False, language="fr", actor=None,
                now=None) -> User:
    email = normalize_email(email)
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise Invalid(N_("A name is required (at most %(n)s characters)."), n=NAME_MAX)
    if len(password or "") < PASSWORD_MIN:
        raise Invalid(N_("The password must have at least %(n)s characters."), n=PASSWORD_MIN)
    if len(password) > 200:
        raise Invalid(N_("The password is too long."))
    if language not in ("fr", "en"):
        raise Invalid(N_("Language must be fr or en."))
    if db.session.scalar(select(User).where(User.email == email)):
        raise Conflict(N_("A user with e-mail %(email)s already exists."), email=email)
    user = User(email=email, name=name, is_admin=is_admin, language=language, active=True,
                created_at=now or utcnow())
    if org_name:
        user.organisation = get_or_create_org(org_name)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", actor=actor, obj=user, details={"email": email, "admin": is_admin}, now=now)
    return user


def update_user(user, *, actor, name=None, org_name=None, language=None, active=None, is_admin=None,
                password=None, now=None):
    changes = {}
    if name is not None:
        name = name.strip()
        if not name or len(name) > NAME_MAX:
            raise Invalid(N_("A name is required (at most %(n)s characters)."), n=NAME_MAX)
        user.name, changes["name"] = name, name
    if org_name is not None:
        user.organisation = get_or_create_org(org_name) if org_name.strip() else None
        changes["organisation"] = org_name
    if language is not None:
        if language not in ("fr", "en"):
            raise Invalid(N_("Language must be fr or en."))
        user.language, changes["language"] = language, language
    if active is not None:
        if actor is not None and actor.id == user.id and not active:
            raise Invalid(N_("You cannot deactivate your own account."))
        user.active, changes["active"] = bool(active), bool(active)
    if is_admin is not None:
        if actor is not None and actor.id == user.id and not is_admin:
            raise Invalid(N_("You cannot remove your own administrator rights."))
        user.is_admin, changes["admin"] = bool(is_admin), bool(is_admin)
    if password is not None:
        if len(password) < PASSWORD_MIN:
            raise Invalid(N_("The password must have at least %(n)s characters."), n=PASSWORD_MIN)
        if len(password) > 200:
            raise Invalid(N_("The password is too long."))
        user.set_password(password)
        changes["password"] = "changed"
    db.session.flush()
    audit.record("user.updated", actor=actor, obj=user, details=changes, now=now)
    return user


@dataclass
class Throttle:
    max_failures: int = 5
    max_failures_ip: int = 30
    window_seconds: int = 900


def _failures(email_key, ip, since, *, exclude=None):
    q_email = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.email == email_key, LoginAttempt.success.is_(False), LoginAttempt.created_at >= since)
    q_ip = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.ip == ip, LoginAttempt.success.is_(False), LoginAttempt.created_at >= since)
    if exclude is not None:
        q_email, q_ip = q_email.where(LoginAttempt.id != exclude), q_ip.where(LoginAttempt.id != exclude)
    return db.session.scalar(q_email), db.session.scalar(q_ip)


def begin_login(email, *, ip, throttle: Throttle, now=None) -> LoginAttempt:
    """Record a log-in attempt (as failed until proven otherwise) before any password is checked,
    so that parallel guesses all count; TooManyAttempts when the account or address is throttled.
    The caller commits the attempt, then calls ``finish_login``."""
    now = now or utcnow()
    email_key = (email or "").strip().lower()[:254]
    failures, failures_ip = _failures(email_key, ip, now - timedelta(seconds=throttle.window_seconds))
    if failures >= throttle.max_failures or failures_ip >= throttle.max_failures_ip:
        raise TooManyAttempts(N_("Too many failed log-in attempts. Wait a few minutes and try again."),
                              retry_after=throttle.window_seconds)
    attempt = LoginAttempt(email=email_key, ip=ip, success=False, created_at=now)
    db.session.add(attempt)
    db.session.flush()
    return attempt


_DUMMY_HASH = generate_password_hash("not a password", method="scrypt")


def finish_login(attempt: LoginAttempt, password, *, throttle: Throttle, now=None):
    """The user when the password is right (the attempt then counts as a success), else None.
    Unknown accounts take as long as known ones (a dummy hash is checked)."""
    now = now or utcnow()
    failures, failures_ip = _failures(attempt.email, attempt.ip,
                                      attempt.created_at - timedelta(seconds=throttle.window_seconds),
                                      exclude=attempt.id)
    if failures >= throttle.max_failures or failures_ip >= throttle.max_failures_ip:
        raise TooManyAttempts(N_("Too many failed log-in attempts. Wait a few minutes and try again."),
                              retry_after=throttle.window_seconds)
    user = db.session.scalar(select(User).where(User.email == attempt.email)) if attempt.email else None
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    ok = user.check_password(password or "") and user.active
    if ok:
        attempt.success = True
        user.last_login_at = now
    db.session.flush()
    return user if ok else None


def authenticate(email, password, *, ip, throttle: Throttle | None = None, now=None):
    """Both steps in one transaction (for callers that cannot commit in between, e.g. tests)."""
    throttle = throttle or Throttle()
    attempt = begin_login(email, ip=ip, throttle=throttle, now=now)
    return finish_login(attempt, password, throttle=throttle, now=now)


def roles_on(user, report) -> set[str]:
    if user is None or not getattr(user, "id", None):
        return set()
    return set(db.session.scalars(select(Membership.role).where(
        Membership.report_id == report.id, Membership.user_id == user.id)))


def is_lead(user, report) -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.report_id == report.id, Membership.user_id == user.id, Membership.is_lead.is_(True))))


def add_member(report, user, role, *, actor, is_lead=False, now=None) -> Membership:
    if role not in ROLES:
        raise Invalid(N_("Role must be one of %(roles)s."), roles=", ".join(ROLES))
    existing = db.session.scalar(select(Membership).where(
        Membership.report_id == report.id, Membership.user_id == user.id, Membership.role == role))
    if existing:
        if existing.is_lead != is_lead:
            existing.is_lead = is_lead
            db.session.flush()
            audit.record("member.updated", actor=actor, report=report, obj=existing,
                         details={"user": user.email, "role": role, "lead": is_lead}, now=now)
        return existing
    m = Membership(report_id=report.id, user_id=user.id, role=role, is_lead=is_lead, created_at=now or utcnow())
    db.session.add(m)
    db.session.flush()
    audit.record("member.added", actor=actor, report=report, obj=m,
                 details={"user": user.email, "role": role, "lead": is_lead}, now=now)
    return m


def remove_member(membership, *, actor, now=None):
    report = db.session.get(Report, membership.report_id)
    details = {"user": membership.user.email, "role": membership.role}
    db.session.delete(membership)
    db.session.flush()
    audit.record("member.removed", actor=actor, report=report, details=details, now=now)


def users() -> list[User]:
    """Every account, by name (the administration page)."""
    return list(db.session.scalars(select(User).order_by(User.name)))


def active_users() -> list[User]:
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)))


def organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


def get_user(user_id) -> User:
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        raise NotFound(N_("This page does not exist, or it is not shared with you."))
    return user


def get_membership(report, membership_id) -> Membership:
    """A membership of this report; NotFound for another report's."""
    m = db.session.get(Membership, membership_id) if isinstance(membership_id, int) else None
    if m is None or m.report_id != report.id:
        raise NotFound(N_("This page does not exist, or it is not shared with you."))
    return m


def user_by_email(email) -> User:
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise NotFound(N_("No user with e-mail %(email)s."), email=email)
    return user
