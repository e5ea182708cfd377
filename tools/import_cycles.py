"""Import cycles among reviewflow's modules, and imports hidden inside functions.

    python tools/import_cycles.py [package-prefix ...]     e.g. reviewflow.services

Reads the sources with ``ast`` (nothing is imported), builds the graph of module-level
imports between reviewflow's modules, and prints every strongly connected component with more
than one module (a cycle), then every import made inside a function or method (the usual way a
cycle is dodged).  With prefixes, only modules under them are looked at (both ends of an edge).
Exit status 1 when a cycle is found.  ``from . import x`` counts as importing the submodule x
when x is a module, else the package.  The checks plugin registry (the package importing its
plugins, the plugins importing the engine) is the one declared exception: ``reviewflow.checks``
importing its own submodules is left out.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "reviewflow"
EXCEPTIONS = {"reviewflow.checks"}     # a package that imports its plugins to register them


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted((ROOT / PACKAGE).rglob("*.py"))}


def _resolve(current: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".") if is_package else current.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(name: str, path: Path, known: dict[str, Path]) -> tuple[set[str], list[tuple[int, str]]]:
    """(modules imported at module level, [(line, module) imported inside a function])."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    top: set[str] = set()
    inner: list[tuple[int, str]] = []

    def targets(node: ast.AST) -> list[str]:
        out = []
        if isinstance(node, ast.Import):
            out = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(name, is_package, node)
            for a in node.names:
                sub = f"{base}.{a.name}"
                out.append(sub if sub in known else base)
        return [t for t in out if t == PACKAGE or t.startswith(PACKAGE + ".")]

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                for t in targets(child):
                    if in_function:
                        inner.append((child.lineno, t))
                    elif not (name in EXCEPTIONS and t.startswith(name + ".")):
                        top.add(t)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                continue                      # typing-only imports create no runtime cycle
            else:
                visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                  ast.Lambda)))
    visit(tree, False)
    return {t for t in top if t in known and t != name}, inner


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10_000)
    for v in sorted(graph):
        if v not in index:
            strong(v)
    return out


def main(prefixes: list[str]) -> int:
    known = modules()

    def wanted(m: str) -> bool:
        return not prefixes or any(m == p or m.startswith(p + ".") for p in prefixes)

    graph: dict[str, set[str]] = {}
    hidden: list[tuple[str, int, str]] = []
    for name, path in known.items():
        if not wanted(name):
            continue
        top, inner = imports_of(name, path, known)
        graph[name] = {t for t in top if wanted(t)}
        hidden += sorted({(name, line, t) for line, t in inner})
    found = cycles(graph)
    for comp in found:
        print("cycle:", " <-> ".join(comp))
    for name, line, target in hidden:
        print(f"function-level import: {known[name].relative_to(ROOT)}:{line} -> {target}")
    print(f"{len(graph)} modules, {sum(map(len, graph.values()))} imports, {len(found)} cycle(s), "
          f"{len(hidden)} function-level import(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
