from datetime import datetime

from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..timeutil import utcnow
from ._types import one_of

LANGUAGES = ("fr", "en")
# Set from the configuration by create_app(); tests use a cheaper setting.
PASSWORD_METHOD = {"method": "scrypt"}


class User(UserMixin, db.Model):
    __tablename__ = "user_account"
    __table_args__ = (one_of("language", LANGUAGES, "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(db.String(254), unique=True)
    name: Mapped[str] = mapped_column(db.String(120))
    password_hash: Mapped[str] = mapped_column(db.String(255))
    organisation_id: Mapped[int | None] = mapped_column(db.ForeignKey("organisation.id"), index=True)
    language: Mapped[str] = mapped_column(db.String(2), default="fr")
    active: Mapped[bool] = mapped_column(default=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    organisation = relationship("Organisation")

    @property
    def is_active(self):  # Flask-Login: inactive users cannot log in
        return bool(self.active)

    def get_id(self):
        """Flask-Login's session and remember-me id: the user id and a fingerprint of the
        password hash, so that changing the password ends every other session."""
        return f"{self.id}:{self.session_token}"

    @property
    def session_token(self) -> str:
        import hashlib
        return hashlib.sha256((self.password_hash or "").encode()).hexdigest()[:16]

    def set_password(self, password: str, method: str | None = None):
        self.password_hash = generate_password_hash(password, method=method or PASSWORD_METHOD["method"])

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def display(self):
        org = f" ({self.organisation.name})" if self.organisation else ""
        return f"{self.name}{org}"

    def __repr__(self):
        return f"<User {self.email}>"
