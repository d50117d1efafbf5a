"""``wildcrawl try``: run one config (or the generic extractor) against one page.

A monitor fixing selectors runs this in a loop: it prints the listings the
config extracts and which fields came out empty. The page is a saved file or a
live URL; a config with ``render: browser`` is rendered in Chromium (a saved
file is served from a local server at its original path for that).
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import click

from crawler.cli.app import cli, user_errors
from crawler.errors import WildcrawlError

USER_AGENT = "wildcrawl-try (+https://github.com/wildcrawl)"


def decode_page(body: bytes, encoding: str | None = None, content_type: str | None = None) -> str:
    """Bytes to text: a forced encoding, else the HTTP header, BOM or ``<meta charset>``."""
    from w3lib.encoding import html_to_unicode

    if encoding:
        return body.decode(encoding, errors="replace")
    return html_to_unicode(content_type, body)[1]


def is_url(target: str) -> bool:
    return urlsplit(target).scheme in ("http", "https")


def fetch_http(url: str, timeout: float = 30) -> tuple[bytes, str | None]:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read(), response.headers.get("Content-Type")
    except OSError as exc:
        raise WildcrawlError(f"could not fetch {url}: {exc}") from None


def render_in_browser(url: str, wait_for: str | None, timeout_ms: int = 15_000) -> str:
    """The page's DOM after Chromium has run its scripts (waiting for a selector, never networkidle)."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from crawler.browser.launch import launch_options

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(**launch_options())
            try:
                page = browser.new_page()
                page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
                if wait_for:
                    page.wait_for_selector(wait_for, timeout=timeout_ms)
                return page.content()
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise WildcrawlError(
            f"browser could not render {url}: {str(exc).splitlines()[0]}"
        ) from None


def load_page(
    target: str,
    *,
    original_url: str | None = None,
    encoding: str | None = None,
    browser: bool = False,
    wait_for: str | None = None,
) -> tuple[str, str]:
    """(HTML text, the URL it stands for) of a saved file or a live URL."""
    if is_url(target):
        if browser:
            return render_in_browser(target, wait_for), target
        body, content_type = fetch_http(target)
        return decode_page(body, encoding, content_type), target
    path = Path(target)
    if not path.is_file():
        raise WildcrawlError(f"{target}: no such file (give a saved page or an http(s) URL)")
    page_url = original_url or path.resolve().as_uri()
    if not browser:
        return decode_page(path.read_bytes(), encoding), page_url
    from crawler.extract.saved_pages import SavedPages

    route = urlsplit(original_url).path if original_url else "/" + path.name
    with SavedPages({route or "/": path}) as site:
        return render_in_browser(site.url(route or "/"), wait_for), page_url


def empty_fields(listings: list[dict], fields: list[str]) -> dict[str, int]:
    """How many listings have each field empty (fields every listing has are left out)."""
    counts = {f: sum(1 for row in listings if not row.get(f)) for f in fields}
    return {f: n for f, n in counts.items() if n}


def print_table(listings: list[dict], fields: list[str], limit: int) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    shown = [
        f
        for f in ("item_id", "title", "price_text", "seller_name", "location", "posted_at", "url")
        if f in fields
    ]
    for field in shown:
        table.add_column(field, overflow="fold", max_width=48 if field in ("title", "url") else 24)
    for row in listings[:limit]:
        table.add_row(*[row.get(f) or "[red]—[/red]" for f in shown])
    Console(width=200).print(table)


def print_stored(stored: list[dict], limit: int) -> None:
    """What will be stored per listing: parsed price, currency, USD, matched terms, flag."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="what will be stored", show_lines=False)
    for col, width in (
        ("item_id", 16),
        ("price", 14),
        ("currency", 8),
        ("usd", 12),
        ("terms", 30),
        ("flag", 5),
    ):
        table.add_column(col, overflow="fold", max_width=width)
    for row in stored[:limit]:
        table.add_row(
            row["item_id"] or "[red]—[/red]",
            row["price"] or f"[yellow]{row['price_kind']}[/yellow]",
            row["currency"] or "[red]—[/red]",
            row["usd"] or "—",
            ", ".join(row["terms"]) or "—",
            {True: "[red]yes[/red]", False: "no", None: "?"}[row["flagged"]],
        )
    Console(width=200).print(table)


@cli.command("try")
@click.argument("args", nargs=-1, required=True, metavar="[CONFIG] FILE_OR_URL")
@click.option("--generic", is_flag=True, help="No config: run the generic item-page extractor.")
@click.option("--url", "original_url", help="The page's original URL (relative links join to it).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--limit", default=50, show_default=True, help="Rows shown in the table.")
@user_errors
def try_(args, generic, original_url, as_json, limit):
    """Run CONFIG against one saved page or URL and show what it extracts.

    \b
    Example:
      wildcrawl try spiders/marketplaces/jiji-ng.yaml saved/jiji.html --url https://jiji.ng/cars
      wildcrawl try olx-pl https://www.olx.pl/oferty/q-kosc-sloniowa/
      wildcrawl try --generic saved/item.html --url https://shop.example/item/1
    """
    if generic:
        if len(args) != 1:
            raise click.UsageError("with --generic give exactly one FILE_OR_URL")
        from crawler.extract.generic import extract_generic

        html, page_url = load_page(args[0], original_url=original_url)
        click.echo(
            json.dumps(extract_generic(html, page_url).as_json(), ensure_ascii=False, indent=2)
        )
        return
    if len(args) != 2:
        raise click.UsageError("give CONFIG and FILE_OR_URL (or --generic FILE_OR_URL)")
    from crawler.config import FIELD_NAMES, load_marketplace
    from crawler.extract.listings import extract_listings, next_page_url, page_state

    config = load_marketplace(args[0])
    if config.listings is None:
        raise click.ClickException(
            f"{config.source_file}: render: api with no 'listings' section: try reads pages, "
            "not API answers (add listings: to try the pages)"
        )
    target = args[1]
    if original_url is None and not is_url(target):
        original_url = config.base_url + "/"
    html, page_url = load_page(
        target,
        original_url=original_url,
        encoding=config.encoding,
        browser=config.render == "browser",
        wait_for=config.browser.wait_for,
    )
    state = page_state(config, 200, html)
    found = extract_listings(config, html, page_url)
    fields = list(config.listings.json_.fields if config.listings.json_ else config.listings.fields)
    if config.listings.item_id_regex and "item_id" not in fields:
        fields.insert(0, "item_id")
    empties = empty_fields(found.listings, fields)
    from crawler.cli.try_report import load_matcher, stored_rows, warnings

    stored = stored_rows(config, found.listings, load_matcher())
    problems = warnings(found.listings)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "page_state": state,
                    "listings": found.listings,
                    "empty_fields": empties,
                    "stored": stored,
                    "warnings": problems,
                    "error": found.error,
                    "next_page": next_page_url(config, html, page_url),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    print_table(found.listings, [f for f in FIELD_NAMES if f in fields], limit)
    print_stored(stored, limit)
    click.echo(f"{len(found.listings)} listings from {target} ({config.name}, page looks {state})")
    dropped = {k: v for k, v in found.missing.items() if k in ("item_id", "url", "title")}
    if dropped:
        click.echo(
            "blocks dropped for lack of a required field: "
            + ", ".join(f"{k} {v}" for k, v in dropped.items())
        )
    click.echo(
        "empty fields: "
        + (
            ", ".join(f"{k} {v}/{len(found.listings)}" for k, v in empties.items())
            if empties
            else "none"
        )
    )
    for problem in problems:
        click.echo(f"warning: {problem}")
    nxt = next_page_url(config, html, page_url)
    if config.search.next_page:
        click.echo(f"next page: {nxt or 'none found'}")
    if found.error:
        raise click.ClickException(found.error)
