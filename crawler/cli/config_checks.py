"""Checks ``wildcrawl check marketplaces`` makes beyond the config schema.

A config can load and still be unusable: its search URL is the placeholder
``new-marketplace`` wrote, it names a language the lexicon has no terms for, or its
selectors match nothing on the saved page it was proven on (its golden page, named in
the config's top comment).
"""

from __future__ import annotations

import re
from pathlib import Path

from crawler.config import MarketplaceConfig

ROOT = Path(__file__).resolve().parents[2]
_PAGE = re.compile(r"[\w./-]*?[\w-]+\.html?\b")


def placeholder_problems(config: MarketplaceConfig, text: str) -> list[str]:
    problems = []
    url = config.search.url or ""
    line = next((ln for ln in text.splitlines() if re.match(r"\s+url:", ln)), "")
    if "TODO" in url.upper() or "TODO" in line or "example.com" in config.base_url:
        problems.append(
            f"search.url {url!r} is a placeholder: set the site's real search URL "
            "(with {keyword} and {page})"
        )
    return problems


def lexicon_languages() -> set[str]:
    from crawler.matching.lexicon import load_lexicon

    langs = {t.lang for t in load_lexicon().terms}
    return langs | {lang.split("-")[0] for lang in langs}


def language_problems(config: MarketplaceConfig, known: set[str]) -> list[str]:
    return [
        f"languages: {lang!r} is not a language of the lexicon ({', '.join(sorted(known))})"
        for lang in config.languages
        if lang not in known
    ]


def golden_pages(text: str, shared: Path) -> list[Path]:
    """Saved pages the config's leading comment names (``../shared/data/...`` or folder +
    file names), that exist."""
    comment = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        comment.append(line)
    folder: Path | None = None
    found: list[Path] = []
    for token in re.findall(r"[^\s(),:]+", "\n".join(comment)):
        token = token.rstrip(".;")
        if "shared/data/" in token:
            rel = token.split("shared/data/", 1)[1]
            path = shared / rel
            if token.endswith((".html", ".htm")):
                found.append(path)
                folder = path.parent
            else:
                folder = path
        elif _PAGE.fullmatch(token) and folder is not None:
            found.append(folder / token)
    return [p for p in dict.fromkeys(found) if p.is_file()]


def selector_problems(config: MarketplaceConfig, pages: list[Path]) -> list[str]:
    """Listing selectors (or JSON paths) that match nothing on the golden page (the first
    page named); a field counts as matching when it does on any named page whose listings
    the item selector finds (item pages and empty result pages are named too)."""
    from parsel import Selector

    from crawler.cli.try_cmd import decode_page
    from crawler.extract.listings import extract_listings, load_json_source

    spec = config.listings
    if spec is None or not pages:
        return []
    golden = pages[0].name
    fields = spec.json_.fields if spec.json_ is not None else spec.fields
    hits = dict.fromkeys(fields, 0)
    for i, page in enumerate(pages):
        html = decode_page(page.read_bytes(), config.encoding)
        if spec.json_ is not None:
            data = load_json_source(spec.json_.source, html)
            rows = [] if isinstance(data, str) else None
            if i == 0 and isinstance(data, str):
                return [f"listings.json.source: {data} (golden page {golden})"]
            rows = extract_listings(config, html, config.base_url + "/").listings
            if i == 0 and not rows:
                return [f"listings.json.items {spec.json_.items!r} gives nothing on {golden}"]
            for key in fields:
                hits[key] += sum(1 for row in rows if row.get(key))
            continue
        sel = Selector(text=html)
        nodes = sel.xpath(spec.item[6:]) if spec.item.startswith("xpath:") else sel.css(spec.item)
        if not nodes:
            if i == 0:
                return [f"listings.item {spec.item!r} matches nothing on golden page {golden}"]
            continue
        for key, field in fields.items():
            for node in nodes:
                if field.xpath is not None:
                    got = node.xpath(field.xpath)
                elif field.css is not None:
                    got = node.css(field.css) if field.css else [node]
                else:
                    got = [node]
                if got:
                    hits[key] += 1
                    break
    where = golden if len(pages) == 1 else f"{golden} or the other pages its comment names"
    return [f"listings.fields.{k} matches nothing on {where}" for k, n in hits.items() if not n]
