"""Where wildcrawl's files are: the repository's folders and the default database.

Every default path is spelled once, here; settings, the CLI and the library read it from here.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
KEYWORDS_DIR = REPO / "keywords"
MARKETPLACES_DIR = REPO / "spiders" / "marketplaces"
SCHEDULE_FILE = REPO / "spiders" / "schedule.yaml"
PACKAGE_DATA = REPO / "crawler" / "data"
# The default database and output folder, relative to where a command runs.
OUTPUT_DIR = "output"
DEFAULT_DB = f"{OUTPUT_DIR}/wildcrawl.db"


def shared_data() -> Path:
    """The real-world corpora beside the checkout (``WILDCRAWL_SHARED_DATA`` overrides)."""
    env = os.environ.get("WILDCRAWL_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"
