"""The three demo marketplaces, one module each: URL routing and page rendering.

Each module exposes a ``Site`` class built from a ``SiteState`` with
``handle(path, query) -> Response``; ``crawler.demo.server`` puts each on its own port.
"""
