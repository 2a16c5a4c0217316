"""The original beside the text: a PDF page as an image, with a span's box drawn from the
characters' boxes, and an HTML page as its publisher wrote it (served sandboxed).

The stored text is normalised (headers and footers dropped, hyphenation joined), so its offsets
are not the PDF's character indices. A span is found on its page by its quoted text instead:
both sides with whitespace and hyphens removed, and of several occurrences the one nearest the
span's relative place on the page. pdfium's text page gives each character's box.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdfium2 as pdfium

# Characters left out on both sides when a quote is looked up on the page: line breaks and
# hyphens at line ends differ between the stored text and the page's own text.
IGNORED = re.compile(r"[\s\-\u00ad\u2010\u2011]+")
MAX_SCALE = 3.0


def opened(path: Path) -> pdfium.PdfDocument:
    """The PDF, or OSError (which callers report) for a file pdfium cannot read."""
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise OSError(f"{path.name}: {exc}") from exc


def page_png(path: Path, page: int, scale: float = 1.5) -> bytes:
    """Page `page` (1-based) rendered as PNG."""
    pdf = opened(path)
    try:
        if not 1 <= page <= len(pdf):
            raise IndexError(f"page {page} of {len(pdf)}")
        image = pdf[page - 1].render(scale=min(max(scale, 0.25), MAX_SCALE)).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=False)
        return buffer.getvalue()
    finally:
        pdf.close()


def squeezed(text: str) -> tuple[str, list[int]]:
    """`text` without IGNORED characters, and for each kept character its index in `text`."""
    kept, index = [], []
    position = 0
    for piece in IGNORED.split(text):
        at = text.find(piece, position) if piece else position
        kept.append(piece)
        index.extend(range(at, at + len(piece)))
        position = at + len(piece)
    return "".join(kept), index


def span_boxes(path: Path, page: int, quote: str, share: float | None = None) -> dict:
    """Where `quote` stands on page `page` (1-based): one box per line it covers, as shares of
    the page's width and height from its top left (0..1), so any rendering size can draw them.
    `share`: the span's relative place in the page's stored text, to choose among repeats."""
    pdf = opened(path)
    try:
        if not 1 <= page <= len(pdf):
            raise IndexError(f"page {page} of {len(pdf)}")
        pdf_page = pdf[page - 1]
        width, height = pdf_page.get_size()
        textpage = pdf_page.get_textpage()
        count = textpage.count_chars()
        page_text = textpage.get_text_range(0, count) if count else ""
        haystack, index = squeezed(page_text)
        needle, _ = squeezed(quote or "")
        starts = [m.start() for m in re.finditer(re.escape(needle), haystack)] if needle else []
        if not starts:
            return {"page": page, "found": False, "boxes": []}
        wanted = (share if share is not None else 0.0) * len(haystack)
        start = min(starts, key=lambda s: abs(s - wanted))
        first, last = index[start], index[start + len(needle) - 1]
        lines: list[list[float]] = []
        for i in range(first, last + 1):
            if page_text[i].isspace():
                continue
            left, bottom, right, top = textpage.get_charbox(i, loose=True)
            box = [left / width, 1 - top / height, right / width, 1 - bottom / height]
            same = next((line for line in lines if abs(line[1] - box[1]) < 0.004 and abs(line[3] - box[3]) < 0.004), None)
            if same is None:
                lines.append(box)
            else:
                same[0], same[2] = min(same[0], box[0]), max(same[2], box[2])
        return {"page": page, "found": True, "boxes": [[round(v, 5) for v in b] for b in lines],
                "repeats": len(starts)}
    finally:
        pdf.close()
