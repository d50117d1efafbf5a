"""Item pipelines, in order: clean -> price -> seller -> match -> evidence -> store.

Each step is small and reads only the item (plus settings); the spider puts the
marketplace context (currency, locale, country) on the item. The one exception is the
last step: ``StorePipeline`` opens the crawl row from the spider's config and keywords,
hands the crawl id back as ``spider.crawl_id`` (the broken-crawl guard and the re-checks read
it), and at the end saves the spider's render decisions.
"""

PIPELINES = {
    "crawler.crawl.pipelines.clean.CleanPipeline": 100,
    "crawler.crawl.pipelines.price.PricePipeline": 200,
    "crawler.crawl.pipelines.seller.SellerPipeline": 300,
    "crawler.crawl.pipelines.match.MatchPipeline": 400,
    "crawler.crawl.pipelines.evidence.EvidencePipeline": 850,
    "crawler.crawl.pipelines.store.StorePipeline": 900,
}
