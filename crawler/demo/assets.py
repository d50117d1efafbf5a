"""Responses and static assets of the demo sites: thumbnails, robots.txt, HTML escaping."""

from __future__ import annotations

import hashlib
import html
import json
import struct
import zlib
from dataclasses import dataclass, field


@dataclass
class Response:
    """What a demo site answers: status, body bytes, content type, extra headers."""

    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def html_response(text: str, status: int = 200) -> Response:
    return Response(status, text.encode("utf-8"))


def json_response(data: object, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status, body, "application/json; charset=utf-8")


def text_response(text: str, content_type: str, status: int = 200) -> Response:
    return Response(status, text.encode("utf-8"), content_type)


def esc(value: object) -> str:
    """HTML-escape any value for text and quoted attributes."""
    return html.escape(str(value), quote=True)


def robots_txt(allow: tuple[str, ...], disallow: tuple[str, ...]) -> str:
    """A robots.txt that lets crawlers fetch ``allow`` paths and keeps them out of ``disallow``."""
    lines = [
        "# Local demo marketplace for wildcrawl. Crawling of search and listings is allowed.",
        "User-agent: *",
    ]
    lines += [f"Disallow: {p}" for p in disallow]
    lines += [f"Allow: {p}" for p in allow]
    return "\n".join(lines) + "\n"


def png_bytes(width: int, height: int, rows: bytes, level: int = -1) -> bytes:
    """A PNG (8-bit RGB) of ``rows``: each row a filter byte then ``width`` RGB pixels."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, level))
        + chunk(b"IEND", b"")
    )


def thumbnail_png(key: str, width: int = 16, height: int = 12) -> bytes:
    """A tiny deterministic PNG (a two-tone block whose colours come from ``key``)."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    top, bottom = digest[0:3], digest[3:6]
    rows = b"".join(b"\x00" + (top if y < height // 2 else bottom) * width for y in range(height))
    return png_bytes(width, height, rows)


def asset_response(body: bytes, content_type: str) -> Response:
    """A static asset (image, script, stylesheet, font): browsers may cache it for a day."""
    return Response(200, body, content_type, {"Cache-Control": "max-age=86400"})


def png_response(key: str) -> Response:
    return asset_response(thumbnail_png(key), "image/png")


def not_found_text() -> Response:
    return text_response("not found\n", "text/plain; charset=utf-8", 404)
