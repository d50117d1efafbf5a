"""Redirect loops, told apart from other failures.

Scrapy's ``RedirectMiddleware`` follows a loop until ``REDIRECT_MAX_TIMES`` and then drops
the request with ``IgnoreRequest("max redirections reached")``; a loop that comes back to a
URL it already visited (A -> B -> A) is dropped even earlier, silently, by the duplicate
filter. :class:`RedirectLoopMiddleware` sits just before it and ends a redirect that goes
back to a URL of its own chain with :class:`RedirectLoop`, so both kinds reach the
request's errback, where :func:`is_redirect_loop` names them.
"""

from __future__ import annotations

from urllib.parse import urljoin

from scrapy.exceptions import IgnoreRequest
from w3lib.url import safe_url_string

# Before Scrapy's RedirectMiddleware (600): process_response runs from high to low.
PRIORITY = 610
PATH = "crawler.crawl.redirects.RedirectLoopMiddleware"
MAX_REDIRECTIONS = "max redirections reached"  # Scrapy's own message


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL the request already went through."""


class RedirectLoopMiddleware:
    def process_response(self, request, response, spider=None):
        location = response.headers.get(b"Location")
        if response.status not in (301, 302, 303, 307, 308) or not location:
            return response
        if request.meta.get("dont_redirect"):
            return response
        target = safe_url_string(urljoin(response.url, location.decode("latin1")))
        chain = [*request.meta.get("redirect_urls", ()), request.url]
        if target in chain:
            raise RedirectLoop(f"redirect loop: {response.url} -> {target} ({len(chain)} hops)")
        return response


def install(settings) -> None:
    """Add the middleware to a crawler's (not yet frozen) settings."""
    settings.set_in_component_priority_dict("DOWNLOADER_MIDDLEWARES", PATH, PRIORITY)


def is_redirect_loop(failure) -> bool:
    """Whether a request's failure is a redirect loop (ours, or Scrapy's max redirections)."""
    if failure.check(RedirectLoop):
        return True
    return bool(failure.check(IgnoreRequest)) and MAX_REDIRECTIONS in str(failure.value)


def count_loop(failure, kind: str, stats, logger) -> bool:
    """Count and log a redirect loop of a ``kind`` page (an error of its own kind, and per
    kind for the broken-crawl guard); False, nothing counted, for other failures."""
    if not is_redirect_loop(failure):
        return False
    stats.inc_value("wildcrawl/errors/redirect_loop")
    stats.inc_value(f"wildcrawl/redirect_loop/{kind}")
    url = failure.request.url
    logger.error("redirect loop: %s page %s not fetched (%s)", kind, url, failure.value)
    return True
