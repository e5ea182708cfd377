"""Where the repository, the shared folder and its corpus of real Word files are."""
from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("REVIEWFLOW_SHARED", REPO.parent / "shared"))
CORPUS = Path(os.environ.get("REVIEWFLOW_CORPUS", SHARED / "corpus"))
