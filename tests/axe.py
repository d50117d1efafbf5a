"""axe-core accessibility audits in the tests' Chromium (``make axe`` installs axe-core from npm).

Usage, in a Playwright page whose context was made with ``bypass_csp=True`` (``AXE_CONTEXT``:
the audit script is injected inline, which our Content-Security-Policy rightly blocks)::

    from tests.axe import AXE_CONTEXT, require_axe, serious_violations

    require_axe()  # skips the test, saying why, when axe-core is not installed
    context = browser.new_context(**AXE_CONTEXT)
    page = context.new_page()
    page.goto(url)
    assert serious_violations(page) == []
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AXE_CONTEXT = {"bypass_csp": True}
SERIOUS = ("serious", "critical")


def axe_path() -> Path | None:
    """axe.min.js: $WILDCRAWL_AXE_JS, else the venv's ``node/`` (``make axe``), else None."""
    candidates = [
        os.environ.get("WILDCRAWL_AXE_JS"),
        Path(sys.prefix) / "node" / "node_modules" / "axe-core" / "axe.min.js",
        ROOT / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def require_axe() -> Path:
    path = axe_path()
    if path is None:
        pytest.skip(
            "axe-core not installed: run `make axe` (needs npm) or set WILDCRAWL_AXE_JS "
            "to an axe.min.js"
        )
    return path


def violations(page, impacts=SERIOUS) -> list[dict]:
    """axe-core's violations on the page as loaded, of the given impacts.

    Each: ``{"id", "impact", "help", "nodes": [html of up to 5 offending elements]}``.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(require_axe()))
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.html + ' ' + n.failureSummary)}));
        }"""
    )
    return [v for v in found if v["impact"] in impacts]


def serious_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page (an empty list when none)."""
    return violations(page, SERIOUS)
