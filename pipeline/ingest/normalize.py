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

# The same table as a search for the characters it changes and each one's replacement: a text holds
# few of them, and str.replace per character present is many times faster than str.translate
# with a dict over the whole text.
_TRANSLATED = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_TRANSLATE)) + "]")
_REPLACEMENT = {chr(c): to or "" for c, to in _TRANSLATE.items()}

# Three or more newlines. Spelled with a literal "\n\n\n" prefix, which the regex engine searches
# for quickly; "\n{3,}" is tried at every newline.
_MANY_NEWLINES = re.compile(r"\n\n\n+")


def debris_patterns(rules: Rules) -> list[re.Pattern]:
    return cached(rules, "debris", lambda r: [
        compile_pattern(DEBRIS_FILE, e["id"], e["pattern"], re.DOTALL)
        for e in entries(r, DEBRIS_FILE, "debris")
    ])


def normalize_text(text: str, rules: Rules) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    found = _TRANSLATED.findall(text)
    if found:  # same as text.translate(_TRANSLATE): no replacement is itself a character replaced
        for char in set(found):
            text = text.replace(char, _REPLACEMENT[char])
    for pattern in debris_patterns(rules):
        text = pattern.sub("", text)
    if " \n" in text or text.endswith(" "):  # trailing spaces on some line
        text = "\n".join([line.rstrip(" ") for line in text.split("\n")])
    if "\n\n\n" in text:
        text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip("\n")
