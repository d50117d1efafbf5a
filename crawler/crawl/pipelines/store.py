"""Step 900: write listings to SQLite in batches and keep the ``crawls`` row true.

Settings: ``WILDCRAWL_DB`` (database path), ``WILDCRAWL_BATCH_SIZE`` (listings
per transaction, default 200). All spiders of one process writing the same file
share one connection, the only writer of that file.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from scrapy import signals

from crawler.cache import cache_dir, code_version, key_of, no_gc, prune
from crawler.crawl.render_memory import save_decisions
from crawler.matching.lexicon import default_lexicon_path, lexicon_digest, load_lexicon
from crawler.options import CrawlOptions
from crawler.store.database import ListingStore, open_database
from crawler.store.locking import write_transaction

logger = logging.getLogger(__name__)

_SHARED: dict[str, list] = {}  # db path -> [Database, users]


def _acquire(path: str):
    entry = _SHARED.get(path)
    if entry is None:
        entry = _SHARED[path] = [open_database(path), 0]
    entry[1] += 1
    return entry[0]


def _release(path: str) -> None:
    entry = _SHARED.get(path)
    if entry is None:
        return
    entry[1] -= 1
    if entry[1] <= 0:
        entry[0].close()
        del _SHARED[path]


def error_kinds(stats: dict) -> dict[str, int]:
    """Errors by kind from Scrapy's stats: exception classes, server statuses, blocks."""
    kinds: dict[str, int] = {}
    for key, value in stats.items():
        if key.startswith("downloader/exception_type_count/"):
            name = key.rsplit(".", 1)[-1].rsplit("/", 1)[-1]
            if name != "IgnoreRequest":  # deliberate (robots.txt): counted by the spider
                kinds[name] = value
        elif key.startswith("downloader/response_status_count/"):
            code = int(key.rsplit("/", 1)[-1])
            if code == 429 or code == 403 or code >= 500:
                kinds[f"http_{code}"] = value
        elif key.startswith("spider_exceptions/") and key != "spider_exceptions/count":
            kinds[f"spider_{key.rsplit('/', 1)[-1]}"] = value
        elif key.startswith("wildcrawl/errors/"):
            kinds[key.rsplit("/", 1)[-1]] = value
    return kinds


# --- the storage step, shared with the Redis ingester (crawler.fleet.ingest) --------------------------


def marketplace_row(config) -> dict:
    """The ``marketplaces`` row of a marketplace config."""
    return {
        "name": config.name,
        "title": config.title,
        "base_url": config.base_url,
        "country": config.country,
        "language": config.language,
        "languages": ",".join(config.languages),
        "currency": config.currency,
        "locale": config.locale,
        "render": config.render,
        "config_file": config.source_file,
    }


def lexicon_values(lexicon) -> tuple[list[tuple], list[tuple]]:
    """The ``taxa`` and ``terms`` rows of a lexicon, as value tuples in ``crawler.store.database.TABLES``
    column order."""
    taxa = [
        (
            t.id,
            t.scientific_name,
            t.common_name,
            t.cites_appendix,
            t.taxon_group,
            "; ".join(t.synonyms),
            t.source,
        )
        for t in lexicon.taxa
    ]
    terms = [(t.id, t.term, t.lang, t.kind, t.taxon_id, t.product, t.source) for t in lexicon.terms]
    return taxa, terms


def begin_crawl(store: ListingStore, marketplace: dict, lexicon_path, keywords: list[str]) -> int:
    """Record the marketplace and the lexicon, open a running ``crawls`` row; return its id.

    The lexicon (tens of thousands of rows) is written only when it differs from the one
    the database already holds.
    """
    store.save_marketplace(marketplace)
    save_lexicon_if_changed(store, lexicon_path)
    return store.start_crawl(marketplace["name"], list(keywords))


def _lexicon_and_digest(lexicon_path) -> tuple:
    root = Path(lexicon_path or default_lexicon_path())
    lexicon = load_lexicon(root)
    return lexicon, lexicon.digest or lexicon_digest(root)  # the files' SHA-256


_DIGESTS: dict[tuple, str] = {}  # the latest lexicon's


def _digest_only(lexicon_path) -> str:
    """The lexicon's digest (its files' SHA-256) without loading it: ~0.01 CPU s against 0.09
    from the cache. A database or template holding this digest was written from these very
    files, checked then; a lexicon that changed is loaded (and checked) before it is written.
    A folder that cannot be read is loaded, to name the problem."""
    root = Path(lexicon_path or default_lexicon_path())
    if root.is_dir():
        try:
            # The files' names, sizes and times: a crawl's start asks twice (the new database,
            # then the crawl row), a long-lived process once per change.
            files = tuple(
                (str(p), st.st_size, st.st_mtime_ns)
                for p in sorted(root.rglob("*"))
                if p.is_file() and (st := p.stat())
            )
            if files not in _DIGESTS:
                _DIGESTS.clear()
                _DIGESTS[files] = lexicon_digest(root)
            return _DIGESTS[files]
        except OSError:
            pass
    return _lexicon_and_digest(lexicon_path)[1]


def save_lexicon_if_changed(store: ListingStore, lexicon_path) -> bool:
    """Write the lexicon's ``taxa`` and ``terms`` rows unless the database holds them already
    (``wildcrawl_meta.lexicon_sha256``); True when it wrote them."""
    meta = store.db["wildcrawl_meta"]
    stored = next(iter(meta.rows_where("key = ?", ["lexicon_sha256"])), {}).get("value")
    if stored is not None and stored == _digest_only(lexicon_path):
        return False
    lexicon, digest = _lexicon_and_digest(lexicon_path)
    if stored == digest:
        return False
    with no_gc():  # ~35,000 row tuples, garbage right after: no collection needed
        store.save_lexicon_values(*lexicon_values(lexicon))
    with write_transaction(store.db, store.lock_wait_s):
        meta.upsert({"key": "lexicon_sha256", "value": digest}, pk="key")
    return True


# A new database file starts as a copy of a cached one (``crawler.cache`` folder) holding the
# schema and the lexicon's rows: a file copy of a few milliseconds instead of ~35,000 rows
# written in the crawl's start (~100 ms). The cached file is named by a digest of the
# lexicon's files, of the code that writes schema and rows, and of the SQLite version, so it
# is built by the same functions a database without it goes through, once per combination.
TEMPLATE_KIND = "newdb"


def template_code() -> tuple[str, ...]:
    """The modules whose source names the cached new database: every module of
    ``crawler.store`` (tables, indexes, triggers, views, the word index, migrations), the
    takedown tables and this module. A change to any of them builds a new template."""
    import pkgutil

    import crawler.store

    store = tuple(
        f"crawler.store.{info.name}" for info in pkgutil.iter_modules(crawler.store.__path__)
    )
    return (*store, "crawler.casework.takedown", __name__)


def seed_new_database(db_path: str | Path, lexicon_path=None) -> bool:
    """Create ``db_path`` as a copy of the cached new database for this lexicon; True when it
    did. Does nothing when the file exists, the cache is off or unusable (then the store
    creates the file itself, as before)."""
    path = Path(db_path)
    if str(db_path) == ":memory:" or path.exists():
        return False
    folder = cache_dir()
    if folder is None:
        return False
    digest = _digest_only(lexicon_path)
    key = key_of(
        TEMPLATE_KIND,
        digest,
        sqlite3.sqlite_version,
        code_version(*template_code(), packages=("sqlite-utils",)),
    )
    template = folder / f"{TEMPLATE_KIND}-{key[:16]}.sqlite"
    if not template.exists():
        try:
            _build_template(template, lexicon_path)
        except (OSError, sqlite3.Error) as exc:
            logger.warning(
                "cannot write the cached new database %s (%s); continuing without it", template, exc
            )
            return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:  # an output folder that cannot be written: the store says so, in one line
        return False
    os.close(fd)
    try:
        shutil.copyfile(template, tmp)
        os.link(tmp, path)  # never over a file another process created meanwhile
    except OSError as exc:  # FileExistsError: another process was first, its file is used
        if not isinstance(exc, FileExistsError):
            logger.warning(
                "cannot copy the cached new database %s (%s); creating %s without it",
                template,
                exc,
                path,
            )
        return False
    finally:
        os.unlink(tmp)
    logger.debug("%s: new database copied from %s", path, template)
    return True


def _build_template(template: Path, lexicon_path) -> None:
    """Write the cached new database: schema, lexicon rows, checkpointed, then renamed."""
    template.parent.mkdir(parents=True, exist_ok=True)
    tmp = template.with_name(f".{template.name}.{os.getpid()}.tmp")
    try:
        db = open_database(tmp)
        try:
            save_lexicon_if_changed(ListingStore(db), lexicon_path)
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()  # the last connection: its WAL is folded in and removed
        os.replace(tmp, template)
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
    prune(template.parent, f"{TEMPLATE_KIND}-*.sqlite")  # one per lexicon and version in use


def end_crawl(store: ListingStore, stats: dict, reason: str, base_url: str) -> str:
    """Close the ``crawls`` row from a crawl's Scrapy stats and close reason; return the status."""
    kinds = error_kinds(stats)
    pages = stats.get("downloader/response_count", 0)
    ok_pages = stats.get("wildcrawl/pages/results", 0)
    message = None
    if reason == "finished":
        status = "finished"
        if ok_pages == 0:
            status = "failed"
            message = "no results page could be fetched from " + base_url
    elif reason in ("shutdown", "cancelled"):
        status, message = "interrupted", f"stopped: {reason}"
    else:
        status, message = "finished", f"closed early: {reason}"
    # The spider's broken-crawl guard (crawler.store.history) speaks through stats.
    broken = stats.get("wildcrawl/broken_reason")
    if broken and status in ("finished", "failed"):
        status, message = "broken", f"broken crawl, nothing marked removed: {broken}"
    lost = stats.get("wildcrawl/errors/item_failed", 0)
    if lost and status == "finished":
        status = "failed"
        message = f"{lost} listing(s) were lost to an error in a pipeline (see the log)"
    store.counts["listings_extracted"] = stats.get("wildcrawl/listings/unique", 0)
    # A crawl whose items were not all stored must not say finished: the store says failed.
    return store.finish_crawl(status, pages, sum(kinds.values()), kinds, message)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


class StorePipeline:
    def __init__(self, crawler, db_path: str, batch_size: int):
        self.crawler = crawler
        self.db_path = db_path
        self.batch_size = batch_size
        self.store: ListingStore | None = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.item_error, signal=signals.item_error)

    def item_error(self, item, response, spider, failure):
        """A pipeline raised on a listing: it is not stored, and the crawl must not say so."""
        self.crawler.stats.inc_value("wildcrawl/errors/item_failed")

    @classmethod
    def from_crawler(cls, crawler):
        options = CrawlOptions.of(crawler)
        return cls(crawler, options.db, options.batch_size)

    def open_spider(self):
        spider = self.crawler.spider
        config = spider.config
        lexicon_path = CrawlOptions.of(self.crawler).lexicon
        if self.db_path not in _SHARED:  # the process's first crawl of this file
            seed_new_database(self.db_path, lexicon_path)
        self.store = ListingStore(_acquire(self.db_path), batch_size=self.batch_size)
        spider.crawl_id = begin_crawl(
            self.store,
            marketplace_row(config),
            lexicon_path,
            list(spider.keywords),
        )
        # Start-up is over: the lexicon, the matcher and Scrapy's own objects (~260,000) live
        # as long as the process. Moved out of the collector's generations, they are no
        # longer walked by every full collection the crawl's garbage triggers.
        gc.freeze()

    def process_item(self, item):
        item["last_crawl_id"] = self.store.crawl_id
        self.store.add(dict(item))
        return item

    def close_spider(self):
        if self.store:
            self.store.flush()

    def spider_closed(self, spider, reason):
        if not self.store:
            return
        decisions = getattr(spider, "decisions_to_remember", None)
        try:
            if decisions:  # what render: auto learnt (crawler.crawl.render_memory)
                with write_transaction(self.store.db, self.store.lock_wait_s):
                    save_decisions(
                        self.store.db, spider.config.name, decisions(), self.store.crawl_id
                    )
            status = end_crawl(
                self.store, self.crawler.stats.get_stats(), reason, spider.config.base_url
            )
        except Exception as exc:  # noqa: BLE001 - the crawl row must never stay 'running'
            logger.exception("crawl %s of %s not closed cleanly", self.store.crawl_id, spider.name)
            status = self.store.fail_crawl(f"not closed cleanly: {_one_line(exc)}")
        logger.info("crawl %s of %s: %s", self.store.crawl_id, spider.config.name, status)
        self.store = None
        _release(self.db_path)
