"""The per-document stage on a Dask cluster (`frikommune run --executor dask`).

Only ingest and extraction run on the workers: the client looks up the cache, sends the misses
in batches, and keeps reconciliation and publishing, so the output is byte-identical to a local
run. Workers get the rules as file contents (they need no checkout, only the installed
package) and build the pipeline once per rules version. Sources are a path every worker can
reach or an fsspec URL (`file://…`, `s3://…` with s3fs installed), read on the worker.

A batch whose worker dies is retried by Dask; when it keeps dying, each of its files is tried
alone, and a file that still kills its worker becomes one error line.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from .cache import ExtractionCache
from .limits import Limits
from .rules import Rules

log = logging.getLogger("frikommune")

BATCH_FILES = 16  # files per task: enough to amortise a task's overhead, few enough to spread
RETRIES = 2  # Dask resubmits a failed task this often before we split its batch
CONNECT_SECONDS = 10


def is_url(sources) -> bool:
    return "://" in str(sources)


def list_url(url: str, include, exclude, selected, manifest_name: str) -> list[str]:
    """Every non-hidden file below an fsspec URL, as full URLs, sorted."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    protocol = url.split("://", 1)[0]
    found = []
    for path in sorted(fs.find(root)):
        relative = path[len(root):].lstrip("/")
        if any(part.startswith(".") for part in relative.split("/")) or relative == manifest_name:
            continue
        if selected(relative, include, exclude):
            found.append(f"{protocol}://{path}")
    return found


def url_manifest(url: str):
    """The sources manifest below an fsspec URL, read as read_manifest reads a local one."""
    import fsspec

    from .ingest.manifest import MANIFEST, read_manifest

    target = url.rstrip("/") + "/" + MANIFEST
    fs, path = fsspec.core.url_to_fs(target)
    if not fs.exists(path):
        return {}, []
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, MANIFEST).write_bytes(fs.cat_file(path))
        return read_manifest(Path(folder))


def relative_source(file: str, root: str) -> str:
    if is_url(file):
        import fsspec

        _fs, base = fsspec.core.url_to_fs(root)
        _fs, path = fsspec.core.url_to_fs(file)
        return path[len(base):].lstrip("/")
    return Path(file).relative_to(root).as_posix()


def read_source_bytes(file: str, max_bytes: int) -> bytes:
    """A source's bytes through fsspec (a URL) or the file system (a shared path), never more
    than `max_bytes` + 1."""
    from .ingest import IngestError, read_bytes

    if not is_url(file):
        return read_bytes(Path(file), max_bytes)
    import fsspec

    try:
        with fsspec.open(file, "rb") as fh:
            size = getattr(fh, "size", None)
            if size is not None and size > max_bytes:
                raise IngestError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (--max-file-mb)")
            raw = fh.read(max_bytes + 1)
    except IngestError:
        raise
    except Exception as exc:  # fsspec backends raise their own OSError subclasses and more
        raise IngestError(f"cannot read file: {type(exc).__name__}: {exc}".splitlines()[0]) from None
    if len(raw) > max_bytes:
        raise IngestError(f"file is over the {max_bytes:,}-byte limit (--max-file-mb)")
    return raw


# ---------------------------------------------------------------- on the workers

def rules_snapshot(rules: Rules) -> tuple[str, dict[str, bytes]]:
    """(fingerprint, file name -> bytes): what a worker needs to rebuild the same Rules."""
    files = {p.relative_to(rules.dir).as_posix(): p.read_bytes()
             for p in sorted(Path(rules.dir).rglob("*")) if p.is_file()}
    return rules.fingerprint, files


@functools.lru_cache(maxsize=4)
def _worker_pipeline(fingerprint: str):
    """Rules and the built pipeline of one rules version, once per worker process."""
    from .run import checked_nlp

    files = _SNAPSHOTS[fingerprint]
    folder = Path(tempfile.gettempdir()) / f"frikommune-rules-{fingerprint}-{os.getpid()}"
    for name, data in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
    rules = Rules(folder)
    return rules, functools.cache(lambda: checked_nlp(rules))


_SNAPSHOTS: dict[str, dict[str, bytes]] = {}  # rules fingerprint -> its files, on a worker


def process_batch(files: list[str], root: str, snapshot: tuple[str, dict[str, bytes]], limits: Limits) -> list:
    """Outcomes of a batch of files, on a worker. No cache: the client keeps it."""
    from .run import process_source

    fingerprint, contents = snapshot
    _SNAPSHOTS.setdefault(fingerprint, contents)
    rules, get_nlp = _worker_pipeline(fingerprint)
    return [process_source(file, root, rules, get_nlp, None, limits) for file in files]


# ---------------------------------------------------------------- on the client

def connect(scheduler: str | None, workers: int):
    """A Client on the given scheduler, or on a LocalCluster of `workers` processes."""
    from dask.distributed import Client, LocalCluster

    from .run import RunAborted

    if scheduler:
        try:
            return Client(scheduler, timeout=CONNECT_SECONDS), None
        except (OSError, TimeoutError, ValueError) as exc:
            raise RunAborted(f"cannot reach the Dask scheduler at {scheduler} "
                             f"({type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else 'timed out'})") from None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    return Client(cluster), cluster


def dask_outcomes(files: list, root, rules: Rules, cache: ExtractionCache | None, jobs: int | None,
                  limits: Limits, scheduler: str | None) -> Iterator:
    """Outcomes in the order of `files`, the cache misses computed on the cluster."""
    from .run import Outcome

    hits: dict[int, Outcome] = {}
    misses: list[int] = []
    for index, file in enumerate(files):
        hit = _cached(file, root, cache, limits)
        if hit is not None:
            hits[index] = hit
        else:
            misses.append(index)
    if not misses:
        yield from (hits[i] for i in range(len(files)))
        return
    client, cluster = connect(scheduler, jobs or 2)
    try:
        log.info("dask: %d files to extract on %s (%d from the cache)", len(misses),
                 scheduler or "a LocalCluster", len(hits))
        rules_files = rules_snapshot(rules)
        # Scattered once to every worker. A worker that dies takes its copy with it, and tasks
        # waiting on a lost copy are cancelled: a retry scatters the rules again.
        snapshot = client.scatter(rules_files, broadcast=True)
        root_text = str(root)

        def submit(indexes: list[int], rules_future):
            return client.submit(process_batch, [str(files[i]) for i in indexes], root_text, rules_future, limits,
                                 retries=RETRIES, pure=False)

        def rescatter():
            return client.scatter(rules_files, broadcast=True)

        batches = [misses[i:i + BATCH_FILES] for i in range(0, len(misses), BATCH_FILES)]
        futures = [submit(batch, snapshot) for batch in batches]
        done: dict[int, Outcome] = {}
        position = 0
        for batch, future in zip(batches, futures):
            for index, outcome in zip(batch, _batch_result(future, batch, files, root_text, submit, rescatter)):
                if cache is not None and outcome.document is not None and not outcome.reused:
                    cache.put(outcome.document, outcome.extraction)
                done[index] = outcome
            # hand outcomes on in file order as soon as every earlier file is ready (after the
            # last batch, that is every file)
            while position < len(files) and (position in hits or position in done):
                yield hits.pop(position, None) or done.pop(position)
                position += 1
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _batch_result(future, batch, files, root_text, submit, rescatter) -> list:
    """The batch's outcomes. When its task failed for good, the batch once more with the rules
    scattered again (a dead worker may have taken them along), then each file alone; a file
    whose worker still dies is an error line."""
    from .run import Outcome

    try:
        return future.result()
    except Exception as exc:
        log.warning("dask: a batch of %d files failed (%s); trying again", len(batch), type(exc).__name__)
    try:
        return submit(batch, rescatter()).result()
    except Exception as exc:
        log.warning("dask: the batch failed again (%s); trying each file alone", type(exc).__name__)
    outcomes = []
    for index in batch:
        try:
            outcomes += submit([index], rescatter()).result()
        except Exception as exc:
            source = relative_source(str(files[index]), root_text)
            outcomes.append(Outcome(source, error=f"the worker reading this file died ({type(exc).__name__}): skipped"))
    return outcomes


def _cached(file, root, cache: ExtractionCache | None, limits: Limits):
    """The cached outcome of a file, read on the client, or None (a miss, or a file the workers
    must judge: unsupported, unreadable, too large)."""
    from .ingest import IngestError, check_type
    from .run import Outcome

    if cache is None:
        return None
    try:
        check_type(PurePosixPath(str(file)))
        raw = read_source_bytes(str(file), limits.file_bytes)
    except IngestError:
        return None
    source = relative_source(str(file), str(root))
    hit = cache.get(hashlib.sha256(raw).hexdigest(), source)
    return Outcome(source, *hit, True) if hit else None
