"""The spider's requests, built in one place: search, api search, detail, their browser meta,
the two pagers, the statuses that mean "gone"."""

from __future__ import annotations

from urllib.parse import urldefrag, urlsplit

LINK_SCHEMES = ("http", "https")


def link_problem(url: str | None, page_url: str) -> str | None:
    """Why a listing's link cannot be followed to its detail page, or None when it can: a
    script, mail, phone or data link, or one back to the results page itself (``#``)."""
    if not url:
        return "no link"
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError as exc:
        return f"unreadable link ({exc})"
    if scheme not in LINK_SCHEMES:
        return f"a {scheme or 'relative'}: link"
    if urldefrag(url)[0] == urldefrag(page_url)[0]:
        return "a link to the results page itself"
    return None
