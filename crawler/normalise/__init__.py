"""Turning what sellers write into comparable values: prices and their words, exchange
rates, seller keys, off-platform contacts, locations, text folding. Pure.

May import only ``config``, ``cache``, ``paths`` and ``errors``.
"""
