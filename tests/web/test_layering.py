"""The web package's modules import each other without a circle, and never reach into indexer."""

from __future__ import annotations

import ast
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "web"


def web_imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in WEB.glob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level == 1:
                    names.update([node.module] if node.module else [a.name for a in node.names])
                elif node.module and node.module.startswith("web."):
                    names.add(node.module.split(".")[1])
                elif node.module and node.module.split(".")[0] == "indexer":
                    names.add("indexer")
            elif isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names if a.name.split(".")[0] == "indexer")
        graph[path.stem] = names
    return graph


def test_web_modules_import_each_other_without_a_circle() -> None:
    graph = web_imports()
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " → ".join(path + (module,))
        if module in done or module not in graph:
            return
        for other in graph[module]:
            visit(other, path + (module,))
        done.add(module)

    for module in graph:
        visit(module, ())


def test_web_never_imports_the_indexer() -> None:
    assert not [m for m, names in web_imports().items() if "indexer" in names]
