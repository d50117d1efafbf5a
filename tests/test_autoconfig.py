"""The config proposer on small pages built to show each known failure of the old guesser."""

from __future__ import annotations

import json

from crawler.config import parse_config
from crawler.extract.autoconfig import is_hashed_class, propose, render_config
from crawler.extract.listings import extract_listings


def _cards(n: int, card: str) -> str:
    return "".join(card.format(i=i, id=100000 + i) for i in range(n))


def _extract(html: str, url: str):
    proposal = propose(html, url)
    config = parse_config(
        render_config("probe", proposal, "x", "https://shop.example"), "probe.yaml"
    )
    return proposal, extract_listings(config, html, url).listings


def test_hashed_classes_are_told_apart_from_semantic_ones():
    for name in ("sc-bdVaJa", "css-1x2y3z", "Card_title__a1B2c", "bGpjGY"):
        assert is_hashed_class(name), name
    for name in ("s-item__title", "tileV1", "masonry-item", "price", "listing-card"):
        assert not is_hashed_class(name), name


def test_title_is_the_heading_not_the_card_and_price_not_the_buttons():
    card = (
        '<div class="sc-a1b2c3 kJdfsX" data-testid="listing-card">'
        '<a class="sc-x9y8z7" href="/item/{id}?utm_source=feed&ref=home">'
        '<h3 class="sc-q1w2e3">Canon AE-1 camera {i}</h3>'
        '<span class="sc-p0o9i8">¥ 35</span><span>Shanghai · 120 km</span></a>'
        '<div class="sc-l5k4j3"><span>¥ 1{i}0</span><button>查看详情</button> <button>收藏</button></div>'
        "</div>"
    )
    html = f'<html lang="zh-CN"><body><main>{_cards(8, card)}</main></body></html>'
    proposal, rows = _extract(html, "https://market.example.cn/search?q=camera")
    assert proposal.html.item == 'div[data-testid="listing-card"]'
    assert len(rows) == 8
    assert rows[0]["title"] == "Canon AE-1 camera 0"
    assert rows[0]["price_text"] in ("¥ 35", "¥ 100")
    assert "查看" not in rows[0]["price_text"]
    assert rows[0]["item_id"] == "100000" and "utm_source" not in rows[0]["url"]
    assert "sc-" not in json.dumps(proposal.listings_section())
    assert proposal.site.languages[0] == "zh-Hans" and proposal.site.currency == "CNY"


def test_window_state_assignment_gives_the_json_form():
    items = [
        {"id": 5000 + i, "title": f"Vase {i}", "url": f"/p/{5000 + i}", "price": 10 + i}
        for i in range(5)
    ]
    state = json.dumps({"search": {"results": items}, "currency": "EUR"})
    html = (
        f'<html lang="it"><body><script>window.__INITIAL_STATE__ = {state};'
        "window.other = 1;</script><div>nothing here</div></body></html>"
    )
    proposal, rows = _extract(html, "https://www.mercato.example.it/cerca?q=vaso")
    assert proposal.kind == "json"
    assert proposal.json.items == "search.results"
    assert [r["title"] for r in rows] == [f"Vase {i}" for i in range(5)]
    assert rows[0]["url"] == "https://www.mercato.example.it/p/5000"
    assert (proposal.site.country, proposal.site.languages[0]) == ("IT", "it")


def test_json_ld_item_list_gives_the_json_form():
    ld = {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": i,
                "item": {
                    "@type": "Product",
                    "name": f"Lamp {i}",
                    "url": f"https://shop.example.de/lamp-{i}-{700000 + i}",
                    "sku": f"L{700000 + i}",
                    "offers": {"@type": "Offer", "price": 20 + i, "priceCurrency": "EUR"},
                },
            }
            for i in range(4)
        ],
    }
    html = (
        '<html lang="de"><head><script type="application/ld+json">'
        + json.dumps(ld)
        + "</script></head><body></body></html>"
    )
    proposal, rows = _extract(html, "https://shop.example.de/suche?q=lampe")
    assert proposal.kind == "json" and proposal.json.label == "JSON-LD ItemList"
    assert rows[0]["title"] == "Lamp 0" and rows[0]["price_text"] == "20 EUR"
    assert rows[0]["item_id"] == "L700000"


def test_evaluation_scores_each_field_per_listing():
    from crawler.quality.evaluate_autoconfig import score_page

    card = (
        '<li class="offer"><h2><a href="/ad/{id}?utm_source=x">Bike {i}</a></h2>'
        '<p class="price">{i}00 zł</p></li>'
    )
    html = f'<html lang="pl"><body><ul class="offers">{_cards(4, card)}</ul></body></html>'
    page = {
        "file": "built.html",
        "url": "https://www.rowery.example.pl/szukaj",
        "listings": [
            {"title": f"Bike {i}", "price": f"{i}00 zł", "url": f"/ad/{100000 + i}"}
            for i in range(1, 4)
        ]
        + [{"title": "Wrong", "price": "1 zł", "url": "/ad/100000"}],
    }
    score = score_page(html, page)
    assert (score.expected, score.url_ok, score.title_ok, score.price_ok) == (4, 4, 3, 3)
    assert not score.all_right and score.extra == 0
