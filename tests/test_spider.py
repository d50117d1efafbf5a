"""The spider's callbacks on hand-made responses: items, requests and stats, no network."""

from __future__ import annotations

import json

import pytest
import scrapy
from scrapy.http import HtmlResponse, TextResponse
from scrapy.utils.test import get_crawler

from crawler.config import parse_config
from spiders.marketplace import MarketplaceSpider

BASE = "http://shop.test"
CONFIG = """\
name: t
title: T
base_url: http://shop.test
languages: [en]
currency: EUR
search: {url: "/s?q={keyword}&page={page}", next_page: "a.next::attr(href)", max_pages: 3}
listings:
  item: "div.ad"
  fields:
    item_id: "::attr(data-id)"
    url: "h3 a::attr(href)"
    title: "h3"
    price_text: ".p"
detail:
  fields:
    description: "#desc"
removed: {status: [404, 410], selector: ".gone"}
blocked: {text: "are you a robot"}
"""


def make_spider(text: str = CONFIG, **settings):
    config = parse_config(text)
    crawler = get_crawler(MarketplaceSpider, settings_dict=settings)
    crawler.settings.frozen = False  # get_crawler froze them; from_crawler sets some
    spider = MarketplaceSpider.from_crawler(crawler, marketplace=config, keywords="ivory")
    return spider, crawler.stats


def card(i: int, href: str | None = None, price: str = "10 €") -> str:
    href = f"/ad/{i}" if href is None else href
    return f'<div class="ad" data-id="{i}"><h3><a href="{href}">Ivory {i}</a></h3><span class="p">{price}</span></div>'


def results(spider, cards: str, page: int = 1, url: str | None = None, extra: str = ""):
    url = url or f"{BASE}/s?q=ivory&page={page}"
    request = scrapy.Request(url, meta={"keyword": "ivory", "page": page, "kind": "results"})
    body = f"<html><body>{cards}{extra}</body></html>"
    response = HtmlResponse(url, body=body.encode(), encoding="utf-8", request=request)
    return list(spider.parse_results(response))


def split(out):
    requests = [o for o in out if isinstance(o, scrapy.Request)]
    items = [o for o in out if isinstance(o, dict)]
    return requests, items


@pytest.mark.parametrize(
    "bad",
    [
        "javascript:void(0)",
        "JavaScript:openAd(3)",
        "mailto:a@b.c",
        "tel:+4912345",
        "data:text/html,hi",
        "#",
    ],
)
def test_a_bad_link_costs_only_its_cards_detail_page(bad):
    spider, stats = make_spider()
    cards = "".join(card(i, href=bad if i == 3 else None) for i in range(1, 9))
    requests, items = split(results(spider, cards))
    details = [r for r in requests if r.meta.get("kind") == "detail"]
    assert len(details) == 7  # the other seven cards go on to their detail pages
    assert [i["item_id"] for i in items] == ["3"]  # kept with what the search page gave
    kept = items[0]
    assert kept["title"] == "Ivory 3" and kept["price_text"] == "10 €"
    assert kept["url"] == f"{BASE}/s?q=ivory&page=1"  # the results page, never a script URL
    assert stats.get_value("wildcrawl/errors/bad_link") == 1
    assert all(r.url.startswith(f"{BASE}/ad/") for r in details)


API_CONFIG = CONFIG.replace(
    "removed: {status",
    """render: auto
api:
  search:
    url: "/api/s?q={keyword}&page={page}"
    items: "items"
    next: "next"
    max_pages: 2
    fields: {item_id: "id", url: "url", title: "title"}
  detail:
    url: "/api/item/{item_id}"
    fields: {description: "description"}
removed: {status""",
)


def api_results(spider, data: dict, page: int = 1):
    url = f"{BASE}/api/s?q=ivory&page={page}"
    meta = {"keyword": "ivory", "page": page, "kind": "results", "api": True}
    request = scrapy.Request(url, meta=meta)
    body = json.dumps(data).encode()
    return list(
        spider.parse_results(TextResponse(url, body=body, encoding="utf-8", request=request))
    )


def detail(spider, body: str, status: int = 200, listing=None, **meta):
    listing = listing or {"item_id": "1", "url": f"{BASE}/ad/1", "title": "Ivory 1"}
    url = listing["url"] if not meta.get("api") else f"{BASE}/api/item/{listing['item_id']}"
    request = scrapy.Request(url, meta={"listing": listing, "kind": "detail", **meta})
    response = HtmlResponse(
        url, status=status, body=body.encode(), encoding="utf-8", request=request
    )
    return list(spider.parse_detail(response))


def test_a_results_page_gives_detail_requests_the_next_page_and_counts():
    spider, stats = make_spider()
    requests, items = split(
        results(spider, card(1) + card(2), extra='<a class="next" href="/s?q=ivory&page=2">')
    )
    assert items == []
    assert [r.url for r in requests] == [f"{BASE}/ad/1", f"{BASE}/ad/2", f"{BASE}/s?q=ivory&page=2"]
    first = requests[0]
    assert first.callback == spider.parse_detail and first.errback == spider.on_detail_error
    assert first.meta["listing"]["keyword"] == "ivory" and first.meta["listing"]["lang"] == "en"
    assert first.meta["listing"]["currency_hint"] == "EUR"
    assert first.meta["handle_httpstatus_list"] == [404, 410]
    assert "playwright" not in first.meta
    assert requests[2].meta == {"keyword": "ivory", "page": 2, "kind": "results"}
    assert stats.get_value("wildcrawl/pages/results") == 1
    assert stats.get_value("wildcrawl/listings/extracted") == 2
    assert stats.get_value("wildcrawl/listings/unique") == 2
    assert stats.get_value("wildcrawl/field/price_text/missing_on_page") is None
    assert spider.seen_item_ids == {"1", "2"}


def test_max_pages_stops_paging_and_says_so():
    spider, stats = make_spider()
    requests, _ = split(results(spider, card(1), page=3, extra='<a class="next" href="/s?page=4">'))
    assert [r.url for r in requests] == [f"{BASE}/ad/1"]
    assert stats.get_value("wildcrawl/pages/max_pages_reached") == 1


def test_the_page_template_pages_on_while_pages_are_full():
    text = CONFIG.replace(', next_page: "a.next::attr(href)"', ", page_size: 2")
    spider, _ = make_spider(text)
    requests, _ = split(results(spider, card(1) + card(2)))
    assert requests[-1].url == f"{BASE}/s?q=ivory&page=2"
    spider, _ = make_spider(text)
    requests, _ = split(results(spider, card(1)))  # a short page is the last one
    assert all(r.meta["kind"] == "detail" for r in requests)


def test_a_block_page_stores_nothing_and_counts():
    spider, stats = make_spider()
    assert results(spider, card(1), extra="<p>are you a robot</p>") == []
    assert stats.get_value("wildcrawl/errors/blocked") == 1
    assert stats.get_value("wildcrawl/pages/results") is None


def test_without_a_detail_section_the_listings_are_the_items():
    text = CONFIG.replace('detail:\n  fields:\n    description: "#desc"\n', "")
    spider, stats = make_spider(text)
    requests, items = split(results(spider, card(1) + card(2, href="javascript:void(0)")))
    assert requests == []
    assert [i["url"] for i in items] == [f"{BASE}/ad/1", f"{BASE}/s?q=ivory&page=1"]
    assert stats.get_value("wildcrawl/errors/bad_link") == 1


def test_a_detail_page_fills_the_listing():
    spider, stats = make_spider()
    (item,) = detail(spider, '<div id="desc">Old carving</div>')
    assert item["description"] == "Old carving" and item["title"] == "Ivory 1"
    assert "page_state" not in item
    assert stats.get_value("wildcrawl/pages/detail") == 1


@pytest.mark.parametrize(
    ("status", "body", "state"), [(404, "", "removed"), (200, '<p class="gone">x</p>', "removed")]
)
def test_a_removed_detail_page(status, body, state):
    spider, _ = make_spider()
    (item,) = detail(spider, body, status=status)
    assert item["page_state"] == state


def test_a_blocked_detail_page_keeps_the_search_fields():
    spider, stats = make_spider()
    (item,) = detail(spider, "are you a robot")
    assert item == {"item_id": "1", "url": f"{BASE}/ad/1", "title": "Ivory 1"}
    assert stats.get_value("wildcrawl/errors/blocked") == 1


def test_auto_moves_an_empty_static_results_page_to_the_endpoint():
    spider, stats = make_spider(API_CONFIG)
    (request,) = results(spider, "")
    assert request.url == f"{BASE}/api/s?q=ivory&page=1" and request.meta["api"] is True
    assert stats.get_value("wildcrawl/auto/api_fallback") == 1
    assert stats.get_value("wildcrawl/auto/decision/results") == "api"
    # The endpoint's listings: detail requests go to the static pages (nothing decided yet).
    out = api_results(
        spider,
        {"items": [{"id": 7, "url": "/ad/7", "title": "Ivory 7"}], "next": "/api/s?q=ivory&page=2"},
    )
    requests, _ = split(out)
    assert [r.url for r in requests] == [f"{BASE}/ad/7", f"{BASE}/api/s?q=ivory&page=2"]
    assert requests[1].meta["api"] is True and requests[1].meta["page"] == 2
    assert spider.decisions_to_remember() == {
        "results": ("api", f"static {BASE}/s?q=ivory&page=1 had no listings")
    }


def test_auto_reads_a_static_page_with_listings_as_http():
    spider, stats = make_spider(API_CONFIG)
    requests, _ = split(results(spider, card(1)))
    assert stats.get_value("wildcrawl/auto/decision/results") == "http"
    # An empty static detail page: its endpoint next, and the listing goes there.
    (retry,) = detail(spider, "<p>nothing</p>", listing=requests[0].meta["listing"])
    assert retry.url == f"{BASE}/api/item/1" and retry.dont_filter
    assert stats.get_value("wildcrawl/auto/api_fallback_detail") == 1


def test_an_empty_endpoint_answer_is_checked_in_the_browser():
    spider, stats = make_spider(API_CONFIG)
    spider.plan.decide("results", "api", "remembered")
    (check,) = api_results(spider, {"items": [], "next": None})
    assert check.meta["playwright"] is True and check.meta["auto_check"] is True
    assert check.url == f"{BASE}/s?q=ivory&page=1" and check.dont_filter
    assert stats.get_value("wildcrawl/auto/browser_check") == 1


def failure_of(exc, request):
    from twisted.python.failure import Failure

    try:
        raise exc
    except Exception:
        failure = Failure()
    failure.request = request
    return failure


def test_errbacks_count_by_kind_and_keep_the_listing():
    from scrapy.exceptions import IgnoreRequest

    from crawler.crawl.redirects import RedirectLoop

    spider, stats = make_spider()
    listing = {"item_id": "1", "url": f"{BASE}/ad/1", "title": "t"}
    request = scrapy.Request(listing["url"], meta={"listing": listing})
    assert list(spider.on_detail_error(failure_of(TimeoutError(), request))) == [listing]
    assert list(spider.on_detail_error(failure_of(RedirectLoop("loop"), request))) == [listing]
    assert stats.get_value("wildcrawl/errors/detail_failed") == 1
    assert stats.get_value("wildcrawl/errors/redirect_loop") == 1
    search = scrapy.Request(f"{BASE}/s?q=ivory")
    spider.on_error(failure_of(IgnoreRequest("Forbidden by robots.txt"), search))
    spider.on_error(failure_of(IgnoreRequest("max redirections reached"), search))
    spider.on_error(failure_of(ConnectionError(), search))
    assert stats.get_value("wildcrawl/errors/robots_disallowed") == 1
    assert stats.get_value("wildcrawl/redirect_loop/results") == 1
    assert stats.get_value("wildcrawl/errors/results_failed") == 1
    spider.on_recheck_error(failure_of(ConnectionError(), request))
    assert stats.get_value("wildcrawl/errors/recheck_failed") == 1


def test_no_deprecated_download_delay_attribute():
    import warnings

    spider, _ = make_spider()
    assert not hasattr(spider, "download_delay")
    delay = spider.config.politeness.download_delay
    assert spider.crawler.settings.getfloat("DOWNLOAD_DELAY") == delay
    spider.crawler.spider = spider
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        spider.crawler._apply_deprecated_spider_attr("download_delay", "DOWNLOAD_DELAY")
