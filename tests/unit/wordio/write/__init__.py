"""Tests of reviewflow.wordio.write (mirrors the package)."""
