"""Channel sources: a config whose ``channels:`` lists public channels (docs/channels.md).

A post is a listing whose ``item_id`` is ``<channel>/<post id>`` (Telegram's ``data-post``),
so its stored id is ``<source>:<channel>/<post id>``. Every channel is searched for the
keywords of its language through ``search.url``'s ``{channel}`` and ``{keyword}``.
"""

from __future__ import annotations

from crawler.config.models import ChannelSpec, MarketplaceConfig


def channel_of(config: MarketplaceConfig, item_id: str | None) -> ChannelSpec | None:
    """The configured channel a post's ``item_id`` (``<channel>/<post id>``) belongs to."""
    if not config.channels or not item_id:
        return None
    name = str(item_id).split("/", 1)[0].lower()
    return next((c for c in config.channels if c.name.lower() == name), None)


def searches(
    config: MarketplaceConfig, keyword_lang: dict[str, str], chosen: bool
) -> list[tuple[str, str, str]]:
    """(keyword, channel, first results URL) of every search of a channel source: each channel
    with the keywords of its language (every keyword when they were ``chosen`` by hand, or when
    the channel names no language)."""
    found = []
    for channel in config.channels or ():
        for keyword, lang in keyword_lang.items():
            if chosen or channel.lang is None or lang == channel.lang:
                url = config.search_url(keyword, config.search.first_page, channel=channel.name)
                found.append((keyword, channel.name, url))
    return found


def hints(config: MarketplaceConfig, listing: dict) -> dict:
    """``listing`` with its channel's country and currency hints, where it has them."""
    channel = channel_of(config, listing.get("item_id"))
    if channel is None:
        return listing
    if channel.currency:
        listing["currency_hint"] = channel.currency
    if channel.country:
        listing["country_hint"] = channel.country
    return listing


def read_back_done(config: MarketplaceConfig, listings: list[dict]) -> bool:
    """Whether a results page reached ``search.until``: one of its listings (a channel's
    preview shows its posts oldest first) was posted before that day."""
    until = config.search.until
    if until is None:
        return False
    days = [str(raw.get("posted_at") or "")[:10] for raw in listings]
    return any(day and day < until.isoformat() for day in days)
