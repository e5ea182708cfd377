"""The pure core imports nothing from Flask or the database layer (ARCHITECTURE rule 1)."""
import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[2] / "reviewflow"
CORE = ["wordio", "anchoring.py", "diffing.py", "checks", "workflow.py", "permissions.py", "content.py", "mapping.py",
        "report_templates", "money.py", "textnorm.py", "workbook", "suggesting.py"]
FORBIDDEN = ("flask", "flask_", "sqlalchemy", "reviewflow.extensions", "reviewflow.models", "reviewflow.services")


def _files():
    for name in CORE:
        path = PKG / name
        if path.is_dir():
            yield from sorted(path.rglob("*.py"))
        elif path.exists():
            yield path


LAYERS = ("extensions", "models", "services")


@pytest.mark.parametrize("path", list(_files()), ids=lambda p: str(p.relative_to(PKG)))
def test_core_module_is_pure(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                assert not alias.name.startswith(FORBIDDEN), f"{path.name} imports {alias.name}"
        elif isinstance(node, ast.ImportFrom) and not node.level:
            assert not (node.module or "").startswith(FORBIDDEN), f"{path.name} imports {node.module}"
        elif isinstance(node, ast.ImportFrom):
            targets = [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
            for t in targets:
                assert t not in LAYERS, f"{path.name} imports the {t} layer"
