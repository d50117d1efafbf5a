"""Step 400: lexicon terms in title and description -> matches, taxa, risk, flagged.

Settings: ``WILDCRAWL_FLAG_THRESHOLD`` (risk above which a listing is flagged,
default 0.5), ``WILDCRAWL_LEXICON`` (lexicon folder, default ``keywords/``).
"""

from __future__ import annotations

import json

from crawler.matching.lexicon import default_lexicon_path, load_lexicon
from crawler.matching.matcher import Matcher
from crawler.options import CrawlOptions


class MatchPipeline:
    def __init__(self, matcher: Matcher, stats):
        self.matcher = matcher
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        options = CrawlOptions.of(crawler)
        path = options.lexicon or default_lexicon_path()
        threshold = options.flag_threshold
        return cls(Matcher.from_lexicon(load_lexicon(path), threshold=threshold), crawler.stats)

    def process_item(self, item):
        result = self.matcher.match(item.get("title"), item.get("description"))
        item["matches"] = [
            {
                "term_id": m.term_id,
                "field": m.field,
                "start": m.start,
                "end": m.end,
                "taxon_id": m.taxon_id,
                "kind": m.kind,
                "matched_text": m.matched_text,
            }
            for m in result.matches
        ]
        item["taxa"] = json.dumps(list(result.taxa), ensure_ascii=False) if result.taxa else None
        item["risk"] = round(result.risk, 3)
        item["flagged"] = 1 if result.flagged else 0
        item["explanation"] = result.explanation
        if result.flagged:
            self.stats.inc_value("wildcrawl/flagged")
        return item
