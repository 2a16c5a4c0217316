"""The optional sources manifest: where each file came from, for registries that cite URLs.

`SOURCES/sources.csv`, UTF-8, a header row and one row per file:

    path,url,publisher,retrieved
    minutes/2016-10-10.pdf,https://example.dk/referat.pdf,Eksempel Kommune,2024-05-01

`path` is relative to the sources folder (as `documents.source`); `url` must be http(s);
`retrieved` an ISO date. A bad row is one error line naming the file and row; the run goes on
without it. The manifest is never read as a document.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

MANIFEST = "sources.csv"
COLUMNS = ("path", "url", "publisher", "retrieved")
_URL = re.compile(r"^https?://\S+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read_manifest(sources: Path) -> tuple[dict[str, dict[str, str | None]], list[dict[str, str]]]:
    """(path -> {url, publisher, retrieved}, error lines)."""
    path = Path(sources) / MANIFEST
    if not path.is_file():
        return {}, []
    entries: dict[str, dict[str, str | None]] = {}
    errors: list[dict[str, str]] = []

    def error(message: str) -> None:
        errors.append({"source": MANIFEST, "error": message})

    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames is None or "path" not in reader.fieldnames:
                error(f"manifest has no header with a 'path' column (expected {','.join(COLUMNS)})")
                return {}, errors
            for line, row in enumerate(reader, start=2):
                source = (row.get("path") or "").strip().lstrip("./")
                url = (row.get("url") or "").strip() or None
                publisher = (row.get("publisher") or "").strip() or None
                retrieved = (row.get("retrieved") or "").strip() or None
                if not source:
                    error(f"row {line}: no path")
                elif url is not None and not _URL.match(url):
                    error(f"row {line}: url is not an http(s) address: {url[:80]}")
                elif retrieved is not None and not _DATE.match(retrieved):
                    error(f"row {line}: retrieved is not an ISO date (YYYY-MM-DD): {retrieved[:40]}")
                elif source in entries:
                    error(f"row {line}: {source} is listed twice")
                else:
                    entries[source] = {"url": url, "publisher": publisher, "retrieved": retrieved}
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        error(f"manifest cannot be read: {exc}".splitlines()[0])
        return {}, errors
    return entries, errors
