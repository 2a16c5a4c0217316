"""Helpers on character spans of a document's text, shared by the stages (no heavy imports)."""

from __future__ import annotations


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """`start`/`end` moved inwards past white space, so a span never begins or ends with it."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
