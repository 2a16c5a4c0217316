"""Text normalisation shared by all formats. Offsets into its result are what every later stage
uses, so it must be deterministic and must run exactly once per piece of text."""

from __future__ import annotations

import re
import unicodedata

from ..rules import Rules
from .ruleset import cached, compile_pattern, entries

DEBRIS_FILE = "text_debris.yaml"

# Spaces that look like a space but would break token and pattern matching downstream.
_ODD_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
# Invisible characters with no meaning in running text (zero-width space, BOM, word joiner, soft hyphen).
_INVISIBLE = "\u200b\u2060\ufeff\u00ad"
_TRANSLATE = {ord(c): " " for c in _ODD_SPACES} | {ord(c): None for c in _INVISIBLE}
# Vertical tab, form feed and the Unicode line/paragraph separators end a line.
_TRANSLATE |= {0x0B: "\n", 0x0C: "\n", 0x85: "\n", 0x2028: "\n", 0x2029: "\n"}
# Remaining C0/C1 control characters (except newline) carry no text.
_TRANSLATE |= {c: None for c in [*range(0x00, 0x09), 0x0E, 0x0F, *range(0x10, 0x20), 0x7F, *range(0x80, 0x85), *range(0x86, 0xA0)]}

_TRAILING_SPACE = re.compile(r"[ ]+$", re.MULTILINE)
_MANY_NEWLINES = re.compile(r"\n{3,}")


def debris_patterns(rules: Rules) -> list[re.Pattern]:
    return cached(rules, "debris", lambda r: [
        compile_pattern(DEBRIS_FILE, e["id"], e["pattern"], re.DOTALL)
        for e in entries(r, DEBRIS_FILE, "debris")
    ])


def normalize_text(text: str, rules: Rules) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_TRANSLATE)
    for pattern in debris_patterns(rules):
        text = pattern.sub("", text)
    text = _TRAILING_SPACE.sub("", text)
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip("\n")
