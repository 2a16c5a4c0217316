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
