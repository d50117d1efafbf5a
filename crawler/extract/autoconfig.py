"""Propose a marketplace config from one saved results page, reading it as a person does.

Pure: lxml, parsel, jmespath and the price parser; no Scrapy, no browser.

Order of preference, as a person reading the page's source would go:

1. embedded data: ``__NEXT_DATA__``, other ``<script type="application/json">`` blobs,
   ``window.__INITIAL_STATE__ = {...}``-style assignments and JSON-LD ``ItemList`` /
   ``Product``; the config gets the ``json:`` form (JMESPath fields);
2. the HTML: the repeated block holding a link and one price, then inside it the
   shortest element that names the item (title), the element whose whole text parses as
   one price, the item link, and an id from a stable attribute or the URL's numeric part.

Selectors prefer what survives a redeploy: ``data-*`` attributes, ``itemprop``, semantic
class names, structure; hashed class names (styled-components ``sc-*``, emotion
``css-*``, CSS-modules ``Foo_bar__a1b2c``) are avoided or matched on their stable prefix.
Every guess it is unsure of is said, field by field, in ``Proposal.notes``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import jmespath
from lxml import html as lxml_html

from crawler.config import FieldSpec
from crawler.extract.embedded_json import JsonGuess, embedded_json, guess_json
from crawler.extract.html_blocks import HtmlGuess, guess_html
from crawler.extract.listings import select_field
from crawler.extract.page_signals import (
    Site,
    _q,
    detect_site,
    is_hashed_class,
    is_tracking_param,
    looks_like_date,
    looks_like_price,
    one_price,
    tracking_params,
)
from crawler.normalise.prices import normalize_price

__all__ = [
    "PLACEHOLDER_SEARCH_URL",
    "Proposal",
    "Site",
    "is_hashed_class",
    "is_tracking_param",
    "looks_like_date",
    "looks_like_price",
    "one_price",
    "propose",
    "render_config",
    "tracking_params",
]

# --- the whole proposal --------------------------------------------------------------------


@dataclass
class Proposal:
    """A starting config for one marketplace, with what it is unsure of."""

    kind: str  # "json" or "html"
    count: int
    site: Site
    notes: list[str]
    json: JsonGuess | None = None
    html: HtmlGuess | None = None
    also: list[str] = field(default_factory=list)  # other sources seen on the page

    def listings_section(self) -> dict:
        """The ``listings:`` mapping of the config."""
        if self.json is not None:
            return {
                "json": {
                    "source": self.json.source,
                    "items": self.json.items,
                    "fields": dict(self.json.fields),
                }
            }
        g = self.html
        fields: dict = {}
        for k, v in g.fields.items():
            if isinstance(v, dict):
                fields[k] = v
            elif k == "item_id" and getattr(g, "id_attr_regex", None):
                fields[k] = {"css": v, "regex": g.id_attr_regex}
            else:
                fields[k] = v
        out = {"item": g.item}
        if g.item_id_regex:
            out["item_id_regex"] = g.item_id_regex
        out["fields"] = fields
        return out


def propose(html: str, page_url: str) -> Proposal | None:
    """The config a person would write after reading this results page; None if nothing
    repeats."""
    tree = lxml_html.fromstring(html)
    notes: list[str] = []
    json_guess = None
    also = []
    for blob in embedded_json(html, tree):
        g = guess_json(blob)
        if g is not None and g.count >= 3:
            if json_guess is None or (
                g.count > json_guess.count * 1.5 and json_guess.label != "__NEXT_DATA__"
            ):
                if json_guess is not None:
                    also.append(json_guess.label)
                json_guess = g
            else:
                also.append(g.label)
    html_guess = None
    if json_guess is None:
        html_guess = guess_html(tree, page_url)
    if json_guess is None and html_guess is None:
        return None
    rows = _preview(tree, html, page_url, json_guess, html_guess)
    titles = [r.get("title") or "" for r in rows]
    prices = [p for r in rows if (p := normalize_price(r.get("price_text")))]
    prices = [p for p in prices if p.amount is not None]
    site = detect_site(tree, page_url, titles, prices)
    kind = "json" if json_guess else "html"
    guess = json_guess or html_guess
    notes.extend(guess.notes)
    notes.extend(_row_notes(rows, guess.count))
    for key in ("languages", "country", "currency"):
        if key not in site.evidence or "guess" in site.evidence[key]:
            notes.append(f"{key}: nothing on the page says; set it by hand")
    return Proposal(kind, guess.count, site, notes, json_guess, html_guess, also)


def _preview(tree, html, page_url, json_guess, html_guess) -> list[dict]:
    """The rows the proposal extracts (without going through a config file)."""
    from parsel import Selector

    rows: list[dict] = []
    if json_guess is not None:
        sel = Selector(text=html)
        src = json_guess.source
        found = sel.xpath(src[6:]) if src.startswith("xpath:") else sel.css(src)
        try:
            data = json.loads(" ".join(found.getall()))
        except ValueError:
            return rows
        for it in jmespath.search(json_guess.items, data) or []:
            row = {}
            for k, path in json_guess.fields.items():
                v = jmespath.search(path, it)
                row[k] = None if v is None else str(v)
            rows.append(row)
        return rows
    sel = Selector(root=tree)
    item = html_guess.item
    for node in sel.xpath(item[6:]) if item.startswith("xpath:") else sel.css(item):
        row = {}
        for k, spec in html_guess.fields.items():
            regex = None
            if isinstance(spec, dict):
                spec, regex = spec["css"], spec.get("regex")
            if spec.startswith("xpath:"):
                field_spec = FieldSpec(xpath=spec[6:], regex=regex)
            else:
                field_spec = FieldSpec(css=spec, regex=regex)
            row[k] = select_field(node, field_spec)
        rows.append(row)
    return rows


def _row_notes(rows: list[dict], count: int) -> list[str]:
    notes = []
    n = len(rows)
    if not n:
        return ["listings: the proposal extracts nothing; check the item selector"]
    for key in ("title", "url", "price_text"):
        empty = sum(1 for r in rows if not r.get(key))
        if empty:
            notes.append(f"{key}: empty in {empty} of {n} listings")
    ids = [r.get("item_id") for r in rows if r.get("item_id")]
    if len(set(ids)) != len(ids):
        notes.append(f"item_id: {len(ids) - len(set(ids))} duplicate ids")
    titles = [r.get("title") or "" for r in rows]
    if sum(1 for t in titles if looks_like_price(t)) > n * 0.2:
        notes.append("title: many titles hold a price: the selector may take the whole card")
    return notes


# --- the config text -----------------------------------------------------------------------

PLACEHOLDER_SEARCH_URL = "/TODO-search-path?q={keyword}&page={page}"


def _yaml_scalar(value: str) -> str:
    return _q(value)


def render_config(
    name: str,
    proposal: Proposal,
    source: str,
    base_url: str,
    *,
    search_url: str | None = None,
    today: str = "",
    golden: str | None = None,
) -> str:
    """YAML text of the proposed config; comments say what was read from where and what
    is unsure."""
    site = proposal.site
    lines = [
        f"# {name}: starting config written by `wildcrawl new-marketplace` {today}".rstrip(),
        f"# from {golden or source}: {proposal.count} listings, read from "
        + (f"the page's embedded {proposal.json.label} JSON." if proposal.json else "the HTML."),
    ]
    if golden:
        lines.append(f"# Golden page: {golden}")
    for key in ("languages", "country", "currency"):
        if key in site.evidence:
            lines.append(f"# {key}: from {site.evidence[key]}")
    if proposal.notes:
        lines.append("# Unsure (check with `wildcrawl try`):")
        lines += [f"#   - {n}" for n in proposal.notes]
    if not search_url:
        lines.append("# TODO: set search.url to the site's real search URL ({keyword}, {page}).")
    lines += [
        f"name: {name}",
        f"title: {_yaml_scalar(name)}",
        f"base_url: {base_url}",
    ]
    if site.country:
        lines.append(f"country: {site.country}")
    lines.append(f"languages: [{', '.join(site.languages)}]")
    if site.currency:
        lines.append(f"currency: {site.currency}")
    if site.locale:
        lines.append(f"locale: {site.locale}")
    lines += [
        "render: http",
        "search:",
        f"  url: {_yaml_scalar(search_url or PLACEHOLDER_SEARCH_URL)}",
        "  max_pages: 5",
        "listings:",
    ]
    section = proposal.listings_section()
    if "json" in section:
        j = section["json"]
        lines += [
            "  json:",
            f"    source: {_yaml_scalar(j['source'])}",
            f"    items: {_yaml_scalar(j['items'])}",
            "    fields:",
        ]
        lines += [f"      {k}: {_yaml_scalar(v)}" for k, v in j["fields"].items()]
    else:
        lines.append(f"  item: {_yaml_scalar(section['item'])}")
        if section.get("item_id_regex"):
            lines.append(f"  item_id_regex: {_yaml_scalar(section['item_id_regex'])}")
        lines.append("  fields:")
        for k, v in section["fields"].items():
            if isinstance(v, dict):
                lines.append(f"    {k}:")
                lines += [f"      {kk}: {_yaml_scalar(vv)}" for kk, vv in v.items()]
            else:
                lines.append(f"    {k}: {_yaml_scalar(v)}")
    lines += [
        "politeness:",
        "  download_delay: 1.0",
        "  concurrency: 2",
        "  obey_robots: true",
        "",
    ]
    return "\n".join(lines)
