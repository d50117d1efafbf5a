"""Which browser sub-requests to abort: images, media, fonts and stylesheets cost time
and memory and never carry listings. (Referenced by ``PLAYWRIGHT_ABORT_REQUEST``.)"""

BLOCKED_RESOURCE_TYPES = frozenset({"image", "media", "font", "stylesheet"})


def should_abort_request(request) -> bool:
    return request.resource_type in BLOCKED_RESOURCE_TYPES
