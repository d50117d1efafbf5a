"""The SQLite store: the schema, named migrations, idempotent writes, listing history, the
derived take-down views and relisting detection, and the clock every row is dated by.
sqlite-utils is the only layer that writes a database.

May import ``fetch`` and lower (in practice only ``errors``); never Scrapy.
"""
