"""Step 400: lexicon terms and relevance model -> matches, taxa, risk, relevance, flagged.

Settings: ``WILDCRAWL_FLAG_THRESHOLD`` (risk above which a listing is flagged when no
model is used, default 0.5), ``WILDCRAWL_LEXICON`` (lexicon folder, default
``keywords/``), ``WILDCRAWL_MODEL`` (relevance model folder from ``wildcrawl model
train``; empty: the default model; ``none``: the lexicon alone, as before issue 21).
With a model, ``flagged`` is relevant and risky (``crawler.matching.model``) and the
listing records the model that scored it (``model``: name@digest).

The matcher and model are built once per process and shared by its crawlers (``shared``):
a crawl of 20 marketplaces built 20 of each, ~23 MiB and ~0.11 CPU s apiece. They are built
again when the lexicon, the threshold, the model setting or the model's files change (a
long-lived process such as ``wildcrawl schedule``), as the lexicon itself is
(``crawler.matching.lexicon.load_lexicon``).
"""

from __future__ import annotations

import json
from pathlib import Path

from crawler.matching.lexicon import default_lexicon_path, load_lexicon
from crawler.matching.matcher import Matcher
from crawler.matching.model import RelevanceModel
from crawler.options import CrawlOptions

_SHARED: dict[tuple, tuple[Matcher, RelevanceModel | None]] = {}  # the latest only


def _files_stat(path: Path | None) -> tuple:
    """(name, mtime, size) of a file, or of every file under a folder: changes when they do."""
    if path is None:
        return ()
    files = sorted(path.rglob("*")) if path.is_dir() else [path]
    found = []
    for file in files:
        try:
            if file.is_file():
                stat = file.stat()
                found.append((str(file), stat.st_mtime_ns, stat.st_size))
        except OSError:
            continue
    return tuple(found)


def shared(options: CrawlOptions) -> tuple[Matcher, RelevanceModel | None]:
    """The matcher and relevance model for ``options``, built once per process while the
    lexicon, the threshold, the model setting and the model's files stay the same."""
    from crawler.matching.train import NONE, default_labels, resolve_model

    lexicon = load_lexicon(options.lexicon or default_lexicon_path())
    spec = (options.model or "").strip()
    if not spec:
        source = default_labels()  # the default model is trained on these (and the lexicon)
    else:
        source = None if spec.lower() in NONE else Path(spec)
    key = (lexicon.digest or id(lexicon), options.flag_threshold, spec, _files_stat(source))
    if key not in _SHARED:
        _SHARED.clear()
        matcher = Matcher.from_lexicon(lexicon, threshold=options.flag_threshold)
        _SHARED[key] = (matcher, resolve_model(options.model, matcher))
    return _SHARED[key]


class MatchPipeline:
    def __init__(self, matcher: Matcher, stats, model: RelevanceModel | None = None):
        self.matcher = matcher
        self.stats = stats
        self.model = model

    @classmethod
    def from_crawler(cls, crawler):
        matcher, model = shared(CrawlOptions.of(crawler))
        return cls(matcher, crawler.stats, model)

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
