"""The spider's callbacks on hand-made responses: items, requests and stats, no network."""

from __future__ import annotations

import pytest
import scrapy
from scrapy.http import HtmlResponse
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
