"""Tests of reviewflow.wordio.read (mirrors the package)."""
