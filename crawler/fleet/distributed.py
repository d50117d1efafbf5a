"""Crawl workers sharing a Redis frontier (scrapy-redis); items go to one ingester.

``wildcrawl crawl --redis URL MARKETPLACE…`` runs ``spiders.redis_worker`` with
``worker_settings(url)``: the scrapy-redis scheduler and ``RFPDupeFilter`` keyed
by the marketplace's run (``crawler.fleet.redis_frontier``), the normalising pipelines
(clean, price, seller, match) and, instead of the SQLite store,
``RedisItemPipeline``, which hands each item to the ingester through Redis.

Settings read: ``REDIS_URL``; ``WILDCRAWL_HEARTBEAT_TTL`` (seconds after which a
silent worker counts as dead and its in-flight requests are re-queued, default
30); ``WILDCRAWL_IDLE_POLL`` (seconds between looks at the shared queue while
this worker is idle, default 0.5).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from crawler import settings as default_settings
from crawler.config import MarketplaceConfig, load_marketplace
from crawler.crawl.pipelines import PIPELINES
from crawler.fleet.redis_frontier import (
    INFLIGHT_META,
    OUTPUT_OF,
    Fleet,
    FleetError,
    ReliableQueue,
    RequestSerializer,
    UnpicklableRequestError,
    connect,
    open_run,
)
from crawler.options import CrawlOptions
from crawler.paths import DEFAULT_DB

logger = logging.getLogger(__name__)


def worker_settings(redis_url: str, heartbeat_ttl: float | None = None) -> dict:
    """Scrapy settings that turn a crawl of this project into a fleet worker."""
    pipelines = {k: v for k, v in PIPELINES.items() if not k.endswith(".StorePipeline")}
    pipelines["crawler.fleet.distributed.RedisItemPipeline"] = 900
    settings = {
        "REDIS_URL": redis_url,
        "SCHEDULER": "crawler.fleet.distributed.FleetScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,  # the frontier is the fleet's, not this worker's
        "ITEM_PIPELINES": pipelines,
        "EXTENSIONS": {**default_settings.EXTENSIONS, "crawler.fleet.distributed.FleetWorker": 600},
    }
    if heartbeat_ttl is not None:
        settings["WILDCRAWL_HEARTBEAT_TTL"] = heartbeat_ttl
    return settings


def _fleet_of(crawler) -> Fleet:
    fleet = getattr(crawler.spider, "fleet", None)
    if fleet is None:
        raise RuntimeError("the Redis frontier needs the worker spider (spiders.redis_worker)")
    return fleet


class FleetScheduler(Scheduler):
    """scrapy-redis's scheduler on the run's keys, with in-flight tracking and loud pickling errors.

    A request that replaces a popped one (redirect, retry) carries the popped one's token
    in its meta: once the replacement is in the frontier, the original is acknowledged.
    A request a callback produced carries its parent's token (``OUTPUT_OF``): once it is in
    the frontier (or filtered, or refused), it is counted off the parent's pending output.
    """

    @classmethod
    def from_crawler(cls, crawler):
        instance = super().from_crawler(crawler)
        instance.crawler = crawler
        return instance

    def open(self, spider):
        self.spider = spider
        self.fleet = _fleet_of(self.crawler)
        self.queue = ReliableQueue(
            self.server,
            spider,
            self.fleet.keys.requests,
            serializer=RequestSerializer,
            fleet=self.fleet,
        )
        self.df = RFPDupeFilter(
            self.server,
            key=self.fleet.keys.dupefilter,
            debug=spider.settings.getbool("DUPEFILTER_DEBUG"),
        )
        if len(self.queue):
            spider.logger.info("run %s: %d requests queued", self.fleet.run, len(self.queue))

    def next_request(self):
        request = self.queue.pop()
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def enqueue_request(self, request) -> bool:
        replaced = request.meta.pop(INFLIGHT_META, None)
        parent = request.meta.pop(OUTPUT_OF, None)
        try:
            return self._enqueue(request, replaced)
        finally:
            self.fleet.outputs.settle(parent)

    def _enqueue(self, request, replaced: str | None) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            self.fleet.ack(replaced)
            return False
        try:
            self.queue.push(request)
        except UnpicklableRequestError as exc:
            # Never drop it silently: an ERROR line naming the request and the meta keys,
            # a count that lands in the crawls row (errors, error_kinds), and the fingerprint
            # released so that a fixed request can be scheduled. Raising here would break
            # Scrapy's processing of the rest of the callback's output.
            self.server.srem(self.df.key, self.df.request_fingerprint(request))
            if self.stats:
                self.stats.inc_value("wildcrawl/errors/unpicklable_request")
            logger.error("%s", exc)
            self.fleet.ack(replaced)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.fleet.ack(replaced)
        return True

    def has_pending_requests(self) -> bool:
        return self.fleet.queued() > 0


class FleetWorker:
    """Heartbeat, idle-time decisions and the final report of one worker in one run.

    The worker stays up while the run still has work anywhere (queued, or in flight in a
    live worker), re-queues the in-flight requests of dead workers, and on closing sends
    its stats to the ingester (after its items, in the same list).
    """

    def __init__(self, crawler, heartbeat_ttl: float, idle_poll: float):
        self.crawler = crawler
        self.heartbeat_ttl = heartbeat_ttl
        self.idle_poll = idle_poll
        self.fleet: Fleet | None = None
        self._stop_beating = None
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        # An item a pipeline dropped or failed on is handled (as in a one-process crawl);
        # pushed ones are counted off by RedisItemPipeline once they are in Redis.
        crawler.signals.connect(self.item_handled, signal=signals.item_dropped)
        crawler.signals.connect(self.item_handled, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler):
        options = CrawlOptions.of(crawler)
        return cls(crawler, options.heartbeat_ttl, options.idle_poll)

    def engine_started(self) -> None:
        # An idle engine looks at its scheduler every 5 s; other workers fill the shared
        # queue meanwhile, so look more often (a private attribute: if it goes, only the
        # idle pick-up gets slower).
        self.crawler.engine._SLOT_HEARTBEAT_INTERVAL = self.idle_poll

    def spider_opened(self, spider) -> None:
        self.fleet = _fleet_of(self.crawler)
        self.fleet.heartbeat_ttl = self.heartbeat_ttl
        self.fleet.join()
        self._stop_beating = self.fleet.keep_beating()

    def item_handled(self, item) -> None:
        if isinstance(item, dict) and self.fleet is not None:
            self.fleet.outputs.settle(item.get(OUTPUT_OF))

    def spider_idle(self, spider) -> None:
        stats = self.crawler.stats
        stranded = self.fleet.outputs.release_stranded()
        if stranded:
            stats.inc_value("wildcrawl/fleet/acked_stranded", stranded)
            logger.warning("%d requests acked whose output was filtered out unseen", stranded)
        moved = self.fleet.requeue_dead()
        if moved:
            stats.inc_value("wildcrawl/fleet/requeued_from_dead", sum(moved.values()))
            raise DontCloseSpider
        own = self.fleet.inflight()
        if own:
            # Idle, yet holding requests: their outcome was lost in this process. Queue them
            # again rather than lose them.
            count = self.fleet.requeue(self.fleet.worker)
            stats.inc_value("wildcrawl/fleet/requeued_orphans", count)
            logger.warning("%d in-flight requests had no outcome here: re-queued", count)
            raise DontCloseSpider
        if self.fleet.others_busy():
            raise DontCloseSpider

    def spider_closed(self, spider, reason) -> None:
        if self._stop_beating is not None:
            self._stop_beating.set()
        if self.fleet is None:
            return
        if reason != "finished":
            count = self.fleet.requeue(self.fleet.worker)
            if count:
                logger.info("stopping (%s): %d in-flight requests re-queued", reason, count)
        stats = {
            k: v
            for k, v in self.crawler.stats.get_stats().items()
            if isinstance(v, int | float | str) and not isinstance(v, bool)
        }
        self.fleet.send_report(reason, stats, spider.seen_item_ids)
        self.fleet.leave()


class RedisItemPipeline:
    """Step 900 on workers: send the normalised item to the ingester (a Redis list)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        fleet = _fleet_of(self.crawler)
        message = dict(item)
        token = message.pop(OUTPUT_OF, None)
        fleet.send_item(message)
        self.crawler.stats.inc_value("wildcrawl/fleet/items_sent")
        fleet.outputs.settle(token)  # in Redis now: its request may be acked
        return item


def run_workers(
    marketplaces: list[str | MarketplaceConfig],
    redis_url: str,
    db_path: str | Path = DEFAULT_DB,
    keywords: list[str] | None = None,
    base_urls: dict[str, str] | None = None,
    max_pages: int | None = None,
    settings: dict | None = None,
) -> list[dict]:
    """Run this process as a worker of each marketplace's run until the runs are drained.

    Workers never write ``db_path`` (read, where it is reachable, to skip evidence already
    taken); flagged listings' screenshots are queued with the listings for the ingester's
    database, and ``wildcrawl evidence capture`` takes them there.
    Returns one summary per marketplace: ``marketplace``, ``run``, ``created`` (this
    worker started the run), ``reason``, ``pages``, ``items``.
    """
    from scrapy.crawler import CrawlerProcess

    from crawler.crawl.runner import launch_overrides, project_settings
    from spiders.redis_worker import RedisWorkerSpider

    configs = [m if isinstance(m, MarketplaceConfig) else load_marketplace(m) for m in marketplaces]
    base_urls = base_urls or {}
    configs = [c.with_base_url(base_urls[c.name]) if c.name in base_urls else c for c in configs]
    connect(redis_url).close()  # one clear line when Redis is not there
    overrides = {**worker_settings(redis_url), **launch_overrides(configs), **(settings or {})}
    process = CrawlerProcess(project_settings(db_path, **overrides), install_root_handler=True)
    logging.getLogger("scrapy").setLevel(logging.INFO)
    crawlers = []
    for config in configs:
        crawler = process.create_crawler(RedisWorkerSpider)
        crawlers.append((config, crawler))
        process.crawl(
            crawler,
            marketplace=config,
            keywords=keywords,
            max_pages=max_pages,
            lexicon=(settings or {}).get("WILDCRAWL_LEXICON"),
        )
    process.start()
    summaries = []
    for config, crawler in crawlers:
        stats = crawler.stats.get_stats()
        spider = crawler.spider
        summaries.append(
            {
                "marketplace": config.name,
                "run": getattr(spider, "run", None),
                "created": getattr(spider, "run_created", False),
                "reason": stats.get("finish_reason"),
                "pages": stats.get("downloader/response_count", 0),
                "items": stats.get("wildcrawl/fleet/items_sent", 0),
            }
        )
    return summaries


def worker_summary_lines(summaries: list[dict]) -> list[str]:
    """One line per marketplace a worker crawled (the crawl row itself is the ingester's)."""
    return [
        f"{s['marketplace']}: {'started' if s['created'] else 'joined'} run {s['run']}, "
        f"{s['pages']} pages, {s['items']} listings sent to the ingester ({s['reason']})"
        for s in summaries
    ]


@dataclass(frozen=True)
class SeedResult:
    """What ``seed_marketplace`` did for one marketplace."""

    marketplace: str
    run: str
    created: bool
    queued: int  # search requests added to the frontier
    requests: int  # search requests built (the others were queued already)


def seed_marketplace(
    server,
    config: MarketplaceConfig,
    keywords: list[str] | None = None,
    max_pages: int | None = None,
    lexicon: str | None = None,
) -> SeedResult:
    """Start (or re-seed) the marketplace's run: its search requests into the frontier.

    The requests are the generic spider's own ``start()``; the shared dupefilter keeps a
    re-seed from queuing anything twice. ``FleetError`` if the marketplace's active run
    crawls with other keywords, base URL or page limit.
    """
    from spiders.redis_worker import RedisWorkerSpider, run_params_of

    spider = RedisWorkerSpider(
        marketplace=config, keywords=keywords, max_pages=max_pages, lexicon=lexicon
    )
    params = run_params_of(spider)
    run, active, created = open_run(server, params)
    if not created and not active.same_crawl(params):
        raise FleetError(
            f"{config.name}: run {run} is already crawling with other parameters (keywords "
            f"{','.join(active.keyword_lang)}, {active.base_url}, max pages {active.max_pages});"
            " let it finish or seed it with the same ones"
        )
    fleet = Fleet(server, run)
    queue = ReliableQueue(server, spider, fleet.keys.requests, fleet=fleet)
    dupefilter = RFPDupeFilter(server, key=fleet.keys.dupefilter)

    async def collect():
        return [request async for request in spider.start()]

    requests = asyncio.run(collect())
    queued = 0
    for request in requests:
        if request.dont_filter or not dupefilter.request_seen(request):
            queue.push(request)
            queued += 1
    return SeedResult(config.name, run, created, queued, len(requests))
