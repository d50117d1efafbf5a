"""What a benchmark run crawls, and which pages it must fetch (from the demo ground truth).

A ``Workload`` is plain data: it is written as JSON for the crawler processes
(wildcrawl and the baselines read the same file), so every crawler gets the same
keywords, page limits and politeness. ``expected_pages`` replays the demo
sites' search semantics, so a run that fetched fewer pages than it should is
reported, not silently compared. Pure: no Scrapy, no network.
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

from crawler.demo.catalogue import DEFAULT_SEED, generate_catalogue, search_catalogue

# Listings per search page (demo-bazaar, demo-tiaozao) or per "Load more" batch (demo-jsmarket).
PAGE_SIZES = {"demo-bazaar": 20, "demo-tiaozao": 20, "demo-jsmarket": 24}
# A field only the detail page gives (extracted name, listings column): counts pages whose
# detail extraction worked, so a crawler that skips rendering cannot look fast.
DETAIL_ONLY = {
    "demo-bazaar": ("seller_url", "seller_id"),
    "demo-jsmarket": ("posted_at", "posted_at"),
    "demo-tiaozao": ("description", "description"),
}


@dataclass
class Workload:
    """One crawl to time: a demo site, keywords and limits, and where the crawler reports."""

    site: str
    keywords: list[str]
    max_pages: int  # search pages per keyword (next-page links)
    size: int  # listings the demo site was generated with
    render: str | None = None  # override of the config's render mode (wildcrawl only)
    settings: dict = field(default_factory=dict)  # extra Scrapy settings (wildcrawl only)
    max_rounds: int = 50  # "Load more" clicks per search page (browser sites)
    seed: int = DEFAULT_SEED
    base_url: str = ""
    db: str = ""  # SQLite file (wildcrawl only)
    result: str = ""  # JSON file the crawler process writes its counts to
    extra: dict = field(default_factory=dict)

    def dump(self, path: Path) -> Path:
        path.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: str | Path) -> Workload:
        return cls(**json.loads(Path(path).read_text(encoding="utf-8")))

    @classmethod
    def from_args(
        cls, prog: str, argv: list[str] | None = None, description: str | None = None
    ) -> Workload:
        """The workload of a crawler process's ``--spec FILE`` (its command line)."""
        parser = argparse.ArgumentParser(prog=prog, description=description)
        parser.add_argument("--spec", required=True, help="workload JSON written by bench.run")
        return cls.load(parser.parse_args(argv).spec)

    def write_result(self, counts: dict) -> None:
        """What the crawler process reports to the bench (``result``)."""
        Path(self.result).write_text(json.dumps(counts), encoding="utf-8")


@dataclass(frozen=True)
class ExpectedPages:
    """The pages a complete crawl of a workload fetches."""

    search: int  # results pages (each "Load more" page counts once)
    detail: int  # distinct listing pages

    @property
    def total(self) -> int:
        return self.search + self.detail


def _results(workload: Workload) -> dict[str, list[str]]:
    catalogue = generate_catalogue(workload.site, workload.seed, workload.size)
    return {kw: [i.item_id for i in search_catalogue(catalogue, kw)] for kw in workload.keywords}


def expected_pages(workload: Workload) -> ExpectedPages:
    """Search and detail pages a complete crawl of ``workload`` fetches (none removed)."""
    per_page = PAGE_SIZES[workload.site]
    search, details = 0, set()
    for ids in _results(workload).values():
        if workload.site == "demo-jsmarket":
            search += 1
            shown = ids[: per_page * (1 + workload.max_rounds)]
        else:
            pages = min(workload.max_pages, max(1, math.ceil(len(ids) / per_page)))
            search += pages
            shown = ids[: pages * per_page]
        details.update(shown)
    return ExpectedPages(search, len(details))
