"""The house's layers: imports only go down, and no module imports itself in a circle.

Every import counts, at module level or inside a function. A module belongs to the layer
of the longest prefix that names it; a module may import its own layer and any lower one.
The layers, highest first, are the ones ``docs/architecture.md`` draws.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

LAYERS: list[tuple[str, ...]] = [
    ("crawler.cli",),
    (
        "crawler.fleet.distributed",
        "crawler.fleet.ingest",
        "crawler.publish",
        "crawler.quality",
        "crawler.demo",
    ),
    ("crawler.crawl.runner", "crawler.crawl.schedule", "crawler.crawl.summary"),
    ("spiders",),
    ("crawler.settings", "crawler.crawl", "crawler.fleet.redis_frontier"),
    ("crawler.casework",),
    ("crawler.browser",),
    ("crawler.store",),
    ("crawler.fetch",),
    ("crawler.extract", "crawler.matching"),
    ("crawler.normalise",),
    # The listing schema is pure data that the config models read too.
    ("crawler.config", "crawler.cache", "crawler.paths", "crawler.options", "crawler.store.schema"),
    ("crawler.errors", "crawler"),
]
# Pure packages: no Scrapy, no Playwright, no Twisted.
PURE = ("crawler.normalise", "crawler.matching", "crawler.extract", "crawler.fetch")
IMPURE_LIBS = ("scrapy", "playwright", "scrapy_playwright", "twisted")


def _modules() -> dict[str, Path]:
    found = {}
    for base in ("crawler", "spiders"):
        for path in (ROOT / base).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports (a ``from pkg import name`` of a submodule names it)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out.update(
                f"{node.module}.{a.name}"
                for a in node.names
                if f"{node.module}.{a.name}" in MODULES
            )
    return out


GRAPH = {name: {m for m in _imports(path) if m in MODULES} for name, path in MODULES.items()}


def layer_of(module: str) -> int:
    best, level = -1, None
    for i, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, level = len(prefix), i
    assert level is not None, f"{module} is in no layer: add it to LAYERS"
    return level


def test_every_module_has_a_layer():
    for module in MODULES:
        layer_of(module)


def test_imports_only_go_down():
    upward = [
        f"{m} (layer {layer_of(m)}) imports {t} (layer {layer_of(t)})"
        for m, targets in sorted(GRAPH.items())
        for t in sorted(targets)
        if layer_of(t) < layer_of(m) and not m.startswith(t + ".")  # a package's own __init__
    ]
    assert not upward, "\n".join(upward)


def test_no_import_circles():
    # Tarjan's strongly connected components over the module graph.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w.startswith(v + "."):  # a package importing its own submodule is not a circle
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    assert not circles, circles


@pytest.mark.parametrize("package", PURE)
def test_pure_packages_import_no_crawl_framework(package):
    bad = [
        f"{m} imports {t}"
        for m, path in MODULES.items()
        if m == package or m.startswith(package + ".")
        for t in _imports(path)
        if t.split(".")[0] in IMPURE_LIBS
    ]
    assert not bad, bad


def test_at_most_twelve_modules_at_the_top_of_crawler():
    top = [p.name for p in (ROOT / "crawler").glob("*.py")]
    assert len(top) <= 12, sorted(top)


def test_no_module_over_500_lines_except_data_tables():
    data_tables = {"crawler/normalise/price_words.py", "crawler/demo/products.py"}
    long = [
        f"{p.relative_to(ROOT)}: {n} lines"
        for p in MODULES.values()
        if str(p.relative_to(ROOT)) not in data_tables
        and (n := len(p.read_text("utf-8").splitlines())) > 500
    ]
    assert not long, long


def _matching_closure(module: str) -> set[str]:
    """The ``crawler.matching`` modules ``module`` imports, directly or not."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        for target in GRAPH[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return {m for m in seen if m.startswith("crawler.matching.")}


@pytest.mark.parametrize("module", ["crawler.matching.matcher", "crawler.matching.train"])
def test_cache_keys_name_the_matching_code_they_run(module):
    """A compiled matcher and a trained model are cached under a digest of their code
    (``CODE_MODULES``): a rule moved out of matcher.py into a module of its own must join the
    key, or editing it would leave the cached values stale. The lexicon's own modules are the
    parsed lexicon's key (``lexicon.CODE_MODULES``)."""
    import importlib

    from crawler.matching import lexicon

    keyed = set(importlib.import_module(module).CODE_MODULES) | set(lexicon.CODE_MODULES)
    missing = sorted(_matching_closure(module) - keyed)
    assert not missing, missing
