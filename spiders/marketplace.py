"""The one generic spider: searches a configured marketplace for keyword seeds.

``scrapy crawl marketplace -a marketplace=demo-bazaar [-a keywords=ivory,象牙]
[-a base_url=http://127.0.0.1:9000] [-a max_pages=3]``

Site specifics: ``spiders/marketplaces/<name>.yaml``; how each page is fetched: the render
plan (``crawler.fetch.plan``); requests: ``crawler.crawl.requests``; reading: ``.answers``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest

from crawler.config import MarketplaceConfig, load_marketplace
from crawler.crawl import answers, redirects, requests
from crawler.crawl.render_memory import load_decisions
from crawler.crawl.requests import LOAD_MORE_JS  # noqa: F401 (bench/baselines import it here)
from crawler.fetch import plan as steps
from crawler.fetch.plan import RenderPlan
from crawler.matching.lexicon import read_seeds
from crawler.options import CrawlOptions
from crawler.store.clock import utcnow


class MarketplaceSpider(scrapy.Spider):
    name = "marketplace"

    def __init__(
        self,
        marketplace: str | MarketplaceConfig | None = None,
        keywords=None,
        base_url: str | None = None,
        max_pages: int | str | None = None,
        lexicon: str | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if marketplace is None:
            raise ValueError("give the marketplace: -a marketplace=NAME")
        if not isinstance(marketplace, MarketplaceConfig):
            marketplace = load_marketplace(marketplace)
        config = marketplace.with_base_url(base_url) if base_url else marketplace
        if max_pages:
            config = config.with_max_pages(int(max_pages))
        self.config = config
        seeds = read_seeds(lexicon)
        self.keyword_lang = requests.keyword_languages(keywords, seeds, config)
        self.keywords = list(self.keyword_lang)
        self._chosen = keywords
        self.crawl_id: int | None = None
        self.seen_item_ids: set[str] = set()  # listings this crawl's searches showed
        self._rechecked = False
        # Per page kind (results, detail): http, browser or api; render: auto learns it and
        # remembers it across crawls (crawler.crawl.render_memory).
        self.plan = RenderPlan.from_config(config)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        requests.apply_politeness(crawler.settings, spider.config.politeness)
        redirects.install(crawler.settings)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    def _decided(self) -> None:
        for kind, (render, _) in self.plan.decisions.items():
            self.crawler.stats.set_value(f"wildcrawl/auto/decision/{kind}", render)

    def decisions_to_remember(self) -> dict[str, tuple[str, str]]:
        return self.plan.to_remember()

    # --- requests (crawler.crawl.requests) ----------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.plan.auto:  # only then: a fleet's seeder starts a spider without a crawler
            self._recall()
        for keyword, url in requests.first_searches(self.config, self.keyword_lang, self._chosen):
            if self.plan.api_for["results"] and url is None:
                yield self.api_search_request(keyword, self.config.api.search.first_page)
            else:
                yield self.search_request(keyword, self.config.search.first_page, url=url)

    def _recall(self) -> None:
        options = CrawlOptions.of(self.crawler)
        days, db_path = options.render_memory_days, options.db
        if days > 0 and db_path:
            for kind, render in self.plan.recall(load_decisions(db_path, self.config.name, days)):
                self.crawler.stats.set_value(f"wildcrawl/auto/remembered/{kind}", render)
                self.logger.info("%s: %s pages in %s (remembered)", self.config.name, kind, render)

    def search_request(self, keyword: str, page: int, url: str | None = None, browser=None):
        browser = self.plan.browser_for["results"] if browser is None else browser
        return requests.search_request(
            self.config, keyword, page, browser=browser, url=url, **self._results_callbacks()
        )

    def api_search_request(self, keyword: str, page: int, url: str | None = None):
        return requests.api_search_request(
            self.config, keyword, page, url=url, **self._results_callbacks()
        )

    def _results_callbacks(self) -> dict:
        return {"callback": self.parse_results, "errback": self.on_error}

    def detail_request(self, listing: dict, browser: bool | None = None, dom: bool = False):
        via_api = self.plan.api_for["detail"] and browser is not True and self.plan.api_detail
        crawler = getattr(self, "crawler", None)
        return requests.detail_request(
            self.config,
            listing,
            via_api=via_api,
            browser=self.plan.browser_for["detail"] if browser is None else browser,
            dom=dom,
            json_first=requests.json_first(crawler),
            callback=self.parse_detail,
            errback=self.on_detail_error,
        )

    # --- callbacks (crawler.crawl.answers) ----------------------------------------------

    def parse_results(self, response):
        keyword, page = response.meta["keyword"], response.meta["page"]
        body = answers.text(self.config, response)
        stats = self.crawler.stats
        state, found, data = answers.results_found(self.config, response, body, stats, self.logger)
        if state == "blocked":
            stats.inc_value("wildcrawl/errors/blocked")
            self.logger.warning("block/captcha page at %s: nothing stored from it", response.url)
            return
        if found.error:
            stats.inc_value("wildcrawl/errors/extraction")
            self.logger.warning("%s: %s", response.url, found.error)
        via_api = bool(response.meta.get("api"))
        action = self.plan.after_results(
            response.url,
            static=not response.meta.get("playwright"),
            via_api=via_api,
            problem=found.error or (state if state != "ok" else None),
            n_listings=len(found.listings),
            auto_check=bool(response.meta.get("auto_check")),
        )
        self._decided()
        if action in requests.REDO_STATS:
            stats.inc_value(f"wildcrawl/auto/{requests.REDO_STATS[action]}")
            callbacks = self._results_callbacks()
            yield requests.redo_request(
                self.config, action, keyword, page, response.url, **callbacks
            )
            return
        if action == steps.READ_CHECKED:
            self.logger.warning(
                "%s: the api section's search reads no listings where the page shows %d: "
                "results pages go to the browser (check api.search.items and its fields)",
                self.config.name,
                len(found.listings),
            )
        stats.inc_value("wildcrawl/pages/results")
        stats.inc_value("wildcrawl/listings/extracted", len(found.listings))
        for key, count in found.missing.items():
            stats.inc_value(f"wildcrawl/field/{key}/missing_on_page", count)
        seen_at = utcnow()
        self.seen_item_ids.update(str(raw["item_id"]).strip() for raw in found.listings)
        stats.set_value("wildcrawl/listings/unique", len(self.seen_item_ids))
        for raw in found.listings:
            yield self._card(raw, keyword, seen_at, response.url)
        url = requests.next_page(
            self.config, response, body, data, found.listings, stats, self.logger
        )
        if url:
            again = self.api_search_request if via_api else self.search_request
            yield again(keyword, page + 1, url=url)

    def _card(self, raw: dict, keyword: str, seen_at: str, page_url: str):
        """A card's detail request, or the listing: a bad card costs at most its detail page."""
        lang = self.keyword_lang.get(keyword, self.config.language)
        listing = answers.listing(self.config, raw, keyword, lang, seen_at)
        problem = answers.check_link(listing, page_url, self.crawler.stats, self.logger)
        if not self.plan.follows_detail() or (problem and not self.plan.api_for["detail"]):
            return listing
        try:
            return self.detail_request(listing)
        except Exception as exc:  # noqa: BLE001 (one card's fault must not end its page)
            self.crawler.stats.inc_value("wildcrawl/errors/bad_card")
            self.logger.warning("%s: listing %s: %r", page_url, listing.get("item_id"), exc)
            return listing

    def parse_detail(self, response):
        first = response.meta["listing"]  # as the search gave it: a retry starts from it
        listing = dict(first)
        body = answers.text(self.config, response)
        stats = self.crawler.stats
        state, fields = answers.detail_answer(self.config, response, body, stats, self.logger)
        if state == answers.DOM_NEEDED:
            retry = self.detail_request(dict(first), browser=True, dom=True)
            yield retry.replace(
                callback=response.request.callback,
                errback=response.request.errback,
                dont_filter=True,
            )
            return
        if state == "blocked":
            stats.inc_value("wildcrawl/errors/blocked")
            yield listing
            return
        filled = any(fields.values())
        step = self.plan.after_detail(
            response.url,
            static=not response.meta.get("playwright"),
            via_api=bool(response.meta.get("api")),
            state=state,
            filled=filled,
            rechecked=bool(listing.get("rechecked")),
        )
        self._decided()
        if step.action == steps.RETRY:
            stats.inc_value(f"wildcrawl/auto/{step.render}_fallback_detail")
            again = self.detail_request(dict(first), browser=step.render == "browser")
            yield again.replace(dont_filter=True)
            return
        if state in ("removed", "sold"):
            listing["page_state"] = state
        for key, value in fields.items():
            if value:
                listing[key] = value
        stats.inc_value("wildcrawl/pages/detail")
        yield listing

    # --- re-checks of listings the searches no longer show (crawler.store.history) -------------

    def on_idle(self):
        """Once the searches are done: apply the broken-crawl guard, then re-check unseen listings."""
        if self._rechecked or self.crawl_id is None:
            return
        self._rechecked = True
        stats = self.crawler.stats
        db_path = CrawlOptions.of(self.crawler).db
        ids, links = self.seen_item_ids, not self.plan.api_for["detail"]
        reason, rows = answers.recheck_rows(
            db_path, self.config, self.keywords, self.crawl_id, ids, stats, links
        )
        if reason:
            stats.set_value("wildcrawl/broken_reason", reason)
            self.logger.error("%s: broken crawl, no re-checks: %s", self.config.name, reason)
            return
        stats.set_value("wildcrawl/recheck/scheduled", len(rows))
        for row in rows:
            self.crawler.engine.crawl(self.recheck_request(row))
        if rows:
            raise DontCloseSpider

    def recheck_request(self, row: dict) -> scrapy.Request:
        listing = {k: v for k, v in row.items() if k != "id" and v is not None}
        lang = self.keyword_lang.get(row["keyword"], self.config.language)
        listing = answers.listing(self.config, listing, row["keyword"], lang, utcnow())
        listing["rechecked"] = True
        request = self.detail_request(listing)
        return request.replace(
            callback=self.parse_recheck, errback=self.on_recheck_error, dont_filter=True
        )

    def parse_recheck(self, response):
        listing = dict(response.meta["listing"])
        listing["seen_at"] = utcnow()
        state = answers.recheck_state(self.config, response, self.crawler.stats, self.logger)
        self.crawler.stats.inc_value(f"wildcrawl/recheck/{state}")
        if state == "blocked":
            # A block page says nothing about the listing: leave its status alone.
            self.crawler.stats.inc_value("wildcrawl/errors/blocked")
            return
        response.meta["listing"] = listing
        yield from self.parse_detail(response)

    # --- errbacks -------------------------------------------------------------------------

    def _failed(self, failure, kind: str, what: str) -> None:
        """Count a failed page: a redirect loop, else ``wildcrawl/errors/<kind>_failed``."""
        if not redirects.count_loop(failure, kind, self.crawler.stats, self.logger):
            self.crawler.stats.inc_value(f"wildcrawl/errors/{kind}_failed")
            log = self.logger.error if kind == "results" else self.logger.warning
            log("%s failed (%s): %s", what, failure.type.__name__, failure.request.url)

    def on_recheck_error(self, failure):
        self._failed(failure, "recheck", "re-check")

    def on_detail_error(self, failure):
        # The search page showed the listing: store what it gave, and count the failure.
        self._failed(failure, "detail", "detail page")
        yield dict(failure.request.meta["listing"])

    def on_error(self, failure):
        if failure.check(IgnoreRequest) and "robots" in str(failure.value).lower():
            # Not a fault of the site: its robots.txt asks us not to fetch this page.
            self.crawler.stats.inc_value("wildcrawl/errors/robots_disallowed")
            self.logger.warning("robots.txt forbids %s: not fetched", failure.request.url)
            return
        self._failed(failure, "results", "results page")
