"""Agenda items on web pages of municipal minutes systems (pipeline/extract/minutes/ and
rules/committee_minutes.yaml, committee_decisions.yaml, document_kinds.yaml).

Every document here is written for these tests: invented municipalities' pages, titles, case
numbers and wording, laid out the way such systems lay out their pages (one page per item,
navigation and share links around it, a meeting's table of contents, an index of attachments).
Each test reads the page as a file (so the document kind is classified as in a run) unless it
needs to force a kind.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from pipeline.extract import extract
from pipeline.ingest import read_document
from pipeline.ingest.classify import classify_kind
from pipeline.model import Document, doc_id_for

# The component with the two it reads from, and the record helpers: as in test_minutes.py.
from test_minutes import nlp, numbers, value  # noqa: F401  (nlp is a fixture)

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "minutes"

with (REPO / "rules" / "municipalities.csv").open(encoding="utf-8", newline="") as _fh:
    CODE = {row["navn"]: row["kode"] for row in csv.DictReader(_fh)}

def _agenda(records, text):
    out = [r for r in records if r.type == "agenda_item"]
    for r in out:
        for f in r.fields.values():
            if isinstance(f, dict) and "start" in f:
                assert text[f["start"]:f["end"]] == f["text"]
    return out


@pytest.fixture
def page(tmp_path, rules, nlp):
    """text -> (document, agenda items), the text read from a .txt file as a run reads it."""

    def _run(text: str, name: str = "side.txt"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        document = read_document(path, tmp_path, rules)
        return document, _agenda(extract(nlp, document).records, document.text)

    return _run


@pytest.fixture
def items(nlp):
    """text -> agenda items of a document of the given kind."""

    def _run(text: str, kind: str | None = "committee_minutes"):
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        document = Document(doc_id=doc_id_for(sha), source="t.txt", sha256=sha, format="txt", text=text, kind=kind)
        return _agenda(extract(nlp, document).records, document.text)

    return _run


def by_number(records):
    """Records in item-number order (a table of contents' entries come before the items' texts)."""
    return sorted(records, key=lambda r: [int(p) for p in value(r.fields["agenda_item"]).split(".")])


TITLE = "Frikommuneforsøg om færre indberetninger på ældreområdet"


def web_item(header: str, case_line: str = "Sagsnr.: 14/30877",
             decision: str = "Beslutning i Økonomiudvalget den 09-10-2018\n\nIndstillingen godkendt.") -> str:
    """One agenda item as a minutes system's web page shows it, navigation and share links around."""
    return (
        "Forside\nPolitik\nDagsordener og referater\nØkonomiudvalget\n\n"
        "Økonomiudvalget - referat\nMødedato: 09.10.2018\nTønder Kommune\n\nPrint\nDel\n\n"
        f"{header}\n\n{case_line}\n\n"
        "Beslutningstema\nUdvalget skal tage stilling til, om kommunen søger om forsøget.\n\n"
        "Indstilling\nAdministrationen indstiller, at ansøgningen sendes til ministeriet.\n\n"
        f"{decision}\n\n"
        "Bilag\n1. Ansøgningsskema (PDF)\n2. Notat om forsøget (PDF)\n\n"
        "Del på Facebook\nTil toppen\nKontakt kommunen\n"
    )


# ---------------------------------------------------------------------------- item headers
@pytest.mark.parametrize("header, rule", [
    (f"Nr.31 - {TITLE}", "minutes.item.nr"),
    (f"Nr. 31: {TITLE}", "minutes.item.nr"),
    (f"31. {TITLE}", "minutes.item.numbered"),
    (f"Punkt 31: {TITLE}", "minutes.item.punkt"),
    (f"Punkt 31 - {TITLE}", "minutes.item.punkt"),
    (f"Punkt 31, {TITLE}", "minutes.item.punkt"),
    (f"Pkt. nr. 31 {TITLE}", "minutes.item.punkt"),
    (f"Sag nr. 31 {TITLE}", "minutes.item.sag_nr"),
    (f"31 Åbent {TITLE}", "minutes.item.access"),
    (f"31{TITLE}", "minutes.item.glued"),
])
def test_header_forms_on_a_web_page(page, header, rule):
    document, recs = page(web_item(header))
    assert document.kind == "committee_minutes"
    (rec,) = recs  # the attachment list's "1." and "2." open no items
    assert rec.rule == rule
    assert value(rec.fields["agenda_item"]) == "31"
    assert value(rec.fields["title"]) == TITLE
    assert value(rec.fields["case_number"]) == "14/30877"
    assert value(rec.fields["decision"]) == "approved"


# ---------------------------------------------------------------------------- case numbers
@pytest.mark.parametrize("line, expected, rule, label", [
    ("Sagsnr.: 14/30877", "14/30877", "minutes.case_number.label", "Sagsnr"),
    ("Sags nr. 2019-012345", "2019-012345", "minutes.case_number.label", "Sags nr"),
    ("Sagsnr 2019-012345", "2019-012345", "minutes.case_number.label", "Sagsnr"),
    ("Sagsnummer: 455-2017-1234", "455-2017-1234", "minutes.case_number.label", "Sagsnummer"),
    ("J.nr. 27.00.00-A00-3-19", "27.00.00-A00-3-19", "minutes.case_number.label", "J.nr"),
    ("J. nr.: 82.02.00-P20-12-17", "82.02.00-P20-12-17", "minutes.case_number.label", "J. nr"),
    ("Journalnr. 19/4410", "19/4410", "minutes.case_number.label", "Journalnr"),
    ("Sag 455-2017-1234", "455-2017-1234", "minutes.case_number.sag_label", "Sag"),
    ("Sagsnr.: 455-2018-3619          Dok.nr.: 455-2018-500301          Åbent", "455-2018-3619",
     "minutes.case_number.label", "Sagsnr"),
    ("Åbent - 27.00.00-A00-3-19", "27.00.00-A00-3-19", "minutes.case_number.access_line", "Åbent"),
    ("Lukket: 2019-012345", "2019-012345", "minutes.case_number.access_line", "Lukket"),
    ("2019-012345", "2019-012345", "minutes.case_number.line", None),
    ("27.00.00-A00-3-19", "27.00.00-A00-3-19", "minutes.case_number.line", None),
    ("081234-2019", "081234-2019", "minutes.case_number.line", None),
    ("19/4410", "19/4410", "minutes.case_number.line", None),
])
def test_case_number_labels_and_formats(page, line, expected, rule, label):
    _, recs = page(web_item(f"Nr.31 - {TITLE}", case_line=line))
    (rec,) = recs
    case = rec.fields["case_number"]
    assert (value(case), case["rule"], case.get("label")) == (expected, rule, label)


def test_a_document_number_alone_is_no_case_number(page):
    _, recs = page(web_item(f"Nr.31 - {TITLE}", case_line="Dok.nr.: 455-2018-500301"))
    assert recs[0].fields["case_number"] is None


def test_case_number_of_each_item_in_a_whole_meeting(items):
    text = (
        "Referat\nSocial- og Sundhedsudvalget, Faxe Kommune\nMødedato: 2. maj 2017\n\n"
        "1 Åbent Godkendelse af dagsorden\n\n081234-2017\n\nBeslutning\nGodkendt.\n\n"
        "2 Åbent Frikommuneforsøg om visitation\n\n081240-2017\n\nResumé\nNetværket søger om forsøget.\n\n"
        "Beslutning\nAnbefales.\n"
    )
    recs = items(text)
    assert numbers(recs) == ["1", "2"]
    assert [value(r.fields["case_number"]) for r in recs] == ["081234-2017", "081240-2017"]
    assert [value(r.fields["decision"]) for r in recs] == ["approved", "recommended"]


# ---------------------------------------------------------------------------- decision sections
@pytest.mark.parametrize("block, decision, body, meeting", [
    ("Beslutning\n\nTaget til efterretning.", "noted", None, None),
    ("Beslutning:\nUdsat.", "postponed", None, None),
    ("Beslutning: Anbefales.", "recommended", None, None),
    ("Beslutning i Økonomiudvalget den 18-09-2018\n\nIndstillingen godkendt.", "approved", "Økonomiudvalget",
     "2018-09-18"),
    ("Beslutning i Økonomiudvalget den 18-09-2018:\nIndstillingen godkendt.", "approved", "Økonomiudvalget",
     "2018-09-18"),
    ("Beslutning i Kommunalbestyrelsen (22-25) den 03-02-2023\n\nDagsordenen blev godkendt.", "approved",
     "Kommunalbestyrelsen", "2023-02-03"),
    ("Beslutning i Teknik- og Miljøudvalget, 18-09-2018\nGodkendt.", "approved", "Teknik- og Miljøudvalget",
     "2018-09-18"),
    ("Beslutning den 3. maj 2019\nDrøftet.", "discussed", None, "2019-05-03"),
    ("Udvalgets beslutning\nTaget til efterretning.", "noted", None, None),
    ("Økonomiudvalgets beslutning den 5. marts 2015\nOversendes til byrådet.", "recommended", "Økonomiudvalget",
     "2015-03-05"),
])
def test_decision_section_forms(items, block, decision, body, meeting):
    text = (f"Nr.12 - {TITLE}\n\nSagsnr.: 18/5531\n\nSagsfremstilling\nSagen er forberedt af forvaltningen.\n\n"
            f"{block}\n")
    (rec,) = items(text)
    assert value(rec.fields["decision"]) == decision
    assert value(rec.fields["body"]) == body
    assert value(rec.fields["meeting_date"]) == meeting
    assert "Sagen er forberedt" not in value(rec.fields["decision_text"])


@pytest.mark.parametrize("line, expected, rule", [
    ("Oversendes til byrådet.", "recommended", "decision.recommended.forwarded_to_body"),
    ("Sagen oversendes til Kommunalbestyrelsen.", "recommended", "decision.recommended.forwarded_to_body"),
    ("Oversendes til Økonomiudvalgets behandling.", "recommended", "decision.recommended.forwarded_to_body"),
    ("Indstilles godkendt.", "recommended", "decision.recommended.proposed_approved"),
    ("Indstilles til Byrådets godkendelse.", "recommended", "decision.recommended.proposed_approved"),
    ("Oversendes til Byrådet med anbefaling.", "recommended", "decision.recommended.forwarded"),
    ("Indstillingen godkendt.", "approved", "decision.approved.recommendation"),
    ("Taget til efterretning.", "noted", "decision.noted.taken_note"),
    ("Anbefales.", "recommended", "decision.recommended.recommended"),
    ("Udsat.", "postponed", "decision.postponed.postponed"),
    ("Økonomiudvalget indstiller til Byrådet, at ansøgningen godkendes.", "recommended",
     "decision.recommended.recommends_to_body"),
    ("Udvalget anbefaler over for Kommunalbestyrelsen at søge om forsøget.", "recommended",
     "decision.recommended.recommends_to_body"),
    ("Udvalget anbefaler indstillingen.", "recommended", "decision.recommended.recommended"),
    ("Forslaget faldt med 4 stemmer mod 5.", "rejected", "decision.rejected.fell"),
])
def test_decision_wordings(page, line, expected, rule):
    _, (rec,) = page(web_item(f"Nr.31 - {TITLE}", decision=f"Beslutning\n\n{line}"))
    assert (value(rec.fields["decision"]), rec.fields["decision"]["rule"]) == (expected, rule)


def test_an_absentee_line_right_under_the_decision_heading_does_not_end_the_section(items):
    text = (f"4. {TITLE}\n\nSagsnr.: 330-2018-3619\n\nIndstilling\nBorgmesteren indstiller,\n"
            "1.    at ansøgningen godkendes\n\n"
            "Beslutning i Økonomiudvalget den 1. oktober 2018:\nFraværende: Hans Berg (V)\nGodkendt.\n")
    (rec,) = items(text)
    assert value(rec.fields["decision"]) == "approved"
    assert value(rec.fields["decision_text"]) == "Godkendt."
    assert [a["value"] for a in rec.fields["absent"]] == ["Hans Berg"]


def test_a_heading_glued_to_the_end_of_a_paragraph(items):
    text = (f"Nr.12 - {TITLE}\n\nSagsnr.: 18/5531\n\nBeslutningstema\n"
            "Udvalget skal orienteres om svaret fra ministeriet.  Sagsfremstilling og økonomi\n\n"
            "Ministeriet har svaret kommunen.\n\nBeslutning\nTaget til efterretning.\n")
    (rec,) = items(text)
    sections = rec.fields["sections"]
    assert value(sections["issue"]) == "Udvalget skal orienteres om svaret fra ministeriet."
    assert value(sections["case"]) == "Ministeriet har svaret kommunen."
    assert value(rec.fields["decision"]) == "noted"


# ---------------------------------------------------------------------------- no decision
def test_an_agenda_page_is_minutes_and_its_item_has_no_decision(page):
    text = (
        "Dagsorden\nBørne- og Skoleudvalget\nMødedato: 14.11.2019\n\n"
        f"Nr.52 - {TITLE}\n\nSagsnr.: 19/22871\n\n"
        "Beslutningstema\nUdvalget skal godkende ansøgningen.\n\n"
        "Indstilling\nForvaltningen indstiller, at ansøgningen godkendes.\n\n"
        "Bilag\nAnsøgning (PDF)\n"
    )
    document, (rec,) = page(text, name="nyhed_om_forsoeg.txt")  # whatever the file is called
    assert document.kind == "committee_minutes"
    assert value(rec.fields["agenda_item"]) == "52"
    assert value(rec.fields["case_number"]) == "19/22871"
    assert rec.fields["decision"] is None and rec.fields["decision_text"] is None
    assert value(rec.fields["meeting_date"]) == "2019-11-14"


def test_a_page_cut_short_after_the_case_number_is_still_an_item(page):
    text = (f"Nr.218 - {TITLE}\n\nSagsnr.: 12/40031\n\n"
            "Udvalget skal orienteres om, hvordan netværket vil udvælge forsøgene, og om hvilke af dem der")
    document, (rec,) = page(text)
    assert document.kind == "committee_minutes"
    assert (value(rec.fields["agenda_item"]), value(rec.fields["case_number"])) == ("218", "12/40031")
    assert rec.fields["decision"] is None


def test_an_item_with_a_case_label_is_kept_in_a_document_of_another_kind(items):
    text = (f"49. {TITLE}\nSagsnr.: 19/3301\n\nUdvalget skal orienteres om, hvordan netværket vil")
    (rec,) = items(text, kind="web_page")
    assert value(rec.fields["case_number"]) == "19/3301" and rec.fields["decision"] is None


def test_a_numbered_list_in_a_news_article_with_a_case_number_is_no_agenda(items):
    text = ("Tre ting om frikommuneforsøget\n\n1. Forsøget starter til sommer\nKommunen har fået ja.\n\n"
            "2. Borgerne skal høres\nDer holdes borgermøde, sagsnr. 19/3301 på kommunens side.\n")
    assert items(text, kind="news_article") == []


# ---------------------------------------------------------------------------- web chrome
def test_web_chrome_around_one_item(page):
    document, recs = page(web_item(f"Nr.31 - {TITLE}"))
    (rec,) = recs
    f = rec.fields
    assert value(f["decision_text"]) == "Indstillingen godkendt."
    assert value(f["body"]) == "Økonomiudvalget"
    assert value(f["meeting_date"]) == "2018-10-09"
    assert value(f["municipality"]) == CODE["Tønder"]
    assert value(f["sections"]["issue"]).startswith("Udvalget skal tage stilling")
    assert "Del på Facebook" not in value(f["sections"]["attachments"])
    assert document.text[rec.start:rec.end].startswith("Nr.31 - ")


def test_fixture_item_page_with_the_meetings_item_list_beside_it(page):
    text = (FIXTURES / "varde_web_item_with_sidebar.txt").read_text(encoding="utf-8")
    document, recs = page(text)
    assert document.kind == "committee_minutes"
    # the side list of the meeting's items gives the other items; the page's own item its details
    assert numbers(by_number(recs)) == ["1", "2", "3", "4"]
    found = {value(r.fields["agenda_item"]): r for r in recs}
    item = found["3"]
    assert item.rule == "minutes.item.nr"
    assert value(item.fields["case_number"]) == "17/8812"
    assert value(item.fields["decision"]) == "recommended"
    assert value(item.fields["decision_text"]) == "Anbefales over for byrådet."
    assert value(item.fields["meeting_date"]) == "2017-06-12"
    for n in ("1", "2", "4"):
        rec = found[n]
        assert rec.rule == "minutes.item.toc_entry"
        assert rec.fields["case_number"] is None and rec.fields["decision"] is None
        assert value(rec.fields["meeting_date"]) == "2017-06-12"
    assert value(found["4"].fields["title"]) == "Eventuelt"


# ---------------------------------------------------------------------------- tables of contents
def test_line_table_of_contents_under_group_headings_gives_every_item(page):
    text = (FIXTURES / "assens_whole_meeting_toc.txt").read_text(encoding="utf-8")
    document, recs = page(text)
    assert document.kind == "committee_minutes"
    recs = by_number(recs)
    assert numbers(recs) == [str(n) for n in range(1, 8)]
    first = recs[0]
    assert first.rule == "minutes.item.numbered"  # the one item whose text the page reaches
    assert value(first.fields["case_number"]) == "00.01.00-A00-12-16"
    assert first.fields["case_number"]["rule"] == "minutes.case_number.access_line"
    listed = {value(r.fields["agenda_item"]): r for r in recs[1:]}
    assert value(listed["5"].fields["title"]) == "Frikommuneforsøg om færre planer på beskæftigelsesområdet"
    assert listed["5"].fields["mentions_frikommune"] is True
    assert listed["6"].fields["mentions_frikommune"] is False
    for rec in recs:
        assert value(rec.fields["meeting_date"]) == "2016-11-07"  # "den 7. november 2016" under the body line
        assert value(rec.fields["body"]) == "Arbejdsmarkedsudvalget"


def test_run_on_table_of_contents(items):
    text = (
        "Dagsorden til møde i Byrådet\nMødedato 3. april 2014\n\nIndholdsfortegnelse\n\n"
        "1 Meddelelser 2 Lokalplan 12 for boliger ved 3 søer 3 Anlægsbevilling på 4 mio. kr. til skolen "
        "4 Frikommune - status på 2 forsøg 5 Eventuelt\n\n"
        "1 Åbent Meddelelser\n\n031122-2014\n\nResumé\nBorgmesteren orienterer.\n"
    )
    recs = by_number(items(text))
    assert numbers(recs) == ["1", "2", "3", "4", "5"]
    titles = [value(r.fields["title"]) for r in recs]
    assert titles[1:] == ["Lokalplan 12 for boliger ved 3 søer", "Anlægsbevilling på 4 mio. kr. til skolen",
                          "Frikommune - status på 2 forsøg", "Eventuelt"]
    assert recs[0].rule == "minutes.item.access" and value(recs[0].fields["case_number"]) == "031122-2014"


def test_index_of_attachments_with_dotted_item_numbers(page):
    text = (
        "Indholdsfortegnelse - Bilag\n\n1\n2\n"
        "Bilag 1: Notat om status\n"
        "2.1 Aftale om samarbejde om erhvervsservice\n7\n"
        "Bilag 1: Udkast til aftale 7\n"
        "2.4 Frikommuneforsøg i regionens kommuner\n19\n"
        "Bilag 1: Brev fra ministeriet 19\n"
        "4.2 Udpegning til bestyrelser\n25\n"
        "Bilag 1: Oversigt 25\n30\nBilag 2: Tidsplan 30\n"
        "4.6 Kommende møder\n33\n"
        "Sagsnr.\n2019 - 7731\nDato\n14-03-2019\nBilag 1 – Notat om status\nKommunerne i regionen har søgt om forsøg.\n"
    )
    document, recs = page(text)
    assert document.kind == "committee_minutes"
    assert numbers(recs) == ["2.1", "2.4", "4.2", "4.6"]
    assert value(recs[1].fields["title"]) == "Frikommuneforsøg i regionens kommuner"
    assert all(r.fields["decision"] is None for r in recs)


def test_a_short_numbered_list_before_the_items_is_no_table_of_contents(items):
    text = ("Referat - Økonomiudvalget, Varde Kommune\n\n1. Meddelelser\n2. Eventuelt\n\n"
            "Punkt 5. Frikommuneforsøg\nSagsnr.: 18/3030\n\nBeslutning\nGodkendt.\n")
    assert numbers(items(text)) == ["5"]


def test_numbers_that_do_not_count_up_by_one_are_no_table_of_contents(items):
    text = ("Referat - Økonomiudvalget, Varde Kommune\n\n1 Meddelelser\n4 Budget\n9 Eventuelt\n\n"
            "Punkt 10. Frikommuneforsøg\nSagsnr.: 18/3030\n\nBeslutning\nGodkendt.\n")
    assert numbers(items(text)) == ["10"]


def test_a_capitalised_list_inside_an_item_gives_no_items(items):
    text = (f"Punkt 6. {TITLE}\nSagsnr.: 18/3030\n\nIndstilling\nAdministrationen indstiller, at udvalget:\n\n"
            "1. Godkender ansøgningen\n2. Godkender tidsplanen\n3. Beder om en status\n\n"
            "Beslutning\nGodkendt.\n")
    assert numbers(items(text)) == ["6"]


def test_a_report_contents_list_in_a_web_page_gives_no_items(items):
    text = ("Evaluering af frikommuneforsøget\n\nIndholdsfortegnelse\n1 Indledning\n2 Metode\n3 Resultater\n"
            "4 Anbefalinger\n\n1 Indledning\nRapporten beskriver forsøgets beslutning og resultater.\n")
    assert items(text, kind="web_page") == []


# ---------------------------------------------------------------------------- document kind
@pytest.mark.parametrize("text", [
    "Nyt om forsøget\nSagsnr.: 19/22871\n\nBeslutning\nGodkendt.\n",
    "Nyt om forsøget\nSagsnr.: 19/22871\n\nIndstilling\nForvaltningen indstiller, at forsøget godkendes.\n",
    "Nyt om forsøget\nSagsnr.: 19/22871\n\nBeslutningstema\nUdvalget skal godkende forsøget.\n",
    "Nyt om forsøget\nSags nr. 19/22871\n\nUdvalgets beslutning\nGodkendt.\n",
    "Nr.52 - Nyt om forsøget\n\nSagsnr.: 19/22871\n\nUdvalget skal orienteres om",
])
def test_case_number_with_minutes_sections_is_committee_minutes(rules, text):
    assert classify_kind(text, rules) == "committee_minutes"


def test_a_case_number_alone_does_not_make_minutes(rules):
    assert classify_kind("Svar til kommunen\nSagsnr.: 19/22871\n\nMinisteriet har modtaget ansøgningen.\n",
                         rules) != "committee_minutes"


CASE_LINE_PAGE = """Referat

onsdag den 3. marts 2021 kl. 14:00

Mødested Byrådssalen
Udvalg Social- og Sundhedsudvalget
Fraværende Ingen

Sagsid.: 21/10233

Indstilling

Direktøren indstiller, at orienteringen tages til efterretning.

Beslutning i Social- og Sundhedsudvalget den 03-03-2021

Udvalget tog orienteringen og de to notater om madservice til efterretning.

Sagsfremstilling

Orientering om status på frikommuneforsøget om fleksibel madservice.

Sagsid.: 21/10456

Indstilling

Direktøren indstiller, at udvalget godkender
"""


def test_an_item_page_with_a_case_number_and_no_numbered_header(page):
    _document, found = page(CASE_LINE_PAGE, "referat.txt")
    assert [(r.rule, r.fields["agenda_item"], value(r.fields["case_number"]), value(r.fields["decision"])) for r in found] == [
        ("minutes.item.case_line", None, "21/10233", "noted"),
        ("minutes.item.case_line", None, "21/10456", None)]  # cut off before its decision


def test_a_case_number_line_without_sections_opens_no_item(page):
    _document, found = page("Referat\n\nSagsid.: 21/10233\n\nEt notat om madservice.\n", "referat.txt")
    assert found == []
