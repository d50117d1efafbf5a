"""Taking the queued evidence screenshots: one browser, after the crawl.

The crawl only queues a flagged listing (``evidence_queue``, written by the store);
this module opens each queued page in Chromium *with* its images (a court or a
platform needs the photos), waits for the ``load`` event (never ``networkidle``,
which a page with polling or analytics may never reach), and saves a full-page PNG
and the HTML as the browser holds it, both taken over DevTools (``crawler.browser.devtools``)
and saved by ``crawler.casework.evidence.save_capture`` (SHA-256, never overwritten). Each capture's evidence rows and the job's ``done_at`` are written
in one transaction, after the files, so a kill loses at most the capture in hand and
the job stays queued.

The marketplace's politeness applies (its concurrency, capped at ``MAX_PAGES``
pages, its download delay, its robots.txt). Each of those pages is one tab, navigated from
one capture to the next (``_Tab``); a capture that fails closes its tab. A page that
answers 404/410 or that robots.txt disallows is not retried (``last_error`` says why); any
other failure (timeout, 5xx, a crashed browser) is retried by the next capture run,
``MAX_ATTEMPTS`` times in all. A page whose text the browser cannot draw (no font for its script: the
screenshot would be rows of empty boxes) is not recorded; it stays queued, no attempt
spent, with ``last_error`` naming the fonts to install (``crawler.browser.fonts``). ``wildcrawl crawl`` calls ``capture_pending`` when its crawl ends;
``wildcrawl evidence capture`` runs it alone (for ``WILDCRAWL_SCREENSHOTS=later``,
a Redis fleet's ingester, or captures an interrupted run left).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from protego import Protego

from crawler.browser.devtools import DevTools
from crawler.browser.fonts import page_text_unreadable
from crawler.casework.evidence import EvidenceError, evidence_root, save_capture
from crawler.config import MarketplaceConfig, Politeness, load_marketplace
from crawler.errors import WildcrawlError
from crawler.store.clock import utcnow

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
MAX_PAGES = 2  # pages open at once per marketplace (2 cores: more only queue in Chromium)
FINAL_STATUSES = (404, 410)  # the listing is gone: its take-down is tracked, not its picture


@dataclass
class CaptureResult:
    """What one capture run did."""

    captured: int = 0
    failed: int = 0
    skipped: int = 0  # robots.txt disallows, or the page is gone: not retried
    left: int = 0  # not attempted: the browser closed under the run
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        parts = [f"{self.captured} evidence screenshots in {self.seconds:.1f} s"]
        if self.failed:
            parts.append(
                f"{self.failed} failed (kept queued; `wildcrawl evidence capture` retries)"
            )
        if self.skipped:
            parts.append(f"{self.skipped} not taken (page gone or disallowed by robots.txt)")
        if self.left:
            parts.append(f"{self.left} left queued (Chromium closed during the run)")
        return ", ".join(parts)


@dataclass
class _Job:
    listing_id: str
    url: str
    marketplace: str
    item_id: str
    crawl_id: int | None
    attempts: int


class _Unreadable(EvidenceError):
    """The browser cannot draw the page's text (no font): a screenshot would show empty
    boxes. Not recorded; the job stays queued without spending an attempt."""


class _Final(EvidenceError):
    """A failure retrying cannot fix."""


def requeue_given_up(db_path: str | Path) -> int:
    """Give the jobs that used up their attempts (or were not taken: page gone, robots.txt)
    a fresh start; returns how many. For after an outage, or a changed robots.txt."""
    conn = sqlite3.connect(db_path, timeout=60)
    try:
        with conn:
            cur = conn.execute(
                "update evidence_queue set attempts = 0 where done_at is null and attempts >= ?",
                (MAX_ATTEMPTS,),
            )
        return cur.rowcount
    except sqlite3.OperationalError:  # an older database without the queue
        return 0
    finally:
        conn.close()


_PENDING = "from evidence_queue where done_at is null and attempts < ?"


def pending_jobs(conn: sqlite3.Connection, limit: int | None = None) -> list[_Job]:
    """Queued captures not done and not given up, oldest first."""
    try:
        rows = conn.execute(
            "select listing_id, url, marketplace, item_id, crawl_id, attempts "
            + _PENDING
            + " order by queued_at, listing_id"
            + (" limit ?" if limit else ""),
            (MAX_ATTEMPTS, limit) if limit else (MAX_ATTEMPTS,),
        ).fetchall()
    except sqlite3.OperationalError:  # an older database without the queue
        return []
    return [_Job(*row) for row in rows]


def _politeness(name: str, configs: dict[str, MarketplaceConfig]) -> Politeness:
    if name in configs:
        return configs[name].politeness
    try:
        return load_marketplace(name).politeness
    except WildcrawlError:
        return Politeness()  # a marketplace whose config is gone: the cautious defaults


class _Robots:
    """robots.txt per origin, fetched once through the browser context."""

    def __init__(self, request, user_agent: str):
        self.request = request
        self.user_agent = user_agent
        self.parsers: dict[str, Protego | None] = {}

    async def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.parsers:
            try:
                response = await self.request.get(origin + "/robots.txt", timeout=10_000)
                body = await response.text() if response.ok else ""
                self.parsers[origin] = Protego.parse(body) if body else None
            except Exception:  # noqa: BLE001 - unreachable robots.txt: allowed, as Scrapy does
                self.parsers[origin] = None
        parser = self.parsers[origin]
        return parser is None or parser.can_fetch(url, self.user_agent)


class _Tab:
    """A worker's browser tab, kept from one capture to the next (``page()``) and closed by
    ``close()``: after a capture that failed (the next capture opens a new one) and when
    the worker is done. A new tab per capture made Chromium start (and end) a renderer
    process for each: about 0.1 CPU s per screenshot (docs/performance.md).

    ``devtools()``: the tab's own DevTools session (``DevTools``), kept with the tab."""

    def __init__(self, context, browser):
        self.context = context
        self.browser = browser
        self._page = None
        self._devtools: DevTools | None = None

    async def page(self):
        if self._page is None or self._page.is_closed():
            self._page = await self.context.new_page()
            self._devtools = None
        return self._page

    async def devtools(self) -> DevTools:
        page = await self.page()
        if self._devtools is None:
            self._devtools = DevTools(await self.context.new_cdp_session(page))
        return self._devtools

    async def close(self) -> None:
        page, self._page, self._devtools = self._page, None, None
        # A dead browser's driver may never answer a close: its pages are gone with it.
        if page is not None and not page.is_closed() and self.browser.is_connected():
            with contextlib.suppress(Exception):  # a browser that died closed it already
                await page.close()


class _Capturer:
    def __init__(
        self,
        db_path: Path,
        conn: sqlite3.Connection,
        browser,
        user_agent: str,
        timeout_ms: int,
        root: Path,
        result: CaptureResult,
        progress: Callable[[CaptureResult, int], None] | None,
        total: int,
    ):
        self.db_path = db_path
        self.conn = conn
        self.browser = browser
        self.user_agent = user_agent
        self.timeout_ms = timeout_ms
        self.root = root
        self.base = db_path.resolve().parent
        self.result = result
        self.progress = progress
        self.total = total
        self.drawable: set[str] = set()  # characters this browser drew (crawler.browser.fonts)

    async def marketplace(self, jobs: list[_Job], politeness: Politeness) -> None:
        context = await self.browser.new_context(
            user_agent=self.user_agent, viewport={"width": 1280, "height": 900}
        )
        robots = _Robots(context.request, self.user_agent)
        queue: asyncio.Queue[_Job] = asyncio.Queue()
        for job in jobs:
            queue.put_nowait(job)
        delay = politeness.download_delay
        next_start = [0.0]

        async def worker():
            tab = _Tab(context, self.browser)
            try:
                while not queue.empty():
                    if not self.browser.is_connected():
                        # Chromium died: leave the rest queued (no attempt spent) for the next run.
                        self.result.left = queue.qsize()
                        return
                    job = queue.get_nowait()
                    if delay:
                        wait = next_start[0] - time.monotonic()
                        next_start[0] = max(next_start[0], time.monotonic()) + delay
                        if wait > 0:
                            await asyncio.sleep(wait)
                    await self.one(tab, robots, job, politeness.obey_robots)
            finally:
                await tab.close()

        try:
            await asyncio.gather(*(worker() for _ in range(min(MAX_PAGES, politeness.concurrency))))
        finally:
            await context.close()

    async def one(self, tab: _Tab, robots: _Robots, job: _Job, obey_robots: bool) -> None:
        try:
            if obey_robots and not await robots.allowed(job.url):
                raise _Final("robots.txt disallows this page")
            captured_at, final_url, contents = await self._shoot(tab, job.url)
            rows = save_capture(
                self.root, self.base, job.marketplace, job.item_id, final_url, captured_at, contents
            )
        except _Final as exc:
            self._failed(job, str(exc), final=True)
        except _Unreadable as exc:
            self._failed(job, str(exc), spend=False)
        except Exception as exc:  # noqa: BLE001 - one page's failure must not stop the others
            self._failed(job, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        else:
            with self.conn:
                self.conn.executemany(
                    "insert into evidence (listing_id, crawl_id, kind, path, sha256, bytes,"
                    " captured_at, url) values (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            job.listing_id,
                            job.crawl_id,
                            r["kind"],
                            r["path"],
                            r["sha256"],
                            r["bytes"],
                            r["captured_at"],
                            r["url"],
                        )
                        for r in rows
                    ],
                )
                self.conn.execute(
                    "update evidence_queue set done_at = ?, attempts = attempts + 1,"
                    " last_error = null where listing_id = ?",
                    (captured_at, job.listing_id),
                )
            self.result.captured += 1
        if self.progress:
            self.progress(self.result, self.total)

    async def _shoot(self, tab: _Tab, url: str) -> tuple[str, str, dict[str, bytes]]:
        page = await tab.page()
        ok = False
        try:
            captured_at = utcnow()
            response = await page.goto(url, wait_until="load", timeout=self.timeout_ms)
            status = response.status if response else None
            if status in FINAL_STATUSES:
                raise _Final(f"page answered {status}")
            if status is not None and status >= 400:
                raise EvidenceError(f"page answered {status}")
            devtools = await tab.devtools()
            seconds = self.timeout_ms / 1000
            # Web fonts the page asked for after its load event (Playwright's screenshot waited
            # for them too), then the page's own text, checked for characters without a font.
            await devtools.evaluate("() => document.fonts.ready.then(() => 0)", timeout=seconds)
            unreadable = await page_text_unreadable(devtools, self.drawable)
            if unreadable:
                raise _Unreadable(unreadable)
            screenshot = await devtools.screenshot(page, seconds)
            html = await devtools.html(seconds)
            ok = True
            return captured_at, page.url, {"screenshot": screenshot, "html": html}
        finally:
            if not ok:  # the next capture gets a new tab, not one left mid-way
                await tab.close()

    def _failed(self, job: _Job, error: str, final: bool = False, spend: bool = True) -> None:
        attempts = MAX_ATTEMPTS if final else job.attempts + (1 if spend else 0)
        with self.conn:
            self.conn.execute(
                "update evidence_queue set attempts = ?, last_error = ? where listing_id = ?",
                (attempts, error[:500], job.listing_id),
            )
        if final:
            self.result.skipped += 1
        else:
            self.result.failed += 1
        self.result.errors.append(f"{job.url}: {error}")
        logger.warning(
            "evidence capture %s for %s: %s", "not taken" if final else "failed", job.url, error
        )


async def capture_pending_async(
    db_path: str | Path,
    *,
    user_agent: str,
    evidence_dir: str | Path | None = None,
    timeout_ms: int = 10_000,
    configs: list[MarketplaceConfig] | None = None,
    limit: int | None = None,
    progress: Callable[[CaptureResult, int], None] | None = None,
) -> CaptureResult:
    """Take every pending screenshot of ``db_path``'s queue (marketplaces side by side)."""
    from playwright.async_api import async_playwright

    from crawler.browser.launch import _driver_node_options, crawl_launch_options

    db_path = Path(db_path)
    result = CaptureResult()
    started = time.monotonic()
    conn = sqlite3.connect(db_path, timeout=60)
    try:
        jobs = pending_jobs(conn, limit)
        if not jobs:
            return result
        by_market: dict[str, list[_Job]] = {}
        for job in jobs:
            by_market.setdefault(job.marketplace, []).append(job)
        known = {c.name: c for c in configs or ()}
        root = evidence_root(db_path, evidence_dir)
        with _driver_node_options():
            manager = async_playwright()
            playwright = await manager.start()
        try:
            try:
                options = crawl_launch_options(images=True, screenshots=True)
                browser = await playwright.chromium.launch(**options)
            except Exception as exc:  # noqa: BLE001 - no browser: say so in one line
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                raise EvidenceError(
                    f"cannot start Chromium for {len(jobs)} evidence screenshots ({first}); "
                    "they stay queued: run `make setup` (or `python -m crawler.browser.setup`), "
                    "then `wildcrawl evidence capture`"
                ) from None
            capturer = _Capturer(
                db_path, conn, browser, user_agent, timeout_ms, root, result, progress, len(jobs)
            )
            try:
                await asyncio.gather(
                    *(
                        capturer.marketplace(market_jobs, _politeness(name, known))
                        for name, market_jobs in by_market.items()
                    )
                )
            finally:
                await browser.close()
        finally:
            await manager.__aexit__(None, None, None)
    finally:
        conn.close()
        result.seconds = time.monotonic() - started
    return result


def capture_pending(db_path: str | Path, **kwargs) -> CaptureResult:
    """``capture_pending_async`` in its own event loop (after Scrapy's reactor has stopped)."""
    return asyncio.run(capture_pending_async(db_path, **kwargs))


def count_pending(db_path: str | Path) -> int:
    """How many captures ``pending_jobs`` would give, counted in SQLite (0 without the queue)."""
    conn = sqlite3.connect(Path(db_path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return conn.execute("select count(*) " + _PENDING, (MAX_ATTEMPTS,)).fetchone()[0]
    except sqlite3.OperationalError:  # an older database without the queue
        return 0
    finally:
        conn.close()
