"""Crawl progress per marketplace: a live table on a terminal, periodic log lines otherwise.

A Scrapy extension (``EXTENSIONS``). Settings:
- ``WILDCRAWL_PROGRESS`` (bool, default True): off disables it;
- ``WILDCRAWL_PROGRESS_INTERVAL`` (seconds, default 10): how often a plain line is logged;
- ``WILDCRAWL_PROGRESS_LIVE`` (bool or None): force or forbid the live display
  (default: live only when stderr is a terminal).

All crawlers of one process (one per marketplace) share one display.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.options import CrawlOptions

logger = logging.getLogger(__name__)

COLUMNS = ("marketplace", "pages", "listings", "flagged", "errors", "pages/min", "state")


@dataclass
class Progress:
    """What one marketplace's crawl has done so far."""

    marketplace: str
    started: float = field(default_factory=time.monotonic)
    pages: int = 0
    listings: int = 0
    flagged: int = 0
    errors: int = 0
    state: str = "running"

    def rate(self, now: float | None = None) -> float:
        """Pages per minute since the start."""
        minutes = max(((now or time.monotonic()) - self.started) / 60, 1e-9)
        return self.pages / minutes

    def cells(self, now: float | None = None) -> tuple[str, ...]:
        return (
            self.marketplace,
            str(self.pages),
            str(self.listings),
            str(self.flagged),
            str(self.errors),
            f"{self.rate(now):.1f}",
            self.state,
        )

    def line(self, now: float | None = None) -> str:
        """One plain log line, ``key=value`` pairs that grep and awk read easily."""
        return (
            f"progress {self.marketplace}: pages={self.pages} listings={self.listings} "
            f"flagged={self.flagged} errors={self.errors} "
            f"rate={self.rate(now):.1f} pages/min state={self.state}"
        )


def update_from_stats(progress: Progress, stats: dict) -> Progress:
    """Refresh counters from a Scrapy stats dict (errors counted as in the ``crawls`` row)."""
    from crawler.crawl.pipelines.store import error_kinds

    progress.pages = int(stats.get("downloader/response_count", 0))
    progress.listings = int(stats.get("item_scraped_count", 0))
    progress.errors = sum(error_kinds(stats).values())
    return progress


class _Board:
    """The one display of a process: live table or log lines, refreshed by a Twisted loop."""

    def __init__(self) -> None:
        self.rows: dict[int, tuple[object, Progress]] = {}
        self.done: list[Progress] = []  # finished crawls stay in the table until all are
        self.loop = None
        self.live = None
        self.last_log = 0.0

    def add(self, ext: CrawlProgress) -> None:
        self.rows[id(ext)] = (ext, ext.progress)
        if self.loop is None:
            from twisted.internet import task

            if ext.live:
                from rich.console import Console
                from rich.live import Live

                self.live = Live(
                    self.table(),
                    console=Console(stderr=True),
                    refresh_per_second=4,
                    transient=False,
                    # Warnings and errors logged meanwhile print above the table.
                    redirect_stderr=True,
                )
                self.live.start()
            self.last_log = time.monotonic()
            self.loop = task.LoopingCall(self.tick, ext.interval)
            self.loop.start(0.5 if ext.live else min(ext.interval, 1.0), now=False)

    def remove(self, ext: CrawlProgress) -> None:
        self.refresh()
        if self.live is None:
            logger.info(ext.progress.line())
        self.rows.pop(id(ext), None)
        self.done.append(ext.progress)
        if not self.rows and self.loop is not None:
            if self.loop.running:
                self.loop.stop()
            self.loop = None
            if self.live is not None:
                self.live.update(self.table())
                self.live.stop()
                self.live = None
            self.done = []

    def refresh(self) -> None:
        for ext, progress in self.rows.values():
            update_from_stats(progress, ext.crawler.stats.get_stats())

    def tick(self, interval: float) -> None:
        self.refresh()
        if self.live is not None:
            self.live.update(self.table())
        elif time.monotonic() - self.last_log >= interval:
            self.last_log = time.monotonic()
            for _, progress in self.rows.values():
                logger.info(progress.line())

    def table(self):
        from rich.table import Table

        table = Table(title="wildcrawl: crawling")
        for col in COLUMNS:
            table.add_column(
                col,
                justify="left" if col in ("marketplace", "state") else "right",
                no_wrap=col in ("marketplace", "state"),  # never cut to "…"
            )
        now = time.monotonic()
        shown = [p for _, p in self.rows.values()] + self.done
        for progress in sorted(shown, key=lambda p: p.marketplace):
            table.add_row(*progress.cells(now))
        return table


_BOARD = _Board()


class CrawlProgress:
    """The extension: one per crawler, feeding the shared board."""

    def __init__(self, crawler, interval: float, live: bool):
        self.crawler = crawler
        self.interval = interval
        self.live = live
        self.progress = Progress(marketplace="?")
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler) -> CrawlProgress:
        options = CrawlOptions.of(crawler)
        if not options.progress:
            raise NotConfigured
        return cls(crawler, options.progress_interval, options.live_progress)

    def spider_opened(self, spider) -> None:
        config = getattr(spider, "config", None)
        self.progress = Progress(marketplace=config.name if config else spider.name)
        _BOARD.add(self)

    def item_scraped(self, item, spider) -> None:
        if item.get("flagged"):
            self.progress.flagged += 1

    def spider_closed(self, spider, reason) -> None:
        self.progress.state = reason
        _BOARD.remove(self)


@contextmanager
def capture_progress(settings):
    """Progress of the evidence screenshots taken after a crawl: a bar on a terminal, a log
    line every ``WILDCRAWL_PROGRESS_INTERVAL`` seconds otherwise. Yields the callback
    ``crawler.casework.capture`` calls after each capture (or None when progress is off)."""
    options = CrawlOptions.from_settings(settings)
    if not options.progress:
        yield None
        return
    live, interval = options.live_progress, options.progress_interval
    if live:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        bar = Progress(
            "evidence screenshots",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
        )
        task = None

        def update(result, total):
            nonlocal task
            if task is None:
                task = bar.add_task("capture", total=total)
            bar.update(task, completed=result.captured + result.failed + result.skipped)

        with bar:
            yield update
        return
    last = [time.monotonic()]

    def log_line(result, total):
        done = result.captured + result.failed + result.skipped
        if time.monotonic() - last[0] >= interval or done == total:
            last[0] = time.monotonic()
            logger.info(
                "evidence screenshots: %d/%d (%d failed)",
                done,
                total,
                result.failed + result.skipped,
            )

    yield log_line
