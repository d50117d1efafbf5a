"""Scrapy's downloader, with a site's randomised delay drawn once per request.

A marketplace's ``politeness.download_delay`` is the wait between two requests to it,
randomised between 0.5x and 1.5x (docs/schedule.md, "Politeness"), so on average the delay
itself. Scrapy's downloader (2.19) draws a new random delay each time it looks at a site's
queue: when the wait it drew first is over, it draws again, and waits again whenever the new
draw is longer than the time already waited. A site then waited 1.22x its delay on average,
not 1x (``tests/test_download_delay.py`` runs Scrapy's own queue on a simulated clock), so a crawl
at delay 1 s made at most 0.82 pages/s per site.

``SteadyDelayDownloader`` (``DOWNLOADER``) keeps Scrapy's downloader and gives its slots a
delay drawn once per request sent (``SteadyDelaySlot``): the wait between two requests is one
draw between 0.5x and 1.5x the delay, as documented.
"""

from __future__ import annotations

from scrapy.core.downloader import Downloader, Slot


class SteadyDelaySlot(Slot):
    """A download slot whose randomised delay is drawn once after each request it sends."""

    __slots__ = ("_drawn", "_drawn_after")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._drawn_after: float | None = None  # the ``lastseen`` (last send) drawn for
        self._drawn = 0.0

    def download_delay(self) -> float:
        if self._drawn_after != self.lastseen:
            self._drawn_after, self._drawn = self.lastseen, super().download_delay()
        return self._drawn


class SteadyDelayDownloader(Downloader):
    """Scrapy's downloader whose new slots are ``SteadyDelaySlot``s."""

    def _get_slot(self, request, *args, **kwargs):
        key, slot = super()._get_slot(request, *args, **kwargs)
        if type(slot) is Slot:  # made just now by Scrapy from its settings; nothing queued yet
            slot = SteadyDelaySlot(slot.concurrency, slot.delay, slot.jitter)
            self.slots[key] = slot
        return key, slot
