"""Experiments and the ministry's decisions (component `frikommune_experiments`).

Documents written for the tests: other networks, titles, statuses, bullets and column names
than the samples. The samples in sources/ are acceptance checks at the end.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pipeline.extract import extract
from pipeline.ingest import read_document

SOURCES = Path(__file__).resolve().parent.parent / "sources"


def experiments(records):
    return [r for r in records if r.type == "experiment"]


def summary(records):
    """(title, network, status, label, round) of every experiment, in text order."""
    out = []
    for r in experiments(records):
        f = r.fields
        out.append((
            f["title"]["value"],
            f["network"]["value"] if f["network"] else None,
            f["status"]["value"] if f["status"] else None,
            f["status"]["label"] if f["status"] else None,
            f["round"]["value"] if f["round"] else None,
        ))
    return out


def assert_provenance(records, mentions, document):
    """Every fact and mention points at exactly the text it claims."""
    text = document.text
    for r in experiments(records):
        for name in ("title", "network", "status", "round"):
            f = r.fields[name]
            if f is not None:
                assert text[f["start"]:f["end"]] == f["text"], (name, f)
                assert f["rule"]
        assert 0 <= r.start < r.end <= len(text)
    for m in mentions:
        assert text[m.start:m.end] == m.text


STATUS_LIST = """Afgørelser om frikommuneforsøg

Oversigt over ansøgningerne i anden ansøgningsrunde

Digital velfærd i landdistrikterne

Afgørelse

* Videokonsultationer i hjemmeplejen

Delvist godkendt

* Fælles digital indgang for borgere

Under afklaring

Grøn drift af kommunale bygninger

* Lokal fritagelse for energimærkning – Afvist
* Fleksible udbudsregler: Godkendes
* Forsøg med solceller på skoler\tIkke imødekommet

Nye veje for unge ledige

–

Slut på oversigten.
"""


def test_status_list_with_headings_bullets_and_same_line_statuses(run_extract):
    mentions, records, document = run_extract(STATUS_LIST, published="2019-03-15", records=True)
    assert summary(records) == [
        ("Videokonsultationer i hjemmeplejen", "Digital velfærd i landdistrikterne",
         "partially_approved", "Delvist godkendt", 2),
        ("Fælles digital indgang for borgere", "Digital velfærd i landdistrikterne",
         "pending", "Under afklaring", 2),
        ("Lokal fritagelse for energimærkning", "Grøn drift af kommunale bygninger", "rejected", "Afvist", 2),
        ("Fleksible udbudsregler", "Grøn drift af kommunale bygninger", "approved", "Godkendes", 2),
        ("Forsøg med solceller på skoler", "Grøn drift af kommunale bygninger",
         "rejected", "Ikke imødekommet", 2),
    ]
    for r in experiments(records):
        assert r.rule == "experiment.layout.status_list"
        assert r.fields["decided"] == "2019-03-15"
        assert r.fields["status"]["rule"].startswith("experiment_status.")
        assert r.fields["network"]["rule"] == "experiment.network.heading"
        assert r.fields["round"]["text"] == "anden ansøgningsrunde"
    assert_provenance(records, mentions, document)


def test_column_header_is_no_experiment_and_headings_become_network_names(run_extract):
    mentions, records, _ = run_extract(STATUS_LIST, records=True)
    titles = [r.fields["title"]["value"] for r in experiments(records)]
    assert "Afgørelse" not in titles
    names = [(m.value, m.rule, m.attrs["experiments"]) for m in mentions if m.type == "network_name"]
    assert names == [
        ("Digital velfærd i landdistrikterne", "experiment.network.heading", 2),
        ("Grøn drift af kommunale bygninger", "experiment.network.heading", 3),
        ("Nye veje for unge ledige", "experiment.network.empty", 0),
    ]


def test_status_mentions_name_their_experiment(run_extract):
    mentions, _records, _ = run_extract(STATUS_LIST, records=True)
    status = [(m.text, m.value, m.attrs["experiment"]) for m in mentions if m.type == "experiment_status"]
    assert ("Afvist", "rejected", "Lokal fritagelse for energimærkning") in status
    assert ("Delvist godkendt", "partially_approved", "Videokonsultationer i hjemmeplejen") in status
    assert len(status) == 5


@pytest.mark.parametrize("label, status", [
    ("Imødekommes ikke", "rejected"),
    ("ikke imødekommet", "rejected"),
    ("Godkendes delvist", "partially_approved"),
    ("Imødekommet delvist", "partially_approved"),
    ("Trukket tilbage", "withdrawn"),
    ("Under videre behandling", "pending"),
    ("Ikke godkendt", "rejected"),
    ("Fremtidig indsats", None),  # no status word: no guessing
    ("Delvis imødekommet", "partially_approved"),
    ("Afventer afgørelse", "pending"),
    ("Behandles stadig", "pending"),
    ("Bevilget", "approved"),
    ("Ja", "approved"),
    ("Afslag.", "rejected"),
])
def test_most_specific_label_wins(run_extract, label, status):
    text = f"Bedre rammer for ældreplejen\n\n• Frit valg af madordning\n\n{label}\n"
    _m, records, _ = run_extract(text, records=True)
    got = summary(records)
    if status is None:
        assert got == []
    else:
        assert [(t, s) for t, _n, s, _l, _r in got] == [("Frit valg af madordning", status)]


def test_bullets_without_statuses_are_no_experiments(run_extract):
    text = ("Fakta om forsøget\n\n"
            "• Netværket består af fem kommuner.\n"
            "• Forsøgene løber i fire år.\n"
            "- Jens Hansen, borgmester\n\n"
            "Beslutning\n\nGodkendt.\n")
    _m, records, _ = run_extract(text, records=True)
    assert experiments(records) == []


def test_list_after_an_introducing_sentence_has_no_network(run_extract):
    text = ("Ministeriet har truffet afgørelse om følgende forsøg:\n\n"
            "- Sammenlægning af handleplaner – Imødekommes\n"
            "- Frihed i visitationen – Afslag\n")
    _m, records, _ = run_extract(text, records=True)
    assert summary(records) == [
        ("Sammenlægning af handleplaner", None, "approved", "Imødekommes", None),
        ("Frihed i visitationen", None, "rejected", "Afslag", None),
    ]


def test_title_containing_a_dash_keeps_its_status_on_the_next_line(run_extract):
    text = "Sundhed tæt på borgeren\n\n• Akutteam – den kommunale del\n\nAfklares\n"
    _m, records, _ = run_extract(text, records=True)
    assert summary(records) == [("Akutteam – den kommunale del", "Sundhed tæt på borgeren", "pending",
                                 "Afklares", None)]


TABLE = """Ministeriets afgørelser

Afgørelser i runde 4

Frikommunenetværk | Forsøgsnavn | Beslutning | Runde
Stærkere lokalsamfund | Borgerbudgetter i landsbyer | Godkendt | 4
 | Frivillige i ældreplejen | Afvist | 4
Robuste byer | Klimatilpasning uden dispensation | Afventer | 3

Kontakt ministeriet for spørgsmål.
"""


def test_table_with_other_column_names_and_a_continued_network(run_extract):
    mentions, records, document = run_extract(TABLE, published="2020-01-10", records=True)
    assert summary(records) == [
        ("Borgerbudgetter i landsbyer", "Stærkere lokalsamfund", "approved", "Godkendt", 4),
        ("Frivillige i ældreplejen", "Stærkere lokalsamfund", "rejected", "Afvist", 4),
        ("Klimatilpasning uden dispensation", "Robuste byer", "pending", "Afventer", 3),
    ]
    rows = experiments(records)
    assert all(r.rule == "experiment.layout.table" for r in rows)
    continued = rows[1].fields["network"]
    assert continued["rule"] == "experiment.network.continued" and continued["continued"] is True
    assert continued["text"] == "Stærkere lokalsamfund" and continued["start"] < rows[1].start
    assert rows[0].fields["network"]["rule"] == "experiment.network.cell"
    assert all(r.fields["decided"] == "2020-01-10" for r in rows)
    assert_provenance(records, mentions, document)


def test_table_round_from_the_line_introducing_it(run_extract):
    text = ("Afgørelser i femte runde\n\n"
            "Netværk | Ansøgning | Status\n"
            "Fremtidens skole | Fleksibel skoledag | Imødekommes delvist\n")
    _m, records, _ = run_extract(text, records=True)
    assert summary(records) == [("Fleksibel skoledag", "Fremtidens skole", "partially_approved",
                                 "Imødekommes delvist", 5)]


def test_table_without_network_column(run_extract):
    text = ("Titel | Kommuner | Afgørelse\n"
            "Færre tilsynsbesøg | Lemvig, Struer | Bevilges\n"
            "Ny praksis for hjælpemidler | Struer | Imødekommes ikke\n")
    _m, records, _ = run_extract(text, records=True)
    assert summary(records) == [
        ("Færre tilsynsbesøg", None, "approved", "Bevilges", None),
        ("Ny praksis for hjælpemidler", None, "rejected", "Imødekommes ikke", None),
    ]


def test_table_that_is_not_about_decisions_is_ignored(run_extract):
    text = "Kommune | Indbyggere | Areal\nLemvig | 19.800 | 510 km²\n"
    _m, records, _ = run_extract(text, records=True)
    assert experiments(records) == []


def test_prose_decision(run_extract):
    text = ("Økonomiudvalget blev orienteret. Forsøget med digital post til pårørende er imødekommet, "
            "mens forsøget om fleksible åbningstider i dagtilbud afventer afgørelse hos ministeriet. "
            "Forsøget med frit valg starter 1. maj 2019.")
    mentions, records, document = run_extract(text, published="2019-02-01", records=True)
    assert summary(records) == [
        ("digital post til pårørende", None, "approved", "imødekommet", None),
        ("fleksible åbningstider i dagtilbud", None, "pending", "afventer afgørelse", None),
    ]
    assert all(r.rule == "experiment.layout.prose" for r in experiments(records))
    assert_provenance(records, mentions, document)


def test_prose_ignores_bare_yes(run_extract):
    text = "Forsøget med gratis frokost siger borgmesteren ja til."
    _m, records, _ = run_extract(text, records=True)
    assert experiments(records) == []


# ---------------------------------------------------------------------------- samples
def _sample(nlp, rules, name):
    document = read_document(SOURCES / name, SOURCES, rules)
    result = extract(nlp, document)
    return result.mentions, result.records, document


def test_sample_ministry_release_2017(nlp, rules):
    mentions, records, document = _sample(nlp, rules, "003_bb0b7cc67bd1fc86.txt")
    rows = experiments(records)
    assert len(rows) == 33
    assert Counter(r.fields["status"]["value"] for r in rows) == {
        "approved": 13, "partially_approved": 4, "pending": 11, "rejected": 5}
    assert all(r.fields["round"]["value"] == 1 for r in rows)
    assert all(r.fields["decided"] == "2017-02-02" for r in rows)
    titles = [r.fields["title"]["value"] for r in rows]
    assert "Status" not in titles and "Mikrolån" in titles
    per_network = Counter(r.fields["network"]["value"] for r in rows)
    assert per_network["Børn som vores vigtigste ressource"] == 7
    assert per_network["Nye samarbejder på det somatiske akutområde"] == 1
    assert len(per_network) == 7
    names = [m for m in mentions if m.type == "network_name"]
    assert len(names) == 8
    assert names[-1].value == "Øget borgerinvolvering og samskabelse" and names[-1].attrs["experiments"] == 0
    assert_provenance(records, mentions, document)


def test_sample_html_decisions_table(nlp, rules):
    mentions, records, document = _sample(nlp, rules, "sim_pressemeddelelse_frikommuneforsoeg_2018-09-28.html")
    got = summary(records)
    assert got == [
        ("Fleksibel visitation til rehabilitering", "Bedre velfærd gennem frisættelse", "approved",
         "Imødekommes", 3),
        ("Mindre dokumentation i jobcentret", "Bedre velfærd gennem frisættelse", "partially_approved",
         "Imødekommes delvist", 3),
        ("Fritvalgsordninger i hjemmeplejen", "Frihed i ældreplejen", "pending", "Afklares", 3),
        ("Lokale regler for vandløbsvedligehold", "Grøn omstilling i kommunerne", "rejected", "Afslag", 3),
    ]
    assert_provenance(records, mentions, document)
