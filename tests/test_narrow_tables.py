"""Tables in a narrow terminal: what a person acts on is never cut to "…"."""

from __future__ import annotations

import io
import json

from rich.console import Console

ROWS = [
    {
        "marketplace": "demo-jsmarket",
        "started_at": "2026-12-06T06:39:57Z",
        "status": "interrupted",
        "listings_new": 110,
        "listings_removed": 3,
        "errors": 3,
        "error_kinds": json.dumps({"http_404": 2, "timeout": 1}),
        "next_run": "2026-12-07T03:30:00+00:00 (demo-js-weekly)",
    },
    {
        "marketplace": "facebook-marketplace-pl",
        "started_at": "2026-12-05T23:59:01Z",
        "status": "finished",
        "listings_new": 12345,
        "listings_removed": 0,
        "errors": 0,
        "error_kinds": "{}",
        "next_run": "not scheduled",
    },
    {
        "marketplace": "olx-pl",
        "status": "never crawled",
        "next_run": "2026-12-07T02:15:00+00:00 (x)",
    },
]


def render_status(width: int) -> str:
    from crawler.cli.status_cmd import _print

    out = io.StringIO()
    _print(
        [dict(r) for r in ROWS],
        Console(file=out, width=width, force_terminal=True, color_system=None),
    )
    return out.getvalue()


def test_status_is_readable_at_80_columns():
    text = render_status(80)
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
    table_lines = text.splitlines()
    for name in ("demo-jsmarket", "facebook-marketplace-pl", "olx-pl"):
        assert any(f"│{name} " in line for line in table_lines), text  # whole, on one line
    for status in ("interrupted", "finished", "never crawled"):
        assert status in text or status.split()[0] in text, text
    assert "2026-12-06 06:39" in text and "2026-12-05 23:59" in text  # dates whole
    assert "next run of demo-jsmarket: 2026-12-07 03:30:00+00:00 (demo-js-weekly)" in text


def test_status_keeps_every_column_when_wide():
    text = render_status(160)
    assert "…" not in text
    assert "next run" in text and "(demo-js-weekly)" in text and "listings removed" in text
