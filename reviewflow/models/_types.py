from sqlalchemy import CheckConstraint


def one_of(column: str, values, name: str) -> CheckConstraint:
    """A check constraint that backs a state enum: column IN (values)."""
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=name)
