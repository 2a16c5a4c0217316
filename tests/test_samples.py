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
