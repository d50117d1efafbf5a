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

They are needed by the first item, not by the first request: a crawl builds them in the
background once its first request is on its way (``crawler.crawl.warmup``), and the first
item waits for them if it comes first. A lexicon or model that cannot be loaded fails every
item and closes the crawl (reason ``matcher_failed``).
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.crawl import warmup
from crawler.matching.lexicon import default_lexicon_path, load_lexicon
from crawler.options import CrawlOptions

if TYPE_CHECKING:  # imported with the matcher, after the first request (crawler.crawl.warmup)
    from crawler.matching.matcher import Matcher
    from crawler.matching.model import RelevanceModel

logger = logging.getLogger(__name__)

_SHARED: dict[tuple, tuple[Matcher, RelevanceModel | None]] = {}  # the latest only
_SHARED_LOCK = threading.Lock()  # the warm-up thread and a crawl's thread may both ask


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
    with _SHARED_LOCK:
        return _shared(options)


def _shared(options: CrawlOptions) -> tuple[Matcher, RelevanceModel | None]:
    from crawler.matching.matcher import Matcher
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


def _names_a_folder(spec: str | None) -> bool:
    if not (spec or "").strip():
        return False  # the default model
    from crawler.matching.train import NONE

    return spec.strip().lower() not in NONE


class MatchPipeline:
    """``matcher`` and ``model`` are given, or built by ``preload`` (``shared``) when first
    used, in the background after the crawl's first request (``from_crawler``)."""

    def __init__(
        self,
        matcher: Matcher | None = None,
        stats=None,
        model: RelevanceModel | None = None,
        preload: warmup.Preload | None = None,
        crawler=None,
    ):
        if matcher is None and preload is None:
            raise ValueError("give a matcher or a preload")
        self._preload = preload or warmup.Preload(lambda: (matcher, model))
        self.stats = stats
        self.crawler = crawler
        self._failed = False

    @classmethod
    def from_crawler(cls, crawler):
        options = CrawlOptions.of(crawler)
        preload = warmup.Preload(lambda: shared(options), name="matcher and model")
        if _names_a_folder(options.model):
            # A model folder the user named: loaded now, so that a wrong one stops the crawl
            # before it starts, in one line, as before.
            preload.get()
        else:
            warmup.after_first_request(crawler, preload)
        return cls(stats=crawler.stats, preload=preload, crawler=crawler)

    @property
    def matcher(self) -> Matcher:
        return self._preload.get()[0]

    @property
    def model(self) -> RelevanceModel | None:
        return self._preload.get()[1]

    def process_item(self, item):
        return warmup.ready_then(self._preload, self.crawler, self._process, item)

    def _process(self, item):
        try:
            matcher, model = self._preload.get()
        except Exception as exc:
            self._close_on_failure(exc)
            raise
        title, description = item.get("title"), item.get("description")
        result = matcher.match(title, description)
        if model is not None:
            scored = model.combine(matcher, title, description, result)
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

    def _close_on_failure(self, exc: Exception) -> None:
        """The matcher could not be built: no listing can be matched, so the crawl stops
        (once; each item still fails with the error)."""
        if self._failed or self.crawler is None or self.crawler.engine is None:
            return
        self._failed = True
        logger.error("the matcher or the relevance model cannot be loaded: %s", exc)
        from scrapy.utils.defer import deferred_from_coro

        deferred_from_coro(self.crawler.engine.close_spider_async(reason="matcher_failed"))
