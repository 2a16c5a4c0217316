"""Per-document extraction cache, so a rerun re-extracts only what changed.

An entry is keyed by the raw file's sha256 and the rules fingerprint (plus the package
version): a changed document, a changed rule file or a new release each miss the cache.
Entries are JSON, written atomically; unreadable entries are treated as misses.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from . import __version__
from .model import Document, Mention


class ExtractionCache:
    def __init__(self, directory: Path, rules_fingerprint: str):
        self.dir = directory
        self.key_suffix = f"{rules_fingerprint}-{__version__}"
        self.used: set[Path] = set()

    def _path(self, sha256: str) -> Path:
        return self.dir / f"{sha256}-{self.key_suffix}.json"

    def get(self, sha256: str, source: str) -> tuple[Document, list[Mention]] | None:
        path = self._path(sha256)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            document = Document(**data["document"])
            mentions = [Mention(**m) for m in data["mentions"]]
        except (OSError, ValueError, TypeError, KeyError):
            return None
        document.source = source  # the same bytes may have moved
        self.used.add(path)
        return document, mentions

    def put(self, document: Document, mentions: list[Mention]) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        path = self._path(document.sha256)
        payload = {"document": asdict(document), "mentions": [asdict(m) for m in mentions]}
        fd, tmp = tempfile.mkstemp(dir=self.dir, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, ensure_ascii=False)
        os.replace(tmp, path)
        self.used.add(path)

    def prune(self) -> None:
        """Drop entries this run did not use: old rule versions and removed documents."""
        if not self.dir.is_dir():
            return
        for path in self.dir.iterdir():
            if path not in self.used:
                path.unlink(missing_ok=True)
