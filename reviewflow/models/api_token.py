from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from ._types import one_of

TOKEN_SCOPES = ("read", "write")


class ApiToken(db.Model):
    """A personal access token of the JSON API (/api/v1).  Only its SHA-256 is stored: the token
    itself is shown once, when it is created.  It acts as its user; ``scope`` "read" refuses writes."""
    __tablename__ = "api_token"
    __table_args__ = (one_of("scope", TOKEN_SCOPES, "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(db.String(100))
    scope: Mapped[str] = mapped_column(db.String(10), default="read")
    token_hash: Mapped[str] = mapped_column(db.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(db.String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id"))
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user = relationship("User", foreign_keys=[user_id])
    created_by = relationship("User", foreign_keys=[created_by_id])

    def state(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"
