"""What monitors do with a flagged listing: evidence files and their capture in a browser,
reports to platforms and their outcomes, take-down export bundles.

May import ``browser``, ``store`` and lower.
"""
