"""Names for the types the services and the views pass around (annotations only)."""
from __future__ import annotations

from collections.abc import Set
from typing import Any, Protocol

Roles = Set[str]                 # the roles a user holds on a report: {"drafter"}, {"reviewer"} ...
Block = dict[str, Any]           # one block of section content (reviewflow.content): paragraph or table
Blocks = list[Block]             # a section's content


class Viewer(Protocol):
    """Who a page or an export is for: a user, or the command line's "everyone" (reviewflow.cli)."""

    @property
    def id(self) -> int | None: ...

    @property
    def organisation_id(self) -> int | None: ...

    @property
    def is_admin(self) -> bool: ...
