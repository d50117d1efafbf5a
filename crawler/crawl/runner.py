"""Run crawls of configured marketplaces in this process (Scrapy + scrapy-playwright).

Configs are loaded and validated before anything else happens, so a broken
config stops the run before the database is opened.
"""

from __future__ import annotations

import gc
import inspect
import logging
import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler import settings as default_settings
from crawler.cache import no_gc
from crawler.config import MarketplaceConfig, load_marketplace
from crawler.crawl.imports import import_cookies_middleware
from crawler.crawl.pipelines.store import seed_new_database
from crawler.crawl.progress import capture_progress
from crawler.errors import ConfigError
from crawler.options import BY_NAME, SCREENSHOT_MODES, CrawlOptions
from crawler.store.database import ensure_schema, open_database

if TYPE_CHECKING:  # the evidence capture (sqlite-utils, Playwright) is imported when used
    from crawler.casework.capture import CaptureResult

logger = logging.getLogger(__name__)


def _frames(context: int = 1) -> list[inspect.FrameInfo]:
    """``inspect.stack()`` without source lines: the frames of the caller and its callers."""
    frame, found = sys._getframe(1), []
    while frame is not None:
        code = frame.f_code
        found.append(
            inspect.FrameInfo(frame, code.co_filename, frame.f_lineno, code.co_name, None, None)
        )
        frame = frame.f_back
    return found


def import_http_handler() -> None:
    """Import Scrapy's HTTP download handler, which every crawl needs (robots.txt, http and api
    pages; scrapy-playwright's handler imports it too), without most of its cost.

    Its TLS modules make three deprecated class aliases (``create_deprecated_class``), each
    calling ``inspect.stack()`` only to name the module that made it; that reads the source of
    every frame on the stack and scans every loaded module for each one: ~0.2 CPU s of a
    crawl's start, more when the engine imports the handler at the first request, from the
    reactor's deeper stack. While it is imported, ``inspect.stack`` gives the same frames
    without their source lines, and ``inspect.getmodule`` of a frame is the module named by
    the frame's globals instead of the one found by scanning every loaded module's file
    (~0.02 CPU s more): the aliases get the same module name."""
    if "scrapy.core.downloader.handlers.http11" in sys.modules:
        return
    stack, getmodule = inspect.stack, inspect.getmodule

    def module_of(obj, _filename=None):
        if inspect.isframe(obj):
            module = sys.modules.get(obj.f_globals.get("__name__", ""))
            if module is not None:
                return module
        return getmodule(obj, _filename)

    inspect.stack, inspect.getmodule = _frames, module_of
    try:
        import scrapy.core.downloader.handlers.http11  # noqa: F401
    finally:
        inspect.stack, inspect.getmodule = stack, getmodule


import_http_handler()


def project_settings(db_path: str | Path, **overrides) -> Settings:
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    # Crawls hand Scrapy the spider class: its spider loader need not import every module of
    # ``spiders`` first (the Redis worker's imports redis, ~0.1 s of every crawl's start).
    # ``scrapy crawl`` through scrapy.cfg still finds them (crawler/settings.py).
    settings.set("SPIDER_MODULES", [], priority="project")
    settings.set("WILDCRAWL_DB", str(db_path), priority="cmdline")
    for key, value in overrides.items():
        settings.set(key, value, priority="cmdline")
    if "WILDCRAWL_CONTACT" in overrides and "USER_AGENT" not in overrides:
        settings.set(
            "USER_AGENT",
            default_settings.user_agent(overrides["WILDCRAWL_CONTACT"]),
            priority="cmdline",
        )
    return settings


_BOOL_WORDS = {"true", "false", "True", "False"}  # and integers: what Settings.getbool takes


def check_overrides(overrides: dict) -> None:
    """Refuse a ``-s NAME=VALUE`` whose value cannot be what NAME holds, in one line.

    The type is the one of ``crawler.options`` for a wildcrawl setting, else the one of
    Scrapy's default; settings without a default, or with a text or structured default,
    are passed on as given.
    """
    defaults = project_settings(":memory:")
    for name, value in overrides.items():
        if not isinstance(value, str):
            continue
        option = BY_NAME.get(name)
        default = option.default if option else defaults.get(name)
        if option and option.type.startswith("bool"):
            default = bool(default)
        text = value.strip()
        if isinstance(default, bool):
            ok, kind = text in _BOOL_WORDS or text.lstrip("-").isdigit(), "true or false"
        elif isinstance(default, int):
            ok, kind = text.lstrip("-").isdigit(), "a whole number"
        elif isinstance(default, float):
            try:
                float(text)
                ok = True
            except ValueError:
                ok = False
            kind = "a number"
        else:
            continue
        if not ok:
            raise ConfigError(f"-s {name}={value!r}: {name} needs {kind} (default {default!r})")
    mode = str(overrides.get("WILDCRAWL_SCREENSHOTS", SCREENSHOT_MODES[0]))
    if mode not in SCREENSHOT_MODES:
        raise ConfigError(
            f"-s WILDCRAWL_SCREENSHOTS={mode!r}: must be one of {', '.join(SCREENSHOT_MODES)}"
        )


def launch_overrides(configs) -> dict:
    """Settings the marketplaces need for the browser: Chromium with images when one of them
    says ``browser.block_resources: false`` (crawl pages get none otherwise)."""
    if any(not c.browser.block_resources for c in configs):
        from crawler.browser.launch import crawl_launch_options

        return {"PLAYWRIGHT_LAUNCH_OPTIONS": crawl_launch_options(images=True)}
    return {}


def crawl_log_path(db_path: str | Path, marketplaces: list) -> Path:
    """Where a crawl's Scrapy log goes: ``logs/<marketplace>-<UTC time>.log`` beside the
    database (``crawl-<UTC time>.log`` for several marketplaces)."""
    names = [
        m.name if isinstance(m, MarketplaceConfig) else Path(str(m)).stem for m in marketplaces
    ]
    stem = names[0] if len(names) == 1 else "crawl"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(db_path).resolve().parent / "logs" / f"{stem}-{stamp}.log"


class _Stderr(logging.StreamHandler):
    """The console side of a crawl's log: writes to ``sys.stderr`` as it is at each record,
    so lines go above the live progress table (rich redirects stderr while it shows)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def _needs_a_person(record: logging.LogRecord) -> bool:
    """Not a component switched off by a setting (Scrapy logs that as a warning: "Disabled
    ...EvidencePipeline: evidence capture is off"); the log file keeps it."""
    return not (record.name == "scrapy.middleware" and str(record.msg).startswith("Disabled"))


def _console_handler(crawl_settings: Settings, quiet: bool) -> logging.Handler:
    """Scrapy's format on stderr: warnings and errors only when quiet, everything else."""
    from scrapy.utils.log import TopLevelFormatter

    handler = _Stderr()
    handler.setFormatter(
        logging.Formatter(
            fmt=crawl_settings.get("LOG_FORMAT"), datefmt=crawl_settings.get("LOG_DATEFORMAT")
        )
    )
    handler.setLevel(logging.WARNING if quiet else crawl_settings.get("LOG_LEVEL"))
    if quiet:
        handler.addFilter(_needs_a_person)
    if crawl_settings.getbool("LOG_SHORT_NAMES"):
        handler.addFilter(TopLevelFormatter(["scrapy"]))
    return handler


def run_crawl(
    marketplaces: list[str | MarketplaceConfig],
    db_path: str | Path,
    keywords: list[str] | None = None,
    base_urls: dict[str, str] | None = None,
    max_pages: int | None = None,
    settings: dict | None = None,
    log_file: str | Path | None = None,
    quiet: bool | None = None,
) -> list[int]:
    """Crawl the marketplaces (concurrently) into ``db_path``; return the new crawl ids.

    ``log_file``: Scrapy's whole log goes there, and stderr gets it too unless ``quiet``
    (default: quiet when stderr is a terminal), when it gets warnings and errors only.
    Without ``log_file`` everything goes to stderr, as Scrapy does.
    """
    configs = [m if isinstance(m, MarketplaceConfig) else load_marketplace(m) for m in marketplaces]
    check_overrides(settings or {})
    base_urls = base_urls or {}
    configs = [c.with_base_url(base_urls[c.name]) if c.name in base_urls else c for c in configs]
    if log_file is not None:  # its folder is made once the database has been opened
        settings = {"LOG_FILE": str(log_file), **(settings or {})}
    with no_gc():
        # Start-up (lexicon, matcher, Scrapy's components) builds long-lived objects and
        # little garbage: a collection in its middle walked them all (~90 ms of a crawl's
        # start). Collection waits until they are built, then they are frozen out of its way.
        if log_file is not None:
            quiet = sys.stderr.isatty() if quiet is None else quiet
        process, crawlers, crawl_settings, console = _start_up(
            configs, db_path, keywords, max_pages, settings, quiet
        )
        gc.freeze()  # before collection resumes: its first pass would walk them all
    try:
        process.start()
        options = CrawlOptions.from_settings(crawl_settings)
        if options.evidence and options.screenshots == "after":
            reasons = {c.stats.get_value("finish_reason") for c in crawlers}
            if "shutdown" in reasons:  # Ctrl-C or SIGTERM: stop now, the queue keeps them
                logger.info("evidence: screenshots stay queued (`wildcrawl evidence capture`)")
            else:
                capture_screenshots(db_path, crawl_settings, configs)
    finally:
        if console is not None:
            logging.getLogger().removeHandler(console)
    return [c.spider.crawl_id for c in crawlers if c.spider and c.spider.crawl_id]


def _start_up(configs, db_path, keywords, max_pages, settings, quiet=None):
    """The database opened (or created) and checked, the Scrapy process and its crawlers, and
    the console side of the log when it goes to a file (from Scrapy's first line on)."""
    import_cookies_middleware()  # without tldextract until a cookie needs it (crawl.imports)
    lexicon = (settings or {}).get("WILDCRAWL_LEXICON")
    # A new file starts as a copy of the cached one with schema and lexicon rows.
    seed_new_database(db_path, lexicon)
    db = open_database(db_path)  # fail early and clearly on a bad --db
    try:
        ensure_schema(db)  # migrate an older schema, refuse a newer one, before Scrapy starts
    finally:
        db.close()
    overrides = dict(settings or {})
    if overrides.get("LOG_FILE"):
        folder = Path(overrides["LOG_FILE"]).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"{folder}: cannot create the log folder ({exc.strerror})") from None
    if all(c.render in ("http", "api") for c in configs):
        # No page needs a browser (render: api calls JSON endpoints over HTTP; evidence
        # screenshots are taken after the crawl): Scrapy's own HTTP handler, no Playwright.
        overrides.setdefault("DOWNLOAD_HANDLERS", {})
    overrides = {**launch_overrides(configs), **overrides}
    crawl_settings = project_settings(db_path, **overrides)
    console = None
    if crawl_settings.get("LOG_FILE") and quiet is not None:
        console = _console_handler(crawl_settings, quiet)
        logging.getLogger().addHandler(console)
    process = CrawlerProcess(crawl_settings)
    logging.getLogger("scrapy").setLevel(logging.INFO)
    from spiders.marketplace import MarketplaceSpider

    crawlers = []
    for config in configs:
        crawler = process.create_crawler(MarketplaceSpider)
        crawlers.append(crawler)
        process.crawl(
            crawler, marketplace=config, keywords=keywords, max_pages=max_pages, lexicon=lexicon
        )
    return process, crawlers, crawl_settings, console


def capture_screenshots(
    db_path, settings: Settings, configs=(), limit: int | None = None
) -> CaptureResult | None:
    """Take the queued evidence screenshots of ``db_path``, with progress; log the outcome."""
    from crawler.casework.capture import capture_pending, count_pending

    try:
        pending = count_pending(db_path)
    except Exception:  # noqa: BLE001 - no database (a crawl stopped before it opened one)
        return None
    pending = min(pending, limit or pending)
    if not pending:
        return None
    logger.info("evidence: taking %d queued screenshots", pending)
    if threading.current_thread() is threading.main_thread():
        # Scrapy's stop handlers outlive its reactor and would swallow Ctrl-C here.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        options = CrawlOptions.from_settings(settings)
        with capture_progress(settings) as progress:
            result = capture_pending(
                db_path,
                user_agent=settings.get("USER_AGENT"),
                evidence_dir=options.evidence_dir,
                timeout_ms=options.evidence_timeout_ms,
                configs=list(configs),
                limit=limit,
                progress=progress,
            )
    except KeyboardInterrupt:
        logger.info(
            "evidence: stopped; the screenshots not taken stay queued "
            "(`wildcrawl evidence capture`)"
        )
        raise
    logger.info(result.line())
    return result
