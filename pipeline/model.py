"""Plain records passed between stages. No behaviour beyond (de)serialisation."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Document:
    """One source file after ingest. `text` is the normalised text every offset indexes into."""

    doc_id: str  # stable: derived from the content hash
    source: str  # path relative to the sources folder, with forward slashes
    sha256: str  # of the raw bytes
    format: str  # txt | html | pdf
    text: str
    kind: str | None = None  # press_release | committee_minutes | news_article | web_page
    title: str | None = None
    published: str | None = None  # ISO date, from metadata or a date line; never today's date
    published_hint: str | None = None  # what the file's metadata said, before extraction looked at the text
    pages: int | None = None  # PDFs only
    page_starts: list[int] | None = None  # PDFs only: offset in `text` where each page begins
    attrs: dict[str, Any] = field(default_factory=dict)  # e.g. {"repaired": {"mojibake": 3}}

    def page_of(self, offset: int) -> int | None:
        """1-based page number holding `offset`, or None for formats without pages."""
        if not self.page_starts:
            return None
        return bisect_right(self.page_starts, offset)

    def metadata(self) -> dict[str, Any]:
        """The documents.jsonl row: everything but the text itself."""
        row = asdict(self)
        del row["text"], row["published_hint"]
        return row


@dataclass
class Mention:
    """One extracted fact: a span of Document.text, its normalised value, and the rule that found it."""

    type: str  # municipality | date | ...
    start: int
    end: int
    text: str  # exactly document.text[start:end]
    value: str | None
    rule: str  # id of the rule in rules/ that matched
    attrs: dict[str, Any] = field(default_factory=dict)  # type-specific fields, e.g. {"role": "deadline"}


def fact(value: Any, start: int, end: int, text: str, rule: str, **extra: Any) -> dict[str, Any]:
    """A value read from one span of a document: the unit of provenance inside a Record.

    `text` is exactly document.text[start:end]; `extra` holds e.g. {"label": "Imødekommes delvist"}.
    """
    return {"value": value, "start": start, "end": end, "text": text, "rule": rule, **extra}


@dataclass
class Record:
    """A structured fact read from one document: a network with its members, an experiment with
    its status, an agenda item of minutes. Each field is a `fact` dict (or a list of them, or
    None), so every value keeps its own span; `start`/`end` cover the text the record came from.

    type-specific fields:
      network      name, members [kommunekode facts], status, programme, theme
      experiment   title, network (name as written), status (canonical value, label as written), round
      agenda_item  agenda_item, title, case_number, body, municipality, meeting_date, decision,
                   decision_text, absent [name facts], mentions_frikommune (plain bool)
    """

    type: str
    start: int
    end: int
    rule: str  # id of the rule that recognised the record as a whole
    fields: dict[str, Any] = field(default_factory=dict)


def content_id(*parts: object, length: int = 16) -> str:
    """A short id derived only from content, so reruns and distributed runs agree on it."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return digest[:length]


def doc_id_for(sha256: str) -> str:
    return sha256[:16]


def mention_id_for(doc_id: str, mention: Mention) -> str:
    return content_id(doc_id, mention.type, mention.start, mention.end)
