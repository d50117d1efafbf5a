"""A page's evidence capture over Chromium's DevTools protocol (a Playwright CDP session).

``crawler.casework.capture`` takes each evidence screenshot through ``DevTools`` rather than
``page.screenshot`` and ``page.content()``: Playwright's screenshot evaluates in every frame
before and after the capture to hide the caret (which left ``style=""`` on the page's inputs,
then saved in the HTML evidence as if the platform had sent it), waits for the fonts and
measures the page in calls of its own, and ``page.content()`` and the first screenshot after
each navigation build Playwright's utility world in the page (docs/performance.md,
"Evidence screenshots").
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import math

from crawler.errors import WildcrawlError

# px: the tallest window a page taller than it is captured in; beyond, Chromium's own
# ``captureBeyondViewport`` (as Playwright's ``full_page=True`` does).
MAX_WINDOW = 16_384


class PageScriptError(WildcrawlError):
    """A script evaluated in the page threw."""


class DevTools:
    """One page's calls for its evidence, straight to Chromium: evaluations in the page's main
    world (as ``page.evaluate``), one ``Page.captureScreenshot`` (PNG, ``optimizeForSpeed``: a
    faster zlib level, larger files), the document as Chromium serialises it
    (``DOM.getOuterHTML``)."""

    def __init__(self, session):
        self.session = session

    async def evaluate(self, function: str, arg=None, timeout: float = 10.0):
        """``page.evaluate(function, arg)`` for JSON values (``crawler.browser.fonts`` calls
        it so); a promise is awaited."""
        answer = await asyncio.wait_for(
            self.session.send(
                "Runtime.evaluate",
                {
                    "expression": f"({function})({json.dumps(arg)})",
                    "returnByValue": True,
                    "awaitPromise": True,
                },
            ),
            timeout,
        )
        if "exceptionDetails" in answer:
            details = answer["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise PageScriptError(f"the page's script failed: {str(text).splitlines()[0]}")
        return answer["result"].get("value")

    async def screenshot(self, page, timeout: float) -> bytes:
        """A PNG of the whole page (at least the window), as ``full_page=True`` took it.

        A page taller than the window is captured with the window made as tall as the page
        (``page.set_viewport_size``), then put back: the same pixels as Chromium's own
        ``captureBeyondViewport``, which resizes the page too but cost the renderer half as
        much again (20 heavy pages: 3.06 against 2.08-2.15 CPU s, docs/performance.md). Wider
        than the window, or taller than ``MAX_WINDOW``: ``captureBeyondViewport``."""
        metrics = await asyncio.wait_for(self.session.send("Page.getLayoutMetrics"), timeout)
        content, viewport = metrics["cssContentSize"], metrics["cssLayoutViewport"]
        width, height = viewport["clientWidth"], viewport["clientHeight"]
        tall = math.ceil(content["height"])
        params: dict = {"format": "png", "optimizeForSpeed": True}
        window = page.viewport_size
        if content["width"] <= width and height < tall <= MAX_WINDOW and window:
            await page.set_viewport_size({"width": window["width"], "height": tall})
            try:
                return await self._capture(params, timeout)
            finally:
                await page.set_viewport_size(window)
        if content["width"] > width or content["height"] > height:
            params["clip"] = {
                "x": 0,
                "y": 0,
                "width": math.ceil(max(content["width"], width)),
                "height": math.ceil(max(content["height"], height)),
                "scale": 1,
            }
            params["captureBeyondViewport"] = True
        return await self._capture(params, timeout)

    async def _capture(self, params: dict, timeout: float) -> bytes:
        shot = await asyncio.wait_for(self.session.send("Page.captureScreenshot", params), timeout)
        return base64.b64decode(shot["data"])

    async def html(self, timeout: float) -> bytes:
        """The document as the browser holds it now (doctype included), serialised."""
        found = await asyncio.wait_for(
            self.session.send("Runtime.evaluate", {"expression": "document"}), timeout
        )
        handle = found["result"]["objectId"]
        try:
            markup = await asyncio.wait_for(
                self.session.send("DOM.getOuterHTML", {"objectId": handle}), timeout
            )
        finally:
            with contextlib.suppress(Exception):
                await self.session.send("Runtime.releaseObject", {"objectId": handle})
        return markup["outerHTML"].encode("utf-8")
