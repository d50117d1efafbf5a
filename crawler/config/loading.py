"""Loading marketplace configs: YAML with the line of every key, one ``ConfigError`` per
mistake naming the file, the line and the problem, and finding a config by name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from parsel import Selector
from pydantic import ValidationError

from crawler.config.models import MarketplaceConfig, render_problem
from crawler.errors import ConfigError
from crawler.paths import MARKETPLACES_DIR

# --- loading -----------------------------------------------------------------


class _LineLoader(yaml.SafeLoader):
    """Safe loader that remembers the line of every mapping key and sequence item."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise ConfigError(
                f"duplicate key {key!r}", path=loader.name, line=key_node.start_mark.line + 1
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        loader.lines[(id(mapping), key)] = key_node.start_mark.line + 1
    loader.containers.append(mapping)
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line_of(data: Any, loc: tuple, lines: dict) -> int | None:
    """Walk a pydantic error location through the loaded data to the nearest known line."""
    line = None
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            line = lines.get((id(node), part), line)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            break
    return line


def load_yaml(text: str, path: str) -> tuple[Any, dict]:
    """YAML text -> (data, line of every mapping key); bad YAML is a ``ConfigError`` with its line."""
    loader = _LineLoader(text)
    loader.name = path
    loader.lines = {}
    loader.containers = []
    try:
        data = loader.get_single_data()
    except ConfigError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise ConfigError(
            f"invalid YAML: {problem}", path=path, line=mark.line + 1 if mark else None
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"invalid YAML: {exc}", path=path) from None
    finally:
        loader.dispose()
    return data, loader.lines


def error_line(data: Any, loc: tuple, lines: dict) -> int | None:
    """The line of the key at ``loc``, else of the first key of the entry that lacks it."""
    node = data
    for part in loc[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    if isinstance(node, dict) and loc and loc[-1] not in node:
        own = [line for (owner, _), line in lines.items() if owner == id(node)]
        if own:
            return min(own)
    return _line_of(data, loc, lines)


def validation_error(exc: ValidationError, data: Any, path: str, lines: dict) -> ConfigError:
    """pydantic's errors as one ``ConfigError``: what, where (dotted key) and the line."""
    # A misspelt key explains the "missing" one it was meant to be: report it first.
    err = min(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
    loc = tuple(p for p in err["loc"] if not str(p).startswith("function"))
    where = ".".join(str(p) for p in loc)
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        message = f"unknown key {loc[-1]!r}"
    elif err["type"] == "missing":
        message = f"missing required key {where!r}"
    elif where:
        message = f"{where}: {message}"
    return ConfigError(message, path=path, line=error_line(data, loc, lines))


def parse_config(text: str, path: str = "<config>") -> MarketplaceConfig:
    """Parse and validate one marketplace config from YAML text."""
    data, lines = load_yaml(text, path)
    if not isinstance(data, dict):
        raise ConfigError("a marketplace config must be a YAML mapping", path=path, line=1)
    render = data.get("render", "http")
    known = set(data) <= set(MarketplaceConfig.model_fields)  # else a misspelt key comes first
    problem = render_problem(render, "api" in data, "listings" in data) if known else None
    if problem and problem[0] and render in ("http", "api"):  # the line of the key at fault
        raise ConfigError(problem[1], path=path, line=lines.get((id(data), problem[0])))
    try:
        config = MarketplaceConfig.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, data, path, lines) from None
    stem = Path(path).stem
    if path != "<config>" and stem != config.name:
        raise ConfigError(
            f"name {config.name!r} must equal the file name {stem!r}",
            path=path,
            line=lines.get((id(data), "name")),
        )
    _check_selectors(config, path, data, lines)
    return config.model_copy(update={"source_file": path})


def _check_selectors(config: MarketplaceConfig, path: str, data: dict, lines: dict) -> None:
    """Compile every CSS/XPath selector once so a typo fails at load, not mid-crawl."""
    probe = Selector(text="<html><body></body></html>")
    checks: list[tuple[tuple, str]] = []
    if config.listings and config.listings.item:
        checks.append((("listings", "item"), config.listings.item))
    for name, spec in (config.listings.fields if config.listings else {}).items():
        checks.append((("listings", "fields", name), spec.xpath or spec.css or ""))
    if config.detail:
        for name, spec in config.detail.fields.items():
            checks.append((("detail", "fields", name), spec.xpath or spec.css or ""))
    if config.search.next_page:
        checks.append((("search", "next_page"), config.search.next_page))
    for key in ("removed", "sold", "blocked"):
        matcher = getattr(config, key)
        if matcher and matcher.selector:
            checks.append(((key, "selector"), matcher.selector))
    for loc, sel in checks:
        if not sel:
            continue
        try:
            if sel.startswith("xpath:"):
                probe.xpath(sel[len("xpath:") :])
            elif loc[-1] != "item" and _looks_like_xpath(sel, loc, config):
                probe.xpath(sel)
            else:
                probe.css(sel)
        except Exception as exc:  # noqa: BLE001 - parsel raises several types for bad selectors
            raise ConfigError(
                f"{'.'.join(loc)}: selector {sel!r} does not parse ({type(exc).__name__})",
                path=path,
                line=_line_of(data, loc, lines),
            ) from None


def _looks_like_xpath(sel: str, loc: tuple, config: MarketplaceConfig) -> bool:
    listings = config.listings.fields if config.listings else {}
    section = listings if loc[0] == "listings" else (config.detail.fields if config.detail else {})
    spec = section.get(loc[-1]) if isinstance(section, dict) else None
    return bool(spec and spec.xpath)


def load_config(path: str | Path) -> MarketplaceConfig:
    """Load one config file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("no such marketplace config file", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text ({exc.reason})", path=str(path)) from None
    return parse_config(text, str(path))


def config_path(name_or_path: str, directory: Path | None = None) -> Path:
    """Resolve a marketplace name (``demo-bazaar``) or a YAML path to a file path."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml"):
        return candidate
    return (directory or MARKETPLACES_DIR) / f"{name_or_path}.yaml"


def load_marketplace(name_or_path: str, directory: Path | None = None) -> MarketplaceConfig:
    """Load a marketplace by name (from ``spiders/marketplaces``) or by YAML path."""
    path = config_path(name_or_path, directory)
    if not path.exists():
        known = ", ".join(available_marketplaces(directory)) or "none"
        raise ConfigError(
            f"unknown marketplace {name_or_path!r} (configured: {known})", path=str(path)
        )
    return load_config(path)


def available_marketplaces(directory: Path | None = None) -> list[str]:
    directory = directory or MARKETPLACES_DIR
    return sorted(p.stem for p in directory.glob("*.yaml"))
