"""What a crawl needs for its first item but not for its first request, made ready in the
background once the first request is on its way (issue 26, start-up).

The matcher and relevance model (~0.2 CPU s from the cache) and the normalisers' modules
and indexes (phonenumbers, the price and place-name indexes) used to be built while Scrapy
started, before the first request, or by the first item in the crawl's thread. A
``Preload`` holds one of them: ``after_first_request`` queues it when its crawler's first
request has left the downloader (robots.txt, usually: answered or failed), and one
background thread builds the queued preloads in turn while the crawl waits for its
politeness delay and its next answers. ``get()`` returns the value, building it there and
then when the thread has not got to it yet, or waiting while the thread builds it; a build
that failed raises its error again on every ``get()``. An item pipeline waits with
``ready_then``: in one of the reactor's threads while the crawl goes on, or there and then
outside a crawl (a pipeline used on its own).

One thread for all: preloads are pure Python and take the GIL, so more threads would only
take more of it from the crawl's own thread. Not started when the first request reaches
the downloader: a thread started then took the GIL for its first few milliseconds (the
switch interval) before the request was on the wire, and a test run saw a normaliser
imported before the first connection (``tests/test_startup.py``). The thread builds with
garbage collection paused and then freezes what it built (``gc.freeze``), as the crawl's
start-up does.
"""

from __future__ import annotations

import gc
import logging
import queue
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from scrapy import signals

logger = logging.getLogger(__name__)

T = TypeVar("T")

_QUEUE: queue.SimpleQueue[Preload] = queue.SimpleQueue()
_WORKER: threading.Thread | None = None
_WORKER_LOCK = threading.Lock()


class Preload(Generic[T]):
    """A value built once: by the warm-up thread once ``start()`` queued it, or by the first
    ``get()``, whichever comes first."""

    def __init__(self, build: Callable[[], T], name: str = "") -> None:
        self._build = build
        self.name = name or getattr(build, "__name__", "preload")
        self._lock = threading.Lock()
        self._done = False
        self._queued = False
        self._value: T | None = None
        self._error: BaseException | None = None

    @property
    def done(self) -> bool:
        return self._done

    def start(self) -> None:
        """Queue the build for the warm-up thread (once; nothing when it is built)."""
        if self._done or self._queued:
            return
        self._queued = True
        _QUEUE.put(self)
        _ensure_worker()

    def get(self) -> T:
        self._run()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]

    def _run(self) -> None:
        if self._done:
            return
        with self._lock:  # another thread building it: wait for its value
            if self._done:
                return
            try:
                self._value = self._build()
            except Exception as exc:  # noqa: BLE001 - raised again by every get()
                self._error = exc
            finally:
                self._done = True


def _ensure_worker() -> None:
    global _WORKER
    with _WORKER_LOCK:
        if _WORKER is None or not _WORKER.is_alive():
            _WORKER = threading.Thread(target=_work, name="wildcrawl-warmup", daemon=True)
            _WORKER.start()


def _work() -> None:
    while True:
        preload = _QUEUE.get()
        if preload.done:
            continue
        enabled = gc.isenabled()
        gc.disable()  # tens of thousands of long-lived objects, no garbage: nothing to collect
        try:
            preload._run()
        finally:
            gc.freeze()  # out of the way of the crawl's collections, as start-up's objects are
            if enabled:
                gc.enable()
        if preload._error is not None:
            logger.debug("warm-up of %s failed: %s", preload.name, preload._error)


def after_first_request(crawler, *preloads: Preload) -> None:
    """Queue ``preloads`` when ``crawler``'s first request has left its downloader."""

    def first_request(**kwargs) -> None:
        crawler.signals.disconnect(first_request, signal=signals.request_left_downloader)
        for preload in preloads:
            preload.start()

    crawler.signals.connect(first_request, signal=signals.request_left_downloader, weak=False)


def ready_then(preload: Preload, crawler, then: Callable[..., T], *args) -> T:
    """``then(*args)`` once ``preload`` is built: now when it is, or when no crawl is running
    (a pipeline used on its own); else a coroutine that waits for it in one of the reactor's
    threads and then calls ``then`` (for an item pipeline's ``process_item``: the reactor goes
    on downloading meanwhile, instead of stopping while the thread builds, minutes when the
    cache is cold, and timing out the requests in flight). Its error, if any, is left to
    ``then`` to meet."""
    if preload.done or crawler is None or not getattr(crawler, "crawling", False):
        return then(*args)
    return _after(preload, then, args)  # type: ignore[return-value]


async def _after(preload: Preload, then: Callable[..., T], args: tuple) -> T:
    from scrapy.utils.defer import maybe_deferred_to_future
    from twisted.internet.threads import deferToThread

    try:
        await maybe_deferred_to_future(deferToThread(preload.get))
    except Exception:  # noqa: BLE001, S110 - met again, and reported, by then()
        pass
    return then(*args)
