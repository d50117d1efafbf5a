"""Which browser sub-requests to abort (referenced by ``PLAYWRIGHT_ABORT_REQUEST``).

Images, media, fonts and stylesheets cost time and memory and never carry
listings, so crawl pages go without them. Evidence screenshots are taken by
``crawler.evidence_capture`` in a browser of their own, with every resource.
"""

BLOCKED_RESOURCE_TYPES = frozenset({"image", "media", "font", "stylesheet"})


def should_abort_request(request) -> bool:
    return request.resource_type in BLOCKED_RESOURCE_TYPES
