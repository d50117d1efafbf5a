"""Finding the trade in listing text: the lexicon (taxa, terms, seeds) and the matcher that
scores risk and explains it. Pure.

May import ``normalise``, ``cache``, ``paths`` and ``errors``.
"""
