"""Config-driven extraction on hand-made pages: CSS, XPath, JSON blobs, regex, page states."""

from __future__ import annotations

import json

from crawler.config import parse_config
from crawler.extract.listings import extract_detail, extract_listings, next_page_url, page_state

HTML_CONFIG = """\
name: t
title: T
base_url: http://shop.test
search: {url: "/s?q={keyword}", next_page: "a.next::attr(href)"}
listings:
  item: "div.ad"
  item_id_regex: "/ad/(\\\\d+)"
  fields:
    url: "h3 a::attr(href)"
    title: "h3"
    price_text: "xpath:.//span[@class='p']/text()"
    seller_name: {css: ".by::text", regex: "by (.+)"}
detail:
  fields:
    description: "#desc"
    posted_at: "time::attr(datetime)"
removed: {selector: ".gone"}
blocked: {text: "are you a robot"}
"""

PAGE = """<html><body>
<div class="ad"><h3><a href="/ad/17">Carved  <b>ivory</b>
  bangle</a></h3><span class="p">1.234,50 €</span><span class="by">by  Anna K.</span></div>
<div class="ad"><h3><a href="/ad/18">Tiger Balm</a></h3><span class="by">by Bob</span></div>
<div class="ad"><h3></h3></div>
<a class="next" href="/s?q=x&amp;page=2">next</a>
<script>var x = "not text";</script>
</body></html>"""


def test_listings_from_html_with_css_xpath_and_regex():
    config = parse_config(HTML_CONFIG)
    found = extract_listings(config, PAGE, "http://shop.test/s?q=x")
    assert [row["item_id"] for row in found.listings] == ["17", "18"]
    first = found.listings[0]
    assert first["title"] == "Carved ivory bangle"
    assert first["url"] == "http://shop.test/ad/17"
    assert first["price_text"] == "1.234,50 €"
    assert first["seller_name"] == "Anna K."
    assert found.listings[1]["price_text"] is None
    assert found.missing["price_text"] == 2  # the second ad and the empty block
    assert found.missing["title"] == 1
    assert next_page_url(config, PAGE, "http://shop.test/s?q=x") == "http://shop.test/s?q=x&page=2"


def test_detail_fields_and_page_states():
    config = parse_config(HTML_CONFIG)
    detail = (
        '<div id="desc">Old <i>bone</i> carving\n ask on WeChat</div><time datetime="2026-10-01">'
    )
    assert extract_detail(config, detail, "http://shop.test/ad/17") == {
        "description": "Old bone carving ask on WeChat",
        "posted_at": "2026-10-01",
    }
    assert page_state(config, 200, detail) == "ok"
    assert page_state(config, 410, "") == "removed"
    assert page_state(config, 200, '<p class="gone">This ad was removed</p>') == "removed"
    assert (
        page_state(config, 200, "<p>Please confirm you are not... are you a robot?</p>")
        == "blocked"
    )


JSON_CONFIG = """\
name: j
title: J
base_url: http://shop.test
search: {url: "/s?q={keyword}"}
listings:
  json:
    source: "script#__NEXT_DATA__::text"
    items: "props.pageProps.ads"
    fields:
      item_id: id
      title: subject
      url: url
      price_text: "price.label"
      location: "location.city"
"""


def test_listings_from_embedded_json():
    config = parse_config(JSON_CONFIG)
    data = {
        "props": {
            "pageProps": {
                "ads": [
                    {
                        "id": 5,
                        "subject": "Pangolin scales 1kg",
                        "url": "/ad/5",
                        "price": {"label": "800 DH"},
                        "location": {"city": "Casablanca"},
                    },
                    {"id": 6, "subject": "Shark vacuum", "url": "/ad/6", "price": None},
                ]
            }
        }
    }
    page = f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>'
    found = extract_listings(config, page, "http://shop.test/s?q=x")
    assert found.error is None
    assert found.listings[0] == {
        "item_id": "5",
        "title": "Pangolin scales 1kg",
        "url": "http://shop.test/ad/5",
        "price_text": "800 DH",
        "location": "Casablanca",
    }
    assert found.listings[1]["price_text"] is None


def test_missing_or_broken_json_is_an_error_not_a_crash():
    config = parse_config(JSON_CONFIG)
    assert "not found" in extract_listings(config, "<html></html>", "http://shop.test/").error
    broken = '<script id="__NEXT_DATA__">{"props": </script>'
    assert "not valid JSON" in extract_listings(config, broken, "http://shop.test/").error


def test_spider_callbacks_never_return_a_value_from_a_generator():
    """What Scrapy's WARN_ON_GENERATOR_RETURN_VALUE checks per response (off in
    crawler.settings for speed), checked once here for every callback of the spider."""
    from scrapy.utils.misc import is_generator_with_return_value

    from spiders.marketplace import MarketplaceSpider

    callbacks = [
        getattr(MarketplaceSpider, name)
        for name in dir(MarketplaceSpider)
        if name.startswith(("parse", "on_"))
    ]
    assert len(callbacks) >= 6
    assert not [c.__name__ for c in callbacks if is_generator_with_return_value(c)]


def test_a_page_is_parsed_once_for_its_state(monkeypatch):
    # blocked, removed and sold each ask for a selector: one parse of the page serves all three.
    import crawler.extract.listings
    from crawler.config import load_marketplace

    config = load_marketplace("demo-jsmarket")  # #captcha, .notice-removed, .notice-sold
    parses = []
    real = crawler.extract.listings.Selector
    monkeypatch.setattr(
        crawler.extract.listings, "Selector", lambda **kw: parses.append(1) or real(**kw)
    )
    assert page_state(config, 200, '<main id="app"><h1>A listing</h1></main>') == "ok"
    assert page_state(config, 200, '<div class="notice-sold">Sold</div>') == "sold"
    assert len(parses) == 2
    assert page_state(config, 410, "") == "removed"  # no body: nothing parsed
    assert len(parses) == 2
