"""``wildcrawl new-marketplace``: a starting config and golden test from one results page.

It guesses the repeated listing block (the most repeated element, by tag and
classes, whose copies each hold a link and a price-looking text), then the
title, link and price selectors inside it. The result is a start: the monitor
checks it with ``wildcrawl try`` and fixes what the guess got wrong.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import click

from crawler.cli.app import cli, user_errors

_PRICE_TEXT = re.compile(
    r"(\d[\d\s.,']*\s*(€|\$|£|¥|₦|zł|zl|DH|MAD|EUR|USD|GBP|PLN|Kč|kr|руб|₽|₹|Rs)"
    r"|(€|\$|£|¥|₦|EUR|USD|GBP|PLN|MAD|NGN|IDR|Rp)\s*\d)",
    re.IGNORECASE,
)
_CLASS_OK = re.compile(r"^[A-Za-z_][\w-]*$")


@dataclass
class Guess:
    """Selectors guessed for a results page, and how many blocks they matched."""

    item: str
    title: str
    url: str
    price_text: str | None
    item_id_regex: str
    count: int


def _classes(el) -> tuple[str, ...]:
    return tuple(sorted(c for c in (el.get("class") or "").split() if _CLASS_OK.match(c)))


def _text(el) -> str:
    return re.sub(r"\s+", " ", " ".join(el.xpath(".//text()[not(ancestor::script)]"))).strip()


def _selector(el) -> str:
    classes = _classes(el)
    return el.tag + "".join(f".{c}" for c in classes[:3])


def _best_link(blocks):
    """The link (by tag+classes) present in most blocks, with the longest text: the title link."""
    scores = defaultdict(lambda: [0, 0])
    for block in blocks:
        seen = set()
        for a in block.xpath(
            ".//a[@href][not(starts-with(@href, '#'))][not(starts-with(@href, 'javascript'))]"
        ):
            key = _selector(a)
            if key in seen:
                continue
            seen.add(key)
            scores[key][0] += 1
            scores[key][1] += len(_text(a))
    if not scores:
        return None
    return max(scores, key=lambda k: (scores[k][0], scores[k][1]))


def _title_selector(blocks) -> str | None:
    """A heading or ``*title*`` element present in most blocks, with short text."""
    scores = defaultdict(int)
    for block in blocks:
        for el in block.iter():
            if not isinstance(el.tag, str):
                continue
            key = _selector(el)
            if (el.tag in ("h1", "h2", "h3", "h4") or "title" in key.lower()) and 0 < len(
                _text(el)
            ) < 200:
                scores[key] += 1
    good = {k: n for k, n in scores.items() if n >= len(blocks) * 0.8}
    return max(good, key=lambda k: (good[k], -len(k))) if good else None


def _price_selector(blocks) -> str | None:
    scores = defaultdict(int)
    for block in blocks:
        for el in block.iter():
            if not isinstance(el.tag, str) or not _classes(el):
                continue
            text = _text(el)
            if len(text) < 40 and _PRICE_TEXT.search(text):
                scores[_selector(el)] += 1
    if not scores:
        return None
    return max(scores, key=lambda k: (scores[k], "price" in k))


def _xpath_literal(value: str) -> str:
    return f"'{value}'" if "'" not in value else f'"{value}"'


def _id_regex(urls: list[str]) -> str:
    paths = [urlsplit(u).path for u in urls if u]
    if paths and all(re.search(r"\d{5,}", p) for p in paths):
        return r"(\d{5,})"
    return r"([^/?#]+?)(?:\.html?)?$"


def guess_listings(html: str) -> Guess | None:
    """Guess the listing block and its field selectors on a results page; None when nothing repeats."""
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(html)
    groups = defaultdict(list)
    for el in tree.iter():
        if (
            isinstance(el.tag, str)
            and el.tag not in ("html", "body", "head", "script", "style")
            and _classes(el)
        ):
            parent = el.getparent()
            if (
                el.tag != "a"
                and parent is not None
                and parent.tag == "a"
                and not el.xpath(".//a[@href]")
            ):
                # A card wrapped in its link (<a href><div class=card>...): the link is the block.
                groups[("a", ("^",) + _classes(el), el.tag)].append(parent)
            else:
                groups[(el.tag, _classes(el), None)].append(el)
    best, best_score = None, 0.0
    for key, els in groups.items():
        if len(els) < 3:
            continue
        with_link = sum(1 for e in els if e.xpath(".//a[@href]") or e.get("href"))
        with_price = sum(1 for e in els if _PRICE_TEXT.search(_text(e)))
        if with_link < len(els) * 0.8 or with_price < len(els) * 0.5:
            continue
        size = sum(len(_text(e)) for e in els) / len(els)
        score = len(els) * (with_price / len(els)) * min(size, 400)
        if score > best_score:
            best, best_score = key, score
    if best is None:
        return None
    blocks = groups[best]
    tag, classes, inner = best
    if classes[:1] == ("^",):
        item = f"xpath://a[@href][{inner}[@class={_xpath_literal(blocks[0][0].get('class'))}]]"
    else:
        item = tag + "".join(f".{c}" for c in classes)
    link = _best_link(blocks)
    if link is None:
        url, urls = "::attr(href)", [b.get("href") for b in blocks]
    else:
        url = f"{link}::attr(href)"
        urls = [(b.xpath(".//a[@href]/@href") or [""])[0] for b in blocks]
    # Whole text of the title element: titles often sit in nested tags.
    title = _title_selector(blocks) or link or "::text"
    return Guess(
        item=item,
        title=title,
        url=url,
        price_text=_price_selector(blocks),
        item_id_regex=_id_regex(urls),
        count=len(blocks),
    )


def render_config(name: str, guess: Guess, source: str, base_url: str) -> str:
    """YAML text of a starting config (comments say what was guessed from what)."""

    def q(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        f"# {name}: starting config written by `wildcrawl new-marketplace` on {date.today().isoformat()}",
        f"# from {source} ({guess.count} listing blocks guessed).",
        "# Guessed selectors: check them with `wildcrawl try` and fix what is wrong;",
        "# then set the search URL, languages, currency and locale of the site.",
        f"name: {name}",
        f"title: {q(name)}",
        f"base_url: {base_url}",
        "languages: [en]",
        "render: http",
        "search:",
        '  url: "/search?q={keyword}&page={page}"   # TODO: the site\'s real search URL',
        "  max_pages: 5",
        "listings:",
        f"  item: {q(guess.item)}",
        f"  item_id_regex: {q(guess.item_id_regex)}",
        "  fields:",
        f"    url: {q(guess.url)}",
        f"    title: {q(guess.title)}",
    ]
    if guess.price_text:
        lines.append(f"    price_text: {q(guess.price_text)}")
    lines += ["politeness:", "  download_delay: 1.0", "  concurrency: 2", "  obey_robots: true", ""]
    return "\n".join(lines)


def render_test(
    name: str, config_path: Path, page: Path, page_url: str, count: int, first: dict
) -> str:
    """A golden test pinning what the config extracts from the saved page today."""
    return f'''"""Golden test for the {name} marketplace config, written by `wildcrawl new-marketplace`.

Check the expected values against the page by eye before trusting them.
"""

from pathlib import Path

import pytest

from crawler.cli.try_cmd import decode_page
from crawler.config import load_config
from crawler.extract.listings import extract_listings

CONFIG = Path({str(config_path.resolve())!r})
PAGE = Path({str(page.resolve())!r})


def test_{name.replace("-", "_")}_saved_page():
    if not PAGE.is_file():
        pytest.skip(f"saved page not found: {{PAGE}}")
    config = load_config(CONFIG)
    found = extract_listings(config, decode_page(PAGE.read_bytes(), config.encoding), {page_url!r})
    assert len(found.listings) == {count}
    first = found.listings[0]
    assert first["title"] == {first.get("title")!r}
    assert first["url"] == {first.get("url")!r}
    assert first.get("price_text") == {first.get("price_text")!r}
'''


@cli.command("new-marketplace")
@click.argument("name")
@click.option(
    "--from", "source", required=True, metavar="FILE_OR_URL", help="A results page (saved or live)."
)
@click.option("--url", "original_url", help="The saved page's original URL (sets base_url).")
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
def new_marketplace(name, source, original_url, out_dir, tests_dir, force):
    """Write a starting config NAME.yaml and a golden test, guessed from one results page.

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
    guess = None if channels else guess_listings(html)
    if guess is None and not channels:
        raise click.ClickException(f"{source}: found no repeated block with a link and a price")
    parts = urlsplit(original_url or (source if is_url(source) else ""))
    base_url = f"{parts.scheme}://{parts.netloc}" if parts.netloc else "https://example.com"
    if channels:
        base_url = "https://t.me"
    config_path = Path(out_dir or MARKETPLACES_DIR) / f"{name}.yaml"
    test_path = Path(tests_dir) / f"test_marketplace_{name.replace('-', '_')}.py"
    for path in (config_path, test_path):
        if path.exists() and not force:
            raise click.ClickException(f"{path} exists (use --force to overwrite)")
    config_path.parent.mkdir(parents=True, exist_ok=True)
    if channels:
        text = render_channel_config(name, channels, source)
    else:
        text = render_config(name, guess, source, base_url)
    config_path.write_text(text, encoding="utf-8")
    config = load_config(config_path)
    found = extract_listings(config, html, page_url if is_url(page_url) else base_url + "/")
    blocks = f"channels {', '.join(channels)}" if channels else f"{guess.count} blocks"
    click.echo(f"wrote {config_path}: {blocks}, {len(found.listings)} listings extracted")
    if found.listings and not is_url(source):
        test_path.parent.mkdir(parents=True, exist_ok=True)
        test_path.write_text(
            render_test(
                name,
                config_path,
                Path(source),
                base_url + "/",
                len(found.listings),
                found.listings[0],
            ),
            encoding="utf-8",
        )
        click.echo(f"wrote {test_path}")
    click.echo(f"next: wildcrawl try {config_path} {source}")
