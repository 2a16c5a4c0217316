"""Experiments across documents: programme I/III experiments belong to municipalities, not
networks; an undetermined status waits for a reviewer. Documents written for the test."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.run import run


def rows(out: Path, table: str) -> list[dict]:
    return [json.loads(line) for line in (out / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()]


def test_the_same_title_in_two_municipalities_is_two_experiments_and_one_when_they_overlap(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("Nyt fra frikommunen Skive\n\nSkive Kommune har fået grønt lys til at bruge digital "
                               "post til skolehjem-samarbejdet.\n", encoding="utf-8")
    (src / "b.txt").write_text("Nyt fra frikommunen Lemvig\n\nLemvig Kommune har fået grønt lys til at bruge digital "
                               "post til skolehjem-samarbejdet.\n", encoding="utf-8")
    (src / "c.txt").write_text("Oversigt\n\nSkive Kommune fik afslag på forsøget med digital post til "
                               "skolehjem-samarbejdet.\n", encoding="utf-8")
    out = tmp_path / "out"
    run(src, out)
    experiments = rows(out, "experiments")
    by_codes = {tuple(m["kommunekode"] for m in e["municipalities"]): e for e in experiments}
    assert set(by_codes) == {("779",), ("665",)}
    skive = by_codes[("779",)]
    assert sorted(h["status"] for h in skive["status_history"]) == ["approved", "rejected"]
    assert len(skive["documents"]) == 2
    assert by_codes[("665",)]["experiment_id"] != skive["experiment_id"]
    for m in skive["municipalities"]:
        for span in m["sources"]:
            text = (out / "text" / f"{span['doc_id']}.txt").read_text(encoding="utf-8")
            assert text[span["start"]:span["end"]] == span["text"]


def test_an_undetermined_status_is_published_with_candidates_and_queued_as_a_conflict(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "list.txt").write_text("Afgørelser\n\nAfviste forsøg og forsøg til videre behandling:\n"
                                  "- Fri placering af ferieuger for dagplejere\n", encoding="utf-8")
    out = tmp_path / "out"
    run(src, out)
    [experiment] = rows(out, "experiments")
    assert experiment["status"] == "undetermined"
    assert sorted(experiment["status_candidates"]) == ["pending", "rejected"]
    conflicts = [c for c in rows(out, "conflicts") if c["type"] == "undetermined_status"]
    assert [c["subject"] for c in conflicts] == [experiment["experiment_id"]]
    assert sorted(s["value"] for s in conflicts[0]["sides"]) == ["pending", "rejected"]


def test_experiments_named_in_prose_are_not_counted_against_a_stated_count(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "news.txt").write_text(
        "Nyt fra ministeriet\n\n12 ansøgninger er kommet ind. Tønder Kommune har søgt om fælles "
        "tilsyn med dagplejen.\n", encoding="utf-8")
    (src / "list.txt").write_text(
        "Afgørelser\n\nI alt 3 forsøg blev godkendt.\n\nGodkendte forsøg:\n- Fælles indkøb af hjælpemidler\n"
        "- Digital partshøring\n", encoding="utf-8")
    out = tmp_path / "out"
    run(src, out)
    conflicts = [c for c in rows(out, "conflicts") if c["type"] == "stated_count"]
    # the prose experiment is no list of the 12; the list of 2 under a heading is one of the 3
    assert [(c["sides"][0]["value"], c["sides"][1]["value"]) for c in conflicts] == [(3, 2)]


def test_municipalities_of_a_labelled_block_do_not_spill_into_the_next_field(tmp_path, run_extract):
    text = ("Frikommunenetværk\n\nNavn: Grøn omstilling Deltagere: Skive, Lemvig Projekt: Netværket har søgt om "
            "fælles affaldsordninger for landsbyer.")
    _m, records, _d = run_extract(text, records=True)
    [experiment] = [r for r in records if r.type == "experiment"]
    assert experiment.fields["municipalities"] == []


def test_a_count_of_one_decision_is_not_compared_with_a_list_that_states_no_decisions(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "page.txt").write_text(
        "Vores forsøg\n\n7 forsøg afventer stadig ministeriets svar. Vi gennemfører disse forsøg:\n"
        "- Fælles indkøb af hjælpemidler\n- Digital partshøring\n", encoding="utf-8")
    out = tmp_path / "out"
    run(src, out)
    assert [c for c in rows(out, "conflicts") if c["type"] == "stated_count"] == []
    assert len(rows(out, "experiments")) == 2


def test_grouping_by_candidate_index_equals_comparing_every_group():
    """The title index (names.CandidateIndex) only skips comparisons that cannot match: on
    titles built to nearly match (shared words, inflected forms, extra words), the groups are
    those a comparison with every group in turn gives."""
    import random

    from pipeline.model import Document, Record, fact
    from pipeline.reconcile.experiments import _same_title, experiment_rows
    from pipeline.reconcile.names import NameMatcher
    from pipeline.rules import Rules

    matcher = NameMatcher.from_rules(Rules())
    stems = ["sammenhæng", "borgerforløb", "hjemmehjælp", "tilsyn", "dagpleje", "visitation", "skole", "ledig",
             "botilbud", "digital", "plan", "indsats", "mentor", "bolig", "ungdom", "sygedagpenge"]
    endings = ["", "e", "er", "ende", "erne", "s"]
    rng = random.Random(7)
    items = []
    for i in range(400):
        words = [rng.choice(stems) + rng.choice(endings) for _ in range(rng.randint(1, 5))]
        title = " og ".join(words) if rng.random() < 0.3 else " ".join(words)
        doc = Document(doc_id=f"{i:016x}", source=f"d{i:04d}.txt", sha256="0" * 64, format="txt", text="")
        network = rng.choice([None, "A"])
        fields = {"title": fact(title, 0, len(title), title, "r"),
                  "network": fact(network, 0, 1, network, "r") if network else None,
                  "status": None, "municipalities": []}
        items.append((doc, Record("experiment", 0, len(title), "r", fields)))

    network_of = {(d.doc_id, "A"): "net_a" for d, _ in items}
    rows, _ = experiment_rows(items, network_of, matcher)
    got = sorted(sorted(row["documents"]) for row in rows)

    groups: list[tuple] = []  # the reference: every group in turn, the first that matches
    for doc, record in sorted(items, key=lambda it: (it[0].published or "", it[0].source, it[1].start)):
        title = record.fields["title"]["value"]
        net = "net_a" if record.fields["network"] else None
        for g_net, g_title, members in groups:
            if g_net == net and _same_title(matcher, g_title, title):
                members.append(doc.doc_id)
                break
        else:
            groups.append((net, title, [doc.doc_id]))
    assert got == sorted(sorted(members) for _, _, members in groups)
    assert len(groups) < 360  # the titles do meet (80 merges): the test compares real merges
