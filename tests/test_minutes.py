"""Agenda items from committee minutes (pipeline/extract/minutes/ + rules/committee_*.yaml).

Minutes written for the tests, with other municipalities, bodies, numbers and layouts than the
samples; the samples in sources/ are checked only for the acceptance figures at the end.
Expected municipality codes come from the gazetteer, never from the component's own output.
"""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import hashlib

import pytest
import spacy
import yaml

from pipeline.extract import extract
from pipeline.ingest import read_document
from pipeline.model import Document, doc_id_for

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "sources"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "minutes"

with (REPO / "rules" / "municipalities.csv").open(encoding="utf-8", newline="") as _fh:
    CODE = {row["navn"]: row["kode"] for row in csv.DictReader(_fh)}


def _rule_ids() -> set[str]:
    """Every id in the two rule files (and the mention rules facts may cite as mention_rule)."""
    ids: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if (key == "id" or key.endswith("_id")) and isinstance(value, str):
                    ids.add(value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for name in ("committee_minutes.yaml", "committee_decisions.yaml"):
        walk(yaml.safe_load((REPO / "rules" / name).read_text(encoding="utf-8")))
    return ids


RULE_IDS = _rule_ids()


def _check_provenance(value, text: str) -> None:
    """Every fact in the record points at its own text with a rule id from the rule files."""
    if isinstance(value, dict) and {"start", "end", "text", "rule"} <= value.keys():
        assert text[value["start"]:value["end"]] == value["text"], value
        assert value["rule"] in RULE_IDS, value["rule"]
    elif isinstance(value, dict):
        for v in value.values():
            _check_provenance(v, text)
    elif isinstance(value, list):
        for v in value:
            _check_provenance(v, text)


def _agenda(records, text):
    out = [r for r in records if r.type == "agenda_item"]
    for r in out:
        assert r.rule in RULE_IDS
        assert 0 <= r.start < r.end <= len(text)
        assert set(r.fields) >= {"agenda_item", "title", "case_number", "body", "municipality", "meeting_date",
                                 "decision", "decision_text", "absent", "mentions_frikommune"}
        assert isinstance(r.fields["mentions_frikommune"], bool)
        _check_provenance(r.fields, text)
    return out


# The component and the two it reads from, in the order rules/pipeline.yaml gives them: these
# tests do not depend on the other extractors (being written in parallel).
NEEDED = {"frikommune_municipalities", "frikommune_dates", "frikommune_minutes"}


@pytest.fixture(scope="module")
def nlp(rules):
    pipe = spacy.blank("da")
    for component in rules.yaml("pipeline.yaml")["components"]:
        if component in NEEDED:
            pipe.add_pipe(component, config={"rules_dir": str(rules.dir)})
    assert set(pipe.pipe_names) == NEEDED
    return pipe


@pytest.fixture
def items(nlp):
    """text -> agenda item records (provenance checked on the way)."""

    def _run(text: str, kind: str | None = "committee_minutes", published: str | None = None):
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        document = Document(doc_id=doc_id_for(sha), source="test.txt", sha256=sha, format="txt", text=text,
                            kind=kind, published_hint=published)
        return _agenda(extract(nlp, document).records, document.text)

    return _run


def value(f):
    return None if f is None else f["value"]


def numbers(records):
    return [value(r.fields["agenda_item"]) for r in records]


def names(f):
    return None if f is None else [x["value"] for x in f]


def item_doc(decision_line: str, header: str = "Referat - Teknik- og Miljøudvalget, Herning Kommune") -> str:
    return (f"{header}\n\nPunkt 7. Vejvedligehold i landdistrikterne\nSagsnr.: 18/2231\n\n"
            f"Sagsfremstilling\nForvaltningen har udarbejdet en plan.\n\nBeslutning\n{decision_line}\n")


# ---------------------------------------------------------------------------- layouts
def test_punkt_layout_header_facts_apply_to_every_item(items):
    text = (
        "Referat\nBørne- og Skoleudvalget, Horsens Kommune\n\n"
        "Mødedato: 6. februar 2019\n"
        "Fraværende: Hans Jensen (A), Lise Holm (V)\n\n"
        "Punkt 4. Frikommuneforsøg om skoledagens længde\n"
        "Sags nr. 18/10422\n\n"
        "Sagsfremstilling\nNetværket har fået svar fra ministeriet.\n\n"
        "Indstilling\nForvaltningen indstiller, at orienteringen tages til efterretning.\n\n"
        "Beslutning\nTaget til efterretning.\n\n"
        "Punkt 5: Ny skolestruktur i Østbyen\n"
        "J.nr. 2018-004512\n\n"
        "Beslutning\nGodkendt.\n"
    )
    recs = items(text)
    assert numbers(recs) == ["4", "5"]
    first, second = recs
    assert value(first.fields["title"]) == "Frikommuneforsøg om skoledagens længde"
    assert value(second.fields["title"]) == "Ny skolestruktur i Østbyen"
    assert value(first.fields["case_number"]) == "18/10422"
    assert value(second.fields["case_number"]) == "2018-004512"
    for rec in recs:
        assert value(rec.fields["body"]) == "Børne- og Skoleudvalget"
        assert value(rec.fields["municipality"]) == CODE["Horsens"]
        assert value(rec.fields["meeting_date"]) == "2019-02-06"
        assert names(rec.fields["absent"]) == ["Hans Jensen", "Lise Holm"]
    assert [f["text"] for f in first.fields["absent"]] == ["Hans Jensen (A)", "Lise Holm (V)"]
    assert [f["party"] for f in first.fields["absent"]] == ["A", "V"]
    assert (value(first.fields["decision"]), value(second.fields["decision"])) == ("noted", "approved")
    assert first.fields["mentions_frikommune"] is True
    assert second.fields["mentions_frikommune"] is False  # recorded all the same
    # the item's text is the item and nothing of the next one
    assert text[first.start:first.end].startswith("Punkt 4.")
    assert text[first.start:first.end].endswith("Taget til efterretning.")


def test_numbered_layout_list_lines_and_dates_do_not_split_items(items):
    text = (
        "Beslutningsprotokol\nSocial- og Ældreudvalget, Næstved Kommune\n"
        "Mødedato: 3. september 2018\nAfbud: Ingen\n\n"
        "1. Godkendelse af dagsorden\n\nBeslutning\nGodkendt.\n\n"
        "12. Drøftelse af frikommuneforsøg om hjemmepleje\n"
        "2018-007731\n\n"
        "Sagsfremstilling\n"
        "1. maj 2016 ansøgte netværket om forsøget.\n"
        "15. januar 2017 kom svaret fra ministeriet.\n\n"
        "Indstilling\nDirektøren indstiller,\n"
        "1. at Social- og Ældreudvalget drøfter forsøget,\n"
        "2. at Økonomiudvalget orienteres.\n\n"
        "Beslutning\nDrøftet.\n\n"
        "13. Orientering om ventelister\n2018-007802\n\nBeslutning\nTil orientering.\n"
    )
    recs = items(text)
    assert numbers(recs) == ["1", "12", "13"]
    assert value(recs[1].fields["title"]) == "Drøftelse af frikommuneforsøg om hjemmepleje"
    assert value(recs[1].fields["case_number"]) == "2018-007731"
    assert [value(r.fields["decision"]) for r in recs] == ["approved", "discussed", "noted"]
    assert all(r.fields["absent"] == [] for r in recs)  # "Afbud: Ingen"
    assert "1. at Social" in text[recs[1].start:recs[1].end]


def test_capitalised_list_entry_after_a_list_line_is_not_an_item(items):
    # "2. Økonomiudvalget ..." counts up and has a heading right after it: only the list guard stops it
    text = (
        "Referat - Økonomiudvalget, Silkeborg Kommune\n\n"
        "1. Frikommuneforsøg om jobcentret\n2017-001122\n\n"
        "Indstilling\nDirektionen indstiller\n"
        "1. At forsøget forlænges\n"
        "2. Økonomiudvalget får en status i foråret\n\n"
        "Beslutning\nIndstillingen tiltrådt.\n"
    )
    recs = items(text)
    assert numbers(recs) == ["1"]
    assert value(recs[0].fields["decision"]) == "approved"
    assert recs[0].fields["decision"]["label"] == "Indstillingen tiltrådt"


def test_lower_number_inside_an_item_is_not_an_item(items):
    # a capitalised first list entry with a heading right after it: only "items count up" stops it
    text = (
        "Referat - Erhvervsudvalget, Viborg Kommune\n\n"
        "14. Frikommuneforsøg om erhvervsaffald\n2019-000456\n\n"
        "Indstilling\nDirektionen indstiller\n"
        "3. Erhvervsudvalget godkender forsøget\n\n"
        "Beslutning\nGodkendt.\n"
    )
    assert numbers(items(text)) == ["14"]


def test_capitalised_date_at_line_start_is_not_an_item(items):
    # day 15 counts up from item 1 and a heading follows: only the date guard stops it
    text = (
        "Referat - Erhvervsudvalget, Viborg Kommune\n\n"
        "1. Frikommuneforsøg om erhvervsaffald\n2019-000456\n\n"
        "Sagsfremstilling\n15. Januar 2017 Kom svaret fra ministeriet.\n\n"
        "Indstilling\nDirektionen indstiller, at forsøget fortsætter.\n\n"
        "Beslutning\nGodkendt.\n"
    )
    recs = items(text)
    assert numbers(recs) == ["1"]
    assert "15. Januar 2017" in value(recs[0].fields["sections"]["case"])


def test_pkt_layout_title_on_next_line_and_kle_case_number(items):
    text = (
        "Dagsorden og referat for Kommunalbestyrelsen, Svendborg Kommune\n"
        "Dato: 28.05.2019\n\n"
        "Pkt. 7\nFrikommunenetværkets forsøg med mindre dokumentation\n"
        "Sagsid: 00.01.00-A00-1-18\n\n"
        "Resumé\nKommunalbestyrelsen skal tage stilling til forsøget.\n\n"
        "Beslutning\nUdsat.\n\n"
        "Pkt. 8\nSalg af grund\nSagsnr.: 12/4417\n\nBeslutning\nSagen udsættes til næste møde.\n"
    )
    recs = items(text)
    assert numbers(recs) == ["7", "8"]
    assert value(recs[0].fields["title"]) == "Frikommunenetværkets forsøg med mindre dokumentation"
    assert value(recs[0].fields["case_number"]) == "00.01.00-A00-1-18"
    assert recs[0].fields["case_number"]["label"] == "Sagsid"
    assert value(recs[1].fields["case_number"]) == "12/4417"
    assert [value(r.fields["decision"]) for r in recs] == ["postponed", "postponed"]
    assert value(recs[0].fields["body"]) == "Kommunalbestyrelsen"
    assert value(recs[0].fields["meeting_date"]) == "2019-05-28"
    assert recs[0].fields["meeting_date"]["rule"] == "minutes.meeting_date.label"
    assert value(recs[0].fields["municipality"]) == CODE["Svendborg"]
    assert "summary" in recs[0].fields["sections"]


def test_sag_nr_layout(items):
    text = (
        "Referat fra Magistraten, Esbjerg Kommune\n\n"
        "Sag nr. 4 Frikommuneforsøg om affaldsgebyrer\n"
        "Sagsnr.: 19/5501\n\n"
        "Sagsbeskrivelse\nForsøget evalueres.\n\n"
        "Beslutning: Vedtaget.\n"
    )
    recs = items(text)
    assert numbers(recs) == ["4"]
    rec = recs[0]
    assert value(rec.fields["title"]) == "Frikommuneforsøg om affaldsgebyrer"
    assert value(rec.fields["case_number"]) == "19/5501"  # not the item number
    assert value(rec.fields["decision"]) == "approved"
    assert value(rec.fields["decision_text"]) == "Vedtaget."  # inline after "Beslutning:"
    assert value(rec.fields["body"]) == "Magistraten"


def test_bare_case_number_line_counts_only_right_after_the_title(items):
    text = item_doc("Godkendt.").replace("Sagsnr.: 18/2231\n", "") + "\nBilag\n2017-004433\n"
    recs = items(text)
    assert recs[0].fields["case_number"] is None


def test_fixture_byraad_with_toc_two_decisions_and_closing_lines(items):
    text = (FIXTURES / "randers_byraad_2017-12-11.txt").read_text(encoding="utf-8")
    recs = items(text)
    # the table of contents opens no items; "1. at"/"2. Økonomiudvalget"/"1. maj 2017" neither
    assert numbers(recs) == ["1", "2", "3"]
    agenda = {value(r.fields["agenda_item"]): r for r in recs}
    for rec in recs:
        assert value(rec.fields["body"]) == "Byrådet"
        assert value(rec.fields["municipality"]) == CODE["Randers"]
        assert value(rec.fields["meeting_date"]) == "2017-12-11"
    doc_level = ["Karen Møller-Lund", "Bo Thygesen", "Anne Krog"]
    assert names(agenda["1"].fields["absent"]) == doc_level
    assert names(agenda["2"].fields["absent"]) == doc_level + ["Sofie Dahl"]
    assert agenda["2"].fields["absent"][-1]["scope"] == "item"
    # Byrådet's decision, not the committee's recommendation before it
    item2 = agenda["2"].fields
    assert value(item2["decision"]) == "rejected"
    assert item2["decision"]["label"] == "Indstillingen blev ikke godkendt"
    assert value(item2["decision_text"]).startswith("Indstillingen blev ikke godkendt.")
    assert "Sofie Dahl" not in value(item2["decision_text"])  # the absentee line ends it
    assert item2["sections"]["decision"]["heading"] == "Beslutning i Økonomiudvalget den 4. december 2017"
    assert value(item2["sections"]["decision"]) == "Anbefales."
    assert "decision_2" in item2["sections"]
    assert value(item2["case_number"]) == "2017-118845"
    assert item2["mentions_frikommune"] is True
    assert agenda["3"].fields["mentions_frikommune"] is False
    assert value(agenda["3"].fields["decision"]) == "noted"
    # the closing lines belong to no item
    assert "Mødet hævet" not in text[agenda["3"].start:agenda["3"].end]
    assert text[agenda["3"].start:agenda["3"].end].endswith("Taget til efterretning.")


# ---------------------------------------------------------------------------- decisions
@pytest.mark.parametrize("line, expected, label", [
    ("Godkendt.", "approved", "Godkendt"),
    ("Godkendes som indstillet.", "approved", "Godkendes"),
    ("Indstillingen tiltrådt.", "approved", "Indstillingen tiltrådt"),
    ("Tiltrådt, idet udvalget ønsker en status om et år.", "approved", "Tiltrådt"),
    ("Vedtaget med 7 stemmer mod 2.", "approved", "Vedtaget"),
    ("Anbefalingen følges.", "approved", "Anbefalingen følges"),
    ("Drøftet og godkendt.", "approved", "Drøftet og godkendt"),
    ("Ikke godkendt.", "rejected", "Ikke godkendt"),
    ("Indstillingen blev ikke godkendt.", "rejected", "Indstillingen blev ikke godkendt"),
    ("Forkastet.", "rejected", "Forkastet"),
    ("Afvist, da forsøget ligger uden for rammen.", "rejected", "Afvist"),
    ("Forslaget blev nedstemt med 5 mod 4 stemmer.", "rejected", "Forslaget blev nedstemt"),
    ("Drøftet.", "discussed", "Drøftet"),
    ("Sagen blev drøftet.", "discussed", "Sagen blev drøftet"),
    ("Taget til efterretning.", "noted", "Taget til efterretning"),
    ("Orienteringen taget til efterretning.", "noted", "Orienteringen taget til efterretning"),
    ("Til orientering.", "noted", "Til orientering"),
    ("Udsat.", "postponed", "Udsat"),
    ("Sagen udsættes til næste møde.", "postponed", "Sagen udsættes"),
    ("Anbefales.", "recommended", "Anbefales"),
    ("Anbefales godkendt.", "recommended", "Anbefales godkendt"),
    ("Indstilles til godkendelse i Byrådet.", "recommended", "Indstilles til godkendelse"),
    ("Oversendes til Byrådet med anbefaling.", "recommended", "Oversendes til Byrådet med anbefaling"),
])
def test_decision_vocabulary(items, line, expected, label):
    recs = items(item_doc(line))
    decision = recs[0].fields["decision"]
    assert value(decision) == expected
    assert decision["label"] == label
    assert decision["rule"].startswith(f"decision.{expected}.")
    assert decision["scope"] == "first_sentence"


def test_decision_read_from_first_sentence_only_when_it_names_one(items):
    recs = items(item_doc("Godkendt. Et forslag om udsættelse blev forkastet."))
    assert value(recs[0].fields["decision"]) == "approved"
    recs = items(item_doc("Udvalget gennemgik planen. Indstillingen blev herefter godkendt."))
    decision = recs[0].fields["decision"]
    assert value(decision) == "approved" and decision["scope"] == "section"


def test_no_decision_section_means_no_decision(items):
    text = ("Referat - Økonomiudvalget, Viborg Kommune\n\nPunkt 2. Frikommuneforsøg\nSagsnr.: 18/3030\n\n"
            "Sagsfremstilling\nSagen er udsat fra sidste møde.\n")
    rec = items(text)[0]
    assert rec.fields["decision"] is None and rec.fields["decision_text"] is None


def test_empty_decision_heading_at_the_end_of_an_item(items):
    rec = items("Punkt 2. Frikommuneforsøg\nSagsnr.: 18/3030\n\nBeslutning:   \n\nPunkt 3. Eventuelt\n"
                "Sagsnr.: 18/3031\n\nBeslutning:   ")[0]
    assert rec.fields["decision"] is None and rec.fields["decision_text"] is None
    assert rec.fields["mentions_frikommune"] is True


def test_decision_heading_with_body_and_date_gives_body_and_meeting_date(items):
    text = (
        "Punkt 9. Frikommuneforsøg om sygedagpenge\n2018-003301\n\n"
        "Sagsfremstilling\nVed Byrådets møde den 3. april 2017 blev forsøget godkendt.\n\n"
        "Beslutning i Beskæftigelses- og Integrationsudvalget den 14-03-2018: Indstillingen godkendt.\n"
    )
    rec = items(text)[0]
    assert value(rec.fields["body"]) == "Beskæftigelses- og Integrationsudvalget"
    assert rec.fields["body"]["rule"] == "minutes.body.decision_heading"
    # the heading's date, not the other meeting mentioned in the text
    assert value(rec.fields["meeting_date"]) == "2018-03-14"
    assert rec.fields["meeting_date"]["rule"] == "minutes.meeting_date.decision_heading"
    assert value(rec.fields["decision"]) == "approved"
    assert value(rec.fields["decision_text"]) == "Indstillingen godkendt."


# ---------------------------------------------------------------------------- body, municipality, date
def test_body_and_municipality_from_the_item_when_the_header_says_nothing(items):
    text = (
        "Punkt 6.\n\nAnsøgning om deltagelse i frikommuneforsøg\n\n2016-004411\n\n"
        "Teknik- og Miljøforvaltningen indstiller til Teknik- og Miljøudvalgets godkendelse, at "
        "Holstebro Kommune søger om deltagelse. Sagen har været på Magistratens møde den 25.01.2016.\n\n"
        "Beslutning:\n\nGodkendt.\n"
    )
    rec = items(text)[0]
    assert value(rec.fields["title"]) == "Ansøgning om deltagelse i frikommuneforsøg"
    assert value(rec.fields["body"]) == "Teknik- og Miljøudvalget"
    assert rec.fields["body"]["text"] == "Teknik- og Miljøudvalgets"
    assert rec.fields["body"]["rule"] == "minutes.body.addressee"
    assert value(rec.fields["municipality"]) == CODE["Holstebro"]
    assert rec.fields["municipality"]["rule"] == "minutes.municipality.item"
    assert rec.fields["meeting_date"] is None  # Magistratens møde is another meeting


def test_meeting_date_from_a_minutes_label_inside_the_text(items):
    text = ("Punkt 2. Status på frikommunenetværket\nSagsnr.: 17/7001\nMødedato: 19. juni 2017\n\n"
            "Beslutning\nTaget til efterretning.\n")
    rec = items(text)[0]
    assert value(rec.fields["meeting_date"]) == "2017-06-19"
    assert rec.fields["meeting_date"]["rule"] == "minutes.meeting_date.published"


def test_a_labelled_date_that_is_not_the_meeting_is_not_the_meeting_date(items):
    header = "Referat - Økonomiudvalget, Kolding Kommune\nAnsøgningsdato: 1. maj 2018"
    assert items(item_doc("Godkendt.", header=header))[0].fields["meeting_date"] is None


def test_header_body_genitive_and_fixed_names(items):
    recs = items(item_doc("Godkendt.", header="Referat af Borgerrepræsentationens møde\nMødet den 2. marts 2017"))
    assert value(recs[0].fields["body"]) == "Borgerrepræsentationen"
    assert value(recs[0].fields["meeting_date"]) == "2017-03-02"


def test_preamble_facts_come_from_its_top_lines_not_a_long_table_of_contents(items):
    toc = "".join(f"Punkt {n}. Sag nummer {n}\n" for n in range(1, 13))
    text = (
        "Referat\nByrådet, Aarhus\nMødet den 4. april 2018\n\nIndhold\n" + toc
        + "Punkt 13. Samarbejde med Silkeborg Kommune om frikommuneforsøg\n\n"
        + "Punkt 13. Samarbejde med Silkeborg Kommune om frikommuneforsøg\nSagsnr.: 18/9\n\n"
        + "Beslutning\nGodkendt.\n"
    )
    recs = items(text)
    # the entries of the table of contents are items of the meeting too (number and title only)
    assert numbers(recs) == [str(n) for n in range(1, 14)]
    *listed, rec = recs
    assert value(rec.fields["agenda_item"]) == "13" and rec.rule == "minutes.item.punkt"
    assert value(rec.fields["case_number"]) == "18/9"
    assert all(r.rule == "minutes.item.toc_entry" and r.fields["case_number"] is None
               and r.fields["decision"] is None for r in listed)
    assert value(listed[4].fields["title"]) == "Sag nummer 5"
    for r in recs:
        assert value(r.fields["municipality"]) == CODE["Aarhus"]
        assert value(r.fields["body"]) == "Byrådet"
        assert value(r.fields["meeting_date"]) == "2018-04-04"


# ---------------------------------------------------------------------------- absentees
def test_absentee_sentences_and_item_lists(items):
    text = (
        "Referat - Kultur- og Fritidsudvalget, Ikast-Brande Kommune\n"
        "Fraværende: Jens Kure\n\n"
        "Punkt 1. Frikommuneforsøg om foreningslokaler\nSagsnr.: 18/101\n\n"
        "Beslutning\nGodkendt. Mette Skov og Ole Bach (C) deltog ikke i behandlingen af punktet.\n\n"
        "Punkt 2. Bibliotekets åbningstider\nSagsnr.: 18/102\nAfbud: Ingen\n\n"
        "Beslutning\nGodkendt.\n\n"
        "Punkt 3. Halfordeling\nSagsnr.: 18/103\n\nBeslutning\nDrøftet.\n"
        "Pia Lund havde meldt afbud.\n"
    )
    recs = items(text)
    assert names(recs[0].fields["absent"]) == ["Jens Kure", "Mette Skov", "Ole Bach"]
    assert value(recs[0].fields["decision_text"]) == "Godkendt."
    assert recs[0].fields["absent"][1]["rule"] == "minutes.absent.sentence"
    assert recs[0].fields["absent"][2]["text"] == "Ole Bach (C)"
    assert names(recs[1].fields["absent"]) == []  # the item's own list replaces the header's
    assert names(recs[2].fields["absent"]) == ["Jens Kure", "Pia Lund"]
    assert value(recs[0].fields["municipality"]) == CODE["Ikast-Brande"]


def test_absent_is_none_when_nothing_is_said_and_dash_means_empty(items):
    assert items(item_doc("Godkendt."))[0].fields["absent"] is None
    recs = items(item_doc("Godkendt.", header="Referat - Økonomiudvalget, Kolding Kommune\nFraværende: -"))
    assert recs[0].fields["absent"] == []


def test_absentee_list_keeps_the_names_and_drops_remarks(items):
    header = ("Referat - Økonomiudvalget, Kolding Kommune\n"
              "Fraværende var: Hans Jensen (A) fra kl. 17.30, Lise Holm samt Anne-Mette Due, der kom til punkt 9.")
    absent = items(item_doc("Godkendt.", header=header))[0].fields["absent"]
    assert names(absent) == ["Hans Jensen", "Lise Holm", "Anne-Mette Due"]
    assert absent[0]["text"] == "Hans Jensen (A)"


def test_absentee_sentence_variants(items):
    recs = items(item_doc("Drøftet.\n\nKirsten Lund Holm var fraværende."))
    assert names(recs[0].fields["absent"]) == ["Kirsten Lund Holm"]
    assert value(recs[0].fields["decision_text"]) == "Drøftet."


# ---------------------------------------------------------------------------- gate
def test_news_article_with_a_numbered_list_gives_no_items(items):
    text = ("Tre ting du skal vide om frikommuneforsøget\n\n"
            "1. Forsøget starter til sommer\nKommunen har fået ja fra ministeriet.\n\n"
            "2. Borgerne skal høres\nDer holdes borgermøde i juni.\n\n"
            "Byrådets beslutning kommer i august.\n")
    assert items(text, kind="news_article") == []


def test_unclassified_document_with_agenda_structure_is_read(items):
    recs = items(item_doc("Godkendt."), kind=None)
    assert numbers(recs) == ["7"]
    assert value(recs[0].fields["municipality"]) == CODE["Herning"]


# ---------------------------------------------------------------------------- PDF over two pages
@pytest.fixture(scope="module")
def pdf_generator():
    pytest.importorskip("fpdf")
    spec = importlib.util.spec_from_file_location("make_sample_pdfs", REPO / "scripts" / "make_sample_pdfs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_items_spread_over_two_pdf_pages(tmp_path, pdf_generator, rules, nlp):
    pages = [
        [
            "## Referat - Klima- og Miljøudvalget, Silkeborg Kommune",
            "",
            "Mødedato: 20. august 2019",
            "Afbud: Peter Nørgaard (V)",
            "",
            "## Punkt 10. Frikommuneforsøg om spildevandsplaner",
            "Sagsnr.: 19/22001",
            "",
            "Sagsfremstilling",
            "Netværket har søgt om at samle planerne i én proces.",
            "",
            "Indstilling",
            "Forvaltningen indstiller, at udvalget anbefaler forsøget.",
        ],
        [
            "Beslutning",
            "Anbefales.",
            "",
            "## Punkt 11. Naturpleje i ådalen",
            "Sagsnr.: 19/22050",
            "",
            "Beslutning",
            "Ikke godkendt.",
        ],
    ]
    path = pdf_generator.write_minutes_pdf(tmp_path / "silkeborg.pdf", pages,
                                           header="Silkeborg Kommune - Klima- og Miljøudvalget",
                                           footer_template="Side {page} af {pages}")
    document = read_document(path, tmp_path, rules)
    result = extract(nlp, document)
    recs = _agenda(result.records, document.text)
    assert numbers(recs) == ["10", "11"]
    first, second = recs
    assert document.page_of(first.start) == 1 and document.page_of(first.end - 1) == 2
    assert value(first.fields["decision"]) == "recommended"
    assert document.page_of(first.fields["decision"]["start"]) == 2
    assert value(second.fields["decision"]) == "rejected"
    assert [value(r.fields["case_number"]) for r in recs] == ["19/22001", "19/22050"]
    for rec in recs:
        assert value(rec.fields["body"]) == "Klima- og Miljøudvalget"
        assert value(rec.fields["municipality"]) == CODE["Silkeborg"]
        assert value(rec.fields["meeting_date"]) == "2019-08-20"
        assert names(rec.fields["absent"]) == ["Peter Nørgaard"]
    assert first.fields["mentions_frikommune"] and not second.fields["mentions_frikommune"]
    # the page break's running header/footer is not in the item text
    assert "Side 1 af 2" not in document.text[first.start:first.end]


# ---------------------------------------------------------------------------- acceptance on the samples
def _sample(name: str, rules, nlp):
    document = read_document(SOURCES / name, SOURCES, rules)
    return _agenda(extract(nlp, document).records, document.text)


def test_sample_aalborg_minutes(rules, nlp):
    (rec,) = _sample("002_f729fd4ef02a056c.txt", rules, nlp)
    f = rec.fields
    assert value(f["agenda_item"]) == "3"
    assert value(f["title"]) == "Drøftelse af Invitation til nyt frikommuneforsøg"
    assert value(f["case_number"]) == "2016-005291"
    assert (value(f["decision"]), f["decision"]["label"]) == ("discussed", "Drøftet")
    assert names(f["absent"]) == ["Per Clausen"]
    assert value(f["body"]) == "Beskæftigelsesudvalget"
    assert value(f["municipality"]) == CODE["Aalborg"]
    assert f["meeting_date"] is None  # the text never states this meeting's date
    assert f["mentions_frikommune"] is True
    assert set(f["sections"]) == {"decision", "case", "attachments"}


def test_sample_vejle_pdf(rules, nlp):
    recs = _sample("vejle_oekonomiudvalget_2018-03-14.pdf", rules, nlp)
    assert numbers(recs) == ["4", "5"]
    assert [value(r.fields["title"]) for r in recs] == [
        "Status på frikommuneforsøget Bedre velfærd gennem frisættelse",
        "Ansøgning om forlængelse af beskæftigelsesforsøg",
    ]
    assert [value(r.fields["case_number"]) for r in recs] == ["17/12345", "17/12388"]
    assert [value(r.fields["decision"]) for r in recs] == ["noted", "approved"]
    for rec in recs:
        assert names(rec.fields["absent"]) == ["Hans Jensen"]
        assert value(rec.fields["body"]) == "Økonomiudvalget"
        assert value(rec.fields["municipality"]) == CODE["Vejle"]
        assert value(rec.fields["meeting_date"]) == "2018-03-14"


def test_sample_syddjurs_pdf(rules, nlp):
    recs = _sample("syddjurs_social_sundhed_2018-04-09.pdf", rules, nlp)
    assert numbers(recs) == ["95", "96"]
    assert [value(r.fields["title"]) for r in recs] == ["Status på frikommuneforsøg",
                                                        "Ansøgning om nyt forsøg i netværket"]
    assert [value(r.fields["case_number"]) for r in recs] == ["2018-004512", "2018-004637"]
    assert [value(r.fields["decision"]) for r in recs] == ["discussed", "approved"]
    for rec in recs:
        assert rec.fields["absent"] == []
        assert value(rec.fields["body"]) == "Social- og Sundhedsudvalget"
        assert value(rec.fields["municipality"]) == CODE["Syddjurs"]
        assert value(rec.fields["meeting_date"]) == "2018-04-09"


@pytest.mark.parametrize("name", ["000_ddde290369c07cfb.txt", "001_d1b9c0e7c83c8c2d.txt",
                                  "003_bb0b7cc67bd1fc86.txt", "004_50fddadb9d74be55.txt",
                                  "vejle_nyhed_frikommuneforsoeg_2018-03-14.html"])
def test_samples_that_are_not_minutes_give_no_items(rules, nlp, name):
    assert _sample(name, rules, nlp) == []


def test_the_first_item_right_after_a_numbered_table_of_contents_counts(items):
    text = (
        "Beslutningsprotokol\nKultur- og Fritidsudvalget\nLejre Kommune\n\n"
        "Indhold\n1. Meddelelser\n2. Frikommuneforsøg om foreningsstøtte\n\n"
        "1. Meddelelser\nSagsnr.: 20/1101\n\nBeslutning\nTaget til efterretning.\n\n"
        "2. Frikommuneforsøg om foreningsstøtte\nSagsnr.: 20/1187\n\nBeslutning\nGodkendt.\n"
    )
    recs = items(text)
    assert numbers(recs) == ["1", "2"]
    assert [value(r.fields["case_number"]) for r in recs] == ["20/1101", "20/1187"]
    assert [value(r.fields["decision"]) for r in recs] == ["noted", "approved"]
