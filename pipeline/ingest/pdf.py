"""PDF bytes -> page texts without running headers, footers and line-end hyphenation.

pdfminer (under pdfplumber) raises a zoo of exception types on damaged files and logs noisily;
every failure becomes one IngestError line, and a document fails whole rather than in part.
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections import Counter

from ..limits import DEFAULT as DEFAULT_LIMITS, MB, Limits
from ..rules import Rules, RulesError
from .errors import IngestError
from .ruleset import cached, compile_pattern, entries, setting

LAYOUT_FILE = "pdf_layout.yaml"

_PDF_MAGIC = b"%PDF-"
# The header may follow a little junk, the end marker may be followed by some (both happen in the wild).
_MAGIC_WINDOW = 1024
_EOF_WINDOW = 2048
# Gap between two lines, relative to their height, above which a blank line is kept.
PARAGRAPH_GAP = 0.8
_DIGITS = re.compile(r"\d+")
# A letter, a hyphen at the very end of a line, then the first word of the next line.
_LINE_END_HYPHEN = re.compile(r"([^\W\d_]+)-\n([^\s]+)")


def _load(rules: Rules):
    running = setting(rules, LAYOUT_FILE, "running_lines")
    hyphenation = setting(rules, LAYOUT_FILE, "hyphenation")
    keep_before = {str(w).lower() for e in _listed(hyphenation, "keep_hyphen_before") for w in e["words"]}
    keep_after = {str(w).lower() for e in _listed(hyphenation, "keep_hyphen_after") for w in e["words"]}
    page_numbers = [compile_pattern(LAYOUT_FILE, e["id"], e["pattern"], re.IGNORECASE)
                    for e in entries(rules, LAYOUT_FILE, "page_numbers")]
    return int(running["edge_lines"]), float(running["min_share"]), page_numbers, keep_before, keep_after


def _listed(section: dict, key: str) -> list[dict]:
    items = section.get(key) if isinstance(section, dict) else None
    if not isinstance(items, list) or any(not isinstance(e, dict) or not e.get("id") for e in items):
        raise RulesError(f"{LAYOUT_FILE}: every entry under '{key}' needs an id")
    return items


_STREAM = re.compile(rb"stream\r?\n")


def inflated_size(raw: bytes, limit: int) -> int:
    """Bytes the file's Flate streams inflate to, counted in chunks and without keeping them;
    stops counting once over `limit`. Undecodable streams count as their raw size (pdfminer
    will fail on them on its own)."""
    import zlib

    total = 0
    for m in _STREAM.finditer(raw):
        start = m.end()
        end = raw.find(b"endstream", start)
        if end < 0:
            break
        data = raw[start:end]
        if not data[:1] or data[:1] not in (b"x", b"h", b"X"):  # not a zlib header: not Flate
            total += len(data)
            continue
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(data, 1 << 20)
            while True:
                total += len(chunk)
                if total > limit:
                    return total
                if not inflater.unconsumed_tail:
                    break
                chunk = inflater.decompress(inflater.unconsumed_tail, 1 << 20)
        except zlib.error:
            total += len(data)
    return total


def read_pdf_pages(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """Raw text of every page, or IngestError. Nothing partial: one bad page fails the file."""
    head = raw[:_MAGIC_WINDOW]
    if _PDF_MAGIC not in head:
        raise IngestError("not a PDF file (no %PDF header)")
    if b"%%EOF" not in raw[-_EOF_WINDOW:]:
        raise IngestError("PDF is truncated (no %%EOF end marker)")
    if inflated_size(raw, limits.pdf_inflated_bytes) > limits.pdf_inflated_bytes:
        raise IngestError(f"PDF inflates to more than {limits.pdf_inflated_bytes // MB} MB "
                          "(a decompression bomb?): refused (--max-pdf-inflated-mb)")
    import pdfplumber  # slow to import; only PDF runs pay for it
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # warnings on every odd object would flood the run log
    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            if len(pdf.pages) > limits.pdf_pages:
                raise IngestError(f"PDF has {len(pdf.pages):,} pages, over the {limits.pdf_pages:,}-page "
                                  "limit (--max-pdf-pages)")
            return [_page_text(page) for page in pdf.pages]
    except IngestError:
        raise
    except Exception as exc:  # pdfminer/pdfplumber raise many unrelated types for damaged files
        cause = _root_cause(exc)
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise IngestError("PDF is encrypted (password required)") from None
        detail = " ".join(str(cause).split())[:120]
        reason = f"{type(cause).__name__}: {detail}" if detail else type(cause).__name__
        raise IngestError(f"PDF could not be read ({reason})") from None


def _root_cause(exc: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's exception as PdfminerException(original)."""
    seen = 0
    while exc.args and isinstance(exc.args[0], BaseException) and seen < 5:
        exc, seen = exc.args[0], seen + 1
    return exc


def _page_text(page) -> str:
    """Lines in reading order; a vertical gap taller than the text marks a paragraph (blank line)."""
    out: list[str] = []
    previous = None
    for line in page.extract_text_lines(return_chars=False, strip=True):
        if previous is not None:
            height = max(line["bottom"] - line["top"], previous["bottom"] - previous["top"])
            if line["top"] - previous["bottom"] > PARAGRAPH_GAP * height:
                out.append("")
        out.append(line["text"])
        previous = line
    return "\n".join(out)


def clean_pages(pages: list[str], rules: Rules) -> list[str]:
    edge_lines, min_share, page_numbers, keep_before, keep_after = cached(rules, "pdf", _load)
    lines_per_page = [[line.rstrip() for line in page.split("\n")] for page in pages]
    lines_per_page = [_trim_blank(lines) for lines in lines_per_page]
    headers, footers = _running_lines(lines_per_page, edge_lines, min_share)
    cleaned = []
    for lines in lines_per_page:
        lines = _strip_edges(lines, headers, footers, page_numbers, edge_lines)
        cleaned.append(dehyphenate("\n".join(lines), keep_before, keep_after))
    return cleaned


def _key(line: str) -> str:
    # digits differ from page to page ("Side 1 af 2", "Side 2 af 2"): compare the shape
    return " ".join(_DIGITS.sub("#", line).split()).casefold()


def _trim_blank(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _running_lines(pages: list[list[str]], edge: int, min_share: float) -> tuple[set, set]:
    if len(pages) < 2:
        return set(), set()
    needed = max(2, math.ceil(min_share * len(pages)))
    tops, bottoms = Counter(), Counter()
    for lines in pages:
        nonblank = [line for line in lines if line.strip()]
        # keyed by position from the edge: a running header sits on the same line of every page
        tops.update({(i, _key(line)) for i, line in enumerate(nonblank[:edge])})
        bottoms.update({(i, _key(line)) for i, line in enumerate(reversed(nonblank[-edge:]))})
    return ({k for k, n in tops.items() if n >= needed and k[1]},
            {k for k, n in bottoms.items() if n >= needed and k[1]})


def _strip_edges(lines: list[str], headers: set, footers: set,
                 page_numbers: list[re.Pattern], edge: int) -> list[str]:
    """Peel running lines and page numbers off the top and bottom, only ever from the edge inwards."""
    def is_page_number(line: str) -> bool:
        text = " ".join(line.split())
        return any(p.fullmatch(text) for p in page_numbers)

    removed = 0  # = position from the top of the line now at the edge
    while lines and removed < edge and ((removed, _key(lines[0])) in headers or is_page_number(lines[0])):
        lines = _trim_blank(lines[1:])
        removed += 1
    removed = 0
    while lines and removed < edge and ((removed, _key(lines[-1])) in footers or is_page_number(lines[-1])):
        lines = _trim_blank(lines[:-1])
        removed += 1
    return lines


def dehyphenate(text: str, keep_before: set[str], keep_after: set[str]) -> str:
    """Rejoin words split at a line end; keep hyphens that belong to the text."""
    def join(match: re.Match) -> str:
        head, tail = match.group(1), match.group(2)
        tail_word = tail.rstrip(".,;:!?)")
        if tail.lower() in keep_before or tail_word.lower() in keep_before:
            return f"{head}- {tail}"  # "Social- og Indenrigsministeriet"
        if tail[:1].islower() and head.lower() not in keep_after:
            return f"{head}{tail}"  # "Indenrigs-ministeriet" was one word
        return f"{head}-{tail}"  # "Høje-Taastrup", "2016-2020", "e-mail"

    return _LINE_END_HYPHEN.sub(join, text)
