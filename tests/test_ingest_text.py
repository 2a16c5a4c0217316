"""Plain-text ingest: encodings, line endings, normalisation, Document fields."""

from __future__ import annotations

import hashlib

import pytest

from pipeline.ingest import SUPPORTED_SUFFIXES, read_document
from pipeline.ingest.normalize import normalize_text
from pipeline.model import doc_id_for

SENTENCE = "Kolding og Haderslev søger om at blive frikommuner i netværket Grøn omstilling i kommunerne."


def ingest(tmp_path, data: bytes, name: str = "note.txt", **kwargs):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return read_document(path, tmp_path, kwargs.pop("rules"), **kwargs)


def test_supported_suffixes():
    assert SUPPORTED_SUFFIXES == (".txt", ".html", ".htm", ".pdf")


def test_utf8_keeps_danish_letters(tmp_path, rules):
    doc = ingest(tmp_path, ("Ærø, Åbenrå og Ølstykke\n" + SENTENCE).encode("utf-8"), rules=rules)
    assert doc.text == "Ærø, Åbenrå og Ølstykke\n" + SENTENCE
    assert doc.format == "txt"


def test_utf8_bom_is_dropped(tmp_path, rules):
    plain = ingest(tmp_path, SENTENCE.encode("utf-8"), "a.txt", rules=rules)
    bom = ingest(tmp_path, b"\xef\xbb\xbf" + SENTENCE.encode("utf-8"), "b.txt", rules=rules)
    assert bom.text == plain.text == SENTENCE
    assert bom.sha256 != plain.sha256  # the hash is of the raw bytes


def test_cp1252_is_detected(tmp_path, rules):
    raw = "København: „Vi siger ja“ – 5 € pr. borger. Søren Ærø".encode("cp1252")
    assert raw.startswith(b"K\xf8benhavn")
    doc = ingest(tmp_path, raw, rules=rules)
    assert doc.text == "København: „Vi siger ja“ – 5 € pr. borger. Søren Ærø"


def test_latin1_with_bytes_undefined_in_cp1252(tmp_path, rules):
    # 0x81 and 0x8D do not exist in cp1252: decoding must fall back instead of failing
    raw = "Fællesskab i Svendborg og Faaborg-Midtfyn, Ærø".encode("latin-1") + b" \x81\x8d slut"
    doc = ingest(tmp_path, raw, rules=rules)
    assert doc.text.startswith("Fællesskab i Svendborg og Faaborg-Midtfyn, Ærø")
    assert doc.text.endswith("slut")
    assert "\x81" not in doc.text and "\x8d" not in doc.text


def test_crlf_and_cr_become_lf(tmp_path, rules):
    doc = ingest(tmp_path, b"Linje et\r\nLinje to\rLinje tre\r\n", rules=rules)
    assert doc.text == "Linje et\nLinje to\nLinje tre"


def test_debris_is_dropped(tmp_path, rules):
    doc = ingest(tmp_path, "Yderligere spørgsmål til Viborg Kommune.\n\n%MCEPASTEBIN%\n".encode(), rules=rules)
    assert "MCEPASTEBIN" not in doc.text
    assert doc.text == "Yderligere spørgsmål til Viborg Kommune."


def test_normalisation(rules):
    raw = ("\n\n  \nOverskrift\u00a0med\u202fmellemrum  \t\n"
           "Ti\u200bdsplan:\tforår\u20072019\n\n\n\n\n"
           "  • Punkt med kugle – og tankestreg   \n"
           "Ska\u030angen\n\n\n")
    assert normalize_text(raw, rules) == (
        "Overskrift med mellemrum\n"
        "Tidsplan: forår 2019\n\n"
        "  • Punkt med kugle – og tankestreg\n"
        "Skången"
    )


def test_normalisation_is_idempotent(rules):
    once = normalize_text("a\r\n\r\n\r\n\r\nb\u00a0 \n", rules)
    assert normalize_text(once, rules) == once == "a\n\nb"


def test_document_fields(tmp_path, rules):
    raw = ("Svendborg er frikommune\n\nOffentliggjort 3. maj 2018\n\n" + SENTENCE).encode()
    doc = ingest(tmp_path, raw, "kommuner/svendborg/note.txt", rules=rules)
    sha = hashlib.sha256(raw).hexdigest()
    assert doc.sha256 == sha
    assert doc.doc_id == doc_id_for(sha)
    assert doc.source == "kommuner/svendborg/note.txt"
    assert doc.title == "Svendborg er frikommune"
    # dates in the text are for the extract stage, not ingest
    assert doc.published_hint is None and doc.published is None
    assert doc.pages is None and doc.page_starts is None
    assert doc.page_of(5) is None


def test_reading_is_deterministic(tmp_path, rules):
    raw = ("Overskrift\r\n\r\n\r\n" + SENTENCE + "\u00a0\r\n").encode("cp1252")
    a = ingest(tmp_path, raw, "a.txt", rules=rules)
    b = ingest(tmp_path, raw, "b.txt", rules=rules)
    assert (a.text, a.doc_id, a.kind, a.title) == (b.text, b.doc_id, b.kind, b.title)


def test_uppercase_suffix_is_accepted(tmp_path, rules):
    doc = ingest(tmp_path, SENTENCE.encode(), "NOTE.TXT", rules=rules)
    assert doc.format == "txt"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_with_bom(tmp_path, rules, encoding):
    raw = SENTENCE.encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    assert ingest(tmp_path, raw, rules=rules).text == SENTENCE


def test_normalisation_matches_the_plain_steps(rules):
    """normalize_text skips work it can tell is not needed; the result is what the plain steps give."""
    import random
    import re
    import unicodedata

    from pipeline.ingest import normalize

    def plain(text):
        text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
        text = text.translate(normalize._TRANSLATE)
        for pattern in normalize.debris_patterns(rules):
            text = pattern.sub("", text)
        return re.sub(r"\n{3,}", "\n\n", re.sub(r"(?m)[ ]+$", "", text)).strip("\n")

    alphabet = [chr(c) for c in normalize._TRANSLATE] + list("ab æ\n\n\r\t") + ["%MCEPASTEBIN%", "_x000D_", "e\u0301"]
    rng = random.Random(3)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert normalize_text(text, rules) == plain(text), repr(text)


def test_source_path_through_a_symlink(tmp_path, rules):
    """The source is the path below the root after resolving links, with or without a shortcut."""
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "note.txt").write_text(SENTENCE, encoding="utf-8")
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "plain.txt").write_text(SENTENCE, encoding="utf-8")
    (root / "sub" / "linked.txt").symlink_to(tmp_path / "real" / "note.txt")
    (root / "linkdir").symlink_to(tmp_path / "real")
    assert read_document(root / "plain.txt", root, rules).source == "plain.txt"
    # resolved outside the root: the path as given
    for path in [root / "sub" / "linked.txt", root / "linkdir" / "note.txt"]:
        assert read_document(path, root, rules).source == path.as_posix()
    # a root reached through a link
    (tmp_path / "rootlink").symlink_to(root)
    assert read_document(tmp_path / "rootlink" / "plain.txt", root, rules).source == "plain.txt"
    assert read_document(root / "plain.txt", tmp_path / "rootlink", rules).source == "plain.txt"
