"""Every bound a run puts on one document, in one place. Each is a `frikommune run --max-*`
option; a document over a bound is one error line naming it, and the batch goes on.

The defaults are generous for public-sector documents (the largest real minutes seen are a
few hundred pages) and small enough that one hostile file cannot exhaust the machine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 50_000_000          # --max-file-mb: the file as stored (not read past)
    pdf_inflated_bytes: int = 512 * MB    # --max-pdf-inflated-mb: every compressed stream, inflated
    pdf_pages: int = 5_000                # --max-pdf-pages
    text_chars: int = 60_000_000          # --max-chars: the normalised text of one document
    # --max-seconds: one document's ingest and extraction (0: no budget); FRIKOMMUNE_DOCUMENT_SECONDS
    # sets the default, for runs started from code
    document_seconds: float = float(os.environ.get("FRIKOMMUNE_DOCUMENT_SECONDS", "300"))


DEFAULT = Limits()
