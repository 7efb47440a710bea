"""Every arrow points one way: data in → meaning → presentation core → app, packs, commands.

Read from the code itself (every import statement, including those inside functions), so a
new import that closes a cycle, or reaches into the app from a pack, fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("queries", "demo", "metrics", "presentation", "dashboard", "packs", "kpi")


def imported_packages(path: Path) -> set[str]:
    """The first-party packages a module imports, by the top-level name of each import."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & set(PACKAGES)


def package_graph() -> dict[str, set[str]]:
    """Which packages each package imports (itself left out)."""
    return {
        package: set().union(*map(imported_packages, (ROOT / package).rglob("*.py"))) - {package}
        for package in PACKAGES
    }


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle in the graph, as the packages around it, or None."""
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target, [*path, target])):
                return found
        state[node] = "done"
        return None

    for start in graph:
        if start not in state and (found := visit(start, [start])):
            return found
    return None


def test_the_package_import_graph_has_no_cycle():
    assert cycle(package_graph()) is None, " → ".join(cycle(package_graph()) or [])


@pytest.mark.parametrize("package", ["packs", "kpi", "presentation", "metrics", "queries"])
def test_nothing_below_the_app_imports_the_dashboard(package):
    assert "dashboard" not in package_graph()[package]


def test_the_presentation_core_never_imports_streamlit():
    for path in (ROOT / "presentation").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            node.module.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        }
        assert "streamlit" not in imported, path.name


def test_the_cycle_finder_finds_a_planted_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert cycle(graph) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize(
    ("name", "value"),
    [("DATABASE_URL_ENV", '"KPI_DATABASE_URL"'), ("FORCE_LABEL", '"All districts (force)"')],
)
def test_each_shared_name_is_defined_once_in_the_presentation_core(name, value):
    sources = [path for package in PACKAGES for path in (ROOT / package).rglob("*.py")]
    defined = [
        str(path.relative_to(ROOT))
        for path in sources
        for line in path.read_text(encoding="utf-8").splitlines()
        if value in line and "=" in line.split(value)[0] and "==" not in line
    ]
    assert defined == ["presentation/settings.py"], name
