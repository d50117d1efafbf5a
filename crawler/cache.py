"""A disk cache, across processes, of what is slow to build at start-up.

A crawl process used to parse the lexicon (~27,000 terms), compile the matcher and
build the price and location indexes from Babel's CLDR data before its first page.
Each of those is a pure function of some input files and of wildcrawl's code, so it
is pickled once into the cache folder and loaded by the next process::

    value = cached("matcher", source, key, build)

``source`` names what the value is built from (one cache file per kind and source,
e.g. per lexicon folder), ``key`` is a digest of everything it depends on (file
contents, code version, package versions). A file whose key differs is stale, a file
that cannot be read or unpickled is corrupt: either is logged and rebuilt, and the
new file replaces it atomically (temporary file + rename), so concurrent crawls never
read half a file.

The same folder holds ``newdb-<key>.sqlite`` files (``crawler.crawl.pipelines.store.
seed_new_database``): an SQLite database with the schema and a lexicon's rows, copied
to start a new database file.

Folder: ``$WILDCRAWL_CACHE_DIR``, else ``$XDG_CACHE_HOME/wildcrawl``, else
``~/.cache/wildcrawl``; ``WILDCRAWL_CACHE_DIR=off`` turns the cache off. The files
are pickles, loaded only from that folder: give it the same trust as your home folder.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")
ENV = "WILDCRAWL_CACHE_DIR"
_OFF = {"off", "0", "false", "no", "none"}
_MAGIC = b"wildcrawl-cache-1\n"
KEEP = 8  # cache files kept per kind (lexicon folders, lexicon versions in use)
_CODE_DIGESTS: dict[tuple, str] = {}


@contextmanager
def no_gc():
    """Garbage collection paused: for building or loading tens of thousands of objects at
    once, where every collection it would trigger walks them all and finds no garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    value = os.environ.get(ENV)
    if value is not None:
        value = value.strip()
        if not value or value.lower() in _OFF:
            return None
        return Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "wildcrawl"


def code_version(*modules: str, packages: tuple[str, ...] = ()) -> str:
    """Digest of the source of ``modules`` (dotted names), of the installed versions of
    ``packages`` (distribution names) and of the Python version.

    Part of every key built from code: editing any of these modules, or upgrading one
    of these packages or Python, invalidates the values they built.
    """
    from importlib.metadata import PackageNotFoundError, version

    names = (tuple(sorted(modules)), tuple(sorted(packages)))
    if names not in _CODE_DIGESTS:
        digest = hashlib.sha256(sys.version.encode())
        for name in names[0]:
            module = sys.modules.get(name) or __import__(name, fromlist=["_"])
            path = getattr(module, "__file__", None)
            digest.update(name.encode() + b"\0")
            if path:
                digest.update(Path(path).read_bytes())
        for package in names[1]:
            try:
                digest.update(f"{package}=={version(package)}".encode())
            except PackageNotFoundError:
                digest.update(f"{package} missing".encode())
        _CODE_DIGESTS[names] = digest.hexdigest()
    return _CODE_DIGESTS[names]


def files_digest(root: Path, files: Iterable[Path] | None = None) -> str:
    """SHA-256 over each file's path relative to ``root`` and its bytes, in path order."""
    digest = hashlib.sha256()
    paths = files if files is not None else (p for p in root.rglob("*") if p.is_file())
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def key_of(*parts: object) -> str:
    """A short digest of ``parts`` (strings, numbers, tuples of them)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def cache_path(kind: str, source: str, folder: Path | None = None) -> Path | None:
    """The file caching ``kind`` built from ``source`` (None when the cache is off)."""
    folder = folder if folder is not None else cache_dir()
    if folder is None:
        return None
    return folder / f"{kind}-{hashlib.sha256(source.encode()).hexdigest()[:16]}.pickle"


def _read(path: Path, kind: str, key: str):
    """(found, value) from ``path``; logs and returns (False, None) when stale or corrupt."""
    try:
        with open(path, "rb") as fh, no_gc():
            if fh.read(len(_MAGIC)) != _MAGIC:
                raise ValueError("not a wildcrawl cache file")
            stored_kind, stored_key, value = pickle.load(fh)  # streamed: no copy of the file
    except FileNotFoundError:
        logger.debug("%s cache: no %s yet, building it", kind, path)
        return False, None
    except OSError as exc:
        logger.warning("%s cache: cannot read %s (%s); rebuilding", kind, path, exc)
        return False, None
    except Exception as exc:  # noqa: BLE001 - any unpickling failure means a corrupt file
        logger.warning(
            "%s cache: %s is corrupt (%s: %s); rebuilding", kind, path, type(exc).__name__, exc
        )
        return False, None
    if stored_kind != kind or stored_key != key:
        logger.info(
            "%s cache: %s is stale (its inputs or wildcrawl's code changed); rebuilding", kind, path
        )
        return False, None
    return True, value


def _write(path: Path, kind: str, key: str, value) -> None:
    """Write atomically (temporary file in the same folder, then rename); never raise."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = _MAGIC + pickle.dumps((kind, key, value), protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, path)
        tmp = None
        logger.debug("%s cache: wrote %s", kind, path)
        prune(path.parent, f"{kind}-*.pickle")
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
        logger.warning("%s cache: cannot write %s (%s); continuing without it", kind, path, exc)
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def prune(folder: Path, pattern: str) -> None:
    """Keep the ``KEEP`` most recently written files of ``folder`` matching ``pattern`` (one
    per source in use); also for ``crawler.crawl.pipelines.store``'s cached new databases."""
    files = []
    for path in folder.glob(pattern):
        try:
            files.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue
    for _, path in sorted(files, reverse=True)[KEEP:]:
        try:
            path.unlink()
        except OSError:
            pass


def cached(kind: str, source: str, key: str, build: Callable[[], T]) -> T:
    """``build()``'s value, from the cache file of (``kind``, ``source``) when its key is ``key``.

    On a miss (no file, stale, corrupt) the value is built, written for the next process
    and returned. With the cache off, ``build()`` is simply called.
    """
    path = cache_path(kind, source)
    if path is None:
        return build()
    found, value = _read(path, kind, key)
    if found:
        return value
    value = build()
    _write(path, kind, key, value)
    return value


def cached_entry(kind: str, key: str, entry: str, build: Callable[[], T]) -> T:
    """``build()``'s value for ``entry``, from one cache file holding a dict of the entries
    built so far under ``key`` (e.g. one per locale a process asked for): small values of an
    open set that would each take a file, and the ``KEEP`` files of their kind, of their own.
    A miss adds the entry and writes the file again (a concurrent process's addition may be
    lost, and is built again by the next process that asks)."""
    path = cache_path(kind, key[:16])
    if path is None:
        return build()
    found, entries = _read(path, kind, key)
    if found and isinstance(entries, dict) and entry in entries:
        return entries[entry]
    value = build()
    _write(
        path, kind, key, {**(entries if found and isinstance(entries, dict) else {}), entry: value}
    )
    return value


_OFFSET = "I"  # array type of a string table's offsets: 4 bytes (up to 4 GiB of text)


class StringTable:
    """A read-only ``str -> str`` map held in four flat buffers (keys and values as UTF-8,
    sorted by key, with their end offsets), looked up by binary search.

    For big maps read a few times per item: unpickling one (the contents of four ``bytes``)
    costs a copy of the file, where a ``dict`` of 337,000 city names cost 0.13 CPU s to
    unpickle, its 674,000 strings made one by one, in every crawl. A look-up is ~20 slice
    comparisons (a few microseconds) instead of one hash.
    """

    __slots__ = ("_keys", "_key_ends", "_values", "_value_ends")

    def __init__(self, mapping: dict[str, str]) -> None:
        from array import array
        from itertools import accumulate

        items = sorted((k.encode(), v.encode()) for k, v in mapping.items())
        self._set(
            b"".join(k for k, _ in items),
            array(_OFFSET, accumulate(len(k) for k, _ in items)),
            b"".join(v for _, v in items),
            array(_OFFSET, accumulate(len(v) for _, v in items)),
        )

    def _set(self, keys: bytes, key_ends, values: bytes, value_ends) -> None:
        if len(key_ends) != len(value_ends) or (
            key_ends and (key_ends[-1] != len(keys) or value_ends[-1] != len(values))
        ):
            raise ValueError("inconsistent string table")
        self._keys, self._key_ends, self._values, self._value_ends = (
            keys,
            key_ends,
            values,
            value_ends,
        )

    def __getstate__(self):
        return (self._keys, self._key_ends.tobytes(), self._values, self._value_ends.tobytes())

    def __setstate__(self, state) -> None:
        from array import array

        keys, key_bytes, values, value_bytes = state
        key_ends, value_ends = array(_OFFSET), array(_OFFSET)
        key_ends.frombytes(key_bytes)  # a copy of the bytes, no int objects made
        value_ends.frombytes(value_bytes)
        self._set(keys, key_ends, values, value_ends)

    def __len__(self) -> int:
        return len(self._key_ends)

    def get(self, key: str, default: str | None = None) -> str | None:
        wanted = key.encode()
        keys, ends = self._keys, self._key_ends
        lo, hi = 0, len(ends)
        while lo < hi:
            mid = (lo + hi) // 2
            if keys[ends[mid - 1] if mid else 0 : ends[mid]] < wanted:
                lo = mid + 1
            else:
                hi = mid
        if lo == len(ends) or keys[ends[lo - 1] if lo else 0 : ends[lo]] != wanted:
            return default
        values = self._value_ends
        return self._values[values[lo - 1] if lo else 0 : values[lo]].decode()

    def items(self):
        """Every (key, value), in key order (of their UTF-8 bytes)."""
        k0 = v0 = 0
        for k1, v1 in zip(self._key_ends, self._value_ends, strict=True):
            yield self._keys[k0:k1].decode(), self._values[v0:v1].decode()
            k0, v0 = k1, v1
