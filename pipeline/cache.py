"""Per-document extraction cache, so a rerun re-extracts only what changed.

An entry is keyed by the raw file's sha256, the rules fingerprint and a fingerprint of the
pipeline's own code: a changed document, rule file or extractor each miss the cache.
Entries are JSON, written atomically; unreadable entries are treated as misses.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import orjson

from .extract import Extraction
from .model import Document, Mention, Record

PACKAGE_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the package's source: an edited extractor must not be served stale results."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        h.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


class _JsonCache:
    """Entries `<sha256>-<key suffix>.json` in one folder, written atomically; an unreadable
    entry is a miss. Subclasses say what an entry holds."""

    def __init__(self, directory: Path, key_suffix: str):
        self.dir = directory
        self.key_suffix = key_suffix

    def unusable(self) -> str | None:
        """Why the cache cannot be used (a file where its folder should be, no write access), or
        None. A run without a usable cache re-extracts everything; it never fails documents."""
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(dir=self.dir, suffix=".tmp")
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            return f"{self.dir}: {exc.strerror or exc}"
        return None

    def _path(self, sha256: str) -> Path:
        return self.dir / f"{sha256}-{self.key_suffix}.json"

    def _read(self, sha256: str):
        try:
            return orjson.loads(self._path(sha256).read_bytes())
        except (OSError, ValueError):
            return None

    def _write(self, sha256: str, payload) -> None:
        """`payload`: JSON values and dataclasses (Mention, Record, Document), which orjson
        writes as objects of their fields, ~10x faster than dataclasses.asdict and json."""
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.dir, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS))
                os.replace(tmp, self._path(sha256))
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # a cache that cannot be written (disk full) is a cache miss next time, not an error now

    def prune(self, keep: set[str] | None = None) -> None:
        """Drop entries of old rule or code versions. With `keep` (sha256s), also drop the current
        version's entries of every other document (`run --prune`): without it, a document that
        left the folder stays cached, so putting it back or `run --add` costs nothing. The
        caller says what is live because worker processes fill the cache too."""
        if not self.dir.is_dir():
            return
        for stale in self.dir.glob("*.tmp"):  # left by a killed run
            stale.unlink(missing_ok=True)
        live = {self._path(sha).name for sha in keep} if keep is not None else None
        suffix = f"-{self.key_suffix}.json"
        for path in self.dir.iterdir():
            if path.is_dir():
                continue  # the ingest cache's own folder
            current = path.name.endswith(suffix)
            if not current or (live is not None and path.name not in live):
                path.unlink(missing_ok=True)


class ExtractionCache(_JsonCache):
    """A document with its extraction, by the raw file's sha256, the whole rules fingerprint
    and the pipeline's code."""

    def __init__(self, directory: Path, rules_fingerprint: str, ingest_rules_fingerprint: str | None = None):
        super().__init__(directory, f"{rules_fingerprint}-{code_fingerprint()}")
        # beside it, when the caller names the ingest rules' fingerprint: documents as ingested,
        # and each extraction component's output (extract/stages.py)
        self.ingest = IngestCache(directory, ingest_rules_fingerprint) if ingest_rules_fingerprint else None
        self.stage_store = StageStore(directory) if ingest_rules_fingerprint else None
        self._stages: tuple[int, object] | None = None

    def prune(self, keep: set[str] | None = None) -> None:
        super().prune(keep)
        for cache in (self.ingest, self.stage_store):
            if cache is not None:
                cache.prune(keep)

    def stages(self, nlp, rules):
        """The per-component cache for this pipeline (its keys computed once per process)."""
        if self.stage_store is None:
            return None
        if self._stages is None or self._stages[0] != id(nlp):
            from .extract.stages import StageCache, stage_keys

            base = f"{code_fingerprint()}-{self.ingest.key_suffix}"
            self._stages = (id(nlp), StageCache(self.stage_store, stage_keys(nlp, rules, base)))
        return self._stages[1]

    def __getstate__(self):  # worker processes compute the keys for their own pipeline
        return {**self.__dict__, "_stages": None}

    def get(self, sha256: str, source: str) -> tuple[Document, Extraction] | None:
        data = self._read(sha256)
        try:
            document = Document(**data["document"])
            extraction = Extraction(mentions=[Mention(**m) for m in data["mentions"]],
                                    records=[Record(**r) for r in data["records"]])
        except (TypeError, KeyError):
            return None
        document.source = source  # the same bytes may have moved
        return document, extraction

    def put(self, document: Document, extraction: Extraction) -> None:
        self._write(document.sha256, {"document": document, "mentions": extraction.mentions,
                                      "records": extraction.records})


class IngestCache(_JsonCache):
    """The ingested document alone (normalised text, pages, kind, title), by sha256, the
    fingerprint of the ingest rule files only and the ingest code: an edit to an extraction
    rule re-extracts from here, without parsing a PDF or an HTML page again."""

    SUBDIR = "ingest"

    def __init__(self, cache_dir: Path, ingest_rules_fingerprint: str):
        super().__init__(cache_dir / self.SUBDIR, f"{ingest_rules_fingerprint}-{ingest_code_fingerprint()}")

    def get(self, sha256: str, source: str) -> Document | None:
        data = self._read(sha256)
        try:
            document = Document(**data)
        except TypeError:
            return None
        document.source = source
        return document

    def put(self, document: Document) -> None:
        self._write(document.sha256, document)


@lru_cache(maxsize=1)
def ingest_code_fingerprint() -> str:
    """Hash of the code ingest runs: the ingest package, the document model and the limits."""
    h = hashlib.sha256()
    paths = sorted((PACKAGE_DIR / "ingest").rglob("*.py")) + [PACKAGE_DIR / "model.py", PACKAGE_DIR / "limits.py",
                                                                PACKAGE_DIR / "rules.py"]
    for path in paths:
        h.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


class StageStore(_JsonCache):
    """Each extraction component's output per document (extract/stages.py), by the raw file's
    sha256 and the pipeline's code; which rules each output holds is said inside the entry."""

    SUBDIR = "stages"

    def __init__(self, cache_dir: Path):
        super().__init__(cache_dir / self.SUBDIR, code_fingerprint())

    def get(self, sha256: str):
        return self._read(sha256)

    def put(self, sha256: str, chain) -> None:
        self._write(sha256, chain)

