"""Block a page's images, media, fonts and stylesheets inside Chromium, by resource type.

Used by ``crawler.browser.handler`` for pages that navigate without a Playwright route.
A DevTools session of the page enables the Fetch domain for those resource types only:
Chromium pauses just those requests and this module fails them (``BlockedByClient``);
every other request goes its way without leaving the browser, and the page keeps its
HTTP cache (a Playwright route would turn it off). With the crawl's launch switches
(``crawler.browser.launch``: no images, no web fonts) most of these are never even requested;
this catches the rest (stylesheets, media, and images when the browser was launched with
them for a marketplace that keeps its resources). A page marked by ``crawler.browser.page_init``
as keeping its resources (``browser.block_resources: false``) is left alone.
"""

from __future__ import annotations

import asyncio
import logging

from crawler.browser.page_init import keeps_resources
from crawler.browser.requests import BLOCKED_RESOURCE_TYPES

logger = logging.getLogger(__name__)

SESSION_ATTR = "_wildcrawl_block_session"  # the page's DevTools session, once made
# DevTools resource type names (Network.ResourceType): "Stylesheet", "Image", ...
PATTERNS = [
    {"resourceType": t.capitalize(), "requestStage": "Request"}
    for t in sorted(BLOCKED_RESOURCE_TYPES)
]


async def _fail(session, request_id: str) -> None:
    try:
        await session.send(
            "Fetch.failRequest", {"requestId": request_id, "errorReason": "BlockedByClient"}
        )
    except Exception as exc:  # noqa: BLE001 - the page closed meanwhile: nothing left to block
        logger.debug("could not block request %s: %s", request_id, exc)


async def block_resources(page) -> bool:
    """Start blocking on ``page`` (once per page). False when the page keeps its resources."""
    if keeps_resources(page):
        return False
    if getattr(page, SESSION_ATTR, None) is not None:
        return True
    session = await page.context.new_cdp_session(page)
    tasks: set[asyncio.Task] = set()

    def on_paused(event: dict) -> None:
        task = asyncio.ensure_future(_fail(session, event["requestId"]))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    session.on("Fetch.requestPaused", on_paused)
    await session.send("Fetch.enable", {"patterns": PATTERNS})
    setattr(page, SESSION_ATTR, session)
    return True
