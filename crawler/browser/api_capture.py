"""Capture the JSON a browser-rendered page fetched from a marketplace's endpoints.

With ``render: browser`` and an ``api`` section, the browser still loads the page
for people (``wait_for``, "Load more"), and the spider reads the JSON answers the
page itself received instead of parsing the DOM. Two pieces, both referenced by
name so that request meta stays picklable (Redis frontier):

- ``start``, called by the ``playwright_page_init_callback`` (``crawler.browser.page_init``): before
  navigation it
  listens for requests whose URL matches ``request.meta[CAPTURE_META]`` (a
  regex) and starts reading each one's answer at once;
- ``collect`` is the last ``PageMethod``: after the page methods (so after every
  "Load more" batch was rendered) it waits until every matching request has
  been answered and its body read (or failed), and returns plain data, a list
  of ``{"url", "status", "body"}`` or ``{"url", "error"}`` in request order;
- ``answers_first`` replaces ``wait_for`` + ``collect`` on detail pages: it returns as
  soon as the page's answers are in (the first one read, or the page's ``load`` event),
  without waiting for the page to render them, and reads the DOM as before only when they
  are missing or not JSON.

``captured(response)`` gives the spider that list (None when nothing was run), and
``answer_json(answer)`` an answer's body as JSON, parsed once whoever asks first
(``drop_cards`` in the browser step, or the spider).
"""

from __future__ import annotations

import asyncio
import re

from scrapy_playwright.page import PageMethod

from crawler.fetch.api import parse_json

CAPTURE_META = "wildcrawl_api_capture"  # regex of the endpoint URLs, set by the spider
_ATTR = "_wildcrawl_api_capture"
_PARSED = "_json"  # an answer's (data, error) once parsed
_LISTENER = "_wildcrawl_api_listener"
_PATTERN = "_wildcrawl_api_pattern"  # the compiled pattern of the request the page serves
_ANSWERED = "_wildcrawl_api_answered"  # an asyncio.Event per request (answers_first)
_LOAD = "_wildcrawl_api_load"  # an asyncio.Event per request: the page's load event came
SERVED_HTML = "_wildcrawl_served_html"  # set by answers_first: the DOM was not waited for
SERVED_FLAG = "served_html"  # in ``response.flags`` of such a page (crawler.browser.handler)


async def _read(request) -> dict:
    try:
        response = await request.response()
        if response is None:
            return {"url": request.url, "error": request.failure or "no response"}
        body = await response.body()
        return {"url": response.url, "status": response.status, "body": body}
    except Exception as exc:  # noqa: BLE001 - a failed read is reported, not raised
        return {"url": request.url, "error": f"{type(exc).__name__}: {exc}"}


async def start(page, request) -> None:
    """Before navigation (``crawler.browser.page_init``): read every answer of a matching request.

    One listener per page for its whole life, reading the pattern of the request the page
    serves now: adding and removing a "request" listener each has Playwright's client tell
    the driver to start or stop sending the page's request events, two round trips per page
    when a reused tab (``crawler.browser.pages``) swapped listeners for every request."""
    pattern = request.meta.get(CAPTURE_META)
    setattr(page, _ATTR, [])
    setattr(page, _ANSWERED, asyncio.Event())  # set whenever one of this request's answers is read
    setattr(page, _LOAD, asyncio.Event())  # set by the page's next "load" event
    setattr(page, _PATTERN, re.compile(pattern) if pattern else None)
    if not pattern or getattr(page, _LISTENER, None) is not None:
        return
    loop = asyncio.get_running_loop()
    # "load" is not one of the events Playwright's client subscribes to: no message.
    page.on("load", lambda _page: getattr(page, _LOAD).set())

    def on_request(req) -> None:
        matcher = getattr(page, _PATTERN, None)
        if matcher is not None and req.method == "GET" and matcher.search(req.url):
            task = loop.create_task(_read(req))
            answered = getattr(page, _ANSWERED)
            task.add_done_callback(lambda _task: answered.set())
            getattr(page, _ATTR).append(task)

    page.on("request", on_request)
    setattr(page, _LISTENER, on_request)


async def collect(page, timeout_ms: int) -> list[dict] | None:
    """Last page method: every captured answer, once all were read (or timed out)."""
    tasks: list[asyncio.Task] | None = getattr(page, _ATTR, None)
    if tasks is None:
        return None
    if tasks:
        _done, pending = await asyncio.wait(list(tasks), timeout=timeout_ms / 1000)
        for task in pending:
            task.cancel()
    out = []
    for task in tasks:
        if task.done() and not task.cancelled():
            out.append(task.result())
        else:
            out.append({"url": "", "error": f"no answer within {timeout_ms} ms"})
    return out


def collect_method(timeout_ms: int) -> PageMethod:
    return PageMethod(collect, timeout_ms)


async def answers_first(page, wait_for: str, timeout_ms: int) -> list[dict] | None:
    """A detail page's only page method: its JSON as soon as the page has it.

    Waits until one answer of a matching request has been read or the page's ``load`` event
    came (whichever is first; a slow third-party script that holds ``load`` back does not
    hold the crawl), then for the answers of every matching request the page made by then.
    When there is at least one and every one will be read as JSON, that is all the spider
    needs: the page is not waited for until it has rendered, and its DOM is not serialised;
    ``SERVED_HTML`` tells the download handler to hand the spider the HTML the server sent
    instead (``crawler.browser.handler``), which still shows a block page. Otherwise (no
    matching request by ``load``, an answer that failed or is not JSON) the page is read as
    before: ``wait_for``, then ``collect``. One ``timeout_ms`` bounds the whole wait.
    Rendering and serialising the page was half of the browser's work per light page
    (docs/performance-log.md, "Seventh pass")."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_ms / 1000
    setattr(page, SERVED_HTML, False)
    answered = getattr(page, _ANSWERED, None)
    if answered is not None:
        # The page's "load" event as ``start`` caught it: Playwright's wait_for_load_state
        # would send the driver three messages per page.
        waits = [
            loop.create_task(answered.wait()),
            loop.create_task(getattr(page, _LOAD).wait()),
        ]
        await asyncio.wait(waits, timeout=timeout_ms / 1000, return_when=asyncio.FIRST_COMPLETED)
        for waiting in waits:
            if not waiting.done():
                waiting.cancel()
    tasks: list[asyncio.Task] = getattr(page, _ATTR, None) or []
    if tasks:
        left = max(deadline - loop.time(), 0.001)
        _done, pending = await asyncio.wait(list(tasks), timeout=left)
        if not pending and all(_readable(t.result()) for t in tasks):
            setattr(page, SERVED_HTML, True)
            return [t.result() for t in tasks]
    left_ms = max((deadline - loop.time()) * 1000, 1)
    await page.wait_for_selector(wait_for, timeout=left_ms)
    return await collect(page, max((deadline - loop.time()) * 1000, 1))


def answers_first_method(wait_for: str, timeout_ms: int) -> PageMethod:
    return PageMethod(answers_first, wait_for, timeout_ms)


def served_html(page) -> bool:
    """Whether ``answers_first`` read this page's JSON without waiting for its DOM."""
    return bool(getattr(page, SERVED_HTML, False))


_REMOVE_JS = (
    "sel => { const els = document.querySelectorAll(sel); els.forEach(e => e.remove());"
    " return els.length; }"
)


def answer_json(answer: dict) -> tuple[object | None, str | None]:
    """``crawler.fetch.api.parse_json`` of a read answer's body, kept in the answer: a "Load more"
    page's hundreds of answers are parsed once, not once here and again by the spider."""
    parsed = answer.get(_PARSED)
    if parsed is None:
        parsed = answer[_PARSED] = parse_json(answer["body"])
    return parsed


def _readable(answer: dict) -> bool:
    """Whether the spider will read this answer as JSON (what ``_captured_json`` requires)."""
    if "error" in answer or answer.get("status", 500) >= 400:
        return False
    return answer_json(answer)[1] is None


async def drop_cards(page, selector: str) -> int:
    """After ``collect``: when every answer the page received will be read as JSON, remove the
    listing cards from the DOM before its HTML is taken, so a "Load more" page of thousands
    of cards does not travel as megabytes of HTML through the driver into the crawler (the
    DOM is never parsed for listings then). Any answer missing, failed, not JSON or >= 400:
    nothing is removed, and the spider reads the DOM. Returns the number removed."""
    tasks: list[asyncio.Task] | None = getattr(page, _ATTR, None)
    if not tasks or not all(t.done() and not t.cancelled() for t in tasks):
        return 0
    if not all(_readable(t.result()) for t in tasks):
        return 0
    return await page.evaluate(_REMOVE_JS, selector)


def drop_cards_method(selector: str) -> PageMethod:
    return PageMethod(drop_cards, selector)


def captured(response) -> list[dict] | None:
    """The answers ``collect`` (or ``answers_first``) returned for this response's page, or
    None if neither ran."""
    for method in response.meta.get("playwright_page_methods") or ():
        if isinstance(method, PageMethod) and method.method in (collect, answers_first):
            return method.result
    return None
