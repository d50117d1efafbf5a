"""``wildcrawl new-marketplace``: a starting config and golden test from one results page.

The reading is done by :mod:`crawler.extract.autoconfig` (pure): embedded data first
(``__NEXT_DATA__``, JSON-LD, ``window.__STATE__`` assignments: the ``json:`` form), else
the HTML's repeated listing block with stable selectors. This command writes the files,
says what it is unsure of field by field, and points at ``wildcrawl try``.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import click

from crawler.cli.app import cli, user_errors
from crawler.extract.autoconfig import Proposal, propose, render_config

ROOT = Path(__file__).resolve().parents[2]


def _shared_data() -> Path:
    from crawler.paths import shared_data

    return shared_data()


def page_reference(page: Path) -> tuple[str, str]:
    """(Python expression, fixture) naming ``page`` without an absolute path: under the
    shared data (the ``shared_data`` fixture), else relative to the repository root."""
    page = page.resolve()
    try:
        rel = page.relative_to(_shared_data().resolve())
        return f"shared_data() / {rel.as_posix()!r}", "shared_data"
    except ValueError:
        pass
    rel = Path(_relpath(page, ROOT))
    return f"REPO / {rel.as_posix()!r}", ""


def _relpath(path: Path, start: Path) -> str:
    import os

    return os.path.relpath(path, start)


def golden_name(page: Path) -> str:
    """How the config's comment names its golden page (relative, as the shipped ones do)."""
    page = page.resolve()
    try:
        return "../shared/data/" + page.relative_to(_shared_data().resolve()).as_posix()
    except ValueError:
        return _relpath(page, ROOT)


def render_test(
    name: str, config_path: Path, page: Path, page_url: str, count: int, first: dict
) -> str:
    """A golden test pinning what the config extracts from the saved page today; every path
    is relative to the repository (or the shared data beside it)."""
    page_expr, _ = page_reference(page)
    config_rel = Path(_relpath(config_path.resolve(), ROOT)).as_posix()
    return f'''"""Golden test for the {name} marketplace config, written by `wildcrawl new-marketplace`.

Check the expected values against the page by eye before trusting them.
"""

import pytest

from crawler.cli.try_cmd import decode_page
from crawler.config import load_config
from crawler.extract.listings import extract_listings
from crawler.paths import REPO, shared_data

CONFIG = REPO / {config_rel!r}


def test_{name.replace("-", "_")}_saved_page():
    page = {page_expr}
    if not page.is_file():
        pytest.skip(f"saved page not found: {{page}}")
    config = load_config(CONFIG)
    found = extract_listings(config, decode_page(page.read_bytes(), config.encoding), {page_url!r})
    assert len(found.listings) == {count}
    first = found.listings[0]
    assert first["title"] == {first.get("title")!r}
    assert first["url"] == {first.get("url")!r}
    assert first.get("price_text") == {first.get("price_text")!r}
'''


def describe(proposal: Proposal) -> list[str]:
    """What was read from where, then each doubt on its own line."""
    site = proposal.site
    source = (
        f"embedded {proposal.json.label} JSON" if proposal.json else "the HTML (no embedded data)"
    )
    lines = [
        f"read {proposal.count} listings from {source}",
        f"languages [{', '.join(site.languages)}], country {site.country or '?'}, "
        f"currency {site.currency or '?'}, locale {site.locale or '?'}",
    ]
    if proposal.also:
        lines.append(f"also on the page: {', '.join(proposal.also)}")
    if proposal.html is not None and proposal.html.stability == "hashed class":
        lines.append("unsure: the listing block has only hashed class names")
    lines += [f"unsure: {n}" for n in proposal.notes] or ["unsure of nothing the page shows"]
    return lines


@cli.command("new-marketplace")
@click.argument("name")
@click.option(
    "--from", "source", required=True, metavar="FILE_OR_URL", help="A results page (saved or live)."
)
@click.option("--url", "original_url", help="The saved page's original URL (sets base_url).")
@click.option(
    "--search-url",
    help="The site's search URL with {keyword} and {page} (else a TODO that check fails).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder for NAME.yaml (default: spiders/marketplaces/).",
)
@click.option(
    "--tests",
    "tests_dir",
    type=click.Path(file_okay=False),
    default="tests",
    show_default=True,
    help="Folder for the golden test.",
)
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@user_errors
def new_marketplace(name, source, original_url, search_url, out_dir, tests_dir, force):
    """Write a starting config NAME.yaml and a golden test, read from one results page.

    \b
    Example:
      wildcrawl new-marketplace jiji-ng --from saved/jiji.html --url https://jiji.ng/cars
    """
    from crawler.cli.new_channel import page_channels, render_channel_config
    from crawler.cli.try_cmd import is_url, load_page
    from crawler.config import MARKETPLACES_DIR, load_config
    from crawler.extract.listings import extract_listings

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise click.BadParameter("use lower-case letters, digits and dashes", param_hint="NAME")
    html, page_url = load_page(source, original_url=original_url)
    channels = page_channels(html)  # a channel's web preview: a channel source
    parts = urlsplit(original_url or (source if is_url(source) else ""))
    base_url = f"{parts.scheme}://{parts.netloc}" if parts.netloc else "https://example.com"
    proposal = None
    if channels:
        base_url = "https://t.me"
    else:
        proposal = propose(html, page_url if is_url(page_url) else base_url + "/")
        if proposal is None:
            raise click.ClickException(
                f"{source}: found no listings: no embedded JSON list and no repeated block "
                "with a link and a price"
            )
    config_path = Path(out_dir or MARKETPLACES_DIR) / f"{name}.yaml"
    test_path = Path(tests_dir) / f"test_marketplace_{name.replace('-', '_')}.py"
    for path in (config_path, test_path):
        if path.exists() and not force:
            raise click.ClickException(f"{path} exists (use --force to overwrite)")
    config_path.parent.mkdir(parents=True, exist_ok=True)
    golden = None if is_url(source) else golden_name(Path(source))
    if channels:
        text = render_channel_config(name, channels, source)
    else:
        text = render_config(
            name,
            proposal,
            source,
            base_url,
            search_url=search_url,
            today=f"on {date.today().isoformat()}",
            golden=golden,
        )
    config_path.write_text(text, encoding="utf-8")
    config = load_config(config_path)
    extract_url = page_url if is_url(page_url) else base_url + "/"
    found = extract_listings(config, html, extract_url)
    if channels:
        click.echo(f"wrote {config_path}: channels {', '.join(channels)}, "
                   f"{len(found.listings)} listings extracted")  # fmt: skip
    else:
        click.echo(f"wrote {config_path}: {len(found.listings)} listings extracted")
        for line in describe(proposal):
            click.echo(f"  {line}")
        if not search_url:
            click.echo("  todo: search.url is a placeholder (give --search-url or edit it)")
    if found.listings and not is_url(source):
        test_path.parent.mkdir(parents=True, exist_ok=True)
        test_path.write_text(
            render_test(
                name,
                config_path,
                Path(source),
                extract_url,
                len(found.listings),
                found.listings[0],
            ),
            encoding="utf-8",
        )
        click.echo(f"wrote {test_path}")
    click.echo(f"next: wildcrawl try {config_path} {source}")
