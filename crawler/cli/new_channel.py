"""``wildcrawl new-marketplace`` on a channel's saved web preview: a channel source config.

A page of Telegram's public preview (``t.me/s/<channel>``) is recognised by its posts
(``.tgme_widget_message[data-post]``); the config written is ``telegram.yaml``'s reading with
the new name and the channels the page shows posts of (docs/channels.md).
"""

from __future__ import annotations

import re
from datetime import date

from crawler.paths import MARKETPLACES_DIR

TEMPLATE = MARKETPLACES_DIR / "telegram.yaml"
_POST = re.compile(r'class="tgme_widget_message\b[^"]*"[^>]*?\sdata-post="([A-Za-z0-9_]+)/\d+"')


def page_channels(html: str) -> list[str]:
    """The channels a preview page shows posts of, in order of appearance (none: not one)."""
    found: list[str] = []
    for name in _POST.findall(html):
        if name not in found:
            found.append(name)
    return found


def render_channel_config(name: str, channels: list[str], source: str) -> str:
    """YAML text of a channel source following ``channels``: telegram.yaml's reading."""
    text = TEMPLATE.read_text(encoding="utf-8")
    body = text[text.index("\nname:") + 1 :]
    body = re.sub(r"(?m)^name: .*$", f"name: {name}", body, count=1)
    body = re.sub(r"(?m)^title: .*$", f'title: "{name}"', body, count=1)
    listed = "\n".join(
        f"  - {{name: {c}, lang: en}}  # TODO: lang, country, currency" for c in channels
    )
    body = re.sub(r"(?ms)^channels:\n(?:  - .*?\n)+", f"channels:\n{listed}\n", body, count=1)
    header = (
        f"# {name}: channel source written by `wildcrawl new-marketplace` on "
        f"{date.today().isoformat()}\n# from {source} (a public channel's web preview; "
        "reading as in telegram.yaml, see docs/channels.md).\n"
        "# Set each channel's language, country and currency; check with `wildcrawl try`.\n"
    )
    return header + body
