"""wildcrawl benchmarks (``make bench``; never part of ``make test``).

``python -m bench [--quick]`` crawls scaled-up demo marketplaces with wildcrawl
and with baseline crawlers on the same pages, and writes ``output/bench.md``.
"""
