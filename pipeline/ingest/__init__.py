"""Ingest stage: one file -> Document with normalised text, kind, title and (for PDFs) page offsets.

Dates in the text are not read here; the extract stage derives `published` from them. HTML
metadata may give a `published_hint`.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from ..limits import DEFAULT as DEFAULT_LIMITS, Limits
from ..model import Document, doc_id_for
from ..rules import Rules, RulesError
from .classify import classify_kind, headline_title
from .errors import IngestError
from .normalize import normalize_text
from .repair import Repairs, repair_mojibake

__all__ = ["INGEST_RULE_FILES", "IngestError", "SUPPORTED_SUFFIXES", "check_type", "check_rules", "read_bytes", "read_document"]

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".pdf")
# Every rule file ingest reads: their fingerprint (with the ingest code's) keys the ingest cache.
INGEST_RULE_FILES = ("document_kinds.yaml", "titles.yaml", "html_boilerplate.yaml", "html_metadata.yaml",
                     "text_debris.yaml", "pdf_layout.yaml")
_FORMATS = {".txt": "txt", ".html": "html", ".htm": "html", ".pdf": "pdf"}
# bytes that are "blank": a file of only these (after a BOM) is empty
_BLANK = b" \t\r\n\f\v"


MAX_BYTES = DEFAULT_LIMITS.file_bytes


def read_document(path: Path, root: Path, rules: Rules, max_bytes: int | None = None,
                  raw: bytes | None = None, limits: Limits = DEFAULT_LIMITS, source: str | None = None) -> Document:
    """`raw`: the file's bytes when the caller has read them already (from `read_bytes`).
    `max_bytes` overrides `limits.file_bytes`. `source`: the name in the dataset, when the
    caller knows it (a file read through a URL); else the path below `root`."""
    path, root = Path(path), Path(root)
    suffix = path.suffix.lower()
    fmt = _FORMATS.get(suffix)
    if fmt is None:
        raise IngestError(f"unsupported file type '{suffix}'" if suffix else "unsupported file type (no extension)")
    if raw is None:
        raw = read_bytes(path, max_bytes or limits.file_bytes)
    if not raw.lstrip(b"\xef\xbb\xbf").strip(_BLANK):
        raise IngestError("empty file")

    sha256 = hashlib.sha256(raw).hexdigest()
    title = published_hint = None
    signals: dict[str, str] = {}
    pages = page_starts = None
    repairs = Repairs()
    if fmt == "txt":
        from .text import decode_bytes

        text = normalize_text(repair_mojibake(decode_bytes(raw, repairs=repairs), repairs), rules)
    elif fmt == "html":
        from .html import parse_html

        content = parse_html(raw, rules, repairs)
        text = normalize_text(content.text, rules)
        if not text:
            raise IngestError("HTML has no body text")
        title, published_hint, signals = content.title, content.published_hint, content.signals
    else:
        text, page_starts = _pdf_text(raw, rules, repairs, limits)
        pages = len(page_starts)
    if not text.strip():
        raise IngestError("empty file")
    if len(text) > limits.text_chars:
        raise IngestError(f"text is {len(text):,} characters, over the {limits.text_chars:,}-character limit (--max-chars)")

    return Document(
        doc_id=doc_id_for(sha256),
        source=source or _relative(path, root),
        sha256=sha256,
        format=fmt,
        text=text,
        kind=classify_kind(text, rules, signals),
        title=title or headline_title(text, rules),
        published_hint=published_hint,
        pages=pages,
        page_starts=page_starts,
        attrs={"repaired": repairs.as_attrs()} if repairs.counts else {},
    )


def check_rules(rules: Rules) -> None:
    """Loads and compiles every ingest rule file, as reading a document would, on a probe of
    each format's rules: a broken rule is one RulesError now, not a failure of every document."""
    from . import pdf
    from .html import parse_html
    from .ruleset import cached

    probe = "Probe\n\nA line of text, 2020.\n"  # any text: only the rules' loading is checked
    try:
        parse_html(b"<html><head><title>Probe</title></head><body><main><p>Probe</p></main></body></html>", rules)
        cached(rules, "pdf", pdf._load)
        pdf._table_test(rules)
        text = normalize_text(probe, rules)
        classify_kind(text, rules)
        headline_title(text, rules)
    except (RulesError, IngestError):
        raise
    except Exception as exc:
        raise RulesError(f"ingest rules: {type(exc).__name__}: {str(exc).strip().splitlines()[0][:300]}") from exc


def check_type(path: Path) -> None:
    """IngestError for a file whose type is not read (by its extension), before anything reads it."""
    suffix = Path(path).suffix.lower()
    if suffix not in _FORMATS:
        raise IngestError(f"unsupported file type '{suffix}'" if suffix else "unsupported file type (no extension)")


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes; IngestError for a file over the limit (not read) or an unreadable one."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (--max-file-mb)")
        with path.open("rb") as fh:
            # read(max_bytes + 1) would allocate the whole limit up front; read what stat() saw,
            # and only if the file has grown since, on up to the limit
            raw = fh.read(size + 1)
            if len(raw) > size:
                raw += fh.read(max_bytes + 1 - len(raw))
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or type(exc).__name__}") from None
    if len(raw) > max_bytes:
        raise IngestError(f"file is over the {max_bytes:,}-byte limit")
    return raw


def _relative(path: Path, root: Path) -> str:
    below = _plainly_below(path, root)
    if below is not None:
        return below
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()  # outside root: keep what the caller gave rather than fail the file


def _plainly_below(path: Path, root: Path) -> str | None:
    """path relative to root without resolving both (which costs an lstat per component of each):
    when path is spelled as root/sub/.../name and nothing below root is a symlink, resolving both
    gives exactly that relative path. None when this shortcut does not apply."""
    try:
        relative = path.relative_to(root)
    except ValueError:
        return None
    parts = relative.parts
    if not parts or ".." in parts:
        return None
    try:
        current = root
        for part in parts:
            current = current / part
            if stat.S_ISLNK(os.lstat(current).st_mode):
                return None
    except OSError:
        return None
    return relative.as_posix()


def _pdf_text(raw: bytes, rules: Rules, repairs: Repairs, limits: Limits) -> tuple[str, list[int]]:
    """Pages normalised one by one and joined with a blank line; page_starts marks each page."""
    from .pdf import clean_pages, read_pdf_pages

    parts: list[str] = []
    starts: list[int] = []
    length = 0
    for page in clean_pages(read_pdf_pages(raw, limits, rules), rules):
        page = normalize_text(repair_mojibake(page, repairs), rules)
        if page and parts:
            parts.append("\n\n")
            length += 2
        starts.append(length)  # an empty page starts (and ends) where the next text begins
        if page:
            parts.append(page)
            length += len(page)
    text = "".join(parts)
    if not text.strip():
        raise IngestError("PDF has no extractable text (scanned images?)")
    return text, starts
