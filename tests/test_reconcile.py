"""Reconciliation on records built by hand from texts written for the test, so these tests do
not depend on the extractors: name variants, members, experiments, counts, conflicts, ids."""

from __future__ import annotations

import json

import hashlib

import pytest

from pipeline.extract import Extraction
from pipeline.model import Document, Mention, Record, fact
from pipeline.reconcile import reconcile


class Doc:
    """A document plus helpers that turn substrings of its text into facts."""

    def __init__(self, source: str, text: str, published: str | None = None):
        sha = hashlib.sha256(text.encode()).hexdigest()
        self.document = Document(doc_id=sha[:16], source=source, sha256=sha, format="txt", text=text,
                                 published=published)
        self.records: list[Record] = []
        self.mentions: list[Mention] = []

    def fact(self, needle: str, value=None, rule="test.rule", nth: int = 0, **extra):
        start = -1
        for _ in range(nth + 1):
            start = self.document.text.index(needle, start + 1)
        return fact(needle if value is None else value, start, start + len(needle), needle, rule, **extra)

    def network(self, name: str | None, members: dict[str, str], rule="network.block.labelled", status=None, programme=None):
        name_fact = self.fact(name, rule=rule) if name else None
        member_facts = [self.fact(text, value=code, rule="municipality.gazetteer") for text, code in members.items()]
        self.records.append(Record("network", 0, len(self.document.text), rule, {
            "name": name_fact, "members": member_facts,
            "status": self.fact(status[0], value=status[1], rule="network.status") if status else None,
            "programme": self.fact(programme, value=programme, rule="network.programme") if programme else None,
        }))

    def experiment(self, title: str, network: str, status_label: str, status: str, rule="experiment.layout.status_list"):
        self.records.append(Record("experiment", self.document.text.index(title), len(self.document.text), rule, {
            "title": self.fact(title, rule=rule),
            "network": self.fact(network, rule=rule),
            "status": self.fact(status_label, value=status, rule="status." + status, label=status_label,
                                nth=self._status_index(title, status_label)),
        }))

    def _status_index(self, title: str, label: str) -> int:
        # the status label that follows the title
        text = self.document.text
        return text[:text.index(title)].count(label)

    def heading(self, name: str):
        f = self.fact(name, rule="experiment.network.heading")
        self.mentions.append(Mention("network_name", f["start"], f["end"], f["text"], name, "experiment.network.heading"))

    def count(self, needle: str, value: int, unit: str, status=None, qualifier=None):
        f = self.fact(needle)
        self.mentions.append(Mention("count", f["start"], f["end"], f["text"], value, "counts.digits",
                                     {"unit": unit, "status": status, "qualifier": qualifier}))

    @property
    def item(self):
        return self.document, Extraction(self.mentions, self.records)


@pytest.fixture
def tables(rules):
    return lambda *docs: reconcile(rules, [d.item for d in docs])


def by_name(rows):
    return {r["name"]: r for r in rows}


def test_name_variants_with_shared_members_are_one_network(tables):
    a = Doc("a.txt", "Navn: Ældre i eget hjem med digitale løsninger. Deltagere: Vejle, Kolding, Fredericia",
            "2017-03-01")
    a.network("Ældre i eget hjem med digitale løsninger", {"Vejle": "630", "Kolding": "621", "Fredericia": "607"},
              status=("Navn", "designated"))
    b = Doc("b.txt", "Kolding, Vejle og Fredericia kommuner søger med temaet 'Flere ældre i eget hjem gennem digitale løsninger'.")
    b.network("Flere ældre i eget hjem gennem digitale løsninger", {"Kolding": "621", "Vejle": "630", "Fredericia": "607"},
              rule="network.prose.joined_up", status=("søger", "applied"))
    rows = tables(a, b)["networks"]
    assert len(rows) == 1
    [row] = rows
    assert row["name"] == "Ældre i eget hjem med digitale løsninger"  # the labelled block is authoritative
    assert set(row["aliases"]) == {"Ældre i eget hjem med digitale løsninger",
                                   "Flere ældre i eget hjem gennem digitale løsninger"}
    assert [m["kommunekode"] for m in row["members"]] == ["607", "621", "630"]
    assert all(len(m["sources"]) == 2 for m in row["members"])  # one span in each document
    assert row["status"] == "designated"  # the dated statement; the undated one sorts first
    assert not tables(a, b)["conflicts"]


def test_names_sharing_a_phrase_stay_apart(tables):
    text = ("Navn: Sammenhængende indsats for udsatte unge. Deltagere: Viborg, Skive\n"
            "Navn: En plan for sammenhængende indsats i ældreplejen. Deltagere: Viborg, Skive, Struer")
    d = Doc("a.txt", text)
    d.network("Sammenhængende indsats for udsatte unge", {"Viborg": "791", "Skive": "779"})
    d.network("En plan for sammenhængende indsats i ældreplejen", {"Viborg": "791", "Skive": "779", "Struer": "671"})
    assert len(tables(d)["networks"]) == 2


def test_shared_members_alone_never_merge(tables):
    d = Doc("a.txt", "Tønder, Aabenraa og Haderslev søger om 'grøn omstilling i landdistrikterne'. "
                     "Tønder og Aabenraa søger også om 'digital borgerservice'.")
    d.network("grøn omstilling i landdistrikterne", {"Tønder": "550", "Aabenraa": "580", "Haderslev": "510"},
              rule="network.prose.joined_up")
    d.network("digital borgerservice", {"Tønder": "550", "Aabenraa": "580"}, rule="network.prose.joined_up")
    rows = tables(d)["networks"]
    assert len(rows) == 2
    assert len({r["network_id"] for r in rows}) == 2


def test_member_lists_that_differ_between_documents_are_a_conflict(tables):
    a = Doc("a.txt", "Navn: Læring i fællesskab. Deltagere: Odder, Skanderborg, Horsens")
    a.network("Læring i fællesskab", {"Odder": "727", "Skanderborg": "746", "Horsens": "615"})
    b = Doc("b.txt", "Navn: Læring i fællesskab. Deltagere: Odder, Skanderborg, Hedensted")
    b.network("Læring i fællesskab", {"Odder": "727", "Skanderborg": "746", "Hedensted": "766"})
    out = tables(a, b)
    assert len(out["networks"]) == 1
    [conflict] = out["conflicts"]
    assert conflict["type"] == "member_list"
    assert {tuple(s["value"]) for s in conflict["sides"]} == {("615", "727", "746"), ("727", "746", "766")}
    assert all(s["sources"] for s in conflict["sides"])


def test_experiment_decisions_across_documents_keep_history_and_flag_the_change(tables):
    a = Doc("a.txt", "Grøn omstilling\n• Fælles affaldsordning\nAfklares\n", "2018-02-01")
    a.heading("Grøn omstilling")
    a.experiment("Fælles affaldsordning", "Grøn omstilling", "Afklares", "pending")
    b = Doc("b.txt", "Mere grøn omstilling\n• Fælles affaldsordning\nImødekommes\n", "2018-09-01")
    b.heading("Mere grøn omstilling")
    b.experiment("Fælles affaldsordning", "Mere grøn omstilling", "Imødekommes", "approved")
    out = tables(a, b)
    [exp] = out["experiments"]
    assert exp["status"] == "approved" and exp["decided"] == "2018-09-01"
    assert [h["status"] for h in exp["status_history"]] == ["pending", "approved"]
    assert exp["network_id"] == out["networks"][0]["network_id"]
    assert [c["type"] for c in out["conflicts"]] == ["status"]


def test_stated_counts_agree_or_conflict_with_the_listed_records(tables):
    text = ("Tre forsøg får grønt lys, og ét afvises.\n"
            "Sundhed\n• Akutteam\nImødekommes\n• Hjemmepleje\nImødekommes delvist\n"
            "• Genoptræning\nAfslag\n• Rehabilitering\nImødekommes\n")
    good = Doc("good.txt", text)
    good.heading("Sundhed")
    for title, label, status in [("Akutteam", "Imødekommes", "approved"),
                                 ("Hjemmepleje", "Imødekommes delvist", "partially_approved"),
                                 ("Genoptræning", "Afslag", "rejected"), ("Rehabilitering", "Imødekommes", "approved")]:
        good.experiment(title, "Sundhed", label, status)
    good.count("Tre", 3, "forsøg", status=["approved", "partially_approved"])
    good.count("ét", 1, "forsøg", status="rejected")
    assert tables(good)["conflicts"] == []

    bad = Doc("bad.txt", text.replace("Tre forsøg", "Fire forsøg"))
    bad.heading("Sundhed")
    bad.records = [r for r in good.records]  # same spans: the texts differ only before them
    bad.count("Fire", 4, "forsøg", status=["approved", "partially_approved"])
    [conflict] = tables(bad)["conflicts"]
    assert conflict["type"] == "stated_count"
    assert [s["value"] for s in conflict["sides"]] == [4, 3]
    assert conflict["sides"][0]["sources"][0]["text"] == "Fire"


def test_bounds_and_documents_without_lists_are_not_compared(tables):
    d = Doc("a.txt", "Netværk kan bestå af op til seks kommuner. Navn: Trivsel. Deltagere: Lejre, Køge")
    d.network("Trivsel", {"Lejre": "350", "Køge": "259"})
    d.count("seks", 6, "kommune", qualifier="bound")
    prose = Doc("b.txt", "Hele 40 kommuner har søgt. Solrød og Greve søger om 'bedre trafik'.")
    prose.network("bedre trafik", {"Solrød": "269", "Greve": "253"}, rule="network.prose.joined_up")
    prose.count("40", 40, "kommune")
    assert tables(d, prose)["conflicts"] == []


def test_ids_do_not_depend_on_document_order(tables):
    a = Doc("a.txt", "Navn: Læring i fællesskab. Deltagere: Odder, Skanderborg")
    a.network("Læring i fællesskab", {"Odder": "727", "Skanderborg": "746"})
    b = Doc("b.txt", "Grøn omstilling\n• Fælles affaldsordning\nAfklares\n")
    b.heading("Grøn omstilling")
    b.experiment("Fælles affaldsordning", "Grøn omstilling", "Afklares", "pending")
    one, two = tables(a, b), tables(b, a)
    assert one == two
    assert all(r["network_id"].startswith("net_") for r in one["networks"])


def test_a_member_named_in_passing_is_no_member_list_conflict(tables):
    a = Doc("a.txt", "Navn: Læring i fællesskab. Deltagere: Odder, Skanderborg, Horsens")
    a.network("Læring i fællesskab", {"Odder": "727", "Skanderborg": "746", "Horsens": "615"})
    b = Doc("b.txt", "Odder og Horsens deltager i netværket Læring i fællesskab.")
    b.network("Læring i fællesskab", {"Odder": "727", "Horsens": "615"}, rule="network.prose.takes_part")
    out = tables(a, b)
    assert out["conflicts"] == []
    assert len(out["networks"][0]["members"]) == 3


def test_a_network_named_only_in_an_experiment_table_becomes_a_network(tables):
    d = Doc("a.txt", "Netværk | Forsøg | Afgørelse\nKlima i fællesskab | Lokale regler for regnvand | Afslag\n")
    d.experiment("Lokale regler for regnvand", "Klima i fællesskab", "Afslag", "rejected",
                 rule="experiment.layout.table")
    out = tables(d)
    [network] = out["networks"]
    assert network["name"] == "Klima i fællesskab"
    assert out["experiments"][0]["network_id"] == network["network_id"]


def test_a_count_of_applications_is_compared_with_all_listed_experiments(tables):
    d = Doc("a.txt", "Der er søgt om fem forsøg.\nSundhed\n• Akutteam\nImødekommes\n• Hjemmepleje\nAfslag\n")
    d.heading("Sundhed")
    d.experiment("Akutteam", "Sundhed", "Imødekommes", "approved")
    d.experiment("Hjemmepleje", "Sundhed", "Afslag", "rejected")
    d.count("fem", 5, "forsøg", status="applied")
    [conflict] = tables(d)["conflicts"]
    assert [s["value"] for s in conflict["sides"]] == [5, 2]


def test_a_count_conflict_shows_what_was_counted(tables):
    d = Doc("a.txt", "To forsøg imødekommes.\nSundhed\n• Akutteam\nImødekommes\n• Hjemmepleje\nAfslag\n")
    d.heading("Sundhed")
    d.experiment("Akutteam", "Sundhed", "Imødekommes", "approved")
    d.experiment("Hjemmepleje", "Sundhed", "Afslag", "rejected")
    d.count("To", 2, "forsøg", status="approved")
    [conflict] = tables(d)["conflicts"]
    assert [s["text"] for s in conflict["sides"][1]["sources"]] == ["Akutteam"]


def test_two_networks_with_one_name_but_other_members_get_two_ids(tmp_path):
    from pipeline.run import run

    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("Netværk 1\nNavn: Grøn omstilling i landdistrikterne\n"
                               "Deltagere: Tønder, Haderslev, Aabenraa\n", encoding="utf-8")
    (src / "b.txt").write_text("Netværk 2\nNavn: Grøn omstilling i landdistrikterne\n"
                               "Deltagere: Skive, Lemvig, Struer\n", encoding="utf-8")
    out = tmp_path / "out"
    run(src, out)  # a duplicate id would fail the SQLite load
    networks = [json.loads(line) for line in (out / "networks.jsonl").read_text(encoding="utf-8").splitlines()]
    members = sorted(tuple(m["kommunekode"] for m in n["members"]) for n in networks)
    assert members == [("510", "550", "580"), ("665", "671", "779")]
    assert len({n["network_id"] for n in networks}) == 2


def test_reconciling_with_the_evidence_spilled_to_a_file_gives_what_reconciling_in_memory_gives(rules, tmp_path):
    """A run spills every document's evidence while clusters and groups form
    (packed.SpillFile); the tables must not depend on where it waited."""
    from pipeline.packed import SpillFile
    from pipeline.publish import dumps

    def corpus():
        a = Doc("a.txt", "Frikommuneforsøg II. Navn: Læring i fællesskab. Deltagere: Odder, Skanderborg, Horsens\n"
                         "Læring i fællesskab\n• Fælles skolestart\nImødekommes\n• Færre prøver\nAfslag\n", "2018-03-01")
        a.network("Læring i fællesskab", {"Odder": "727", "Skanderborg": "746", "Horsens": "615"},
                  status=("Navn", "designated"), programme="II")
        a.heading("Læring i fællesskab")
        a.experiment("Fælles skolestart", "Læring i fællesskab", "Imødekommes", "approved")
        a.experiment("Færre prøver", "Læring i fællesskab", "Afslag", "rejected")
        b = Doc("b.txt", "Navn: Læring i fællesskab. Deltagere: Odder, Skanderborg, Hedensted. To forsøg.\n"
                         "Læring i fællesskab\n• Fælles skolestart\nAfklares\n", "2017-11-01")
        b.network("Læring i fællesskab", {"Odder": "727", "Skanderborg": "746", "Hedensted": "766"})
        b.heading("Læring i fællesskab")
        b.experiment("Fælles skolestart", "Læring i fællesskab", "Afklares", "pending")
        b.count("To", 2, "forsøg")
        c = Doc("c.txt", "Tønder og Aabenraa søger om 'digital borgerservice'. Tre kommuner.")
        c.network("digital borgerservice", {"Tønder": "550", "Aabenraa": "580"}, rule="network.prose.joined_up")
        c.count("Tre", 3, "kommune")
        return [d.item for d in (a, b, c)]

    in_memory = reconcile(rules, corpus())
    spill = SpillFile(tmp_path / "spill.bin")
    try:
        spilled = reconcile(rules, corpus(), spill)
    finally:
        spill.close()
    assert in_memory["conflicts"] and len(in_memory["networks"]) == 2 and len(in_memory["experiments"]) == 2
    assert {t: dumps(rows) for t, rows in spilled.items()} == {t: dumps(rows) for t, rows in in_memory.items()}
    [school] = [e for e in spilled["experiments"] if e["title"] == "Fælles skolestart"]
    assert [h["status"] for h in school["status_history"]] == ["pending", "approved"]
    members = by_name(spilled["networks"])["Læring i fællesskab"]["members"]
    assert {m["kommunekode"]: len(m["sources"]) for m in members} == {"615": 1, "727": 2, "746": 2, "766": 1}
