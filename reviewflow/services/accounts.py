"""Users, organisations, memberships and log-in (with throttling)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import LoginAttempt, Membership, Organisation, Report, User
from ..permissions import ROLES
from ..timeutil import utcnow
from . import audit
from .errors import N_, Conflict, Invalid, NotFound, TooManyAttempts
from .types import Viewer

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


def get_or_create_org(name: str, *, kind: str = "agency") -> Organisation:
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise Invalid(N_("An organisation needs a name of at most 120 characters."))
    org = db.session.scalar(select(Organisation).where(func.lower(Organisation.name) == name.lower()))
    if org is None:
        org = Organisation(name=name, kind=kind)
        db.session.add(org)
        db.session.flush()
    return org


def create_user(email: str, *, name: str, password: str, org_name: str | None = None, is_admin: bool = False,
                language: str = "fr", actor: User | None = None, now: datetime | None = None) -> User:
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


def update_user(user: User, *, actor: User | None, name: str | None = None, org_name: str | None = None,
                language: str | None = None, active: bool | None = None, is_admin: bool | None = None,
                password: str | None = None, now: datetime | None = None) -> User:
    changes: dict[str, str | bool] = {}
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


def _failures(email_key: str, ip: str, since: datetime, *, exclude: int | None = None) -> tuple[int, int]:
    q_email = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.email == email_key, LoginAttempt.success.is_(False), LoginAttempt.created_at >= since)
    q_ip = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.ip == ip, LoginAttempt.success.is_(False), LoginAttempt.created_at >= since)
    if exclude is not None:
        q_email, q_ip = q_email.where(LoginAttempt.id != exclude), q_ip.where(LoginAttempt.id != exclude)
    return db.session.scalar(q_email) or 0, db.session.scalar(q_ip) or 0


def begin_login(email: str | None, *, ip: str, throttle: Throttle,
                now: datetime | None = None) -> LoginAttempt:
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


def finish_login(attempt: LoginAttempt, password: str | None, *, throttle: Throttle,
                 now: datetime | None = None) -> User | None:
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


def authenticate(email: str | None, password: str | None, *, ip: str, throttle: Throttle | None = None,
                 now: datetime | None = None) -> User | None:
    """Both steps in one transaction (for callers that cannot commit in between, e.g. tests)."""
    throttle = throttle or Throttle()
    attempt = begin_login(email, ip=ip, throttle=throttle, now=now)
    return finish_login(attempt, password, throttle=throttle, now=now)


def roles_on(user: Viewer | None, report: Report) -> set[str]:
    if user is None or not getattr(user, "id", None):
        return set()
    return set(db.session.scalars(select(Membership.role).where(
        Membership.report_id == report.id, Membership.user_id == user.id)))


def is_lead(user: User, report: Report) -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.report_id == report.id, Membership.user_id == user.id, Membership.is_lead.is_(True))))


def add_member(report: Report, user: User, role: str, *, actor: User | None, is_lead: bool = False,
               now: datetime | None = None) -> Membership:
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


def remove_member(membership: Membership, *, actor: User | None, now: datetime | None = None) -> None:
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


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        raise NotFound(N_("This page does not exist, or it is not shared with you."))
    return user


def get_membership(report: Report, membership_id: int | None) -> Membership:
    """A membership of this report; NotFound for another report's."""
    m = db.session.get(Membership, membership_id) if isinstance(membership_id, int) else None
    if m is None or m.report_id != report.id:
        raise NotFound(N_("This page does not exist, or it is not shared with you."))
    return m


def user_by_email(email: str | None) -> User:
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise NotFound(N_("No user with e-mail %(email)s."), email=email)
    return user
