"""Bytes -> str for plain text (and the fallback decoding for HTML).

Danish public-sector exports are UTF-8 or Windows-1252/Latin-1; guessing wrong mangles æøå,
so strict UTF-8 is tried first and cp1252 is the fallback. Bytes that hold both (lines pasted
from two sources) are read part by part; see repair.py.
"""

from __future__ import annotations

import codecs
import re

from .errors import IngestError
from .repair import Repairs, decode_mixed

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Above this share of control characters the bytes are not text (random bytes give ~12%).
MAX_CONTROL_RATIO = 0.05
MIN_CONTROLS = 4
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # tab, newlines and form feeds are text


def _latin1_for_undefined(exc: UnicodeDecodeError):
    # cp1252 leaves 0x81, 0x8D, 0x8F, 0x90, 0x9D undefined; Latin-1 maps every byte.
    return exc.object[exc.start:exc.end].decode("latin-1"), exc.end


codecs.register_error("frikommune_latin1", _latin1_for_undefined)


def decode_cp1252(raw: bytes) -> str:
    return raw.decode("cp1252", errors="frikommune_latin1")


def strip_bom(raw: bytes) -> tuple[bytes, str | None]:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom):], encoding
    return raw, None


def decode_bytes(raw: bytes, declared: str | None = None, repairs: Repairs | None = None) -> str:
    """BOM, then a declared charset (if it decodes cleanly), then strict UTF-8, then UTF-8 with
    its stray non-UTF-8 bytes as cp1252 (counted in `repairs`), then cp1252."""
    body, bom_encoding = strip_bom(raw)
    if bom_encoding:
        try:
            return body.decode(bom_encoding)
        except UnicodeDecodeError:
            raise IngestError(f"bytes do not match their {bom_encoding} byte order mark") from None
    reject_binary_bytes(body)
    text = None
    encoding = canonical_encoding(declared) if declared else None
    if encoding == "cp1252":
        text = decode_cp1252(body)
    elif encoding:
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError:
            pass  # a wrong declaration is common; fall through to detection
    if text is None:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = decode_mixed(body, repairs)
            if text is None:
                text = decode_cp1252(body)
    reject_binary_text(text)
    return text


def canonical_encoding(name: str) -> str | None:
    """Python codec name for a declared charset; Latin-1/ASCII are read as cp1252 like browsers do."""
    try:
        encoding = codecs.lookup(name.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    if encoding in {"latin-1", "iso8859-1", "ascii", "cp1252"}:
        return "cp1252"
    if encoding.startswith(("utf-16", "utf-32")):
        return None  # a BOM-less UTF-16 page declaring itself is rare; its meta tag could not be read anyway
    return encoding


def reject_binary_bytes(body: bytes) -> None:
    if b"\x00" in body:
        raise IngestError("binary content (NUL bytes), not text")


def reject_binary_text(text: str) -> None:
    if not text:
        return
    controls = len(_CONTROLS.findall(text))
    # a handful of stray control bytes in a short note is damage, not binary
    if controls > MIN_CONTROLS and controls / len(text) > MAX_CONTROL_RATIO:
        raise IngestError("binary content (control characters), not text")

