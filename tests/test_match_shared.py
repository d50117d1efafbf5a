"""The crawlers of one process share one matcher and relevance model (crawler.crawl.pipelines.match):
a crawl of 20 marketplaces built 20 of each."""

from __future__ import annotations

from scrapy.utils.test import get_crawler

from crawler.crawl.pipelines.match import MatchPipeline


def _pipeline(**settings) -> MatchPipeline:
    return MatchPipeline.from_crawler(get_crawler(settings_dict=settings))


def test_crawlers_of_one_process_share_the_matcher_and_the_model():
    first, second = _pipeline(), _pipeline()
    assert first.matcher is second.matcher
    assert first.model is not None and first.model is second.model
    assert first.stats is not second.stats  # each crawl counts its own
    item = second.process_item({"title": "carved ivory bangle", "description": None})
    assert item["matches"] and item["relevance"] is not None


def test_other_settings_get_their_own_matcher_and_model():
    default = _pipeline()
    stricter = _pipeline(WILDCRAWL_FLAG_THRESHOLD=0.9)
    assert stricter.matcher is not default.matcher and stricter.matcher.threshold == 0.9
    bare = _pipeline(WILDCRAWL_MODEL="none")
    assert bare.model is None
    again = _pipeline()  # back to the defaults: built again (only the latest is kept)
    assert again.matcher.threshold == default.matcher.threshold
    assert again.model is not None
