"""The test tree's own rules: builders shared by tests live in tests/helpers/, and no test module
imports another test module (or a conftest): a test file can be moved, renamed or deleted
without breaking another one."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _module_name(path: Path) -> str:
    rel = path.relative_to(TESTS.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path):
    """(line, module) of every import of a module of the tests package in ``path``."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    return _imports_in(path.read_text(encoding="utf-8"), package)


def _imports_in(source: str, package: str):
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "tests" or alias.name.startswith("tests."):
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module != "tests" and not module.startswith("tests."):
                continue
            # "from tests.helpers import seed_sections" names a module; keep the full name
            for alias in node.names:
                yield (
                    node.lineno,
                    module + "." + alias.name if module in ("tests", "tests.helpers") else module,
                )


def _allowed(target: str) -> bool:
    return target.startswith("tests.helpers.") or target == "tests.helpers"


def test_no_test_module_imports_another_test_module():
    bad = []
    for path in sorted(TESTS.rglob("*.py")):
        for line, target in _imports(path):
            if _allowed(target):
                continue
            bad.append(f"{path.relative_to(TESTS.parent)}:{line} imports {target}")
    assert not bad, "move what is shared to tests/helpers/:\n" + "\n".join(bad)


def test_shared_builders_live_in_tests_helpers():
    stray = []
    for path in sorted(TESTS.rglob("*.py")):
        if path.name in ("__init__.py", "conftest.py") or path.name.startswith("test_"):
            continue
        name = _module_name(path)
        if name.startswith("tests.helpers."):
            continue
        stray.append(str(path.relative_to(TESTS.parent)))
    assert not stray, "helper modules outside tests/helpers/: " + ", ".join(stray)


def test_the_import_scan_sees_relative_and_absolute_imports():
    """The scan itself: relative and absolute imports of test modules are found, helpers allowed."""
    source = (
        "from .test_upload import upload\nimport tests.services.test_imports\n"
        "from tests.helpers import web\nfrom ..conftest import Helpers\nimport reviewflow.mapping\n"
    )
    targets = [t for _line, t in _imports_in(source, "tests.views")]
    assert targets == [
        "tests.views.test_upload",
        "tests.services.test_imports",
        "tests.helpers.web",
        "tests.conftest",
    ]
    assert [_allowed(t) for t in targets] == [False, False, True, False]
