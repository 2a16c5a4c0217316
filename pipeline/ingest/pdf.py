"""PDF bytes -> page texts without running headers, footers and line-end hyphenation.

pdfminer (under pdfplumber) raises a zoo of exception types on damaged files and logs noisily;
every failure becomes one IngestError line, and a document fails whole rather than in part.
"""

from __future__ import annotations

import functools
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


def read_pdf_pages(raw: bytes, limits: Limits = DEFAULT_LIMITS, rules: Rules | None = None,
                   reader: str = "auto") -> list[str]:
    """Raw text of every page, or IngestError. Nothing partial: one bad page fails the file.

    `reader`: "auto" reads each page with pypdfium2's text page (fast; content-stream order,
    which keeps two columns apart) unless the page has ruling lines, the cheap sign of a table,
    which pdfplumber's layout analysis renders as "a | b | c" rows; "pdfplumber" reads every
    page the slow way (kept for the equivalence test and the benchmark)."""
    head = raw[:_MAGIC_WINDOW]
    if _PDF_MAGIC not in head:
        raise IngestError("not a PDF file (no %PDF header)")
    if b"%%EOF" not in raw[-_EOF_WINDOW:]:
        raise IngestError("PDF is truncated (no %%EOF end marker)")
    if inflated_size(raw, limits.pdf_inflated_bytes) > limits.pdf_inflated_bytes:
        raise IngestError(f"PDF inflates to more than {limits.pdf_inflated_bytes // MB} MB "
                          "(a decompression bomb?): refused (--max-pdf-inflated-mb)")
    if reader == "pdfplumber":
        return _plumber_pages(raw, limits)
    import pypdfium2 as pdfium

    min_paths = _table_test(rules)
    try:
        document = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise IngestError("PDF is encrypted (password required)") from None
        raise IngestError(f"PDF could not be read (pdfium: {' '.join(str(exc).split())[:120]})") from None
    try:
        if len(document) > limits.pdf_pages:
            raise IngestError(f"PDF has {len(document):,} pages, over the {limits.pdf_pages:,}-page "
                              "limit (--max-pdf-pages)")
        pages, ruled = [], []
        for index in range(len(document)):
            page = document[index]
            try:
                if _path_objects(page, min_paths) >= min_paths:
                    ruled.append(index)
                    pages.append("")
                else:
                    pages.append(_pdfium_page_text(page))
            finally:
                page.close()
    except IngestError:
        raise
    except Exception as exc:  # pdfium raises PdfiumError (and little else) for damaged pages
        raise IngestError(f"PDF could not be read ({type(exc).__name__}: {' '.join(str(exc).split())[:120]})") from None
    finally:
        document.close()
    if ruled:
        for index, text in zip(ruled, _plumber_pages(raw, limits, only=ruled, tables=True)):
            pages[index] = text
    return pages


def _table_test(rules: Rules | None) -> int:
    """Path objects (lines, rectangles) from which a page counts as holding a ruled table
    (rules/pdf_layout.yaml `table_test`; the project's rules when the caller gives none)."""
    return cached(rules or _project_rules(), "pdf_table_test",
                  lambda r: int(setting(r, LAYOUT_FILE, "table_test")["min_path_objects"]))


@functools.cache
def _project_rules() -> Rules:
    return Rules()


def _path_objects(page, enough: int) -> int:
    """Path objects on the page, counted up to `enough` (a handful of C calls per object)."""
    import pypdfium2.raw as pdfium_c

    count = 0
    for i in range(pdfium_c.FPDFPage_CountObjects(page)):
        if pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page, i)) == pdfium_c.FPDF_PAGEOBJ_PATH:
            count += 1
            if count >= enough:
                break
    return count


# pdfium ends a line with "\r\n"; a hyphen at a line end it reports as U+FFFE, without the
# line break (the word is joined again by dehyphenate, as for pdfplumber's "-\n").
_PDFIUM_BREAK = re.compile("\r\n|\ufffe")


def _pdfium_page_text(page) -> str:
    """Lines in content-stream order; a vertical gap taller than PARAGRAPH_GAP × the line height
    marks a paragraph (blank line), with line tops and bottoms from the loose boxes of each
    line's first and last character, as pdfplumber measures them."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        out: list[str] = []
        previous = None  # (top, bottom) of the last line, in PDF units (y grows upwards)
        position = 0
        for brk in _PDFIUM_BREAK.finditer(text + "\r\n"):
            start, end = position, brk.start()
            position = brk.end()
            hyphen = brk.group() == "\ufffe"
            line = text[start:end]
            stripped = line.strip()
            if not stripped and not hyphen:
                continue
            first = start + len(line) - len(line.lstrip())
            last = end if hyphen else start + len(line.rstrip()) - 1
            _l1, bottom1, _r1, top1 = textpage.get_charbox(first, loose=True)
            _l2, bottom2, _r2, top2 = textpage.get_charbox(last, loose=True)
            top, bottom = max(top1, top2), min(bottom1, bottom2)
            if previous is not None:
                height = max(top - bottom, previous[0] - previous[1])
                if previous[1] - top > PARAGRAPH_GAP * height:
                    out.append("")
            out.append(stripped + "-" if hyphen else stripped)
            previous = (top, bottom)
        return "\n".join(out)
    finally:
        textpage.close()


def _plumber_pages(raw: bytes, limits: Limits, only: list[int] | None = None, tables: bool = False) -> list[str]:
    """Page texts read by pdfplumber: every page, or the pages `only` lists (0-based)."""
    import pdfplumber  # slow to import; only PDFs that need it pay for it
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # warnings on every odd object would flood the run log
    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            if len(pdf.pages) > limits.pdf_pages:
                raise IngestError(f"PDF has {len(pdf.pages):,} pages, over the {limits.pdf_pages:,}-page "
                                  "limit (--max-pdf-pages)")
            chosen = [pdf.pages[i] for i in only] if only is not None else pdf.pages
            return [_page_text(page, tables) for page in chosen]
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


def _page_text(page, tables: bool = False) -> str:
    """Lines in reading order; a vertical gap taller than the text marks a paragraph (blank line).
    With `tables`, each table pdfplumber finds is one "a | b | c" line per row, in its place."""
    found = page.find_tables() if tables else []
    boxes = [t.bbox for t in found]

    def outside(obj) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    source = page.filter(outside) if boxes else page
    items = [(line["top"], line["bottom"], line["text"])
             for line in source.extract_text_lines(return_chars=False, strip=True)]
    for table in found:
        for row, cells in zip(table.rows, table.extract()):
            line = " | ".join(" ".join((cell or "").split()) for cell in cells)
            if line.strip(" |"):
                _x0, top, _x1, bottom = row.bbox
                items.append((top, bottom, line))
    items.sort(key=lambda item: item[0])
    out: list[str] = []
    previous = None
    for top, bottom, text in items:
        if previous is not None:
            height = max(bottom - top, previous[1] - previous[0])
            if top - previous[1] > PARAGRAPH_GAP * height:
                out.append("")
        out.append(text)
        previous = (top, bottom)
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
