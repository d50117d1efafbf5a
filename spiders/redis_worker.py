"""The generic marketplace spider as a worker of a Redis-shared crawl (scrapy-redis).

``wildcrawl crawl --redis redis://host:6379/0 demo-bazaar`` (or
``scrapy crawl marketplace-worker -a marketplace=demo-bazaar`` with the settings
of ``crawler.fleet.distributed.worker_settings``).

On opening, the worker joins the marketplace's active run in Redis, or starts
one; a joined run's keywords, base URL and page limit win over the worker's
own, so every worker crawls the same thing. ``start()`` is the generic
spider's: its search requests go through the shared dupefilter, so the first
worker seeds the run and later ones add nothing (or re-seed what a lost
``wildcrawl seed`` left out). A request is acknowledged only after its callback
has ended and all of its output has left the worker (items pushed to Redis or
dropped by a pipeline, follow-up requests in the frontier), so a worker that
dies mid-request, or with an item still in the pipelines, leaves the request in
flight for the fleet to re-queue.
"""

from __future__ import annotations

import scrapy

from crawler.fleet.redis_frontier import (
    INFLIGHT_META,
    OUTPUT_OF,
    Fleet,
    RunParams,
    connect,
    new_worker_id,
    open_run,
)
from crawler.options import CrawlOptions
from spiders.marketplace import MarketplaceSpider


def run_params_of(spider: MarketplaceSpider) -> RunParams:
    """The run parameters a spider would crawl with (its config, keywords, page limit)."""
    from crawler.crawl.pipelines.store import marketplace_row

    c = spider.config
    return RunParams(
        c.name, dict(spider.keyword_lang), c.base_url, c.search.max_pages, marketplace_row(c)
    )


class RedisWorkerSpider(MarketplaceSpider):
    name = "marketplace-worker"

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        server = connect(crawler.settings.get("REDIS_URL"))
        run, params, created = open_run(server, run_params_of(spider))
        spider.adopt(params)
        spider.run, spider.run_created = run, created
        spider.fleet = Fleet(
            server,
            run,
            worker=new_worker_id(),
            heartbeat_ttl=CrawlOptions.from_settings(crawler.settings).heartbeat_ttl,
        )
        spider.logger.info(
            "worker %s %s run %s", spider.fleet.worker, "started" if created else "joined", run
        )
        return spider

    def adopt(self, params: RunParams) -> None:
        """Crawl with the run's parameters (a joined run's may differ from this worker's)."""
        mine = run_params_of(self)
        if mine.same_crawl(params):
            return
        self.logger.info(
            "adopting run parameters: keywords %s, base URL %s, max pages %s",
            list(params.keyword_lang),
            params.base_url,
            params.max_pages,
        )
        self.keyword_lang = dict(params.keyword_lang)
        self.keywords = list(self.keyword_lang)
        config = self.config.with_base_url(params.base_url)
        self.config = config.model_copy(
            update={"search": config.search.model_copy(update={"max_pages": params.max_pages})}
        )

    def _done(self, output, request):
        """Pass the callback's output on, each piece marked with the request's in-flight token.

        When the callback has ended (also if it raised), the request is acked as soon as
        every marked item and request has been handled (``Fleet.outputs``).
        """
        token = request.meta.get(INFLIGHT_META)
        finished = False
        try:
            for value in output or ():
                if isinstance(value, scrapy.Request):
                    # A follow-up, not a replacement: only the ledger may ack the parent.
                    value.meta.pop(INFLIGHT_META, None)
                    if token:
                        value.meta[OUTPUT_OF] = token
                        self.fleet.outputs.hold(token)
                elif isinstance(value, dict) and token:
                    value[OUTPUT_OF] = token
                    self.fleet.outputs.hold(token)
                yield value
            finished = True
        except Exception:
            finished = True
            raise
        finally:
            # Not on GeneratorExit: an output abandoned half-way (shutdown) stays in flight.
            if finished:
                self.fleet.outputs.finish(token)

    def parse_results(self, response):
        return self._done(super().parse_results(response), response.request)

    def parse_detail(self, response):
        return self._done(super().parse_detail(response), response.request)

    def on_error(self, failure):
        return self._done(super().on_error(failure), failure.request)

    def on_detail_error(self, failure):
        return self._done(super().on_detail_error(failure), failure.request)
