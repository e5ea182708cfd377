"""Reading Word files: the guard, the walker (by element family), styles, comments, the reader.

``read_docx`` (in :mod:`.reader`) is the entry point; ``reviewflow.wordio`` re-exports it.
"""
from __future__ import annotations

from .dates import parse_word_date
from .guard import Package, check_package
from .reader import read_docx
from .walker import Para, Walker

__all__ = ["read_docx", "parse_word_date", "check_package", "Package", "Walker", "Para"]
