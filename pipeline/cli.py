"""Command line: `frikommune run`, `review`, `diff`, `release`, `load`; `frikommune --version`.

Exit codes: 0 all documents processed; 1 some documents failed (see errors.jsonl);
2 the command could not do its work (missing folder, broken rules, no database); nothing
was changed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .limits import MB, Limits
from .rules import Rules, RulesError

EXIT_OK, EXIT_SOME_FAILED, EXIT_FATAL = 0, 1, 2


def positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {n}")
    return n


def path_or_url(text: str):
    return text if "://" in text else Path(text)


def positive_number(text: str) -> float:
    try:
        n = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not n > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="frikommune",
        description="Extract municipalities, dates and frikommune facts from Danish public documents.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"frikommune {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run_p = sub.add_parser("run", help="ingest, extract and publish a folder of documents",
                           description="Run the pipeline over a folder of documents. Unchanged "
                                       "documents are taken from the cache in OUT/.cache.")
    run_p.add_argument("--sources", type=path_or_url, default=Path("sources"),
                       help="folder of input documents (default: sources/); with --executor dask also "
                            "an fsspec URL (file://…, s3://…)")
    run_p.add_argument("--out", type=Path, default=Path("extracted"),
                       help="output folder (default: extracted/)")
    run_p.add_argument("--rules", type=Path, default=None,
                       help="rules folder (default: the project's rules/)")
    run_p.add_argument("--no-cache", action="store_true", help="re-extract every document")
    run_p.add_argument("--no-originals", action="store_true",
                       help="do not keep a copy of each source file in OUT/originals/ (the workbench "
                            "then shows no original page)")
    run_p.add_argument("--jobs", type=positive_int, default=None, metavar="N",
                       help="worker processes (default: one per core for large folders, else 1)")
    mode = run_p.add_mutually_exclusive_group()
    mode.add_argument("--add", action="store_true",
                      help="add the folder's documents to the dataset in OUT and keep the documents it "
                           "already holds that the folder lacks (for a feed of new files). Default: "
                           "the dataset mirrors the folder, and documents that left it are removed "
                           "and named in the summary and in OUT/changes.jsonl")
    run_p.add_argument("--prune", action="store_true",
                       help="also delete the cached extractions of documents no longer in the "
                            "dataset (by default they stay cached, so putting a file back costs nothing)")
    run_p.add_argument("--include", action="append", metavar="GLOB",
                       help="read only files matching GLOB (path below the sources folder or file name; "
                            "repeatable), e.g. --include '*.pdf'")
    run_p.add_argument("--exclude", action="append", metavar="GLOB",
                       help="skip files matching GLOB (repeatable), e.g. --exclude '*.docx'")
    run_p.add_argument("--follow-links", action="store_true",
                       help="read symbolic links whose target lies outside the sources folder "
                            "(refused by default, each with an error line)")
    run_p.add_argument("--executor", choices=("local", "dask"), default="local",
                       help="where documents are read and extracted: this machine's processes (default) "
                            "or a Dask cluster (pip install '.[dask]')")
    run_p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="with --executor dask: the scheduler, e.g. tcp://10.0.0.5:8786 (default: a "
                            "LocalCluster of --jobs workers, 2 if not given)")
    run_p.add_argument("--quiet", action="store_true",
                       help="print nothing but errors and warnings (to stderr); the exit code tells the rest")
    run_p.add_argument("-v", "--verbose", action="count", default=0,
                       help="log what the run does to stderr: -v the stages and every failed file, "
                            "-vv also every file with its time")
    run_p.add_argument("--log-file", type=Path, default=None, metavar="FILE",
                       help="append the full log (every file, with its time) to FILE")
    limits = run_p.add_argument_group("limits per document (one error line each; see pipeline/limits.py)")
    default = Limits()
    limits.add_argument("--max-file-mb", type=positive_number, default=default.file_bytes / 1e6, metavar="MB",
                        help=f"largest file read (default: {default.file_bytes / 1e6:g})")
    limits.add_argument("--max-pdf-pages", type=positive_int, default=default.pdf_pages, metavar="N",
                        help=f"most pages of a PDF (default: {default.pdf_pages})")
    limits.add_argument("--max-pdf-inflated-mb", type=positive_number, default=default.pdf_inflated_bytes / MB,
                        metavar="MB", help="most a PDF's compressed streams may inflate to "
                                           f"(default: {default.pdf_inflated_bytes // MB})")
    limits.add_argument("--max-chars", type=positive_int, default=default.text_chars, metavar="N",
                        help=f"longest text of one document, in characters (default: {default.text_chars:,})")
    limits.add_argument("--max-seconds", type=float, default=default.document_seconds, metavar="S",
                        help="time budget of one document; 0 for none "
                             f"(default: {default.document_seconds:g}, or FRIKOMMUNE_DOCUMENT_SECONDS)")
    review_p = sub.add_parser("review", help="start the reviewer's workbench over an output folder",
                              description="Serve the review workbench on a local address. Decisions are "
                                          "appended to OUT/review/decisions.jsonl and applied by the next run.")
    review_p.add_argument("--out", type=Path, default=Path("extracted"),
                          help="output folder of a run (default: extracted/)")
    review_p.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    review_p.add_argument("--host", default="127.0.0.1",
                          help="address to bind (default: 127.0.0.1, this machine only)")
    review_p.add_argument("--reviewer", default=None, metavar="NAME",
                          help="record every decision under this name (default: the page asks)")
    review_p.add_argument("--rules", type=Path, default=None,
                          help="rules folder the dataset was built with (default: as for run)")
    diff_p = sub.add_parser("diff", help="what an edit to the rules would change in a dataset",
                            description="Re-extract the published dataset with another rules folder (in a "
                                        "scratch folder, with the caches, ids and review log of OUT) and "
                                        "report the mentions and records that would be added, updated and "
                                        "removed, and the review decisions that would become orphans. "
                                        "Writes OUT/diff.jsonl; nothing else in OUT changes.")
    diff_p.add_argument("--rules", type=Path, required=True, metavar="NEW_RULES_DIR",
                        help="the edited rules folder")
    diff_p.add_argument("--out", type=Path, default=Path("extracted"),
                        help="output folder of a run (default: extracted/)")
    diff_p.add_argument("--sources", type=Path, default=None,
                        help="the folder the dataset was built from (default: the originals kept in OUT)")
    diff_p.add_argument("--show", type=int, default=40, metavar="N",
                        help="changes printed (default: 40; all are in OUT/diff.jsonl)")
    release_p = sub.add_parser("release", help="write a versioned release of a dataset for registries",
                               description="Write TO/v<N>: a Frictionless Data Package (CSV tables with "
                                           "Table Schemas), the JSON Schemas, changes.csv and CHANGELOG.md "
                                           "against the previous release in TO. Nothing is written when the "
                                           "dataset has not changed since that release.")
    release_p.add_argument("--out", type=Path, default=Path("extracted"),
                           help="output folder of a run (default: extracted/)")
    release_p.add_argument("--to", type=Path, required=True, help="folder of releases")
    load_p = sub.add_parser("load", help="load a dataset or a release into PostgreSQL",
                            description="Upsert every table by id into PostgreSQL in one transaction; rows "
                                        "no longer in the dataset are marked removed_at, never deleted. "
                                        "Loading the same dataset twice changes nothing.")
    load_p.add_argument("--postgres", required=True, metavar="URL",
                        help="database, e.g. postgresql://user@localhost/frikommune")
    source = load_p.add_mutually_exclusive_group()
    source.add_argument("--out", type=Path, default=None, help="output folder of a run (default: extracted/)")
    source.add_argument("--release", type=Path, default=None, metavar="DIR", help="a release folder (TO/v<N>)")
    args = parser.parse_args(argv)

    if args.command == "run":
        return command_run(args)
    if args.command == "review":
        return command_review(args)
    if args.command == "diff":
        return command_diff(args)
    if args.command == "release":
        return command_release(args)
    if args.command == "load":
        return command_load(args)
    return EXIT_FATAL


def command_diff(args: argparse.Namespace) -> int:
    from .publish import OutputLocked
    from .rulediff import DIFF_FILE, DiffError, describe, diff_rules

    try:
        new_rules = Rules(args.rules)
        result = diff_rules(args.out, new_rules, args.sources)
    except (DiffError, RulesError, OutputLocked) as exc:
        print(f"frikommune: {exc}", file=sys.stderr)
        return EXIT_FATAL
    except OSError as exc:
        print(f"frikommune: cannot make the diff: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FATAL
    for line in result.lines[: max(0, args.show)]:
        print(describe(line))
    if len(result.lines) > args.show:
        print(f"… {len(result.lines) - args.show} more")
    summary = "; ".join(f"{group} " + ", ".join(f"{n} {change}" for change, n in sorted(c.items()))
                        for group, c in sorted(result.counts.items())) or "no change"
    print(f"diff:      {summary}")
    for error in result.errors:
        print(f"error:     {error['source']}: {error['error']}", file=sys.stderr)
    print(f"output:    {args.out / DIFF_FILE}")
    return EXIT_OK


def command_release(args: argparse.Namespace) -> int:
    from .release import ReleaseError, release

    try:
        version, tally = release(args.out, args.to)
    except ReleaseError as exc:
        print(f"frikommune: {exc}", file=sys.stderr)
        return EXIT_FATAL
    except OSError as exc:
        print(f"frikommune: cannot write the release: {exc}", file=sys.stderr)
        return EXIT_FATAL
    changed = format_changes({group: c for group, c in tally.items() if c})
    print(f"release:   {version} in {args.to}" + (f" ({changed})" if changed else " (unchanged: nothing written)"))
    return EXIT_OK


def command_load(args: argparse.Namespace) -> int:
    from .load import LoadError, load

    try:
        report = load(args.postgres, out=args.out, release=args.release)
    except LoadError as exc:
        print(f"frikommune: {exc}", file=sys.stderr)
        return EXIT_FATAL
    for table, r in report.items():
        print(f"{table:15} insert {r['insert']}, update {r['update']}, noop {r['noop']}, removed {r['removed']}")
    return EXIT_OK


def command_run(args: argparse.Namespace) -> int:
    from .run import OutputLocked, RunAborted, run  # heavy imports (spaCy) only when needed

    if isinstance(args.sources, str) and args.executor != "dask":
        print(f"frikommune: a URL as --sources needs --executor dask: {args.sources}", file=sys.stderr)
        return EXIT_FATAL
    if isinstance(args.sources, Path) and not args.sources.is_dir():
        print(f"frikommune: sources folder not found: {args.sources}", file=sys.stderr)
        return EXIT_FATAL
    if args.scheduler and args.executor != "dask":
        print("frikommune: --scheduler needs --executor dask", file=sys.stderr)
        return EXIT_FATAL
    if args.executor == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            print("frikommune: --executor dask needs Dask: pip install 'frikommune[dask]'", file=sys.stderr)
            return EXIT_FATAL
    if args.max_seconds < 0:
        print("frikommune: --max-seconds must be 0 (no budget) or more", file=sys.stderr)
        return EXIT_FATAL
    limits = Limits(file_bytes=int(args.max_file_mb * 1e6), pdf_pages=args.max_pdf_pages,
                    pdf_inflated_bytes=int(args.max_pdf_inflated_mb * MB), text_chars=args.max_chars,
                    document_seconds=args.max_seconds)
    progress = None
    try:
        configure_logging(args.verbose, args.log_file)
        rules = Rules(args.rules)
        # the log's own lines would break a bar redrawn in place: with -v, plain lines instead
        progress = None if args.quiet else Progress(sys.stderr, bar=not args.verbose)
        summary = run(args.sources, args.out, rules, progress=progress, use_cache=not args.no_cache,
                      jobs=args.jobs, mode="add" if args.add else "mirror", prune=args.prune,
                      follow_links=args.follow_links, include=args.include, exclude=args.exclude,
                      limits=limits, executor=args.executor, scheduler=args.scheduler,
                      originals=not args.no_originals)
    except (RulesError, RunAborted, OutputLocked) as exc:
        if progress:
            progress.done()
        print(f"frikommune: {exc}; the dataset in {args.out} was left as it was", file=sys.stderr)
        return EXIT_FATAL
    except OSError as exc:
        if progress:
            progress.done()
        print(f"frikommune: cannot write output: {exc}", file=sys.stderr)
        return EXIT_FATAL
    if progress:
        progress.done()
    if args.quiet:
        for warning in summary.warnings:
            print(f"frikommune: warning: {warning}", file=sys.stderr)
        for error in summary.errors:
            print(f"frikommune: {error['source']}: {error['error']}", file=sys.stderr)
    else:
        print_summary(summary, args.out)
    return summary.exit_code


def command_review(args: argparse.Namespace) -> int:
    if args.rules is not None:
        try:
            Rules(args.rules)  # fail now, with the run's message, not on the first request
        except RulesError as exc:
            print(f"frikommune: {exc}", file=sys.stderr)
            return EXIT_FATAL
        import os

        os.environ["FRIKOMMUNE_RULES"] = str(args.rules)  # the workbench reads rules through Rules()
    if not (args.out / "documents.jsonl").is_file():
        print(f"frikommune: no dataset in {args.out}: run `frikommune run` first", file=sys.stderr)
        return EXIT_FATAL
    from .review.app import serve

    try:
        serve(args.out, host=args.host, port=args.port, reviewer=args.reviewer,
              announce=lambda line: print(line, flush=True))
    except OSError as exc:
        reason = "address already in use" if exc.errno in (48, 98) else (exc.strerror or str(exc))
        print(f"frikommune: cannot listen on {args.host}:{args.port}: {reason}", file=sys.stderr)
        return EXIT_FATAL
    except ValueError as exc:  # a reviewer name that cannot go into the log
        print(f"frikommune: {exc}", file=sys.stderr)
        return EXIT_FATAL
    return EXIT_OK


def configure_logging(verbose: int, log_file: Path | None) -> None:
    """The `frikommune` logger: to stderr at INFO with -v, DEBUG with -vv; every record (DEBUG)
    appended to `log_file`. Nothing is logged otherwise: the summary is the normal output."""
    import logging

    logger = logging.getLogger("frikommune")
    for handler in list(logger.handlers):  # main() may run more than once in a process (tests)
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    if verbose:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
        console.setFormatter(logging.Formatter("%(levelname).1s %(message)s"))
        logger.addHandler(console)
    if log_file is not None:
        try:
            handler = logging.FileHandler(log_file, encoding="utf-8")
        except OSError as exc:
            raise OSError(f"cannot open the log file {log_file}: {exc.strerror or exc}") from None
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())


class Progress:
    """On a terminal, a progress bar with rate and time left (tqdm, which spaCy already
    installs); otherwise, and under -v, a plain line every tenth of the batch."""

    def __init__(self, stream, bar: bool = True):
        self.stream = stream
        self.tty = bar and stream.isatty()
        self.started = None
        self.bar = None

    def __call__(self, index: int, total: int, source: str) -> None:
        import time

        if self.started is None:
            self.started = time.monotonic()
        if self.tty:
            if self.bar is None:
                from tqdm import tqdm

                self.bar = tqdm(total=total, file=self.stream, unit="doc", dynamic_ncols=True, leave=False,
                                bar_format="{n_fmt}/{total_fmt} {bar} {rate_fmt}, {remaining} left  {desc}")
            self.bar.set_description_str(source[-40:], refresh=False)
            self.bar.update(index - self.bar.n)
        elif total >= 50 and index % max(1, total // 10) == 0:
            elapsed = max(time.monotonic() - self.started, 1e-9)
            rate = index / elapsed
            left = (total - index) / rate if rate else 0.0
            self.stream.write(f"[{index}/{total}] {index * 100 // total}% · {rate:.1f} documents/s · "
                              f"{left:.0f} s left\n")
            self.stream.flush()

    def done(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def format_changes(tally: dict[str, dict[str, int]]) -> str:
    """{"documents": {"added": 1}, "records": {}} -> "documents 1 added; records none"."""
    return "; ".join(f"{group} " + (", ".join(f"{n} {what}" for what, n in c.items()) or "none")
                     for group, c in tally.items())


def print_summary(summary, out: Path) -> None:
    by_type = ", ".join(f"{t} {n}" for t, n in sorted(summary.mentions.items())) or "none"
    print(f"documents: {summary.documents} ({summary.extracted} extracted, {summary.reused} unchanged"
          + (f", {summary.duplicates} duplicate files" if summary.duplicates else "") + ")")
    if summary.kept_documents:
        print(f"kept:      {summary.kept_documents} documents of the dataset not in the folder (--add)")
    if summary.removed_documents:
        shown = ", ".join(summary.removed_documents[:5]) + (" …" if len(summary.removed_documents) > 5 else "")
        print(f"removed:   {len(summary.removed_documents)} documents no longer in the folder: {shown} "
              f"(run with --add to keep them)")
    print(f"mentions:  {by_type}")
    if summary.repaired:
        shown = ", ".join(summary.repaired[:5]) + (" …" if len(summary.repaired) > 5 else "")
        print(f"repaired:  {len(summary.repaired)} documents with mixed encodings or mojibake, read back "
              f"(documents.attrs.repaired): {shown}")
    print("records:   " + (", ".join(f"{name} {n}" for name, n in summary.records.items()) or "none"))
    if summary.reviews.get("unreadable"):
        print(f"reviews:   {summary.reviews['unreadable']} lines of the review log cannot be read "
              f"(torn or foreign; listed in OUT/review_errors.jsonl)")
    if summary.reviews.get("applied") or summary.orphaned:
        print(f"reviews:   {summary.reviews['applied']} applied, {summary.reviews['rejected']} rows rejected, "
              f"{len(summary.orphaned)} orphaned")
        for o in summary.orphaned:
            print(f"  orphaned {o['action']} by {o['reviewer']} on {o['table']}/{o['target']}: {o['reason']}")
    if summary.changes:
        print("changes:   " + format_changes(summary.changes) + " (OUT/changes.jsonl)")
    for warning in summary.warnings:
        print(f"warning:   {warning}")
    print(f"errors:    {len(summary.errors)}")
    for error in summary.errors:
        print(f"  {error['source']}: {error['error']}")
    print(f"seconds:   {summary.seconds:.2f}" + (f" (slowest document: {summary.slowest[0]}, {summary.slowest[1]:.2f} s)"
                                                  if summary.slowest[0] and summary.extracted else ""))
    print(f"output:    {out}")


def entry() -> int:
    """The console script: main(), and no traceback when the output is piped into `head`."""
    try:
        code = main()
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's own advice
        return EXIT_SOME_FAILED


if __name__ == "__main__":
    sys.exit(entry())
