"""The one generic spider: searches a configured marketplace for keyword seeds.

``scrapy crawl marketplace -a marketplace=demo-bazaar [-a keywords=ivory,象牙]
[-a base_url=http://127.0.0.1:9000] [-a max_pages=3]``

Everything site-specific comes from ``spiders/marketplaces/<name>.yaml``; this
module only turns a config into requests and extracted listings into items.
Request meta stays picklable (no live Playwright page), so the same requests
can go through a Redis frontier.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy_playwright.page import PageMethod

from crawler.browser import api_capture, page_init
from crawler.config import MarketplaceConfig, load_marketplace
from crawler.crawl import redirects, requests
from crawler.crawl.render_memory import DEFAULT_MAX_AGE_DAYS, load_decisions
from crawler.extract.listings import (
    PageListings,
    extract_detail,
    extract_listings,
    next_page_url,
    page_state,
)
from crawler.fetch import api
from crawler.matching.lexicon import default_lexicon_path, load_lexicon
from crawler.store import history
from crawler.store.clock import utcnow

JSON_FIRST_SETTING = "WILDCRAWL_JSON_FIRST"
# crawler.browser.handler.SETTING, not imported: an HTTP crawl never loads the browser's modules.
DIRECT_SETTING = "WILDCRAWL_DIRECT_NAVIGATION"
DOM_NEEDED = "dom needed"  # a detail page read from its JSON must be rendered after all
DOM_META = "wildcrawl_dom"  # on such a page's second request: its DOM is awaited
# Click "load more" (or scroll) until no new listing appears; runs inside the page.
LOAD_MORE_JS = """
async ({loadMore, item, scroll, maxRounds, timeout}) => {
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const count = () => document.querySelectorAll(item).length;
  let rounds = 0;
  while (rounds < maxRounds) {
    const before = count();
    if (loadMore) {
      const btn = document.querySelector(loadMore);
      if (!btn || btn.disabled || btn.offsetParent === null) break;
      btn.click();
    } else if (scroll) {
      window.scrollTo(0, document.body.scrollHeight);
    } else break;
    rounds++;
    const start = Date.now();
    while (count() === before && Date.now() - start < timeout) await sleep(25);
    if (count() === before) break;
  }
  return rounds;
}
"""


def _split_keywords(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [k.strip() for k in value.split(",") if k.strip()]
    return [str(k).strip() for k in value if str(k).strip()]


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
        config = (
            marketplace
            if isinstance(marketplace, MarketplaceConfig)
            else load_marketplace(marketplace)
        )
        if base_url:
            config = config.with_base_url(base_url)
        if max_pages:
            config = config.with_max_pages(int(max_pages))
        self.config = config
        seeds = load_lexicon(lexicon or default_lexicon_path()).seeds
        chosen = _split_keywords(keywords)
        self.keyword_lang: dict[str, str] = {}
        if chosen:
            for kw in chosen:
                self.keyword_lang[kw] = next(
                    (lang for lang, words in seeds.items() if kw in words), config.language
                )
        else:
            for lang in config.languages:
                for kw in seeds.get(lang, ()):
                    self.keyword_lang.setdefault(kw, lang)
        self.keywords = list(self.keyword_lang)
        self.crawl_id: int | None = None
        self.seen_item_ids: set[str] = set()  # listings this crawl's searches showed
        self._rechecked = False
        browser = config.render == "browser"
        # Per page kind; render: auto learns it, and remembers it across crawls
        # (crawler.crawl.render_memory): results pages and detail pages may differ.
        self.browser_for = {"results": browser, "detail": browser}
        # The JSON endpoints over plain HTTP, no browser (render: api; auto may choose it).
        self.use_api = config.render == "api"
        self.api_for = {"results": self.use_api, "detail": self.use_api}
        self.render_decisions: dict[str, tuple[str, str]] = {}  # kind -> (render, reason)
        self._found = {
            "browser": {"results": False, "detail": False},
            "api": {"results": False, "detail": False},
        }
        self.download_delay = config.politeness.download_delay
        self._api_tried: set[str] = set()  # page kinds whose JSON endpoint auto has tried

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        polite = spider.config.politeness
        crawler.settings.set("ROBOTSTXT_OBEY", polite.obey_robots, priority="spider")
        crawler.settings.set(
            "CONCURRENT_REQUESTS_PER_DOMAIN", polite.concurrency, priority="spider"
        )
        # Scrapy 2.19's downloader lets a burst of queued requests past the per-domain limit
        # when the delay is 0 (slots count a transfer only once it starts); one crawler crawls
        # one marketplace, so its global limit is the marketplace's limit and holds.
        crawler.settings.set("CONCURRENT_REQUESTS", polite.concurrency, priority="spider")
        crawler.settings.set("DOWNLOAD_DELAY", polite.download_delay, priority="spider")
        if polite.download_timeout:
            crawler.settings.set("DOWNLOAD_TIMEOUT", polite.download_timeout, priority="spider")
        if polite.max_page_mb:
            size = int(polite.max_page_mb * 1024 * 1024)
            crawler.settings.set("DOWNLOAD_MAXSIZE", size, priority="spider")
            crawler.settings.set(
                "DOWNLOAD_WARNSIZE",
                min(size, crawler.settings.getint("DOWNLOAD_WARNSIZE")),
                priority="spider",
            )
        redirects.install(crawler.settings)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    @property
    def use_browser(self) -> bool:
        """Whether results pages are fetched in the browser."""
        return self.browser_for["results"]

    # --- render: auto, per page kind, remembered ----------------------------------

    def _recall_render(self) -> None:
        settings = self.crawler.settings
        days = settings.getfloat("WILDCRAWL_RENDER_MEMORY_DAYS", DEFAULT_MAX_AGE_DAYS)
        db_path = settings.get("WILDCRAWL_DB")
        if days <= 0 or not db_path:
            return
        for kind, render in load_decisions(db_path, self.config.name, days).items():
            if render == "api" and not self._api_can(kind):
                continue  # the config's api section went away since
            self.browser_for[kind] = render == "browser"
            self.api_for[kind] = render == "api"
            self.crawler.stats.set_value(f"wildcrawl/auto/remembered/{kind}", render)
            self.logger.info("%s: %s pages in %s (remembered)", self.config.name, kind, render)

    def _decide(self, kind: str, render: str, reason: str, first: bool = False) -> None:
        if first and kind in self.render_decisions:
            return
        self.browser_for[kind] = render == "browser"
        self.api_for[kind] = render == "api"
        self.render_decisions[kind] = (render, reason)
        self.crawler.stats.set_value(f"wildcrawl/auto/decision/{kind}", render)

    def _api_can(self, kind: str) -> bool:
        """Whether the config's ``api`` section has an endpoint for ``kind`` pages."""
        a = self.config.api
        return a is not None and (kind == "results" or a.detail is not None)

    def _fallback(self, kind: str, reason: str) -> str:
        """render: auto, a page of ``kind`` had nothing: the JSON endpoint next (if the config
        has one and it was not tried), else the browser. Returns the new render."""
        if self.api_for[kind]:
            return "api"  # an earlier page of this kind already moved to the endpoint
        render = "api" if self._api_can(kind) and kind not in self._api_tried else "browser"
        if render == "api":
            self._api_tried.add(kind)
        self._decide(kind, render, reason)
        return render

    def decisions_to_remember(self) -> dict[str, tuple[str, str]]:
        """What this crawl learnt, for the store: a switch to the JSON endpoints or to the
        browser only if it then found something (else the page was simply empty)."""
        return {
            kind: decision
            for kind, decision in self.render_decisions.items()
            if decision[0] == "http" or self._found[decision[0]][kind]
        }

    # --- requests -----------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.config.render == "auto":
            self._recall_render()
        for keyword in self.keywords:
            if self.api_for["results"]:
                yield self.api_search_request(keyword, self.config.api.search.first_page)
            else:
                yield self.search_request(keyword, self.config.search.first_page)

    def _capture_pattern(self, kind: str) -> str | None:
        """Regex of the endpoint URLs whose JSON a browser page of ``kind`` should capture."""
        a = self.config.api
        if a is None:
            return None
        if kind == "results":
            return api.capture_pattern(a.search.url, a.search.capture)
        return api.capture_pattern(a.detail.url, a.detail.capture) if a.detail else None

    def _json_first(self) -> bool:
        """``WILDCRAWL_JSON_FIRST`` (default on): detail pages whose JSON is captured are read
        as soon as it is in (``api_capture.answers_first``), without waiting for the DOM."""
        crawler = getattr(self, "crawler", None)
        if crawler is None:
            return True
        settings = crawler.settings
        # The served HTML comes from the crawl's own handler, on pages it navigates directly.
        return settings.getbool(JSON_FIRST_SETTING, True) and settings.getbool(DIRECT_SETTING, True)

    def _browser_meta(
        self, wait_for: str | None, expand: bool, kind: str = "results", dom: bool = False
    ) -> dict:
        b = self.config.browser
        methods = []
        pattern = self._capture_pattern(kind)
        json_first = bool(
            kind == "detail" and pattern and wait_for and not dom and self._json_first()
        )
        if wait_for and not json_first:
            methods.append(PageMethod("wait_for_selector", wait_for, timeout=b.timeout_ms))
        if expand and (b.load_more or b.scroll) and self.config.listings.item:
            methods.append(
                PageMethod(
                    "evaluate",
                    LOAD_MORE_JS,
                    {
                        "loadMore": b.load_more,
                        "item": self.config.listings.item,
                        "scroll": b.scroll,
                        "maxRounds": b.max_rounds,
                        "timeout": b.timeout_ms,
                    },
                )
            )
        meta = {
            "playwright": True,
            "playwright_context": f"wildcrawl-{self.config.name}",
            "playwright_page_methods": methods,
        }
        if pattern:
            # Read the JSON the page itself fetched (crawler.browser.api_capture); all by name or
            # plain data, so the request stays picklable.
            meta["playwright_page_init_callback"] = page_init.INIT_CALLBACK
            meta[api_capture.CAPTURE_META] = pattern
            if json_first:
                methods.append(api_capture.answers_first_method(wait_for, b.timeout_ms))
            else:
                methods.append(api_capture.collect_method(b.timeout_ms))
            if kind == "results" and expand and self.config.listings:
                # Read from the JSON: the cards need not travel as HTML (kept when the DOM
                # will be read instead).
                methods.append(api_capture.drop_cards_method(self.config.listings.item))
        if not b.block_resources:
            meta["playwright_page_init_callback"] = page_init.INIT_CALLBACK
            meta[page_init.KEEP_RESOURCES_META] = True
        if kind == "results" and b.skip_offscreen and self.config.listings:
            # Cards out of view skip layout: a long "Load more" page stays small.
            meta["playwright_page_init_callback"] = page_init.INIT_CALLBACK
            meta[page_init.OFFSCREEN_META] = self.config.listings.item
        if wait_for:
            # The selector says when the page is ready: no need to wait for its "load" event.
            meta["playwright_page_goto_kwargs"] = {"wait_until": "domcontentloaded"}
        return meta

    def search_request(self, keyword: str, page: int, url: str | None = None, browser=None):
        browser = self.use_browser if browser is None else browser
        meta = {"keyword": keyword, "page": page, "kind": "results"}
        if browser:
            meta.update(self._browser_meta(self.config.browser.wait_for, expand=True))
        return scrapy.Request(
            url or self.config.search_url(keyword, page),
            callback=self.parse_results,
            errback=self.on_error,
            meta=meta,
            dont_filter=browser and self.config.render == "auto",
        )

    def api_search_request(self, keyword: str, page: int, url: str | None = None):
        """A request of the search endpoint (``render: api``): plain HTTP, JSON back."""
        blocked, _ = api.status_lists(self.config)
        meta = {
            "keyword": keyword,
            "page": page,
            "kind": "results",
            "api": True,
            "handle_httpstatus_list": blocked,
        }
        return scrapy.Request(
            url or api.search_url(self.config, keyword, page),
            callback=self.parse_results,
            errback=self.on_error,
            headers={"Accept": "application/json"},
            meta=meta,
        )

    # --- callbacks ------------------------------------------------------------------

    def _text(self, response) -> str:
        if self.config.encoding:
            return response.body.decode(self.config.encoding, errors="replace")
        return response.text

    def _captured_json(self, response, kind: str) -> list[tuple[str, int, object]] | None:
        """The JSON answers a browser page of ``kind`` received from the configured endpoint,
        as (url, status, data); None (counted) when the DOM must be read instead: no
        matching answer seen, or one that failed, timed out or was not JSON."""
        if not (response.meta.get("playwright") and response.meta.get(api_capture.CAPTURE_META)):
            return None
        stats = self.crawler.stats
        answers = api_capture.captured(response) or []
        docs, problem = [], None if answers else "no matching JSON answer seen"
        for answer in answers:
            if "error" in answer:
                problem = f"{answer['url']}: {answer['error']}"
                break
            data, err = api_capture.answer_json(answer)
            if err is not None:
                problem = f"{answer['url']}: {err}"
                break
            state = api.api_state(self.config, answer["status"], data)
            if answer["status"] >= 400 and state == "ok":
                problem = f"{answer['url']} answered {answer['status']}"
                break
            docs.append((answer["url"], answer["status"], data))
        if problem:
            stats.inc_value(f"wildcrawl/api/dom_fallback/{kind}")
            self.logger.info("%s: reading the DOM (%s)", response.url, problem)
            return None
        stats.inc_value(f"wildcrawl/api/captured/{kind}")
        stats.inc_value(f"wildcrawl/api/captured_answers/{kind}", len(docs))
        return docs

    def _results_found(self, response, body) -> tuple[str, PageListings, object]:
        """(page state, listings, JSON data of an api answer or None) of a results response."""
        if response.meta.get("api"):
            data, err = api.parse_json(body)
            if err is not None:
                state = page_state(self.config, response.status, body)
                return state, PageListings(error=f"{err}" if state == "ok" else None), None
            if api.api_state(self.config, response.status, data) == "blocked":
                return "blocked", PageListings(), data
            return "ok", api.api_listings(self.config, data, response.url), data
        state = page_state(self.config, response.status, body)
        if state == "blocked":
            return state, PageListings(), None
        # An auto check reads the DOM: it asks whether the endpoint's reading is what is wrong.
        check = response.meta.get("auto_check")
        docs = self._captured_json(response, "results") if self.config.api and not check else None
        if docs is None:
            return state, extract_listings(self.config, body, response.url), None
        found, ids = PageListings(), set()
        for url, status, data in docs:
            if api.api_state(self.config, status, data) == "blocked":
                return "blocked", PageListings(), None
            batch = api.api_listings(self.config, data, url)
            found.error = found.error or batch.error
            for key, count in batch.missing.items():
                found.missing[key] = found.missing.get(key, 0) + count
            for raw in batch.listings:
                if raw["item_id"] not in ids:  # a batch the page fetched twice
                    ids.add(raw["item_id"])
                    found.listings.append(raw)
        return state, found, None

    def parse_results(self, response):
        keyword, page = response.meta["keyword"], response.meta["page"]
        body = self._text(response)
        state, found, data = self._results_found(response, body)
        stats = self.crawler.stats
        if state == "blocked":
            stats.inc_value("wildcrawl/errors/blocked")
            self.logger.warning("block/captcha page at %s: nothing stored from it", response.url)
            return
        if found.error:
            stats.inc_value("wildcrawl/errors/extraction")
            self.logger.warning("%s: %s", response.url, found.error)
        static = not response.meta.get("playwright")
        via_api = bool(response.meta.get("api"))
        if self.config.render == "auto" and static:
            if via_api and (found.error or state != "ok"):
                # The endpoint's answer was not what the api section describes: the browser.
                self._decide("results", "browser", f"{response.url}: {found.error or state}")
                stats.inc_value("wildcrawl/auto/browser_fallback")
                yield self.search_request(keyword, self.config.search.first_page, browser=True)
                return
            if via_api and not found.listings and not self._found["api"]["results"]:
                # No listings from the endpoint, none from it yet: an empty search, or an items
                # path that matches nothing. The browser's page of this search tells which.
                stats.inc_value("wildcrawl/auto/browser_check")
                check = self.search_request(keyword, self.config.search.first_page, browser=True)
                check.meta["auto_check"] = True
                check.meta["playwright_page_methods"] = [  # the check reads the cards
                    m
                    for m in check.meta["playwright_page_methods"]
                    if m.method is not api_capture.drop_cards
                ]
                yield check
                return
            if not via_api and not found.listings:
                # The static page had nothing: the JSON endpoint (if configured), else the
                # browser, for results pages from now on.
                render = self._fallback("results", f"static {response.url} had no listings")
                if render == "api":
                    stats.inc_value("wildcrawl/auto/api_fallback")
                    yield self.api_search_request(keyword, self.config.api.search.first_page)
                else:
                    stats.inc_value("wildcrawl/auto/browser_fallback")
                    yield self.search_request(keyword, page, url=response.url, browser=True)
                return
            if via_api:
                self._found["api"]["results"] = True
            else:
                self._decide("results", "http", "static results pages have listings", first=True)
        elif not static and found.listings:
            self._found["browser"]["results"] = True
            if response.meta.get("auto_check") and not self.browser_for["results"]:
                self._decide(
                    "results",
                    "browser",
                    f"the endpoint answered no listings, {response.url} showed some",
                )
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
        if response.meta.get("api"):
            yield from self._api_next_page(response, data, keyword, page, len(found.listings))
        else:
            yield from self._next_page(response, body, keyword, page, len(found.listings))

    def _card(self, raw: dict, keyword: str, seen_at: str, page_url: str):
        """One card of a results page: its detail request, or the listing itself. A bad card
        costs at most its own detail page, never the rest of the page."""
        listing = self._listing(raw, keyword, seen_at)
        problem = requests.link_problem(listing.get("url"), page_url)
        if problem:
            # Never store a script URL (Datasette renders it as a link): the page that showed it.
            self.crawler.stats.inc_value("wildcrawl/errors/bad_link")
            self.logger.warning(
                "%s: listing %s has %s (%r): kept as the results page showed it",
                page_url,
                listing.get("item_id"),
                problem,
                listing.get("url"),
            )
            listing["url"] = page_url
        if not self._follows_detail() or (problem and not self.api_for["detail"]):
            return listing
        try:
            return self.detail_request(listing)
        except Exception as exc:  # noqa: BLE001 (one card's fault must not end its page)
            self.crawler.stats.inc_value("wildcrawl/errors/bad_card")
            self.logger.warning("%s: listing %s: %r", page_url, listing.get("item_id"), exc)
            return listing

    def _follows_detail(self) -> bool:
        if self.api_for["detail"]:
            return self.config.api.detail is not None
        return self.config.detail is not None or bool(
            self.browser_for["detail"] and self.config.api and self.config.api.detail
        )

    def _api_next_page(self, response, data, keyword, page, n_found):
        if data is None:
            return
        url, cut = api.next_url(self.config, data, response.url, keyword, page, n_found)
        if cut:
            self.crawler.stats.inc_value("wildcrawl/pages/max_pages_reached")
            self.logger.info(
                "%r: stopped at max_pages=%d, %s offers a next page",
                keyword,
                self.config.api.search.max_pages,
                response.url,
            )
        if url:
            yield self.api_search_request(keyword, page + 1, url=url)

    def _next_page(self, response, body, keyword, page, n_found):
        search = self.config.search
        pages_done = page - search.first_page + 1
        if pages_done >= search.max_pages:
            if search.next_page and next_page_url(self.config, body, response.url):
                # More pages offered (or an endless pagination trap): max_pages bounds the crawl.
                self.crawler.stats.inc_value("wildcrawl/pages/max_pages_reached")
                self.logger.info(
                    "%r: stopped at max_pages=%d, %s offers a next page",
                    keyword,
                    search.max_pages,
                    response.url,
                )
            return
        if search.next_page:
            url = next_page_url(self.config, body, response.url)
            if url:
                yield self.search_request(keyword, page + 1, url=url)
            return
        if n_found == 0 or (search.page_size and n_found < search.page_size):
            return
        if "{page}" in search.url or "{offset}" in search.url:
            yield self.search_request(keyword, page + 1)

    def detail_request(
        self, listing: dict, browser: bool | None = None, dom: bool = False
    ) -> scrapy.Request:
        # Let "removed" statuses (404/410) reach the callback: they are an answer, not an error.
        meta = {
            "listing": listing,
            "kind": "detail",
            "handle_httpstatus_list": self._gone_statuses(),
        }
        if dom:
            meta[DOM_META] = True
        if self.api_for["detail"] and browser is not True and self.config.api.detail:
            # The detail endpoint; the listing keeps its page for people as ``url``.
            meta.update(api=True, handle_httpstatus_list=api.status_lists(self.config)[1])
            return scrapy.Request(
                api.detail_url(self.config, listing["item_id"]),
                callback=self.parse_detail,
                errback=self.on_detail_error,
                headers={"Accept": "application/json"},
                meta=meta,
            )
        if browser is None:
            browser = self.browser_for["detail"]
        if browser:
            meta.update(
                self._browser_meta(
                    self.config.browser.detail_wait_for, expand=False, kind="detail", dom=dom
                )
            )
        return scrapy.Request(
            listing["url"], callback=self.parse_detail, errback=self.on_detail_error, meta=meta
        )

    def _detail_answer(self, response, body: str, count: bool = True) -> tuple[str, dict]:
        """(page state, detail fields) of a detail page, endpoint answer or captured JSON."""
        if response.meta.get("api"):
            data, err = api.parse_json(body)
            if err is None:
                return (
                    api.api_state(self.config, response.status, data),
                    api.api_detail(self.config, data, response.url),
                )
            state = page_state(self.config, response.status, body)
            if state == "ok" and count:
                self.crawler.stats.inc_value("wildcrawl/errors/extraction")
                self.logger.warning("%s: %s", response.url, err)
            return state, {}
        state = page_state(self.config, response.status, body)
        if state != "blocked" and self.config.api and count:
            docs = self._captured_json(response, "detail")
            if docs:
                url, status, data = docs[-1]
                json_state = api.api_state(self.config, status, data)
                fields = api.api_detail(self.config, data, url)
                if json_state != "ok" or any(fields.values()):
                    return json_state, fields
                # The answer was read but the section's paths found nothing: the DOM.
                if api_capture.SERVED_FLAG in response.flags and not response.meta.get(DOM_META):
                    # Not rendered (api_capture.answers_first): the page again, DOM awaited.
                    self.crawler.stats.inc_value("wildcrawl/api/dom_refetch/detail")
                    return DOM_NEEDED, {}
                self.crawler.stats.inc_value("wildcrawl/api/dom_fallback/detail")
                self.logger.info(
                    "%s: reading the DOM (the api detail fields found nothing)", response.url
                )
        return state, extract_detail(self.config, body, response.url)

    def parse_detail(self, response):
        listing = dict(response.meta["listing"])
        body = self._text(response)
        state, fields = self._detail_answer(response, body)
        if state == DOM_NEEDED:
            retry = self.detail_request(dict(response.meta["listing"]), browser=True, dom=True)
            yield retry.replace(
                callback=response.request.callback,
                errback=response.request.errback,
                dont_filter=True,
            )
            return
        if state == "blocked":
            self.crawler.stats.inc_value("wildcrawl/errors/blocked")
            yield listing
            return
        filled = any(fields.values())
        if self.config.render == "auto" and not response.meta.get("playwright"):
            via_api = bool(response.meta.get("api"))
            wants = self.config.detail or (via_api and self.config.api.detail)
            if state == "ok" and not filled and wants and not listing.get("rechecked"):
                # None of the detail fields (static page or endpoint): the JSON endpoint if
                # configured and not tried, else the browser, for detail pages from now on.
                if via_api:  # the endpoint itself had nothing: the browser, if it can read one
                    render = "browser" if self.config.detail else None
                    if render:
                        self._decide(
                            "detail", render, f"{response.url} answered none of its fields"
                        )
                else:
                    render = self._fallback(
                        "detail", f"static {response.url} had none of its fields"
                    )
                    if render == "browser" and not self.config.detail:
                        render = None  # no selectors for a browser page: keep the search's fields
                if render:
                    self.crawler.stats.inc_value(f"wildcrawl/auto/{render}_fallback_detail")
                    retry = self.detail_request(
                        dict(response.meta["listing"]), browser=render == "browser"
                    )
                    yield retry.replace(dont_filter=True)
                    return
            if filled and via_api:
                self._found["api"]["detail"] = True
            elif filled:
                self._decide("detail", "http", "static detail pages have their fields", first=True)
        elif filled:
            self._found["browser"]["detail"] = True
        if state in ("removed", "sold"):
            listing["page_state"] = state
        for key, value in fields.items():
            if value:
                listing[key] = value
        self.crawler.stats.inc_value("wildcrawl/pages/detail")
        yield listing

    def _gone_statuses(self) -> list[int]:
        return sorted({404, 410, *(self.config.removed.status if self.config.removed else ())})

    # --- re-checks of listings the searches no longer show (crawler.store.history) -------------

    def on_idle(self):
        """Once the searches are done: apply the broken-crawl guard, then re-check unseen listings."""
        if self._rechecked or self.crawl_id is None:
            return
        self._rechecked = True
        stats = self.crawler.stats
        db_path = self.crawler.settings.get("WILDCRAWL_DB")
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
        try:
            previous = history.previous_counts(conn, self.config.name, self.keywords, self.crawl_id)
            reason = history.broken_reason(
                len(self.seen_item_ids),
                previous,
                stats.get_value("wildcrawl/errors/blocked", 0),
                redirect_loops=stats.get_value("wildcrawl/redirect_loop/results", 0),
            )
            if reason:
                stats.set_value("wildcrawl/broken_reason", reason)
                self.logger.error("%s: broken crawl, no re-checks: %s", self.config.name, reason)
                return
            rows = history.recheck_candidates(
                conn, self.config.name, self.keywords, self.seen_item_ids
            )
        finally:
            conn.close()
        stats.set_value("wildcrawl/recheck/scheduled", len(rows))
        for row in rows:
            if requests.link_problem(row.get("url"), "") and not self.api_for["detail"]:
                stats.inc_value("wildcrawl/errors/bad_link")  # stored before links were checked
                continue
            self.crawler.engine.crawl(self.recheck_request(row))
        if rows:
            raise DontCloseSpider

    def recheck_request(self, row: dict) -> scrapy.Request:
        listing = {k: v for k, v in row.items() if k != "id" and v is not None}
        listing = {**self._listing(listing, row["keyword"], utcnow()), "rechecked": True}
        request = self.detail_request(listing)
        return request.replace(
            callback=self.parse_recheck, errback=self.on_recheck_error, dont_filter=True
        )

    def parse_recheck(self, response):
        listing = dict(response.meta["listing"])
        listing["seen_at"] = utcnow()
        state = self._recheck_state(response)
        self.crawler.stats.inc_value(f"wildcrawl/recheck/{state}")
        if state == "blocked":
            # A block page says nothing about the listing: leave its status alone.
            self.crawler.stats.inc_value("wildcrawl/errors/blocked")
            return
        response.meta["listing"] = listing
        yield from self.parse_detail(response)

    def _recheck_state(self, response) -> str:
        body = self._text(response)
        if response.meta.get("api") or not response.meta.get(api_capture.CAPTURE_META):
            return self._detail_answer(response, body, count=False)[0]
        state = page_state(self.config, response.status, body)
        if state == "blocked":
            return state
        answers = api_capture.captured(response) or []
        for answer in reversed(answers):  # the page's own answer, if it was read
            if "error" not in answer:
                data, err = api_capture.answer_json(answer)
                if err is None:
                    return api.api_state(self.config, answer["status"], data)
        return state

    def _redirect_loop(self, failure, kind: str) -> bool:
        """Count and log a redirect loop (an error of its own kind); False for other failures."""
        if not redirects.is_redirect_loop(failure):
            return False
        self.crawler.stats.inc_value("wildcrawl/errors/redirect_loop")
        self.crawler.stats.inc_value(f"wildcrawl/redirect_loop/{kind}")
        self.logger.error(
            "redirect loop: %s page %s not fetched (%s)", kind, failure.request.url, failure.value
        )
        return True

    def on_recheck_error(self, failure):
        if self._redirect_loop(failure, "recheck"):
            return
        self.crawler.stats.inc_value("wildcrawl/errors/recheck_failed")
        self.logger.warning("re-check failed (%s): %s", failure.type.__name__, failure.request.url)

    def on_detail_error(self, failure):
        # The search page showed the listing: store what it gave, and count the failure.
        if not self._redirect_loop(failure, "detail"):
            self.crawler.stats.inc_value("wildcrawl/errors/detail_failed")
            self.logger.warning(
                "detail page failed (%s): %s", failure.type.__name__, failure.request.url
            )
        yield dict(failure.request.meta["listing"])

    def on_error(self, failure):
        if failure.check(IgnoreRequest) and "robots" in str(failure.value).lower():
            # Not a fault of the site: its robots.txt asks us not to fetch this page.
            self.crawler.stats.inc_value("wildcrawl/errors/robots_disallowed")
            self.logger.warning("robots.txt forbids %s: not fetched", failure.request.url)
            return
        if self._redirect_loop(failure, "results"):
            return
        self.crawler.stats.inc_value("wildcrawl/errors/results_failed")
        self.logger.error(
            "results page failed (%s): %s", failure.type.__name__, failure.request.url
        )

    def _listing(self, raw: dict, keyword: str, seen_at: str) -> dict:
        c = self.config
        return {
            **raw,
            "marketplace": c.name,
            "keyword": keyword,
            "lang": self.keyword_lang.get(keyword, c.language),
            "seen_at": seen_at,
            "currency_hint": c.currency,
            "locale": c.locale,
            "country_hint": c.country,
        }
