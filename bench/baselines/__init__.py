"""Baseline crawlers the benchmark measures wildcrawl against, on the same pages.

Each module is run as its own process (``python -m bench.baselines.<name> --spec FILE``)
so its memory and CPU can be measured as a process tree.
"""
