"""A marketplace's randomised delay (crawler.crawl.downloader): the wait between two requests to a
site is one draw between 0.5x and 1.5x ``politeness.download_delay``, so the delay on average.

Scrapy's own downloader queue is run on a simulated clock: its ``_process_queue`` with the
module's clock, timers and download scheduling replaced, the site's queue always full and
answers instant, so only the delay spaces the requests.
"""

from __future__ import annotations

import heapq
import itertools
import random

import pytest
import scrapy.core.downloader as scrapy_downloader
from scrapy import Request
from scrapy.core.downloader import Downloader
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred

from crawler.crawl.downloader import SteadyDelayDownloader, SteadyDelaySlot
from crawler.crawl.runner import project_settings


class _Timer:
    cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


def request_times(monkeypatch, downloader_cls, delay: float, sends: int) -> list[float]:
    """When the downloader sends each of ``sends`` requests to one site, on a simulated clock."""
    clock = [0.0]
    timers: list = []
    order = itertools.count()
    sent: list[float] = []

    def call_later(wait, func, *args):
        timer = _Timer()
        heapq.heappush(timers, (clock[0] + wait, next(order), timer, func, args))
        return timer

    def schedule(coro):  # the download itself: instant, never transferring
        coro.close()
        sent.append(clock[0])

    monkeypatch.setattr(scrapy_downloader, "monotonic", lambda: clock[0])
    monkeypatch.setattr(scrapy_downloader, "call_later", call_later)
    monkeypatch.setattr(scrapy_downloader, "_schedule_coro", schedule)
    crawler = get_crawler(
        settings_dict={
            "DOWNLOAD_DELAY": delay,
            "CONCURRENT_REQUESTS": 2,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        }
    )
    downloader = downloader_cls(crawler)
    monkeypatch.setattr(downloader, "_start_slot_gc", lambda: None)
    _key, slot = downloader._get_slot(Request("http://market.example/"))
    slot.queue.extend((Request(f"http://market.example/{i}"), Deferred()) for i in range(sends))
    random.seed(26)
    downloader._process_queue(slot)
    while len(sent) < sends and timers and clock[0] < sends * delay * 10:
        when, _, timer, func, args = heapq.heappop(timers)
        clock[0] = max(when, clock[0] + 1e-6)  # time moves on (a float sum may not)
        if not timer.cancelled:
            func(*args)
    return sent


def _gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise(times)]


def test_the_wait_between_requests_is_the_delay_on_average(monkeypatch):
    gaps = _gaps(request_times(monkeypatch, SteadyDelayDownloader, 1.0, 3000))
    assert len(gaps) == 2999
    assert sum(gaps) / len(gaps) == pytest.approx(1.0, abs=0.03)
    assert min(gaps) >= 0.5 and max(gaps) <= 1.5  # still between 0.5x and 1.5x the delay


def test_scrapys_downloader_alone_waits_longer_than_the_delay(monkeypatch):
    """Why ``SteadyDelayDownloader`` exists: Scrapy draws again when its first wait is over and
    waits again whenever the new draw is longer (1.22x the delay on average). When this fails,
    Scrapy draws once per request itself and ``crawler.crawl.downloader`` can go."""
    gaps = _gaps(request_times(monkeypatch, Downloader, 1.0, 3000))
    assert sum(gaps) / len(gaps) > 1.15


def test_a_slot_keeps_its_draw_until_it_sends_a_request():
    slot = SteadyDelaySlot(2, 1.0, 0.5)
    first = slot.download_delay()
    assert 0.5 <= first <= 1.5
    assert {slot.download_delay() for _ in range(50)} == {first}
    slot.lastseen = 10.0  # a request was sent: a new draw
    draws = set()
    for n in range(50):
        slot.lastseen = 10.0 + n
        draws.add(slot.download_delay())
    assert len(draws) > 1


def test_crawls_use_the_steady_downloader():
    assert project_settings(":memory:")["DOWNLOADER"] == (
        "crawler.crawl.downloader.SteadyDelayDownloader"
    )
