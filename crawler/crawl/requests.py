"""The spider's requests, built in one place: search, api search and detail requests, their
browser meta (page methods, "load more", captured JSON), the two pagers behind
:func:`next_page`, the statuses that mean "gone", and which listing links can be followed.

Request meta stays picklable (no live Playwright page), so the same requests can go through
a Redis frontier.
"""

from __future__ import annotations

from urllib.parse import urldefrag, urlsplit

import scrapy
from scrapy_playwright.page import PageMethod

from crawler.browser import api_capture, page_init
from crawler.config import channels
from crawler.extract.listings import next_page_url
from crawler.fetch import api
from crawler.fetch.plan import (
    API_FALLBACK,
    BROWSER_AFTER_API_ERROR,
    BROWSER_CHECK,
    BROWSER_FALLBACK,
)
from crawler.options import CrawlOptions

DOM_META = "wildcrawl_dom"  # on a detail page's second request: its DOM is awaited
LINK_SCHEMES = ("http", "https")
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


def link_problem(url: str | None, page_url: str) -> str | None:
    """Why a listing's link cannot be followed to its detail page, or None when it can: a
    script, mail, phone or data link, or one back to the results page itself (``#``)."""
    if not url:
        return "no link"
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError as exc:
        return f"unreadable link ({exc})"
    if scheme not in LINK_SCHEMES:
        return f"a {scheme or 'relative'}: link"
    if urldefrag(url)[0] == urldefrag(page_url)[0]:
        return "a link to the results page itself"
    return None


def json_first(crawler) -> bool:
    """``WILDCRAWL_JSON_FIRST`` (default on): detail pages whose JSON is captured are read
    as soon as it is in (``api_capture.answers_first``), without waiting for the DOM."""
    if crawler is None:
        return True
    options = CrawlOptions.of(crawler)
    # The served HTML comes from the crawl's own handler, on pages it navigates directly.
    return options.json_first and options.direct_navigation


def capture_pattern(config, kind: str) -> str | None:
    """Regex of the endpoint URLs whose JSON a browser page of ``kind`` should capture."""
    a = config.api
    if a is None:
        return None
    if kind == "results":
        return api.capture_pattern(a.search.url, a.search.capture)
    return api.capture_pattern(a.detail.url, a.detail.capture) if a.detail else None


def browser_meta(
    config,
    wait_for: str | None,
    expand: bool,
    kind: str = "results",
    dom: bool = False,
    json_first: bool = True,
) -> dict:
    b = config.browser
    methods = []
    pattern = capture_pattern(config, kind)
    answers_first = bool(kind == "detail" and pattern and wait_for and not dom and json_first)
    if wait_for and not answers_first:
        methods.append(PageMethod("wait_for_selector", wait_for, timeout=b.timeout_ms))
    if expand and (b.load_more or b.scroll) and config.listings.item:
        methods.append(
            PageMethod(
                "evaluate",
                LOAD_MORE_JS,
                {
                    "loadMore": b.load_more,
                    "item": config.listings.item,
                    "scroll": b.scroll,
                    "maxRounds": b.max_rounds,
                    "timeout": b.timeout_ms,
                },
            )
        )
    meta = {
        "playwright": True,
        "playwright_context": f"wildcrawl-{config.name}",
        "playwright_page_methods": methods,
    }
    if pattern:
        # Read the JSON the page itself fetched (crawler.browser.api_capture); all by name or
        # plain data, so the request stays picklable.
        meta["playwright_page_init_callback"] = page_init.INIT_CALLBACK
        meta[api_capture.CAPTURE_META] = pattern
        if answers_first:
            methods.append(api_capture.answers_first_method(wait_for, b.timeout_ms))
        else:
            methods.append(api_capture.collect_method(b.timeout_ms))
        if kind == "results" and expand and config.listings:
            # Read from the JSON: the cards need not travel as HTML (kept when the DOM
            # will be read instead).
            methods.append(api_capture.drop_cards_method(config.listings.item))
    if not b.block_resources:
        meta["playwright_page_init_callback"] = page_init.INIT_CALLBACK
        meta[page_init.KEEP_RESOURCES_META] = True
    if kind == "results" and b.skip_offscreen and config.listings:
        # Cards out of view skip layout: a long "Load more" page stays small.
        meta["playwright_page_init_callback"] = page_init.INIT_CALLBACK
        meta[page_init.OFFSCREEN_META] = config.listings.item
    if wait_for:
        # The selector says when the page is ready: no need to wait for its "load" event.
        meta["playwright_page_goto_kwargs"] = {"wait_until": "domcontentloaded"}
    return meta


def search_request(
    config, keyword: str, page: int, *, browser: bool, callback, errback, url: str | None = None
) -> scrapy.Request:
    meta = {"keyword": keyword, "page": page, "kind": "results"}
    if browser:
        meta.update(browser_meta(config, config.browser.wait_for, expand=True))
    return scrapy.Request(
        url or config.search_url(keyword, page),
        callback=callback,
        errback=errback,
        meta=meta,
        dont_filter=browser and config.render == "auto",
    )


def browser_check(request: scrapy.Request) -> scrapy.Request:
    """A browser search made an auto check: it reads the cards (they are not dropped)."""
    request.meta["auto_check"] = True
    request.meta["playwright_page_methods"] = [
        m for m in request.meta["playwright_page_methods"] if m.method is not api_capture.drop_cards
    ]
    return request


def api_search_request(
    config, keyword: str, page: int, *, callback, errback, url: str | None = None
) -> scrapy.Request:
    """A request of the search endpoint (``render: api``): plain HTTP, JSON back."""
    blocked, _ = api.status_lists(config)
    meta = {
        "keyword": keyword,
        "page": page,
        "kind": "results",
        "api": True,
        "handle_httpstatus_list": blocked,
    }
    return scrapy.Request(
        url or api.search_url(config, keyword, page),
        callback=callback,
        errback=errback,
        headers={"Accept": "application/json"},
        meta=meta,
    )


def gone_statuses(config) -> list[int]:
    return sorted({404, 410, *(config.removed.status if config.removed else ())})


def detail_request(
    config,
    listing: dict,
    *,
    via_api: bool,
    browser: bool,
    callback,
    errback,
    dom: bool = False,
    json_first: bool = True,
) -> scrapy.Request:
    """A listing's detail request: its endpoint (``via_api``), its page in the browser, or
    its page over HTTP."""
    # Let "removed" statuses (404/410) reach the callback: they are an answer, not an error.
    meta = {"listing": listing, "kind": "detail", "handle_httpstatus_list": gone_statuses(config)}
    if dom:
        meta[DOM_META] = True
    if via_api:
        # The detail endpoint; the listing keeps its page for people as ``url``.
        meta.update(api=True, handle_httpstatus_list=api.status_lists(config)[1])
        return scrapy.Request(
            api.detail_url(config, listing["item_id"]),
            callback=callback,
            errback=errback,
            headers={"Accept": "application/json"},
            meta=meta,
        )
    if browser:
        wait_for = config.browser.detail_wait_for
        meta.update(browser_meta(config, wait_for, False, "detail", dom, json_first))
    url = listing["url"]
    if listing.get("rechecked") and config.recheck_url:  # e.g. a post's embed (channels)
        url = config.recheck_url.format(url=url, item_id=listing["item_id"])
    return scrapy.Request(url, callback=callback, errback=errback, meta=meta)


def next_page(config, response, body: str, data, listings: list, stats, logger) -> str | None:
    """The URL of the results page after ``response``'s (None at the end); a ``max_pages``
    cut where the site offers more is counted and logged, as is a channel read back to its
    ``search.until`` day."""
    if channels.read_back_done(config, listings):
        stats.inc_value("wildcrawl/pages/until_reached")
        return None
    n_found = len(listings)
    via_api = bool(response.meta.get("api"))
    keyword, page = response.meta["keyword"], response.meta["page"]
    url, cut = _next_page(
        config,
        via_api=via_api,
        url=response.url,
        body=body,
        data=data,
        keyword=keyword,
        page=page,
        n_found=n_found,
    )
    if cut:
        stats.inc_value("wildcrawl/pages/max_pages_reached")
        logger.info(
            "%r: stopped at max_pages=%d, %s offers a next page",
            keyword,
            config.api.search.max_pages if via_api else config.search.max_pages,
            response.url,
        )
    return url


def _next_page(
    config, *, via_api: bool, url: str, body: str, data, keyword: str, page: int, n_found: int
) -> tuple[str | None, bool]:
    """The next results page after ``page`` (or None), and whether ``max_pages`` cut the
    crawl where the site offered more: the endpoint's ``next_url``, else the page's
    next-page link, else the search URL's ``{page}``/``{offset}`` template."""
    if via_api:
        if data is None:
            return None, False
        return api.next_url(config, data, url, keyword, page, n_found)
    search = config.search
    if page - search.first_page + 1 >= search.max_pages:
        # More pages offered (or an endless pagination trap): max_pages bounds the crawl.
        return None, bool(search.next_page and next_page_url(config, body, url))
    if search.next_page:
        return next_page_url(config, body, url), False
    if n_found == 0 or (search.page_size and n_found < search.page_size):
        return None, False
    if "{page}" in search.url or "{offset}" in search.url:
        return config.search_url(keyword, page + 1), False
    return None, False


def split_keywords(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [k.strip() for k in value.split(",") if k.strip()]
    return [str(k).strip() for k in value if str(k).strip()]


def keyword_languages(chosen, seeds: dict, config) -> dict[str, str]:
    """The keywords to search, each with its language: the ``chosen`` ones (a list, or
    comma-separated; their seed's language, else the marketplace's), or every seed of the
    marketplace's languages."""
    found: dict[str, str] = {}
    for kw in split_keywords(chosen):
        found[kw] = next((lang for lang, words in seeds.items() if kw in words), config.language)
    if not found:
        for lang in config.languages:
            for kw in seeds.get(lang, ()):
                found.setdefault(kw, lang)
    return found


def apply_politeness(settings, polite) -> None:
    """A marketplace's politeness in its crawler's (not yet frozen) settings."""
    settings.set("ROBOTSTXT_OBEY", polite.obey_robots, priority="spider")
    settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", polite.concurrency, priority="spider")
    # Scrapy 2.19's downloader lets a burst of queued requests past the per-domain limit
    # when the delay is 0 (slots count a transfer only once it starts); one crawler crawls
    # one marketplace, so its global limit is the marketplace's limit and holds.
    settings.set("CONCURRENT_REQUESTS", polite.concurrency, priority="spider")
    settings.set("DOWNLOAD_DELAY", polite.download_delay, priority="spider")
    if polite.download_timeout:
        settings.set("DOWNLOAD_TIMEOUT", polite.download_timeout, priority="spider")
    if polite.max_page_mb:
        size = int(polite.max_page_mb * 1024 * 1024)
        settings.set("DOWNLOAD_MAXSIZE", size, priority="spider")
        warn = min(size, settings.getint("DOWNLOAD_WARNSIZE"))
        settings.set("DOWNLOAD_WARNSIZE", warn, priority="spider")


# render: auto's actions after a results page that move its search (crawler.fetch.plan), with
# the stat each counts under wildcrawl/auto/.
REDO_STATS = {
    BROWSER_AFTER_API_ERROR: "browser_fallback",
    BROWSER_CHECK: "browser_check",
    API_FALLBACK: "api_fallback",
    BROWSER_FALLBACK: "browser_fallback",
}


def redo_request(config, action: str, keyword: str, page: int, url: str, *, callback, errback):
    """The request an ``action`` of :data:`REDO_STATS` asks for after results page ``url``:
    the endpoint's first page, the same page in the browser, or the first page in the browser
    (as an auto check when the endpoint answered no listings)."""
    callbacks = {"callback": callback, "errback": errback}
    if action == API_FALLBACK:
        return api_search_request(config, keyword, config.api.search.first_page, **callbacks)
    if action == BROWSER_FALLBACK:
        return search_request(config, keyword, page, browser=True, url=url, **callbacks)
    request = search_request(config, keyword, config.search.first_page, browser=True, **callbacks)
    return browser_check(request) if action == BROWSER_CHECK else request


def first_searches(config, keyword_lang: dict[str, str], chosen) -> list[tuple[str, str | None]]:
    """(keyword, first results URL or None for the config's own) of every search a crawl
    starts with: a channel source searches each channel with the keywords of its language
    (every keyword when they were ``chosen`` by hand)."""
    if config.channels:
        picked = bool(split_keywords(chosen))
        return [(k, url) for k, _, url in channels.searches(config, keyword_lang, picked)]
    return [(keyword, None) for keyword in keyword_lang]
