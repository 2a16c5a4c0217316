"""What a run holds packed until it publishes (pipeline/packed.py, run.Packed): reading it back
gives what was put in, and publishing it gives the bytes the plain values give."""

from __future__ import annotations

import pytest

from pipeline.model import Mention, Record, fact
from pipeline.extract import Extraction
from pipeline.packed import PackedList, SpillFile
from pipeline.publish import dumps, sql_value, write_jsonl
from pipeline.run import Packed

SOURCES = [
    {"doc_id": "d1", "source": "b.html", "start": 140, "end": 152, "page": None, "text": "Næstved", "rule": "r.a"},
    {"doc_id": "d2", "source": "a.pdf", "start": 7, "end": 19, "page": 3, "text": "Ærø Kommune", "rule": "r.b"},
]


def test_a_packed_list_reads_back_its_items_and_equals_the_plain_list():
    packed = PackedList(SOURCES)
    assert list(packed) == SOURCES and len(packed) == 2 and packed[1]["text"] == "Ærø Kommune"
    assert packed == SOURCES and SOURCES == packed and packed == PackedList(SOURCES)
    assert packed != SOURCES[:1] and packed != PackedList(reversed(SOURCES))
    assert {"members": packed} == {"members": SOURCES}  # as a changed-row comparison sees it
    assert not PackedList() and list(PackedList()) == [] and PackedList() == []


def test_changing_an_item_read_from_a_packed_list_does_not_change_the_list():
    packed = PackedList(SOURCES)
    next(iter(packed))["start"] = 0
    assert packed[0]["start"] == 140
    with pytest.raises(TypeError):
        hash(packed)


def test_a_row_with_packed_lists_publishes_the_bytes_of_the_plain_row():
    plain = {"network_id": "net_1", "members": [{"kommunekode": "370", "sources": SOURCES}], "sources": SOURCES[:1]}
    packed = {"network_id": "net_1", "members": [{"kommunekode": "370", "sources": PackedList(SOURCES)}],
              "sources": PackedList(SOURCES[:1])}
    assert dumps(packed) == dumps(plain)
    assert sql_value(packed["sources"]) == sql_value(plain["sources"])
    assert sql_value(PackedList()) == b"[]"


def test_rows_holding_packed_lists_are_written_a_value_at_a_time_as_the_bytes_of_the_plain_rows(tmp_path):
    import orjson

    plain = [
        {"network_id": "net_1", "name": "Grøn \"omstilling\"\n", "aliases": ["a", "b"],
         "members": [{"kommunekode": "370", "name": "Næstved", "sources": SOURCES}, {"kommunekode": "400", "sources": []}],
         "review": {"corrections": {"status": {"extracted": None}}, "at": "2026-01-01"}, "sources": SOURCES[:1]},
        {"network_id": "net_2", "name": None, "aliases": [], "members": [], "review": None, "sources": []},
    ]
    packed = [
        {**plain[0], "members": [{**plain[0]["members"][0], "sources": PackedList(SOURCES)},
                                 {"kommunekode": "400", "sources": PackedList()}],
         "sources": PackedList(SOURCES[:1])},
        {**plain[1], "sources": PackedList()},
    ]
    write_jsonl(tmp_path / "packed.jsonl", packed, nested=("members", "sources", "review"))
    assert (tmp_path / "packed.jsonl").read_bytes() == b"".join(orjson.dumps(row) + b"\n" for row in plain)


def test_a_packed_extraction_in_the_spill_file_gives_back_its_records_and_the_mentions_reconciliation_weighs(tmp_path):
    net = Record("network", 0, 12, "r.net", {"name": fact("Odder-netværket", 0, 12, "Odder og Ærø", "r.name"),
                                             "members": [fact("727", 0, 5, "Odder", "r.m")]})
    agenda = Record("agenda_item", 20, 40, "r.item", {"title": fact("Punkt 1", 20, 27, "Punkt 1", "r.t")})
    mentions = [Mention("municipality", 0, 5, "Odder", "r.m", "727"), Mention("count", 9, 11, "to", "r.c", 2)]
    spill = SpillFile(tmp_path / "spill.bin")
    try:
        first = Packed(Extraction(mentions, [net, agenda]), spill)
        second = Packed(Extraction([], [agenda]), spill)  # later blobs do not disturb earlier ones
        assert first.records_of("network") == [net] and first.records_of("agenda_item") == [agenda]
        assert first.records_of("experiment") == [] and second.records_of("agenda_item") == [agenda]
        assert [m.type for m in first.mentions] == ["count"]  # municipality mentions live in the mention store
    finally:
        spill.close()


def test_worker_processes_never_run_more_than_a_window_ahead_of_the_run():
    """On a rerun the workers only read the cache and outrun the run process; Pool.imap would
    then hold every document's text and extraction at once. The outcomes come in file order,
    with at most `window` tasks sent and not yet taken."""
    from pipeline.run import WORK_CHUNK, _in_order

    class Task:
        def __init__(self, chunk):
            self.chunk = chunk

        def get(self):
            return [f"outcome of {path}" for path in self.chunk]

    class CountingPool:
        sent = 0

        def apply_async(self, _fn, args):
            self.sent += 1
            return Task(args[0])

    pool, files = CountingPool(), [f"doc{i:03d}.txt" for i in range(10 * WORK_CHUNK + 3)]
    taken = []
    for outcome in _in_order(pool, files, window=3):
        taken.append(outcome)
        chunks_taken = -(-len(taken) // WORK_CHUNK)
        assert pool.sent <= chunks_taken + 3
    assert taken == [f"outcome of {path}" for path in files] and pool.sent == 11


def test_the_previous_versions_records_are_held_packed_and_read_back_by_id(tmp_path):
    from pipeline.publish.changes import PackedRows

    rows = [{"network_id": "net_b", "name": "Bæredygtig drift", "members": [{"kommunekode": "101"}]},
            {"network_id": "net_a", "name": None, "members": []}]
    lines = [dumps(rows[0]), "", '{"network_id": "net_c", "name": "torn', "[1, 2]", dumps(rows[1])]
    (tmp_path / "networks.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    previous = PackedRows(tmp_path, "networks", "network_id")
    assert list(previous) == ["net_b", "net_a"] and len(previous) == 2 and "net_c" not in previous
    assert previous["net_b"] == rows[0] and previous.get("net_a") == rows[1] and previous.get("net_c") is None
    assert len(PackedRows(tmp_path, "experiments", "experiment_id")) == 0  # no file: nothing before
