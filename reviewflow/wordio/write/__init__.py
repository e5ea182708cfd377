"""Writing Word files: threads into an original (annotate), generated documents, the matrix.

Entry points (re-exported by ``reviewflow.wordio``): ``annotate_docx``, ``generate_docx``,
``matrix_docx``.
"""
from __future__ import annotations

from .annotate import annotate_docx
from .generate import generate_docx
from .matrix import matrix_docx

__all__ = ["annotate_docx", "generate_docx", "matrix_docx"]
