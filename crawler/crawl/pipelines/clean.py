"""Step 100: whitespace and Unicode clean-up, listing id, required fields.

A listing without item id, URL or title cannot be stored: it is dropped and
counted (``wildcrawl/dropped/missing_<field>``); other missing fields are
counted as ``wildcrawl/field/<name>/missing``.
"""

from __future__ import annotations

import unicodedata

from scrapy.exceptions import DropItem

from crawler.extract.listings import clean_text
from crawler.store.schema import OPTIONAL_FIELDS, REQUIRED_FIELDS, TEXT_FIELDS

__all__ = ["OPTIONAL_FIELDS", "TEXT_FIELDS", "CleanPipeline"]


class CleanPipeline:
    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        for key in TEXT_FIELDS:
            value = item.get(key)
            if isinstance(value, str):
                # NFC only: the text is kept as the seller wrote it; matching normalises further.
                item[key] = clean_text(unicodedata.normalize("NFC", value).replace("\x00", ""))
        for key in REQUIRED_FIELDS:
            if not item.get(key):
                self.stats.inc_value(f"wildcrawl/dropped/missing_{key}")
                raise DropItem(f"listing without {key}: {item.get('url') or item.get('title')}")
        for key in OPTIONAL_FIELDS:
            if not item.get(key):
                self.stats.inc_value(f"wildcrawl/field/{key}/missing")
        item["item_id"] = str(item["item_id"]).strip()
        item["id"] = f"{item['marketplace']}:{item['item_id']}"
        return item
