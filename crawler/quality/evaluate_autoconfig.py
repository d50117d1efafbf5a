"""How right ``new-marketplace``'s proposed configs are on saved results pages.

For every page named in an expectations file, propose a config from the page alone,
load it as a crawl would and extract the listings; then, per expected listing (title,
price, URL written down by a person reading the page), say whether the proposal got
each one right. A page counts as right when every expected listing is found with the
right title, price and URL and nothing else is extracted. URLs are compared without
their tracking parameters (utm_*, ref, eBay's hash/_trkparms, ...), which name no listing.

    python -m crawler.quality.evaluate_autoconfig EXPECTED.json [--pages DIR] [--legacy FILE]

EXPECTED.json: ``{"pages": [{"file": "x.html", "url": "https://site/search",
"listings": [{"title": "...", "price": "12 €" | null, "url": "https://..."}]}]}``.
``--legacy FILE`` measures an older guesser (a module with ``guess_listings`` and
``render_config(name, guess, source, base_url)``) for before/after figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from crawler.config import parse_config
from crawler.extract.autoconfig import is_tracking_param, propose, render_config
from crawler.extract.listings import extract_listings
from crawler.normalise.prices import normalize_price


@dataclass
class PageScore:
    file: str
    expected: int
    extracted: int = 0
    url_ok: int = 0
    title_ok: int = 0
    price_ok: int = 0
    extra: int = 0
    kind: str = ""
    error: str | None = None
    wrong: list[str] = field(default_factory=list)

    @property
    def all_right(self) -> bool:
        n = self.expected
        return (
            self.error is None
            and self.url_ok == self.title_ok == self.price_ok == n
            and not self.extra
        )


def _norm_url(url: str | None, base: str) -> str:
    if not url:
        return ""
    parts = urlsplit(urljoin(base, url.strip()))
    kept = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_param(k)
    ]
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, urlencode(kept), ""))


def _norm_text(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _amount(text: str | None):
    return normalize_price(text).amount if text else None


def _decode(body: bytes) -> str:
    from w3lib.encoding import html_to_unicode

    return html_to_unicode(None, body)[1]


def config_text(html: str, url: str, legacy=None) -> tuple[str, str]:
    """(YAML, kind) of the config proposed for one page."""
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    if legacy is not None:
        guess = legacy.guess_listings(html)
        if guess is None:
            raise ValueError("no repeated block with a link and a price")
        return legacy.render_config("evaluated", guess, "page", base), "html"
    proposal = propose(html, url)
    if proposal is None:
        raise ValueError("no listings found")
    return render_config("evaluated", proposal, "page", base), proposal.kind


def score_page(html: str, page: dict, legacy=None) -> PageScore:
    expected = page["listings"]
    score = PageScore(page["file"], len(expected))
    try:
        text, score.kind = config_text(html, page["url"], legacy)
        config = parse_config(text, "evaluated.yaml")
        found = extract_listings(config, html, page["url"]).listings
    except Exception as exc:  # noqa: BLE001 - a failed proposal is a figure, not a crash
        score.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
        return score
    score.extracted = len(found)
    by_url: dict[str, dict] = {}
    for row in found:
        by_url.setdefault(_norm_url(row.get("url"), page["url"]), row)
    seen = set()
    for want in expected:
        key = _norm_url(want["url"], page["url"])
        row = by_url.get(key)
        if row is None:
            score.wrong.append(f"missing {want['url']}")
            continue
        seen.add(key)
        score.url_ok += 1
        if _norm_text(row.get("title")) == _norm_text(want["title"]):
            score.title_ok += 1
        else:
            score.wrong.append(f"title {row.get('title')!r} != {want['title']!r}")
        if _amount(row.get("price_text")) == _amount(want.get("price")):
            score.price_ok += 1
        else:
            score.wrong.append(f"price {row.get('price_text')!r} != {want.get('price')!r}")
    score.extra = len({k for k in by_url if k not in seen})
    return score


def evaluate(expected_file: Path, pages_dir: Path | None = None, legacy=None) -> list[PageScore]:
    spec = json.loads(expected_file.read_text(encoding="utf-8"))
    folder = pages_dir or expected_file.parent
    scores = []
    for page in spec["pages"]:
        html = _decode((folder / page["file"]).read_bytes())
        scores.append(score_page(html, page, legacy))
    return scores


def report(scores: list[PageScore]) -> str:
    lines = [
        f"{'page':44} {'kind':5} {'want':>4} {'got':>4} {'url':>4} {'title':>5} {'price':>5} "
        f"{'extra':>5}  all right",
    ]
    for s in scores:
        if s.error:
            lines.append(f"{s.file[:44]:44} {'-':5} {s.expected:>4}  failed: {s.error}")
            continue
        lines.append(
            f"{s.file[:44]:44} {s.kind:5} {s.expected:>4} {s.extracted:>4} {s.url_ok:>4} "
            f"{s.title_ok:>5} {s.price_ok:>5} {s.extra:>5}  {'yes' if s.all_right else 'no'}"
        )
    right = sum(1 for s in scores if s.all_right)
    lines.append(f"{right} of {len(scores)} pages right for every listing")
    return "\n".join(lines)


def _load_legacy(path: str):
    spec = importlib.util.spec_from_file_location("legacy_guesser", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["legacy_guesser"] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("expected", type=Path)
    parser.add_argument("--pages", type=Path, default=None)
    parser.add_argument("--legacy", default=None)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    legacy = _load_legacy(args.legacy) if args.legacy else None
    scores = evaluate(args.expected, args.pages, legacy)
    print(report(scores))
    if args.verbose:
        for s in scores:
            for w in s.wrong[:5]:
                print(f"  {s.file}: {w}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
