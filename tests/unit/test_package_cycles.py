"""No two domain packages import each other, directly or around a loop: calls go down the flow only.

The packages are the top-level subpackages of feedback/ plus admin_ui and classifiers. Every import
counts, also those inside functions and `importlib.import_module("...")` with a literal name; the
assembly modules at feedback/'s top level (app.py, cli.py) are not packages and may import any.
"""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_ROOTS = ("admin_ui", "classifiers")


def domain_packages() -> set[str]:
    subpackages = {p.parent.name for p in (ROOT / "feedback").glob("*/__init__.py")}
    return subpackages | set(DOMAIN_ROOTS)


def package_of(module: str, packages: set[str]) -> str | None:
    parts = module.split(".")
    if parts[0] in DOMAIN_ROOTS:
        return parts[0]
    if parts[0] == "feedback" and len(parts) > 1 and parts[1] in packages:
        return parts[1]
    return None


def _module_name(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    return ".".join(parts[:-1] if is_package else parts), is_package


def imported_modules(source: str, module: str, is_package: bool = False) -> list[tuple[str, int]]:
    """(module, line) for every import in `module`'s source, relative ones resolved."""
    found = []
    for node in ast.walk(ast.parse(source, filename=module)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((target, node.lineno))
            found += [(f"{target}.{alias.name}", node.lineno) for alias in node.names]  # `from feedback import notify`
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and getattr(node.func, "attr", getattr(node.func, "id", None)) in ("import_module", "__import__")):
            found.append((node.args[0].value, node.lineno))
    return found


def package_edges() -> dict[tuple[str, str], list[str]]:
    """(importer, imported) → the places (file:line) that make the edge."""
    packages = domain_packages()
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for top in ("feedback", *DOMAIN_ROOTS):
        for path in sorted((ROOT / top).rglob("*.py")):
            module, is_package = _module_name(path)
            source = package_of(module, packages)
            if source is None:
                continue
            for target_module, line in imported_modules(path.read_text(encoding="utf-8"), module, is_package):
                target = package_of(target_module, packages)
                place = f"{path.relative_to(ROOT)}:{line}"
                if target is not None and target != source and place not in edges[(source, target)]:
                    edges[(source, target)].append(place)
    return edges


def cycles(edges) -> list[list[str]]:
    """The strongly connected components with more than one package (Tarjan)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for succ in sorted(graph[node]):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def describe(edges, only: set[str] | None = None) -> str:
    lines = []
    for (source, target), places in sorted(edges.items()):
        if only is None or (source in only and target in only):
            lines.append(f"  {source} -> {target}   ({', '.join(places[:3])}{', ...' if len(places) > 3 else ''})")
    return "\n".join(lines)


def test_the_parser_sees_imports_inside_functions_relative_and_by_name():
    source = ("def f():\n    from feedback.notify.service import notify_safely\n"
              "def g():\n    importlib.import_module('feedback.jobs.worker')\n"
              "from ..routing import service\n")
    found = {name for name, _ in imported_modules(source, "feedback.tracking.probe")}
    assert {"feedback.notify.service", "feedback.jobs.worker", "feedback.routing.service"} <= found
    packages = domain_packages()
    assert {package_of(name, packages) for name in found} == {"notify", "jobs", "routing"}
    assert cycles({("a", "b"): [], ("b", "c"): [], ("c", "a"): [], ("c", "d"): []}) == [["a", "b", "c"]]


def test_domain_packages_form_no_import_cycle():
    edges = package_edges()
    found = cycles(edges)
    message = "\n".join(
        [f"import cycle among {' / '.join(component)}:\n{describe(edges, set(component))}" for component in found]
        + ["all package edges:", describe(edges)]
    )
    assert not found, message
