"""Every ``WILDCRAWL_*`` setting, once: name, default, type and description.

``SETTINGS`` are Scrapy settings (``-s NAME=VALUE``, ``crawler/settings.py`` takes its
defaults from here); each crawler parses them once into a frozen ``CrawlOptions``
(``CrawlOptions.of(crawler)``), as scrapy-playwright does with ``PLAYWRIGHT_*``.
``ENVIRONMENT`` are environment variables read where they are used (paths, caches, keys).
``docs/settings.md`` is generated from both: ``python -m crawler.options --markdown``.

No Scrapy import: ``from_settings`` takes anything with Scrapy's ``get``/``getbool``/...
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, fields
from typing import Any

from crawler.errors import ConfigError, count_setting
from crawler.paths import DEFAULT_DB

PREFIX = "WILDCRAWL_"
DEFAULT_CONTACT = "https://github.com/wildcrawl/wildcrawl"
SCREENSHOT_MODES = ("after", "later")


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    type: str  # bool, int, count (a whole number >= 0), float, str, choice; "?": None allowed
    description: str
    env: bool = False  # the environment variable of the same name sets the default

    @property
    def field(self) -> str:
        return self.name.removeprefix(PREFIX).lower()

    def project_default(self) -> Any:
        """The default ``crawler/settings.py`` gives (the environment's, where it may)."""
        if self.env:
            raw = os.environ.get(self.name, "").strip()
            if raw:
                return float(raw) if self.type == "float" else raw
        return self.default


SETTINGS: tuple[Setting, ...] = (
    Setting("WILDCRAWL_DB", DEFAULT_DB, "str", "SQLite file the store pipeline writes."),
    Setting(
        "WILDCRAWL_LEXICON",
        None,
        "str?",
        "Lexicon folder (none: the repository's `keywords/`).",
    ),
    Setting("WILDCRAWL_FLAG_THRESHOLD", 0.5, "float", "Risk above which a listing is flagged."),
    Setting(
        "WILDCRAWL_MODEL",
        None,
        "str?",
        "Relevance model folder (none: the default model; `none`: the lexicon alone).",
        env=True,
    ),
    Setting("WILDCRAWL_BATCH_SIZE", 200, "int", "Listings per write transaction."),
    Setting(
        "WILDCRAWL_CONTACT",
        DEFAULT_CONTACT,
        "str",
        "URL or e-mail put in the User-Agent so sites can reach the operator.",
        env=True,
    ),
    Setting(
        "WILDCRAWL_RENDER_MEMORY_DAYS",
        30.0,
        "float",
        "How long `render: auto` trusts a stored decision, in days (0: off).",
    ),
    Setting(
        "WILDCRAWL_CONTEXT_PAGES",
        50,
        "count",
        "Pages per browser context before it is recycled (0: never).",
    ),
    Setting(
        "WILDCRAWL_REUSE_PAGES",
        True,
        "bool",
        "Detail pages reuse browser tabs (False: a new tab per page).",
    ),
    Setting(
        "WILDCRAWL_PAGE_GC_EVERY",
        4,
        "count",
        "A full garbage collection in a kept tab's renderer every N uses of the tab (0: never).",
    ),
    Setting(
        "WILDCRAWL_DIRECT_NAVIGATION",
        True,
        "bool",
        "Browser pages whose JSON answer is known are read from it, not awaited.",
    ),
    Setting(
        "WILDCRAWL_JSON_FIRST",
        True,
        "bool",
        "Detail pages whose JSON is captured are read from it (needs DIRECT_NAVIGATION).",
    ),
    Setting("WILDCRAWL_PROGRESS", True, "bool", "Progress of a crawl on the terminal or log."),
    Setting(
        "WILDCRAWL_PROGRESS_INTERVAL",
        10.0,
        "float",
        "Seconds between progress log lines (when not live).",
        env=True,
    ),
    Setting(
        "WILDCRAWL_PROGRESS_LIVE",
        None,
        "bool?",
        "A live progress bar (none: when stderr is a terminal).",
    ),
    Setting(
        "WILDCRAWL_EVIDENCE",
        True,
        "bool",
        "Queue screenshots of flagged listings as evidence.",
    ),
    Setting(
        "WILDCRAWL_EVIDENCE_DIR",
        None,
        "str?",
        "Evidence folder (none: `evidence/` beside the database).",
    ),
    Setting(
        "WILDCRAWL_EVIDENCE_TIMEOUT_MS",
        10_000,
        "int",
        "Milliseconds an evidence screenshot may take.",
    ),
    Setting(
        "WILDCRAWL_SCREENSHOTS",
        "after",
        "choice",
        "`after`: take the queued screenshots after the crawl; `later`: leave them queued "
        "for `wildcrawl evidence capture`.",
    ),
    Setting(
        "WILDCRAWL_HEARTBEAT_TTL",
        30.0,
        "float",
        "Seconds a fleet worker's heartbeat lives in Redis.",
    ),
    Setting(
        "WILDCRAWL_IDLE_POLL",
        0.5,
        "float",
        "Seconds an idle fleet worker waits before asking the frontier again.",
    ),
)

ENVIRONMENT: tuple[Setting, ...] = (
    Setting("WILDCRAWL_SHARED_DATA", None, "str?", "Folder of the shared data sets."),
    Setting("WILDCRAWL_RATES", None, "str?", "Exchange-rate file (none: the bundled one)."),
    Setting(
        "WILDCRAWL_ECB_DAILY_URL",
        None,
        "str?",
        "Where `wildcrawl rates update` reads the ECB's daily rates (none: the ECB's own URL).",
    ),
    Setting(
        "WILDCRAWL_ECB_HIST_URL",
        None,
        "str?",
        "Where `wildcrawl rates update` reads the ECB's rate history (none: the ECB's own URL).",
    ),
    Setting(
        "WILDCRAWL_SECOND_RATES_URL",
        None,
        "str?",
        "Where `wildcrawl rates update` reads the currencies the ECB does not publish "
        "(none: open.er-api.com).",
    ),
    Setting(
        "WILDCRAWL_LABELS",
        None,
        "str?",
        "Labelled listings the default relevance model is trained on (none: the shipped "
        "`keywords/labelled/real_listings.jsonl`).",
    ),
    Setting("WILDCRAWL_CHROMIUM", None, "str?", "Chromium or Chrome executable to use."),
    Setting("WILDCRAWL_CACHE_DIR", None, "str?", "Folder of the start-up cache."),
    Setting("WILDCRAWL_SECRET", None, "str?", "Datasette's cookie-signing secret."),
    Setting(
        "WILDCRAWL_ACCOUNTS_DIR", None, "str?", "Folder of the Datasette accounts' hash files."
    ),
    Setting("WILDCRAWL_PASSWORD_HASH_<NAME>", None, "str?", "Password hash of the account <NAME>."),
    Setting(
        "WILDCRAWL_API_TOKEN_<NAME>",
        None,
        "str?",
        "API token <NAME> of a script (internal Datasette).",
    ),
    Setting(
        "WILDCRAWL_PSEUDONYM_KEY", None, "str?", "Key of the sellers' pseudonyms in a release."
    ),
)

BY_NAME = {s.name: s for s in SETTINGS}
# What a count setting counts, and what 0 means (its error message says both).
COUNT_WORDS = {
    "WILDCRAWL_CONTEXT_PAGES": ("pages", "0 turns recycling off"),
    "WILDCRAWL_PAGE_GC_EVERY": ("uses", "0: never"),
}


def project_defaults() -> dict[str, Any]:
    """``crawler/settings.py``'s ``WILDCRAWL_*`` values (settings whose default is none are
    left unset, as before)."""
    return {s.name: s.project_default() for s in SETTINGS if s.default is not None}


def _parse(settings, s: Setting) -> Any:
    kind = s.type.rstrip("?")
    if s.type.endswith("?") and settings.get(s.name) is None:
        return None
    if kind == "bool":
        return settings.getbool(s.name, s.default)
    if kind == "int":
        return settings.getint(s.name, s.default)
    if kind == "float":
        return settings.getfloat(s.name, s.default)
    if kind == "count":
        return count_setting(settings, s.name, s.default, *COUNT_WORDS[s.name])
    value = settings.get(s.name, s.default)
    if kind == "choice" and value not in SCREENSHOT_MODES:
        raise ConfigError(f"-s {s.name}={value!r}: must be one of {', '.join(SCREENSHOT_MODES)}")
    return value


@dataclass(frozen=True)
class CrawlOptions:
    """The ``WILDCRAWL_*`` settings of one crawler, parsed once (field: name without the
    prefix, lower-cased)."""

    db: str
    lexicon: str | None
    flag_threshold: float
    model: str | None
    batch_size: int
    contact: str
    render_memory_days: float
    context_pages: int
    reuse_pages: bool
    page_gc_every: int
    direct_navigation: bool
    json_first: bool
    progress: bool
    progress_interval: float
    progress_live: bool | None
    evidence: bool
    evidence_dir: str | None
    evidence_timeout_ms: int
    screenshots: str
    heartbeat_ttl: float
    idle_poll: float

    @classmethod
    def from_settings(cls, settings) -> CrawlOptions:
        return cls(**{s.field: _parse(settings, s) for s in SETTINGS})

    @classmethod
    def of(cls, crawler) -> CrawlOptions:
        """The crawler's options, parsed at the first call once its settings are frozen."""
        found = getattr(crawler, "wildcrawl_options", None)
        if found is not None:
            return found
        options = cls.from_settings(crawler.settings)
        if getattr(crawler.settings, "frozen", False):
            crawler.wildcrawl_options = options
        return options

    @property
    def live_progress(self) -> bool:
        """``progress_live``, or whether stderr is a terminal when it is not set."""
        return sys.stderr.isatty() if self.progress_live is None else self.progress_live


def markdown() -> str:
    """``docs/settings.md``."""
    out = [
        "# Settings",
        "",
        "Generated by `python -m crawler.options --markdown` from `crawler/options.py`;",
        "`tests/test_options.py` checks it is current.",
        "",
        "## Scrapy settings",
        "",
        "Give them as `-s NAME=VALUE` (`wildcrawl crawl`) or in a Scrapy settings module.",
        "Settings marked *env* take their default from the environment variable of the same",
        "name.",
        "",
        "| Setting | Type | Default | Description |",
        "|---|---|---|---|",
    ]
    for s in SETTINGS:
        default = "none" if s.default is None else f"`{s.default}`"
        env = " (*env*)" if s.env else ""
        out.append(f"| `{s.name}`{env} | {s.type.rstrip('?')} | {default} | {s.description} |")
    out += ["", "## Environment variables", "", "| Variable | Description |", "|---|---|"]
    out += [f"| `{s.name}` | {s.description} |" for s in ENVIRONMENT]
    return "\n".join(out) + "\n"


assert [f.name for f in fields(CrawlOptions)] == [s.field for s in SETTINGS]

if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1:] != ["--markdown"]:
        sys.exit("usage: python -m crawler.options --markdown")
    sys.stdout.write(markdown())
