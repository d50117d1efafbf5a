"""wildcrawl: find wildlife products offered for sale online.

Packages by concern, layered so that imports only go down (``tests/test_architecture.py``
checks it; ``docs/architecture.md`` draws it), highest first:

- ``cli``: the thin click layer;
- ``fleet``, ``publish``, ``quality``, ``demo``: several machines, the releases, accuracy,
  the demo marketplaces;
- ``crawl``: the runner, the scheduler and the Scrapy glue (``spiders/`` sits in it);
- ``casework``: evidence, reports, take-downs;
- ``browser``: everything Playwright;
- ``store``: schema, migrations, history, views, the clock;
- ``fetch``: how each page is fetched and read (pure);
- ``extract``, ``matching``: reading listings, finding the trade in them (pure);
- ``normalise``: prices, rates, sellers, contacts, locations, text (pure);
- ``config``, ``cache``, ``paths``, ``options``, ``errors``: marketplace configs, the
  start-up cache, where files are, every ``WILDCRAWL_*`` setting, the errors a user can
  cause (``store.schema``, the listing schema, is pure data at this level: configs read it).

``settings`` is Scrapy's settings module (``scrapy.cfg`` points at it).
"""
