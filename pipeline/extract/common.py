"""Small helpers every extraction component uses."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from ..spans import trimmed  # noqa: F401  (re-exported for the components)


def document_text(doc: Doc) -> str:
    """The Document's text, which all offsets index. `doc.text` re-joins every token on each
    access (slow), so it is only the fallback for a Doc made without a Document."""
    document = doc._.document
    if document is not None and len(doc):
        last = doc[-1]
        if len(document.text) == last.idx + len(last.text_with_ws):
            return document.text
    return doc.text


_LOWER_KEY = "frikommune.lower"


def lowered(doc: Doc, text: str) -> str:
    """`text.lower()`, computed once per Doc and shared by every component (most of them search
    the lower-cased text). Cached in `doc.user_data` together with the text it was made from,
    so a Doc whose text differs never gets a stale copy."""
    cached = doc.user_data.get(_LOWER_KEY)
    if cached is not None and cached[0] is text:
        return cached[1]
    low = text.lower()
    doc.user_data[_LOWER_KEY] = (text, low)
    return low


def outputs(doc: Doc) -> tuple[list, list]:
    """doc._.mentions and doc._.records, created when a component runs outside `extract()`."""
    if doc._.mentions is None:
        doc._.mentions = []
    if doc._.records is None:
        doc._.records = []
    return doc._.mentions, doc._.records


def phrase_regex(phrase: str) -> str:
    """A phrase as a regex: escaped, any run of whitespace between its words."""
    return r"\s+".join(re.escape(word) for word in phrase.split())


def alternation(phrases: list[str]) -> str:
    """Longest phrase first, so a longer phrase wins over its own prefix."""
    return "|".join(phrase_regex(p) for p in sorted(set(phrases), key=len, reverse=True))
