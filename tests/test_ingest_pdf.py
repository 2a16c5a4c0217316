"""PDF ingest on PDFs built in tmp with fpdf2 (scripts/make_sample_pdfs.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from pipeline.ingest import read_document
from pipeline.ingest.pdf import dehyphenate

pytest.importorskip("fpdf")

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"


def _generator():
    spec = importlib.util.spec_from_file_location("make_sample_pdfs", ROOT / "scripts" / "make_sample_pdfs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _generator()

PAGE_1 = [
    "## Referat - Teknik- og Miljøudvalget, Kolding Kommune",
    "",
    "Mødedato: 3. oktober 2017",
    "",
    "## Punkt 12. Frikommuneforsøg om vandløb",
    "Udvalget behandlede ansøgningen fra netværket til Social- og Indenrigs-",
    "ministeriet om lokale regler for vedligehold. Sagen er koordineret med",
    "Frederiks-",
    "berg og med Ringkøbing-",
    "Skjern Kommune, der har tilsvarende forsøg i Social-",
    "og Indenrigsministeriets regi.",
]
PAGE_2 = [
    "Beslutning",
    "Udvalget anbefaler, at ansøgningen sendes til ministeriet (GRØNSKOLLING).",
    "",
    "## Punkt 13. Eventuelt",
    "Intet.",
]


@pytest.fixture(scope="module")
def two_page_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "kolding.pdf"
    gen.write_minutes_pdf(path, [PAGE_1, PAGE_2], header="Kolding Kommune · Teknik- og Miljøudvalget · Referat",
                          footer_template="Side {page} af {pages}")
    return path


@pytest.fixture(scope="module")
def two_page_doc(two_page_pdf, rules):
    return read_document(two_page_pdf, two_page_pdf.parent, rules)


def test_pages_and_offsets(two_page_doc):
    doc = two_page_doc
    assert doc.format == "pdf"
    assert doc.pages == 2
    assert len(doc.page_starts) == 2 and doc.page_starts[0] == 0
    assert doc.text[doc.page_starts[1]:].startswith("Beslutning\n")
    assert doc.text[doc.page_starts[1] - 2: doc.page_starts[1]] == "\n\n"
    on_page_2 = doc.text.index("GRØNSKOLLING")
    assert doc.page_of(on_page_2) == 2
    assert doc.page_of(doc.text.index("Mødedato")) == 1
    assert doc.page_of(doc.page_starts[1]) == 2
    assert doc.page_of(doc.page_starts[1] - 1) == 1


def test_running_header_and_footer_removed(two_page_doc):
    text = two_page_doc.text
    assert "Teknik- og Miljøudvalget · Referat" not in text
    assert "Side 1 af 2" not in text and "Side 2 af 2" not in text
    assert text.startswith("Referat - Teknik- og Miljøudvalget, Kolding Kommune\n")
    assert text.endswith("Punkt 13. Eventuelt\nIntet.")


def test_hyphenation(two_page_doc):
    text = two_page_doc.text
    assert "Social- og Indenrigsministeriet om lokale regler" in text  # broken word rejoined
    assert "Indenrigs-" not in text
    assert "Frederiksberg og med" in text  # lowercase continuation: one word
    assert "Ringkøbing-Skjern Kommune" in text  # uppercase continuation: real hyphen
    assert "Social- og Indenrigsministeriets regi" in text  # conjunction: suspended compound


def test_kind_and_title(two_page_doc):
    assert two_page_doc.kind == "committee_minutes"
    assert two_page_doc.title == "Referat - Teknik- og Miljøudvalget, Kolding Kommune"
    assert two_page_doc.published_hint is None


def test_one_page_pdf_page_number_lines_removed(tmp_path, rules):
    path = tmp_path / "one.pdf"
    gen.write_minutes_pdf(path, [["Side 1", "Dagsorden for Byrådet i Odder", "Punkt 1. Frikommune", "- 1 -"]],
                          footer_template="Side {page} af {pages}")
    doc = read_document(path, tmp_path, rules)
    assert doc.text == "Dagsorden for Byrådet i Odder\nPunkt 1. Frikommune"
    assert doc.pages == 1 and doc.page_starts == [0]


def test_page_number_inside_text_is_kept(tmp_path, rules):
    path = tmp_path / "numbers.pdf"
    gen.write_minutes_pdf(path, [["Budget for forsøget", "2019", "Side 3 i bilaget beskriver forløbet.", "Slut"]])
    doc = read_document(path, tmp_path, rules)
    assert doc.text == "Budget for forsøget\n2019\nSide 3 i bilaget beskriver forløbet.\nSlut"


def test_repeated_content_line_not_at_the_edge_is_kept(tmp_path, rules):
    # "Beslutning" starts two pages, but not at the same line: content, not a running header
    pages = [
        ["Punkt 1. Odder", "Sagsfremstilling", "Beslutning", "Godkendt."],
        ["Beslutning", "Godkendt.", "Punkt 2. Skanderborg", "Sagsfremstilling", "Tekst om forsøget."],
        ["Fortsat tekst.", "Beslutning", "Drøftet.", "Punkt 3. Syddjurs"],
    ]
    path = tmp_path / "repeat.pdf"
    gen.write_minutes_pdf(path, pages, header="Viborg Kommune - Referat", footer_template="{page}")
    doc = read_document(path, tmp_path, rules)
    assert doc.text.count("Beslutning") == 3
    assert doc.text.count("Sagsfremstilling") == 2
    assert "Viborg Kommune" not in doc.text
    assert doc.text.split("\n\n") == ["\n".join(page) for page in pages]
    assert doc.pages == 3 and len(doc.page_starts) == 3


def test_empty_page_keeps_page_numbering(tmp_path, rules):
    path = tmp_path / "gap.pdf"
    gen.write_minutes_pdf(path, [["Forside om frikommuner"], [], ["Bagside om frikommuner"]])
    doc = read_document(path, tmp_path, rules)
    assert doc.pages == 3
    assert doc.page_of(doc.text.index("Bagside")) == 3
    assert doc.page_of(doc.text.index("Forside")) == 1


@pytest.mark.parametrize("raw,expected", [
    ("Indenrigs-\nministeriet", "Indenrigsministeriet"),
    ("Social-\nog Indenrigsministeriet", "Social- og Indenrigsministeriet"),
    ("beskæftigelses-\neller socialområdet", "beskæftigelses- eller socialområdet"),
    ("Høje-\nTaastrup", "Høje-Taastrup"),
    ("e-\nmail", "e-mail"),
    ("2016-\n2020", "2016-\n2020"),  # not a word: left alone
    ("ord -\nnæste", "ord -\nnæste"),  # a dash, not a hyphen
])
def test_dehyphenate(rules, raw, expected):
    assert dehyphenate(raw, {"og", "eller", "samt", "til"}, {"e"}) == expected


def test_sample_pdfs_in_sources(rules):
    vejle = read_document(SOURCES / "vejle_oekonomiudvalget_2018-03-14.pdf", SOURCES, rules)
    assert vejle.kind == "committee_minutes"
    assert vejle.title == "Referat - Økonomiudvalget, Vejle Kommune"
    assert vejle.pages == 2
    assert "Social- og Indenrigsministeriet. Ministeriet har" in vejle.text
    assert "Høje-Taastrup Kommune" in vejle.text
    assert "Vejle Kommune · Økonomiudvalget · Referat" not in vejle.text
    assert "Side 1 af 2" not in vejle.text
    assert vejle.page_of(vejle.text.index("Ansøgningsfristen er 1. maj 2018")) == 2

    syddjurs = read_document(SOURCES / "syddjurs_social_sundhed_2018-04-09.pdf", SOURCES, rules)
    assert syddjurs.kind == "committee_minutes"
    assert "95. Status på frikommuneforsøg" in syddjurs.text
    assert "forsøgsperioden" in syddjurs.text
    assert "- 1 -" not in syddjurs.text and "- 2 -" not in syddjurs.text
    assert syddjurs.page_of(syddjurs.text.index("96. Ansøgning")) == 2


def test_generator_is_reproducible(tmp_path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for path in (a, b):
        gen.write_minutes_pdf(path, [PAGE_1, PAGE_2], header="H", footer_template="Side {page} af {pages}")
    assert a.read_bytes() == b.read_bytes()
