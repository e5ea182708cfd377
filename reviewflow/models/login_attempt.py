from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow


class LoginAttempt(db.Model):
    """Failed and successful log-ins, for throttling (works across processes and databases)."""
    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(db.String(254), index=True)
    ip: Mapped[str] = mapped_column(db.String(64), index=True)
    success: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
