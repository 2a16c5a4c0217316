"""JSON values held compressed in memory, for what a run holds per document until it publishes.

A provenance entry as a Python dict costs some 330 bytes; the same entry as compressed JSON,
among its neighbours, a few dozen. A popular network cited by thousands of documents carries
thousands of them, so a run holds every reconciled row's provenance lists packed
(`PackedList`) and decodes a list only while a stage reads it.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path
from collections.abc import Sequence
from typing import Any, Iterable, Iterator

import orjson


def pack(value: Any) -> bytes:
    # level 1: most of the gain at a fraction of the cost; keys may be ints (page numbers)
    return zlib.compress(orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS, default=as_json), 1)


def unpack(blob: bytes) -> Any:
    return orjson.loads(zlib.decompress(blob))


class PackedList(Sequence):
    """An immutable list of JSON values, stored compressed. Reads decode afresh, so what a
    reader changes in an item is not kept: to change the list, build a new one. It compares
    equal to a list with the same items, and serialises as that list (`as_json`)."""

    __slots__ = ("_blob", "_len")

    def __init__(self, items: Iterable[Any] = ()):
        items = list(items)
        self._len = len(items)
        self._blob = pack(items) if items else b""

    def decoded(self) -> list[Any]:
        return unpack(self._blob) if self._len else []

    def json(self) -> bytes:
        """The list as compact JSON: what orjson.dumps gives for it."""
        return zlib.decompress(self._blob) if self._len else b"[]"

    def __iter__(self) -> Iterator[Any]:
        return iter(self.decoded())

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, index):
        return self.decoded()[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedList):
            return self._len == other._len and (self._blob == other._blob or self.decoded() == other.decoded())
        if isinstance(other, list):
            return self._len == len(other) and self.decoded() == other
        return NotImplemented

    __hash__ = None  # a list: unhashable

    def __repr__(self) -> str:
        return f"PackedList({self.decoded()!r})"


def as_json(value: Any) -> Any:
    """orjson's `default` hook: a PackedList serialises as its list, from its stored JSON as is
    (publishing a row that cites thousands of documents decodes none of them)."""
    if isinstance(value, PackedList):
        return orjson.Fragment(value.json())
    raise TypeError(f"Type is not JSON serializable: {type(value).__name__}")


class SpillFile:
    """An append-only scratch file of blobs, each read back by the handle `put` returned: what a
    run would otherwise hold for every document until it is done. A handle is one int (offset
    and length together), since a run holds several per document."""

    LENGTH_BITS = 32

    def __init__(self, path: Path):
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        self._end = 0

    def put(self, blob: bytes) -> int:
        if len(blob) >> self.LENGTH_BITS:
            raise ValueError(f"a blob of {len(blob)} bytes is too large to spill")
        os.pwrite(self._fd, blob, self._end)
        handle = self._end << self.LENGTH_BITS | len(blob)
        self._end += len(blob)
        return handle

    def get(self, handle: int) -> bytes:
        return os.pread(self._fd, handle & ((1 << self.LENGTH_BITS) - 1), handle >> self.LENGTH_BITS)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> "SpillFile":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class InMemory:
    """The spill file's interface with nowhere to spill to: a blob is its own handle."""

    def put(self, blob: bytes) -> bytes:
        return blob

    def get(self, blob: bytes) -> bytes:
        return blob
