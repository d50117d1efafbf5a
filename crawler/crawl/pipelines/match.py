"""Step 400: lexicon terms and relevance model -> matches, taxa, risk, relevance, flagged.

Settings: ``WILDCRAWL_FLAG_THRESHOLD`` (risk above which a listing is flagged when no
model is used, default 0.5), ``WILDCRAWL_LEXICON`` (lexicon folder, default
``keywords/``), ``WILDCRAWL_MODEL`` (relevance model folder from ``wildcrawl model
train``; empty: the default model; ``none``: the lexicon alone, as before issue 21).
With a model, ``flagged`` is relevant and risky (``crawler.matching.model``) and the
listing records the model that scored it (``model``: name@digest).
"""

from __future__ import annotations

import json

from crawler.matching.lexicon import default_lexicon_path, load_lexicon
from crawler.matching.matcher import Matcher
from crawler.matching.model import RelevanceModel
from crawler.options import CrawlOptions


class MatchPipeline:
    def __init__(self, matcher: Matcher, stats, model: RelevanceModel | None = None):
        self.matcher = matcher
        self.stats = stats
        self.model = model

    @classmethod
    def from_crawler(cls, crawler):
        from crawler.matching.train import resolve_model

        options = CrawlOptions.of(crawler)
        path = options.lexicon or default_lexicon_path()
        matcher = Matcher.from_lexicon(load_lexicon(path), threshold=options.flag_threshold)
        return cls(matcher, crawler.stats, resolve_model(options.model, matcher))

    def process_item(self, item):
        title, description = item.get("title"), item.get("description")
        result = self.matcher.match(title, description)
        if self.model is not None:
            scored = self.model.combine(self.matcher, title, description, result)
            flagged, explanation = scored.flagged, scored.explanation
            item["relevance"] = scored.relevance
            item["model"] = scored.model
        else:
            flagged, explanation = result.flagged, result.explanation
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
        item["flagged"] = 1 if flagged else 0
        item["explanation"] = explanation
        if flagged:
            self.stats.inc_value("wildcrawl/flagged")
        return item
