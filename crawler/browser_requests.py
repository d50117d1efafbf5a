"""Which browser sub-requests to abort (referenced by ``PLAYWRIGHT_ABORT_REQUEST``).

Images, media, fonts and stylesheets cost time and memory and never carry
listings, so crawl pages go without them. Evidence captures are the exception:
their requests carry ``EVIDENCE_UA_MARK`` in the User-Agent (scrapy-playwright
sets the page's User-Agent on every sub-request), and get every resource.
"""

BLOCKED_RESOURCE_TYPES = frozenset({"image", "media", "font", "stylesheet"})
EVIDENCE_UA_MARK = "evidence-capture"


def should_abort_request(request) -> bool:
    if request.resource_type not in BLOCKED_RESOURCE_TYPES:
        return False
    return EVIDENCE_UA_MARK not in request.headers.get("user-agent", "")
