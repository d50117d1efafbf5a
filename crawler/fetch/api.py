"""Reading a marketplace's own JSON endpoints (the config's ``api`` section). Pure: no Scrapy.

``render: api`` fetches the endpoints over plain HTTP; ``render: browser`` reads the
same JSON from the responses the rendered page received (``crawler.browser.api_capture``).
Both go through these functions, so they extract the same listings. A listing's
``url`` is always its page for people (reports, evidence), never the API's.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote, urljoin, urlsplit

import jmespath

from crawler.config import JsonMatcher, MarketplaceConfig
from crawler.extract.listings import PageListings, _json_value, classify, resolve_urls


def search_url(config: MarketplaceConfig, keyword: str, page: int) -> str:
    """The search endpoint's URL for ``keyword``, page ``page`` (from ``api.search.first_page``)."""
    spec = config.api.search
    size = spec.page_size or 0
    filled = spec.url.format(
        keyword=quote(keyword), page=page, offset=(page - spec.first_page) * size, limit=size
    )
    return urljoin(config.base_url + "/", filled)


def detail_url(config: MarketplaceConfig, item_id: str) -> str:
    """The detail endpoint's URL of one listing."""
    filled = config.api.detail.url.format(item_id=quote(str(item_id), safe=""))
    return urljoin(config.base_url + "/", filled)


def capture_pattern(template: str, explicit: str | None = None) -> str:
    """Regex of the URLs a page fetches from an endpoint: ``explicit``, else the template's path.

    The query is left out (pages order their parameters as they like), placeholders
    match one path segment or more characters of one.
    """
    if explicit:
        return explicit
    path = urlsplit(template).path or "/"
    parts = re.split(r"(\{[a-z_]+\})", path)
    body = "".join("[^/?#]+" if re.fullmatch(r"\{[a-z_]+\}", p) else re.escape(p) for p in parts)
    return rf"^[a-z]+://[^/]+{body}(?:[?#].*)?$"


def parse_json(body: str | bytes) -> tuple[object | None, str | None]:
    """(data, None), or (None, why it is not JSON)."""
    try:
        return json.loads(body), None
    except (ValueError, UnicodeDecodeError) as exc:
        where = f" at {exc.pos}" if isinstance(exc, json.JSONDecodeError) else ""
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        return None, f"the answer is not JSON ({reason}{where})"


def _matches(matcher: JsonMatcher | None, status: int, data: object) -> bool:
    if matcher is None:
        return False
    if status in matcher.status:
        return True
    return bool(matcher.path and data is not None and jmespath.search(matcher.path, data))


def api_state(config: MarketplaceConfig, status: int, data: object) -> str:
    """Classify one endpoint answer: ``blocked``, ``removed``, ``sold`` or ``ok``."""
    api = config.api
    return classify(status, lambda m: _matches(m, status, data), api.blocked, api.removed, api.sold)


def status_lists(config: MarketplaceConfig) -> tuple[list[int], list[int]]:
    """HTTP statuses the spider must see (not drop): (for search, for detail)."""
    api = config.api
    blocked = set(api.blocked.status if api.blocked else ())
    blocked |= set(config.blocked.status if config.blocked else ())
    gone = {404, 410, *(api.removed.status if api.removed else ())}
    sold = set(api.sold.status if api.sold else ())
    return sorted(blocked), sorted(blocked | gone | sold)


def listing_url(config: MarketplaceConfig, item_id: str) -> str:
    return urljoin(
        config.base_url + "/", config.api.listing_url.format(item_id=quote(str(item_id), safe=""))
    )


def api_listings(config: MarketplaceConfig, data: object, api_url: str) -> PageListings:
    """The listings of one search endpoint answer (URLs resolved against ``api_url``)."""
    result = PageListings()
    spec = config.api.search
    items = jmespath.search(spec.items, data)
    if items is None:
        items = []
    if not isinstance(items, list):
        result.error = f"JSON path {spec.items!r} is not a list"
        return result
    for item in items:
        raw = {k: _json_value(item, f) for k, f in spec.fields.items()}
        _finish(config, raw, api_url)
        result.add(raw)
    return result


def api_detail(config: MarketplaceConfig, data: object, api_url: str) -> dict[str, str | None]:
    """Fields of one detail endpoint answer."""
    if config.api.detail is None or not isinstance(data, (dict, list)):
        return {}
    raw = {k: _json_value(data, f) for k, f in config.api.detail.fields.items()}
    raw.pop("url", None)  # the listing keeps its page for people
    return resolve_urls(raw, api_url)


def _finish(config: MarketplaceConfig, raw: dict, api_url: str) -> None:
    resolve_urls(raw, api_url)
    if config.api.listing_url and raw.get("item_id"):
        raw["url"] = listing_url(config, raw["item_id"])


def next_url(
    config: MarketplaceConfig, data: object, api_url: str, keyword: str, page: int, n_items: int
) -> tuple[str | None, bool]:
    """(URL of the next request or None, whether ``max_pages`` cut off a further page)."""
    spec = config.api.search
    if spec.next:
        found = jmespath.search(spec.next, data)
        following = urljoin(api_url, found) if isinstance(found, str) and found.strip() else None
    else:
        following = None
        paged = "{page}" in spec.url or "{offset}" in spec.url
        short = n_items == 0 or (spec.page_size is not None and n_items < spec.page_size)
        if paged and not short:
            total = jmespath.search(spec.total, data) if spec.total else None
            done = (page - spec.first_page + 1) * (spec.page_size or n_items)
            if not isinstance(total, (int, float)) or done < total:
                following = search_url(config, keyword, page + 1)
    if following and page - spec.first_page + 1 >= spec.max_pages:
        return None, True
    return following, False
