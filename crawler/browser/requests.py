"""Which browser sub-requests to abort (referenced by ``PLAYWRIGHT_ABORT_REQUEST``).

Images, media, fonts and stylesheets cost time and memory and never carry
listings, so crawl pages go without them, unless the marketplace's config says
``browser.block_resources: false`` (``crawler.browser.page_init`` marks its pages). Evidence
screenshots are taken by ``crawler.casework.capture`` in a browser of their own,
with every resource.
"""

from crawler.browser.page_init import keeps_resources

BLOCKED_RESOURCE_TYPES = frozenset({"image", "media", "font", "stylesheet"})


def should_abort_request(request) -> bool:
    if request.resource_type not in BLOCKED_RESOURCE_TYPES:
        return False
    try:
        page = request.frame.page
    except Exception:  # noqa: BLE001 - a service worker's request has no frame: block as usual
        return True
    return not keeps_resources(page)
