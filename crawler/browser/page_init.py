"""What every browser page of a crawl gets before it navigates (``playwright_page_init_callback``).

- Listing cards below the fold skip layout and paint: an init script adopts a style
  sheet giving the config's ``listings.item`` selector ``content-visibility: auto``
  (``browser.skip_offscreen``, on by default). The DOM, and so the HTML the crawl
  reads, is unchanged; Chromium only lays out the cards in view. A results page that
  "Load more" grew to 10,000 cards measured a 749 MiB renderer without it and 324 MiB
  with it, and took 32 s instead of 48 s (docs/performance-log.md). Placeholders keep
  their last size, so pages that load more on scroll still scroll.
- The JSON the page fetches from the config's endpoints is read (``crawler.browser.api_capture``).
- A marketplace with ``browser.block_resources: false`` gets its images, fonts, media and
  stylesheets (``crawler.browser.requests`` aborts them on every other crawl page).

Referenced by name (``INIT_CALLBACK``) so request meta stays picklable.
"""

from __future__ import annotations

import json

from crawler.browser import api_capture

INIT_CALLBACK = "crawler.browser.page_init.init_page"
OFFSCREEN_META = "wildcrawl_skip_offscreen"  # CSS selector of the listing cards
KEEP_RESOURCES_META = "wildcrawl_keep_resources"  # browser.block_resources: false
KEEP_RESOURCES_ATTR = "_wildcrawl_keep_resources"  # set on the page: see keeps_resources()
_OFFSCREEN_ATTR = "_wildcrawl_offscreen"
# Cards are a few hundred pixels tall; "auto" then keeps each one's last rendered size.
_RULE = "{content-visibility:auto;contain-intrinsic-size:auto 240px}"


def offscreen_script(selector: str) -> str:
    """The init script adopting ``selector {content-visibility: auto}`` into the document."""
    css = json.dumps(f"{selector}{_RULE}")
    return (
        "(() => { try { const s = new CSSStyleSheet(); s.replaceSync(" + css + ");"
        " document.adoptedStyleSheets = [...document.adoptedStyleSheets, s]; }"
        " catch (e) { /* a selector the browser rejects: the page renders as before */ } })();"
    )


def keeps_resources(page) -> bool:
    """Whether ``page`` keeps its images, media, fonts and stylesheets: the one rule both
    blocking paths ask (``crawler.browser.requests`` for routed pages, ``crawler.browser.block``
    for direct ones)."""
    return getattr(page, KEEP_RESOURCES_ATTR, False)


async def init_page(page, request) -> None:
    if request.meta.get(KEEP_RESOURCES_META):
        setattr(page, KEEP_RESOURCES_ATTR, True)
    selector = request.meta.get(OFFSCREEN_META)
    if selector and getattr(page, _OFFSCREEN_ATTR, None) != selector:
        # Once per page (a reused page keeps its init scripts; crawler.browser.pages).
        await page.add_init_script(script=offscreen_script(selector))
        setattr(page, _OFFSCREEN_ATTR, selector)
    await api_capture.start(page, request)
