"""Acceptance on the sample corpus in sources/: the figures the issue names, checked against
the reference list of municipalities (../shared/reference, copied into rules/) rather than
against anything the pipeline produced."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from pipeline.run import run

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "sources"

# The "Deltagere:" lists of the network article, as printed there.
NETWORK_ARTICLE_MEMBERS = """
Aalborg, Frederikshavn, Læsø, Hjørring, Brønderslev, Jammerbugt, Morsø, Thisted, Rebild, Vesthimmerland, Mariagerfjord
Høje-Taastrup, Randers, Roskilde, København, Favrskov, Aarhus
Favrskov, Herning, Holstebro, Randers, Silkeborg, Skive, Aabenraa
Guldborgsund, Ikast-Brande, Gladsaxe
Rudersdal, Gentofte, Gladsaxe, Lyngby-Taarbæk
Esbjerg, Odense, København, Aarhus, Randers
Ballerup, Allerød, Fredensborg, Frederikssund, Furesø, Gribskov, Halsnæs, Helsingør, Hillerød
Holbæk, Assens, Slagelse, Nordfyn, Ringkøbing-Skjern, Aarhus
"""
SHORT_FORMS = {"Vesthimmerland": "Vesthimmerlands", "Nordfyn": "Nordfyns"}


def reference_codes() -> dict[str, str]:
    with (REPO / "rules" / "municipalities.csv").open(encoding="utf-8") as fh:
        return {row["navn"]: row["kode"] for row in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("samples-out")
    summary = run(SOURCES, out, use_cache=False)
    read = lambda name: [json.loads(l) for l in (out / name).read_text(encoding="utf-8").splitlines() if l]
    return summary, read("documents.jsonl"), read("mentions.jsonl")


@pytest.fixture(scope="module")
def sample_tables(tmp_path_factory):
    out = tmp_path_factory.mktemp("samples-tables")
    run(SOURCES, out, use_cache=False)
    read = lambda name: [json.loads(l) for l in (out / name).read_text(encoding="utf-8").splitlines() if l]
    return {name: read(f"{name}.jsonl") for name in
            ("documents", "networks", "experiments", "decisions", "conflicts", "mentions")}


def doc_by_source_prefix(documents, prefix):
    [doc] = [d for d in documents if d["source"].startswith(prefix)]
    return doc


def test_sample_run_has_no_errors(sample_run):
    summary, documents, _ = sample_run
    assert summary.errors == []
    assert len(documents) == len([p for p in SOURCES.iterdir() if p.is_file()])


def test_network_article_yields_all_44_municipalities(sample_run):
    _, documents, mentions = sample_run
    codes = reference_codes()
    names = {n.strip() for line in NETWORK_ARTICLE_MEMBERS.split("\n") for n in line.split(",") if n.strip()}
    expected = {codes[SHORT_FORMS.get(n, n)] for n in names}
    assert len(expected) == 44
    doc = doc_by_source_prefix(documents, "001_")
    found = {m["value"] for m in mentions if m["doc_id"] == doc["doc_id"] and m["type"] == "municipality"}
    assert found == expected


def test_aalborg_minutes_yield_their_six_dates(sample_run):
    _, documents, mentions = sample_run
    doc = doc_by_source_prefix(documents, "002_")
    dates = sorted((m["text"], m["value"]) for m in mentions if m["doc_id"] == doc["doc_id"] and m["type"] == "date")
    values = sorted(v for _, v in dates)
    assert values == ["2016-01-15", "2016-01-25", "2016-02-12", "2016-02-19", "2016-04-01", "2016-05-01"], dates
    assert doc["kind"] == "committee_minutes"


def test_press_release_is_published_2017_02_02(sample_run):
    _, documents, _ = sample_run
    doc = doc_by_source_prefix(documents, "003_")
    assert doc["published"] == "2017-02-02"
    assert doc["kind"] == "press_release"


# The eight designated networks as the network article lists them (name, members), and the
# extra network of the first news item.
NETWORKS = {
    "En mere fleksibel og effektiv beskæftigelsesindsats": NETWORK_ARTICLE_MEMBERS.strip().split("\n")[0],
    "Billige boliger og fleksible boligløsninger": NETWORK_ARTICLE_MEMBERS.strip().split("\n")[1],
    "Bedre styring af udgifterne på det specialiserede socialområde": NETWORK_ARTICLE_MEMBERS.strip().split("\n")[2],
    "Børn som vores vigtigste ressource": NETWORK_ARTICLE_MEMBERS.strip().split("\n")[3],
    "Nye samarbejdsformer på det somatiske akutområde": NETWORK_ARTICLE_MEMBERS.strip().split("\n")[4],
    "Sammenhængende indsatser på tværs af sektorområder": NETWORK_ARTICLE_MEMBERS.strip().split("\n")[5],
    "En plan for sammenhængende indsats sammen med borgeren": NETWORK_ARTICLE_MEMBERS.strip().split("\n")[6],
    "Øget borgerinvolvering og samskabelse": NETWORK_ARTICLE_MEMBERS.strip().split("\n")[7],
    "behovsorienteret vandløbsvedligehold": "Hjørring, Brønderslev, Frederikshavn",
}


def test_the_nine_networks_of_the_seeds_with_exact_members(sample_tables):
    codes = reference_codes()
    seeds = {d["doc_id"] for d in sample_tables["documents"] if d["source"][:3].isdigit()}
    found = {n["name"]: n for n in sample_tables["networks"] if set(n["documents"]) & seeds}
    assert set(found) == set(NETWORKS)
    for name, members in NETWORKS.items():
        expected = {codes[SHORT_FORMS.get(m.strip(), m.strip())] for m in members.split(",")}
        assert {m["kommunekode"] for m in found[name]["members"]} == expected, name
    # The 11 North Jutland applicants of the first news item are the network designated later.
    north = found["En mere fleksibel og effektiv beskæftigelsesindsats"]
    first_news = doc_by_source_prefix(sample_tables["documents"], "000_")["doc_id"]
    assert first_news in north["documents"] and north["status"] == "designated"


def test_the_release_lists_33_experiments_each_under_its_network(sample_tables):
    release = doc_by_source_prefix(sample_tables["documents"], "003_")["doc_id"]
    listed = [e for e in sample_tables["experiments"] if release in e["documents"]]
    assert len(listed) == 33
    statuses = [e["status"] for e in listed]
    assert (statuses.count("approved"), statuses.count("partially_approved"),
            statuses.count("pending"), statuses.count("rejected")) == (13, 4, 11, 5)
    network_ids = {n["network_id"] for n in sample_tables["networks"]}
    assert all(e["network_id"] in network_ids for e in listed)
    # Its stated counts (17 helt eller delvist, 11 afklares, fem afvises, 33 ansøgninger) agree.
    assert not [c for c in sample_tables["conflicts"] if c["subject"] == release]


def test_the_aalborg_minutes_item(sample_tables):
    minutes = doc_by_source_prefix(sample_tables["documents"], "002_")["doc_id"]
    [item] = [d for d in sample_tables["decisions"] if d["doc_id"] == minutes]
    assert item["agenda_item"] == "3"
    assert item["case_number"] == "2016-005291"
    assert item["decision"] == "discussed"
    assert item["absent"] == ["Per Clausen"]
    assert item["municipality"] == "851"
