"""A batch run, top to bottom: find files -> ingest -> extract -> reconcile -> publish.

`process_file` is a pure function from one file to its records (plus a cache), so the same
stage can later run on a distributed engine; `run` only loops, collects and publishes.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import functools
import hashlib
import itertools
import json
import logging
import multiprocessing
import os
import re
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import orjson

from . import __version__, state
from .cache import ExtractionCache, code_fingerprint
from .extract import Extraction, build_nlp, extract
from .identify import identify, read_store
from .identify.mentions import reanchor_mentions
from .ingest import INGEST_RULE_FILES, IngestError, check_type, read_bytes, read_document
from .limits import DEFAULT as DEFAULT_LIMITS, Limits
from .model import Document, Mention, Record, mention_id_for
from .packed import SpillFile, pack, unpack
from .publish import OutputLocked, Staging, StagedDocuments, clean_leftovers, current_version, output_lock
from .publish.mentionstore import MentionStore
from .ingest.manifest import MANIFEST, read_manifest
from .publish.changes import Previous, changes, counts
from .publish.originals import keep_original, prune_originals
from .reconcile import RECONCILED_MENTIONS, reconcile
from .reconcile.memberships import membership_rows
from .reconcile.municipalities import recounted
from .review import log as review_log
from .review.apply import apply_stored_reviews
from .rules import Rules, RulesError

log = logging.getLogger("frikommune")
CACHE_DIR = ".cache"
# More than this share of a batch failing with internal errors (at least SYSTEMIC_MIN files) is
# the run's fault, not the documents': nothing is published and the run exits 2.
SYSTEMIC_SHARE = 0.5
SYSTEMIC_MIN = 2


class RunAborted(Exception):
    """The run cannot produce a trustworthy dataset; the previous one is left as it was."""


__all__ = ["OutputLocked", "RunAborted", "RunSummary", "run"]
RECORD_TABLES = ("municipalities", "networks", "experiments", "decisions", "conflicts")
PARALLEL_FROM_FILES = 100  # below this many files per worker, one process is faster


@dataclass
class RunSummary:
    documents: int = 0
    extracted: int = 0
    reused: int = 0
    duplicates: int = 0
    mentions: Counter = field(default_factory=Counter)
    records: dict[str, int] = field(default_factory=dict)
    reviews: dict[str, int] = field(default_factory=dict)
    orphaned: list[dict] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changes: dict[str, dict[str, int]] = field(default_factory=dict)
    removed_documents: list[str] = field(default_factory=list)  # sources gone from the folder
    kept_documents: int = 0  # --add: documents of the dataset that the folder no longer holds
    repaired: list[str] = field(default_factory=list)  # sources whose text was repaired (attrs.repaired)
    seconds: float = 0.0
    slowest: tuple[str, float] = ("", 0.0)  # the file that took longest, and its seconds

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


def selected(relative: str, include: list[str] | None, exclude: list[str] | None) -> bool:
    """`--include`/`--exclude` globs on the path relative to the sources folder ("*.pdf",
    "referater/**"); a file must match an include (if any) and no exclude."""
    from fnmatch import fnmatch

    name = relative.rsplit("/", 1)[-1]
    hit = lambda pattern: fnmatch(relative, pattern) or fnmatch(name, pattern)  # noqa: E731
    return (not include or any(hit(p) for p in include)) and not any(hit(p) for p in exclude or [])


def discover(sources: Path, errors: list[dict[str, str]] | None = None, follow_links: bool = False,
             include: list[str] | None = None, exclude: list[str] | None = None) -> list[Path]:
    """Every regular file below `sources`, hidden files and folders and the manifest excepted,
    in a stable order. A symbolic link whose target lies outside the folder is refused (unless
    `follow_links`), as are link loops and broken links; a link to a folder is not followed; a
    folder that cannot be read is reported. Each of those is one line in `errors`."""
    root = Path(sources)
    real_root = root.resolve()
    found: list[Path] = []

    def report(path: Path, message: str) -> None:
        if errors is not None:
            errors.append({"source": path.relative_to(root).as_posix() if path != root else ".", "error": message})

    def unreadable(exc: OSError) -> None:
        report(Path(exc.filename) if exc.filename else root, f"cannot read folder: {exc.strerror or exc}")

    for folder, dirs, files in os.walk(root, onerror=unreadable):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for d in list(dirs):
            if (here / d).is_symlink():
                dirs.remove(d)
                report(here / d, "symbolic link to a folder: not followed")
        for name in sorted(files):
            path = here / name
            rel = path.relative_to(root)
            if name.startswith(".") or rel.as_posix() == MANIFEST or not selected(rel.as_posix(), include, exclude):
                continue
            if path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    report(path, "symbolic link loop or broken link")
                    continue
                if not follow_links and not target.is_relative_to(real_root):
                    report(path, "symbolic link to a file outside the sources folder (--follow-links allows it)")
                    continue
                if not target.is_file():
                    report(path, "symbolic link to something that is not a regular file")
                    continue
            elif not path.is_file():
                continue  # a socket, a fifo: not a document
            found.append(path)
    return sorted(found)


def process_file(path: Path, root: Path, rules: Rules, get_nlp: Callable, cache: ExtractionCache | None,
                 limits: Limits = DEFAULT_LIMITS, known_sha256: str | None = None) -> tuple[Document, Extraction, bool]:
    """One file -> (document, extraction, came_from_cache). Raises IngestError for bad input.
    `known_sha256`: the file's hash, when its stat shows it unchanged since the last run: a
    cache hit then needs neither reading nor hashing it."""
    source = source_name(path, root)
    check_type(Path(str(path)))  # first: a rerun must refuse what a clean run refuses, cache or not
    raw = None
    sha256 = known_sha256
    if cache is not None and sha256:
        hit = cache.get(sha256, source)
        if hit:
            return (*hit, True)
    if sha256 is None:
        raw = read_source(path, limits.file_bytes)  # once: for the cache key and for ingest
        sha256 = hashlib.sha256(raw).hexdigest()
        hit = cache.get(sha256, source) if cache is not None else None
        if hit:
            return (*hit, True)
    # The ingested document of an earlier run whose ingest rules and code were the same: an edit
    # to an extraction rule re-extracts without parsing the file again.
    ingest_cache = cache.ingest if cache is not None else None
    document = ingest_cache.get(sha256, source) if ingest_cache is not None else None
    nlp = get_nlp()  # first: it checks every rule file, so a broken rule stops the run here
    # a document over the budget is skipped with an error line, so one pathological file cannot stall a batch
    with time_budget(limits.document_seconds):  # the document's own work only, not building the pipeline
        if document is None:
            if raw is None:
                raw = read_source(path, limits.file_bytes)
            document = read_document(Path(str(path)), Path(str(root)), rules, raw=raw, limits=limits, source=source)
            if ingest_cache is not None:
                ingest_cache.put(document)
        extraction = extract(nlp, document, stages=cache.stages(nlp, rules) if cache is not None else None)
    if cache is not None:
        cache.put(document, extraction)
    return document, extraction, False


@dataclass
class Outcome:
    """What became of one file: its records, or the one-line reason it has none."""

    source: str
    document: Document | None = None
    extraction: Extraction | None = None
    reused: bool = False
    error: str | None = None
    seconds: float = 0.0  # this file's ingest and extraction (or cache read)


class DocumentTimeout(Exception):
    """One document took longer than the per-document budget."""


@contextlib.contextmanager
def time_budget(seconds: float):
    """Raises DocumentTimeout in this thread after `seconds` (SIGALRM: POSIX, main thread, as
    every run and worker process is); a no-op elsewhere or with no budget."""
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expired(_signum, _frame):
        raise DocumentTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def source_name(path, root) -> str:
    """The file's name in the dataset: its path below the sources folder (or URL)."""
    if isinstance(path, Path):
        return path.relative_to(root).as_posix()
    from .cluster import relative_source

    return relative_source(path, str(root))


def read_source(path, max_bytes: int) -> bytes:
    if isinstance(path, Path):
        return read_bytes(path, max_bytes)
    from .cluster import read_source_bytes

    return read_source_bytes(path, max_bytes)


def process_source(path: Path | str, root: Path | str, rules: Rules, get_nlp: Callable,
                   cache: ExtractionCache | None, limits: Limits = DEFAULT_LIMITS,
                   known_sha256: str | None = None) -> Outcome:
    """process_file with every per-document failure turned into an Outcome, so the batch goes on.
    `path` is a Path below `root`, or (on a Dask worker) a path or URL as text."""
    source = source_name(path, root)
    building = 0.0  # building the pipeline on the first miss is the run's cost, not this file's

    def timed_nlp():
        nonlocal building
        begun = time.perf_counter()
        try:
            return get_nlp()
        finally:
            building += time.perf_counter() - begun

    started = time.perf_counter()

    def outcome(*args, **kwargs) -> Outcome:
        return Outcome(source, *args, **kwargs, seconds=time.perf_counter() - started - building)

    try:
        document, extraction, reused = process_file(path, root, rules, timed_nlp, cache, limits, known_sha256)
    except DocumentTimeout:
        return outcome(error=f"took longer than {limits.document_seconds:g} s (the per-document budget, "
                             "--max-seconds): skipped")
    except IngestError as exc:
        return outcome(error=str(exc))
    except RulesError:
        raise  # a broken rule file fails every document alike: stop the run, exit 2
    except Exception as exc:  # a bug must not cost the rest of the batch
        return outcome(error=f"internal error: {type(exc).__name__}: {exc}".splitlines()[0])
    return outcome(document, extraction, reused)


MODES = ("mirror", "add")
EXECUTORS = ("local", "dask")


def run(sources: Path, out: Path, rules: Rules | None = None,
        progress: Callable[[int, int, str], None] | None = None, use_cache: bool = True,
        jobs: int | None = 1, mode: str = "mirror", prune: bool = False, follow_links: bool = False,
        include: list[str] | None = None, exclude: list[str] | None = None,
        limits: Limits = DEFAULT_LIMITS, executor: str = "local", scheduler: str | None = None,
        originals: bool = True, cache_dir: Path | None = None, prune_cache: bool = True) -> RunSummary:
    """`jobs`: worker processes; None picks by corpus size (see auto_jobs).

    `mode`: "mirror" (the dataset holds exactly the folder's documents; those that left it are
    reported as removed) or "add" (the folder's documents are added to the dataset, which keeps
    the rest). `prune`: also drop the cache entries of documents no longer in the dataset.

    `executor`: "local" (this machine's processes) or "dask" (the per-document stage on a Dask
    cluster: `scheduler` is its address, or None for a LocalCluster of `jobs` workers; see
    cluster.py). `sources` may then also be an fsspec URL.

    `originals`: keep a copy of each source file in OUT/originals/ (publish/originals.py), for
    the workbench's view of the original page.

    `cache_dir` (default OUT/.cache) and `prune_cache`: `frikommune diff` runs into a scratch
    folder on the real output's cache, adding the new rules' entries and removing none.
    """
    if mode not in MODES:
        raise ValueError(f"unknown run mode {mode!r}")
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r}")
    with output_lock(out):  # one run per output folder; a second one stops at once
        clean_leftovers(out)
        return _run(sources, out, rules, progress, use_cache, jobs, mode, prune, follow_links, include, exclude,
                    limits, executor, scheduler, originals, cache_dir, prune_cache)


def _run(sources: Path, out: Path, rules: Rules | None, progress, use_cache: bool, jobs: int | None,
         mode: str, prune: bool, follow_links: bool, include: list[str] | None = None,
         exclude: list[str] | None = None, limits: Limits = DEFAULT_LIMITS, executor: str = "local",
         scheduler: str | None = None, originals: bool = True, cache_dir: Path | None = None,
         prune_cache: bool = True) -> RunSummary:
    started = time.perf_counter()
    rules = rules or Rules()
    summary = RunSummary()
    cache = ExtractionCache(cache_dir or out / CACHE_DIR, rules.fingerprint, rules.fingerprint_of(INGEST_RULE_FILES)) if use_cache else None
    if cache is not None and (why := cache.unusable()) is not None:
        summary.warnings.append(f"cache unusable, every document re-extracted: {why}")
        cache = None

    from .cluster import is_url

    if is_url(sources):
        from .cluster import list_url, url_manifest

        files = list_url(str(sources), include, exclude, selected, MANIFEST)
        manifest, manifest_errors = url_manifest(str(sources))
    else:
        files = discover(sources, summary.errors, follow_links, include, exclude)
        manifest, manifest_errors = read_manifest(sources)
    log.info("%d files in %s (rules %s, %s)", len(files), sources, rules.fingerprint,
             "no cache" if cache is None else f"cache {cache.dir}")
    summary.errors += manifest_errors

    # An unchanged folder with unchanged rules, options and review log: nothing to extract.
    record = cache is not None and not is_url(sources)
    stats = state.file_stats(files) if record else {}

    def key(version: Path | None) -> str:
        return state.run_key(rules=rules.fingerprint, code=code_fingerprint(), pipeline=__version__, mode=mode,
                             follow_links=follow_links, include=include, exclude=exclude,
                             limits=dataclasses.asdict(limits), errors=summary.errors,
                             manifest=state.stat_of(Path(sources) / MANIFEST),
                             review=state.stat_of(review_log.log_path(out)), version=version and version.name)

    last = state.load(out) if record else None
    current = current_version(out)
    if record and current is not None and state.unchanged(last, key(current), stats, files):
        live = unchanged_rerun(out, current, summary)
        if prune_cache:
            cache.prune(keep=live if prune else None)  # stale rule versions and leftovers go, as on every run
        state.save(out, key(current_version(out)), stats, state.known_hashes(last, stats))
        summary.seconds = time.perf_counter() - started
        return summary
    known = state.known_hashes(last, stats) if record else {}
    previous = Previous(out)  # what the change report compares with, read before anything moves
    # What stays in memory per document: its metadata, and where its records and the few
    # mentions reconciliation weighs lie in the spill file. Texts go to the staging folder and
    # mention rows to the mention store as each document finishes.
    store = read_store(out)
    processed: dict[str, tuple[Document, Extraction]] = {}  # doc_id -> what was read from it
    by_source = {source_name(path, sources): str(path) for path in files} if record else {}
    local_paths = {source_name(path, sources): path for path in files} if originals and not is_url(sources) else {}
    hashes: dict[str, str] = {}  # path -> sha256 of the files that ingested, for the next run
    duplicates: dict[str, list[str]] = {}
    # the spill: packed extractions and reconciliation's evidence, until the rows are built
    with Staging(out) as staging, SpillFile(staging.scratch / "spill.bin") as spill:
        mentions = MentionStore(staging.scratch / "mentions.sqlite")
        chars: dict[str, int] = {}

        def take(document: Document, extraction: Extraction) -> None:
            staging.add_text(document.doc_id, document.text)
            mentions.add(mention_rows(document, extraction))
            chars[document.doc_id] = len(document.text)
            processed[document.doc_id] = (dataclasses.replace(document, text=""), Packed(extraction, spill))

        for index, outcome in enumerate(outcomes(files, sources, rules, cache, jobs, limits, executor, scheduler, known), 1):
            if progress:
                progress(index, len(files), outcome.source)
            if outcome.seconds > summary.slowest[1]:
                summary.slowest = (outcome.source, outcome.seconds)
            if outcome.error is not None:
                summary.errors.append({"source": outcome.source, "error": outcome.error})
                log.warning("%s: %s", outcome.source, outcome.error)
                continue
            document = outcome.document
            if record:
                hashes[by_source[outcome.source]] = document.sha256
            if document.doc_id in processed:
                duplicates.setdefault(document.doc_id, []).append(outcome.source)
                summary.duplicates += 1
                continue
            log.debug("%s: %s in %.3f s (doc_id %s, %d mentions, %d records)", outcome.source,
                      "unchanged, from the cache" if outcome.reused else "extracted", outcome.seconds,
                      document.doc_id, len(outcome.extraction.mentions), len(outcome.extraction.records))
            if document.attrs.get("repaired"):
                summary.repaired.append(outcome.source)
            summary.reused += outcome.reused
            summary.extracted += not outcome.reused
            # Written now, while worker processes are busy with the next documents.
            take(document, outcome.extraction)
            if outcome.source in local_paths:
                try:
                    keep_original(out, local_paths[outcome.source], document.sha256)
                except OSError as exc:  # the dataset stands without it; the workbench says so
                    summary.warnings.append(f"{outcome.source}: original not kept: {exc.strerror or exc}")

        failed = [e for e in summary.errors if e["error"].startswith("internal error")]
        if len(failed) >= SYSTEMIC_MIN and len(failed) > SYSTEMIC_SHARE * max(1, len(files)):
            raise RunAborted(f"{len(failed)} of {len(files)} documents failed with internal errors "
                             f"(first: {failed[0]['source']}: {failed[0]['error']}); nothing was published")
        log.info("read %d files: %d extracted, %d from the cache, %d errors; slowest %s (%.2f s)",
                 len(files), summary.extracted, summary.reused, len(summary.errors), *summary.slowest)
        present = {document.source for document, _ in processed.values()} | {e["source"] for e in summary.errors}
        gone = sorted(source for source in previous.documents if source not in present)
        if mode == "add":
            for document, extraction in kept_documents(out, gone, previous, rules, cache):
                if document.doc_id not in processed:
                    take(document, extraction)
                    before = previous.documents[document.source]
                    manifest.setdefault(document.source, {k: before.get(k) for k in ("url", "publisher", "retrieved")})
                    summary.kept_documents += 1
        else:
            summary.removed_documents = gone

        tables = build_tables(rules, processed, duplicates, manifest, chars, spill)
        for doc_id, (document, _packed) in processed.items():
            processed[doc_id] = (document, None)  # reconciled: the packed extractions are not needed again
        spill.close()  # nothing reads it again
        tables["errors"] = summary.errors
        documents = StagedDocuments({d.doc_id: d for d, _ in processed.values()}, staging.text_path)
        mentions.load_previous(previous.mention_rows())
        reanchor_mentions(mentions, documents, previous, out)
        identities = identify(tables, store, rules, {d.doc_id: d.source for d in documents.values()})
        # Reviewers' decisions (kept in OUT/review/, which no run writes) beat the extractors'.
        unreadable: list[dict] = []
        summary.reviews = apply_stored_reviews(tables, mentions, documents, list(review_log.read(out, unreadable)),
                                               identities)
        summary.reviews["unreadable"] = len(unreadable)  # torn or foreign lines, in review_errors.jsonl
        tables["municipalities"] = recounted(rules, mentions.of_type("municipality"))  # what the reviewers kept
        tables["memberships"] = membership_rows(tables["networks"])
        tables["mentions"] = mentions
        summary.orphaned = tables["review_orphans"]
        summary.documents = len(processed)
        summary.mentions = mentions.counts_by_type()
        summary.records = {name: len(tables[name]) for name in RECORD_TABLES}
        change_lines = changes(previous, tables, identities.events)  # documents and records
        summary.changes = counts(change_lines, mentions=mentions.change_counts())
        log.info("reconciled: %s; publishing to %s", ", ".join(f"{n} {t}" for t, n in summary.records.items()), out)
        staging.publish(tables, {
            "pipeline_version": __version__,
            "rules_fingerprint": rules.fingerprint,
            "documents": summary.documents,
            "errors": len(summary.errors),
            "mentions": dict(sorted(summary.mentions.items())),
            "records": summary.records,
            "reviews": summary.reviews,
            "changes": summary.changes,
            "removed_documents": summary.removed_documents,
            "repaired_documents": summary.repaired,
        }, side_files={"identity.jsonl": identities.lines(),
                       "changes.jsonl": itertools.chain(change_lines, mentions.changes()),
                       "review_errors.jsonl": unreadable})
        mentions.close()
    live = {document.sha256 for document, _ in processed.values()}
    prune_originals(out, live | {row.get("sha256") for row in previous.documents.values()})
    if cache is not None and prune_cache:
        cache.prune(keep=live if prune else None)
    if record:
        state.save(out, key(current_version(out)), stats, hashes)
    summary.seconds = time.perf_counter() - started
    return summary


def unchanged_rerun(out: Path, current: Path, summary: RunSummary) -> set[str]:
    """Fills the summary of a rerun that changes nothing from the published version; publishes
    a new version (hard links, an empty change report) only when the current one's report was
    not empty. Returns the sha256s of the dataset's documents."""
    published = json.loads((current / "run.json").read_text(encoding="utf-8"))
    info = {**published, "changes": counts([]), "removed_documents": []}
    if (current / "changes.jsonl").stat().st_size or published != info:
        with Staging(out) as staging:
            staging.republish(current, info)
        current = current_version(out)
    documents = [orjson.loads(line) for line in (current / "documents.jsonl").read_bytes().splitlines()]
    summary.documents = summary.reused = info["documents"]
    summary.duplicates = sum(len(d.get("duplicates") or []) for d in documents)
    summary.mentions = Counter(info["mentions"])
    summary.records = info["records"]
    summary.reviews = info["reviews"]
    summary.changes = info["changes"]
    summary.repaired = info.get("repaired_documents", [])
    summary.errors = [orjson.loads(line) for line in (current / "errors.jsonl").read_bytes().splitlines()]
    summary.orphaned = [orjson.loads(line) for line in (current / "review_orphans.jsonl").read_bytes().splitlines()]
    log.info("nothing changed since the last run (same files, rules, options and review log): "
             "the published dataset stands")
    return {d["sha256"] for d in documents}


def checked_nlp(rules: Rules):
    """The extraction pipeline, after every rule file has been checked whole: each value's type
    against rules/shapes.yaml, the ingest rules compiled (patterns, CSS selectors), each component
    of pipeline.yaml resolved and built. Any failure is a RulesError naming the file (and, for a
    type or a pattern, the line and rule), so the run stops before anything is published."""
    from .ingest import check_rules
    from .rulecheck import check_shapes

    check_shapes(rules)
    try:
        check_rules(rules)
        return build_nlp(rules)
    except Exception as exc:
        error = located(rules, exc)
        if error is exc:
            raise
        raise error from exc


def located(rules: Rules, exc: Exception) -> RulesError:
    """A RulesError for a failure while rules were compiled: with the file, line and rule id of
    the pattern when a regex failed, else the component's own message."""
    from .rulecheck import locate_pattern, yaml_files

    cause: BaseException | None = exc
    seen = set()
    while cause is not None and not isinstance(cause, re.error) and id(cause) not in seen:
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    if not isinstance(cause, re.error):
        cause = None
    if cause is not None:
        # components open the rules folder themselves, so every file is searched, the ones this
        # process read (most recent first) before the rest
        read = [name for name in reversed(rules.read) if name.endswith(".yaml")]
        where = locate_pattern(rules, list(dict.fromkeys(read + yaml_files(rules))), cause)
        if where:
            return RulesError(where)
    if isinstance(exc, RulesError):
        return exc
    # spaCy's own errors: an unknown component, a bad config value
    return RulesError(f"pipeline.yaml: {type(exc).__name__}: {str(exc).strip().splitlines()[0][:300]}")


def kept_documents(out: Path, sources: list[str], previous: Previous, rules: Rules,
                   cache: ExtractionCache | None) -> Iterator[tuple[Document, Extraction]]:
    """`run --add`: the dataset's documents that the folder no longer holds, from the stored
    text. Their extraction comes from the cache, or is redone on the stored text (which is what
    extraction reads anyway) when rules or code changed since."""
    get_nlp = functools.cache(lambda: checked_nlp(rules))
    for source in sources:
        row = previous.documents[source]
        try:
            text = (out / "text" / f"{row['doc_id']}.txt").read_text(encoding="utf-8")
        except OSError:
            continue  # nothing to keep it from: it is reported as removed by the change report
        hit = cache.get(row["sha256"], source) if cache is not None else None
        if hit is not None:
            yield hit
            continue
        document = Document(doc_id=row["doc_id"], source=source, sha256=row["sha256"], format=row["format"],
                            text=text, kind=row.get("kind"), title=row.get("title"),
                            published_hint=row.get("published"), pages=row.get("pages"),
                            page_starts=row.get("page_starts"), attrs=row.get("attrs") or {})
        yield document, extract(get_nlp(), document)


def auto_jobs(n_files: int) -> int:
    """Worker processes worth starting: each costs a fork and a pipeline build (~0.3 s)."""
    return max(1, min(os.cpu_count() or 1, n_files // PARALLEL_FROM_FILES))


def outcomes(files: list, root, rules: Rules, cache: ExtractionCache | None,
             jobs: int | None, limits: Limits = DEFAULT_LIMITS, executor: str = "local",
             scheduler: str | None = None, known: dict[str, str] | None = None) -> Iterator[Outcome]:
    """Outcomes in the order of `files`; with jobs > 1 the files are spread over worker
    processes, with the dask executor over a cluster's workers."""
    if executor == "dask":
        from .cluster import dask_outcomes

        yield from dask_outcomes(files, root, rules, cache, jobs, limits, scheduler)
        return
    jobs = auto_jobs(len(files)) if jobs is None else jobs
    # Built on the first cache miss: a rerun over an unchanged folder never loads spaCy.
    get_nlp = functools.cache(lambda: checked_nlp(rules))
    if jobs <= 1 or len(files) < 2 * jobs:
        for path in files:
            yield process_source(path, root, rules, get_nlp, cache, limits, (known or {}).get(str(path)))
        return
    # Forked workers inherit the built pipeline (building it costs ~0.3 s) through _worker.
    get_nlp()
    _worker.update(root=root, rules=rules, cache=cache, get_nlp=get_nlp, limits=limits, known=known or {})
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            yield from _in_order(pool, files, window=jobs * WINDOW_CHUNKS_PER_JOB)
    finally:
        _worker.clear()


WORK_CHUNK = 8  # files per task sent to a worker process
WINDOW_CHUNKS_PER_JOB = 4  # tasks in flight per worker


def _in_order(pool, files: list, window: int) -> Iterator[Outcome]:
    """The outcomes of `files` in order, with at most `window` tasks in flight. Pool.imap would
    run ahead of the caller without bound: on a rerun, when the workers only read the cache,
    every document's text and extraction would wait in memory for the run to take it."""
    chunks = (files[i:i + WORK_CHUNK] for i in range(0, len(files), WORK_CHUNK))
    pending: collections.deque = collections.deque()
    for chunk in itertools.islice(chunks, window):
        pending.append(pool.apply_async(_work_chunk, (chunk,)))
    while pending:
        done = pending.popleft().get()
        for chunk in itertools.islice(chunks, 1):
            pending.append(pool.apply_async(_work_chunk, (chunk,)))
        yield from done


_worker: dict = {}


def _work(path: Path) -> Outcome:
    w = _worker
    return process_source(path, w["root"], w["rules"], w["get_nlp"], w["cache"], w["limits"], w["known"].get(str(path)))


def _work_chunk(paths: list[Path]) -> list[Outcome]:
    return [_work(path) for path in paths]


def mention_rows(document: Document, extraction: Extraction) -> Iterator[dict]:
    """The mentions table's rows of one document."""
    for m in extraction.mentions:
        attrs = dict(m.attrs)
        yield {
            "mention_id": mention_id_for(document.doc_id, m),
            "doc_id": document.doc_id,
            "type": m.type,
            "text": m.text,
            "start": m.start,
            "end": m.end,
            "page": document.page_of(m.start),
            "value": m.value,
            "rule": m.rule,
            "role": attrs.pop("role", None),
            "attrs": attrs,
        }


class Packed:
    """What reconciliation reads of an extraction (its records, and the mentions it weighs),
    held from the document's turn until reconciliation as compressed JSON, one blob per record
    type, in the run's spill file: memory holds only where each blob lies. Each read decodes
    afresh, so what a reconciliation pass decodes is freed when the pass is done with it."""

    __slots__ = ("_spill", "_mentions", "_records")

    def __init__(self, extraction: Extraction, spill: SpillFile):
        self._spill = spill
        self._mentions = spill.put(pack([m for m in extraction.mentions if m.type in RECONCILED_MENTIONS]))
        by_type: dict[str, list[Record]] = {}
        for r in extraction.records:
            by_type.setdefault(r.type, []).append(r)
        self._records = {kind: spill.put(pack(records)) for kind, records in by_type.items()}

    @property
    def mentions(self) -> list[Mention]:
        return [Mention(**m) for m in unpack(self._spill.get(self._mentions))]

    def records_of(self, record_type: str) -> list[Record]:
        where = self._records.get(record_type)
        return [Record(**r) for r in unpack(self._spill.get(where))] if where is not None else []


def build_tables(rules: Rules, processed: dict[str, tuple[Document, Extraction]],
                 duplicates: dict[str, list[str]], manifest: dict[str, dict] | None = None,
                 chars: dict[str, int] | None = None, spill: SpillFile | None = None) -> dict[str, list[dict]]:
    """The documents table and the reconciled record tables. `chars`: each document's text
    length, for documents whose text is no longer held (default: the text's own); `spill`:
    where reconciliation's evidence waits (see reconcile)."""
    documents = []
    for document, _extraction in sorted(processed.values(), key=lambda item: item[0].source):
        row = document.metadata()
        row.update((manifest or {}).get(document.source) or {"url": None, "publisher": None, "retrieved": None})
        row["chars"] = chars[document.doc_id] if chars is not None else len(document.text)
        row["duplicates"] = duplicates.get(document.doc_id, [])
        documents.append(row)
    return {"documents": documents, **reconcile(rules, list(processed.values()), spill)}
