"""Shared fixtures. Rule-level tests build small Documents from sentences written for the test."""

from __future__ import annotations

import pytest

from pipeline.extract import build_nlp, extract
from pipeline.model import Document, doc_id_for
from pipeline.rules import Rules


@pytest.fixture(scope="session")
def rules() -> Rules:
    return Rules()


@pytest.fixture(scope="session")
def nlp(rules):
    return build_nlp(rules)


@pytest.fixture
def run_extract(nlp):
    """extract(text, published=..., kind=...) -> (mentions, document) for a made-up document.
    With records=True: (mentions, records, document)."""

    def _run(text: str, published: str | None = None, kind: str | None = None, fmt: str = "txt",
             records: bool = False):
        import hashlib

        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        document = Document(
            doc_id=doc_id_for(sha), source="test.txt", sha256=sha, format=fmt, text=text,
            kind=kind, published_hint=published,
        )
        result = extract(nlp, document)
        if records:
            return result.mentions, result.records, document
        return result.mentions, document

    return _run


# ---------------------------------------------------------------- a throwaway PostgreSQL server

def _postgres_bin():
    import glob
    import shutil

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return found[-1].rsplit("/", 1)[0]
    initdb = shutil.which("initdb")
    return initdb.rsplit("/", 1)[0] if initdb else None


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL cluster of its own in a temporary folder (initdb + pg_ctl, Debian's
    `postgresql` package, which `make test` installs), on a Unix socket only. Yields a function
    that returns the URL of a new, empty database."""
    import os
    import subprocess

    bindir = _postgres_bin()
    if bindir is None:
        if os.environ.get("FRIKOMMUNE_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL (initdb, pg_ctl) is required here: `make postgres` installs it")
        pytest.skip("PostgreSQL not installed (make postgres)")
    import tempfile
    from pathlib import Path

    # Not under pytest's temporary folder: that is private to root, and the server runs as
    # the postgres user when the tests run as root.
    base = Path(tempfile.mkdtemp(prefix="frikommune-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        import shutil

        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*as_user, f"{bindir}/initdb", "-D", str(data), "-A", "trust", "-U", "frikommune",
                    "-E", "UTF8", "--no-locale", "--no-sync"], check=True, capture_output=True)
    subprocess.run([*as_user, f"{bindir}/pg_ctl", "-D", str(data), "-w", "-l", str(base / "log"), "-o",
                    f"-k {sock} -c listen_addresses='' -F", "start"], check=True, capture_output=True)
    import itertools

    counter = itertools.count(1)

    def new_database() -> str:
        import psycopg

        name = f"t{next(counter)}"
        with psycopg.connect(f"postgresql://frikommune@/postgres?host={sock}", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://frikommune@/{name}?host={sock}"

    try:
        yield new_database
    finally:
        subprocess.run([*as_user, f"{bindir}/pg_ctl", "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        import shutil

        shutil.rmtree(base, ignore_errors=True)
