"""Config-driven extraction of listings from a page. Pure: no Scrapy, no network.

The spider, ``wildcrawl try`` and the golden tests all call these functions, so
what a config extracts from a saved page is exactly what a crawl extracts.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin

import jmespath
from parsel import Selector

from crawler.config import FieldSpec, MarketplaceConfig, PageMatcher

URL_FIELDS = ("url", "seller_url", "image_url")
_WS = re.compile(r"\s+")
_LAST = threading.local()  # per thread: the last page parsed, as (body, Selector)


def parse_html(body: str) -> Selector:
    """``body`` parsed, once per page: a crawl's callback asks for its page state, then its
    listings or fields, then its next page, each with the same ``body`` object (the
    response's text), and every parse of it cost a whole lxml parse (two or three a page
    where plain Scrapy's spider has one). The last page parsed is kept per thread; a
    different string object is parsed again, however equal its text."""
    last = getattr(_LAST, "page", None)
    if last is not None and last[0] is body:
        return last[1]
    sel = Selector(text=body)
    _LAST.page = (body, sel)
    return sel


@dataclass
class PageListings:
    """What one results page gave: listings (dicts of raw strings) and missing-field counts."""

    listings: list[dict[str, str | None]] = field(default_factory=list)
    missing: dict[str, int] = field(default_factory=dict)
    error: str | None = None  # e.g. the JSON blob was absent or invalid

    def add(self, raw: dict[str, str | None]) -> None:
        """Count ``raw``'s missing fields; keep it if it has an id, a URL and a title."""
        for key in ("item_id", "url", "title", "price_text", "seller_name", "location"):
            if (key in raw or key in ("item_id", "url", "title")) and not raw.get(key):
                self.missing[key] = self.missing.get(key, 0) + 1
        if raw.get("item_id") and raw.get("url") and raw.get("title"):
            self.listings.append(raw)


def clean_text(value: str | None) -> str | None:
    """Collapse whitespace; empty becomes None."""
    if value is None:
        return None
    value = _WS.sub(" ", value).strip()
    return value or None


def _element_text(sel: Selector) -> str:
    # Whole visible text of an element, skipping script/style content.
    return " ".join(sel.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]").getall())


def select_field(node: Selector, spec: FieldSpec) -> str | None:
    """Apply one CSS/XPath field spec to a node and return the cleaned string."""
    if spec.xpath is not None:
        found = node.xpath(spec.xpath)
    elif spec.css is not None:
        found = node.css(spec.css) if spec.css else [node]
    else:
        return spec.default
    query = spec.xpath or spec.css or ""
    if "::text" in query or "::attr" in query or "/@" in query or query.endswith("text()"):
        value = " ".join(v for v in found.getall() if v)
    else:
        # Elements: their whole text; text nodes or attributes (e.g. ``(...//text())[1]``): as is.
        value = " ".join(s.get() if isinstance(s.root, str) else _element_text(s) for s in found)
    return _post(value, spec)


def _post(value: str | None, spec: FieldSpec) -> str | None:
    value = clean_text(value)
    if value is not None and spec.regex:
        m = re.search(spec.regex, value)
        value = clean_text(m.group(1) if m and m.groups() else (m.group(0) if m else None))
    return value if value is not None else spec.default


def _json_value(item: object, spec: FieldSpec) -> str | None:
    if spec.path is None:
        return spec.default
    value = jmespath.search(spec.path, item)
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    elif value is not None and not isinstance(value, str):
        value = str(value)
    return _post(value, spec)


def resolve_urls(raw: dict[str, str | None], base_url: str) -> dict[str, str | None]:
    """Make the URL fields of ``raw`` absolute against ``base_url`` (in place)."""
    for key in URL_FIELDS:
        if raw.get(key):
            raw[key] = urljoin(base_url, raw[key])
    return raw


def _finish(raw: dict[str, str | None], config: MarketplaceConfig, page_url: str) -> dict:
    resolve_urls(raw, page_url)
    if not raw.get("item_id") and config.listings.item_id_regex and raw.get("url"):
        m = re.search(config.listings.item_id_regex, raw["url"])
        raw["item_id"] = m.group(1) if m else None
    return raw


def extract_listings(config: MarketplaceConfig, body: str, page_url: str) -> PageListings:
    """Every listing the config's ``listings`` section finds on one results page."""
    result = PageListings()
    spec = config.listings
    if spec.json_ is not None:
        data = load_json_source(spec.json_.source, body)
        if isinstance(data, str):
            result.error = data
            return result
        items = jmespath.search(spec.json_.items, data) or []
        if not isinstance(items, list):
            result.error = f"JSON path {spec.json_.items!r} is not a list"
            return result
        fields = spec.json_.fields
        rows = [{k: _json_value(it, f) for k, f in fields.items()} for it in items]
    else:
        sel = parse_html(body)
        nodes = (
            sel.xpath(spec.item[len("xpath:") :])
            if spec.item.startswith("xpath:")
            else sel.css(spec.item)
        )
        rows = [{k: select_field(n, f) for k, f in spec.fields.items()} for n in nodes]
    for raw in rows:
        result.add(_finish(raw, config, page_url))
    return result


def load_json_source(source: str, body: str) -> object | str:
    """Parse the JSON a config points at; a string result is an error message."""
    if source == "response":
        text = body
    else:
        spec = FieldSpec(xpath=source[6:]) if source.startswith("xpath:") else FieldSpec(css=source)
        found = parse_html(body).css(spec.css) if spec.css else parse_html(body).xpath(spec.xpath)
        text = " ".join(found.getall()) if found else ""
        if not text.strip():
            return f"JSON source {source!r} not found on the page"
    try:
        return json.loads(text)
    except ValueError as exc:
        return f"JSON source {source!r} is not valid JSON ({exc.msg} at {exc.pos})"


def extract_detail(config: MarketplaceConfig, body: str, page_url: str) -> dict[str, str | None]:
    """Fields of a listing's own page, per the config's ``detail`` section."""
    if config.detail is None:
        return {}
    sel = parse_html(body)
    raw = {k: select_field(sel, f) for k, f in config.detail.fields.items()}
    return resolve_urls(raw, page_url)


def next_page_url(config: MarketplaceConfig, body: str, page_url: str) -> str | None:
    """The results page after this one, when the config follows a next-page link."""
    if not config.search.next_page:
        return None
    sel = parse_html(body)
    query = config.search.next_page
    found = sel.xpath(query[6:]) if query.startswith("xpath:") else sel.css(query)
    href = clean_text(found.get())
    return urljoin(page_url, href) if href else None


def _matches(matcher: PageMatcher | None, status: int, body: str, selector) -> bool:
    if matcher is None:
        return False
    if status in matcher.status:
        return True
    if matcher.selector and body:
        sel = selector()
        q = matcher.selector
        if sel.xpath(q[6:]) if q.startswith("xpath:") else sel.css(q):
            return True
    return bool(matcher.text and body and matcher.text in body)


def classify(status: int, matches: Callable[[object], bool], blocked, removed, sold) -> str:
    """``blocked``, ``removed``, ``sold`` or ``ok``, in that precedence; 404 and 410 always
    mean removed. ``matches(matcher)`` says whether one configured matcher fits the answer
    (pages: ``page_state``; JSON endpoints: ``crawler.fetch.api.api_state``)."""
    if matches(blocked):
        return "blocked"
    if status in (404, 410) or matches(removed):
        return "removed"
    if matches(sold):
        return "sold"
    return "ok"


def page_state(config: MarketplaceConfig, status: int, body: str) -> str:
    """Classify a fetched page: ``blocked``, ``removed``, ``sold`` or ``ok``."""
    parsed: list[Selector] = []

    def selector() -> Selector:  # the page parsed once, if a matcher asks for it
        if not parsed:
            parsed.append(parse_html(body))
        return parsed[0]

    return classify(
        status,
        lambda m: _matches(m, status, body, selector),
        config.blocked,
        config.removed,
        config.sold,
    )
