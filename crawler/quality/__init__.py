"""Measuring accuracy on labelled and real-world data: the matcher, the price parser and the
generic extractor. Prints; never part of a crawl.

May import ``extract``, ``matching``, ``normalise`` and lower.
"""
