"""Repairs of text damaged before it reached us, each counted for the document's `attrs.repaired`.

Two kinds are common in Danish public-sector exports:

- **Mixed encodings**: a file whose lines were pasted together from UTF-8 and Windows-1252
  sources. Read whole as either, one part loses its æøå. `decode_mixed` reads it as UTF-8 and
  only the bytes that are not UTF-8 as cp1252.
- **Mojibake**: UTF-8 that was read as cp1252 (or Latin-1) upstream and saved again, so "ø"
  arrives as "Ã¸" and "–" as "â€“". `repair_mojibake` finds each such run and reads it back.

Both are encoding facts, not Danish words, so they are code rather than rules. `ftfy` does the
second job in general; scripts/measure_mojibake.py compares the two (see docs/encodings.md).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

MIXED = "mixed_encoding"
MOJIBAKE = "mojibake"


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: undefined in cp1252, as Latin-1 reads them
        return chr(byte)


# What each byte of a UTF-8 sequence looks like once misread as cp1252: a lead byte (C2-DF for two
# bytes, E0-EF for three, F0-F4 for four) and continuation bytes (80-BF). Read as Latin-1
# instead, bytes 80-9F become C1 control characters: those are continuation bytes too.
_CONT = "".join(re.escape(_cp1252_char(b)) for b in range(0x80, 0xC0)) + "\x80-\x9f"
_LEAD2 = "".join(re.escape(_cp1252_char(b)) for b in range(0xC2, 0xE0))
_LEAD3 = "".join(re.escape(_cp1252_char(b)) for b in range(0xE0, 0xF0))
_LEAD4 = "".join(re.escape(_cp1252_char(b)) for b in range(0xF0, 0xF5))
_MISREAD_SEQUENCE = re.compile(
    f"[{_LEAD2}][{_CONT}]|[{_LEAD3}][{_CONT}]{{2}}|[{_LEAD4}][{_CONT}]{{3}}")
# A quick test before the full search: every misread sequence starts with one of these.
_LEADS = frozenset(_cp1252_char(b) for b in range(0xC2, 0xF5))
_TO_BYTE = {chr(b): b for b in range(0x80, 0xA0)} | {_cp1252_char(b): b for b in range(0x80, 0x100)}
# A two-byte run must read back as Latin script (up to U+024F, C1 included: see repair_mojibake);
# one that ends in a no-break space only from the leads "Â"/"Ã", because a capital letter before a
# no-break space ("Å\u00a0", "Æ\u00a0") is ordinary clean text.
_MAX_TWO_BYTE = 0x24F
_NBSP_LEADS = frozenset("\u00c2\u00c3")
_MAX_ROUNDS = 3  # text misread twice ("Ãƒ¸") needs two rounds; a third finds nothing more


@dataclass
class Repairs:
    """Counts of each repair made to one document's text, for `attrs.repaired`."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int) -> None:
        if n:
            self.counts[kind] = self.counts.get(kind, 0) + n

    def as_attrs(self) -> dict[str, int]:
        return dict(sorted(self.counts.items()))


def repair_mojibake(text: str, repairs: Repairs | None = None) -> str:
    """`text` with each run of UTF-8 bytes misread as cp1252 read back as UTF-8. A run is only
    replaced when its bytes form exactly one valid UTF-8 character, so text that merely
    contains "Ã" or "â" stays as it is. A C1 control character is accepted: it is the first
    round's reading of text misread twice ("Â\x9d" of "â€Â\x9d" for a closing quote)."""
    if _LEADS.isdisjoint(text):
        return text
    fixed = 0

    def read_back(match: re.Match) -> str:
        nonlocal fixed
        run = match.group()
        try:
            char = bytes(_TO_BYTE[c] for c in run).decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            return run
        if len(run) == 2 and (ord(char) > _MAX_TWO_BYTE or run[1] == "\u00a0" and run[0] not in _NBSP_LEADS):
            return run
        fixed += 1
        return char

    for _ in range(_MAX_ROUNDS):
        before = fixed
        text = _MISREAD_SEQUENCE.sub(read_back, text)
        if fixed == before:
            break
    if repairs is not None:
        repairs.add(MOJIBAKE, fixed)
    return text


# ---------------------------------------------------------------- mixed encodings

_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def _as_cp1252(exc: UnicodeDecodeError):
    return "".join(_cp1252_char(b) for b in exc.object[exc.start:exc.end]), exc.end


codecs.register_error("frikommune_cp1252_bytes", _as_cp1252)


def decode_mixed(body: bytes, repairs: Repairs | None = None) -> str | None:
    """`body` read as UTF-8 with its non-UTF-8 bytes read as cp1252, when it holds both kinds;
    None when it holds no valid UTF-8 beyond ASCII (then it is simply cp1252). Only called for
    bytes that strict UTF-8 rejected."""
    if not _UTF8_MULTIBYTE.search(body):
        return None
    text = body.decode("utf-8", errors="frikommune_cp1252_bytes")
    if repairs is not None:
        # the strict decoder stops at each bad run; counting them again here is cheaper than a
        # stateful error handler and only runs on this rare path
        repairs.add(MIXED, _count_invalid_runs(body))
    return text


def _count_invalid_runs(body: bytes) -> int:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    count = 0
    view = memoryview(body)
    position = 0
    while position < len(body):
        try:
            decoder.decode(view[position:], final=True)
            break
        except UnicodeDecodeError as exc:
            count += 1
            position += exc.end
            decoder.reset()
    return count
