"""The workbench on a very long document: it is shown in parts, each a bounded page, which
together show every character and every highlight exactly once; and the server answers
requests side by side."""

from __future__ import annotations

import json
import random
import re
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from pipeline.review import app as workbench
from pipeline.review.app import create_app, part_starts
from pipeline.run import run

TOWNS = ["Billund", "Vejen", "Kolding", "Fredericia", "Haderslev", "Tønder", "Varde", "Esbjerg"]


@pytest.fixture(scope="module")
def long_output(tmp_path_factory):
    """One text of ~120,000 characters naming a municipality every ~20 characters."""
    base = tmp_path_factory.mktemp("long")
    rng = random.Random(11)
    lines = ["Samlet oversigt over høringssvar", ""]
    for n in range(2200):
        a, b = rng.sample(TOWNS, 2)
        lines.append(f"Svar {n}: {a} Kommune og {b} Kommune bakker op.")
        if n % 9 == 8:
            lines.append("")
    (base / "src").mkdir()
    (base / "src" / "oversigt.txt").write_text("\n".join(lines), encoding="utf-8")
    run(base / "src", base / "out")
    doc = json.loads((base / "out" / "documents.jsonl").read_text(encoding="utf-8"))
    mentions = [json.loads(line) for line in (base / "out" / "mentions.jsonl").read_text(encoding="utf-8").splitlines()]
    text = (base / "out" / "text" / f"{doc['doc_id']}.txt").read_text(encoding="utf-8")
    assert len(mentions) > 4000
    return base / "out", doc, mentions, text


def pieces(html: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in re.findall(r'data-s="(\d+)" data-e="(\d+)"', html)]


def test_a_long_document_is_shown_in_bounded_parts_that_cover_it_exactly(long_output):
    out, doc, mentions, text = long_output
    client = create_app(out, reviewer="tester").test_client()
    first = client.get(f"/doc/{doc['doc_id']}").get_data(as_text=True)
    parts = int(re.search(r"part 1 of (\d+)", first).group(1))
    assert parts > 5
    covered, cards = [], []
    for part in range(1, parts + 1):
        response = client.get(f"/doc/{doc['doc_id']}?part={part}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert len(html) < 700_000  # one page of the whole document was over 9 MB
        covered += pieces(html)
        cards += re.findall(r'class="card[^"]*"[^>]*data-key="mentions:([0-9a-f]+)"', html)
    # every character once, in order: the parts' pieces join to the whole text
    assert covered[0][0] == 0 and covered[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(covered, covered[1:]))
    # every mention's card in exactly one part
    assert sorted(cards) == sorted(m["mention_id"] for m in mentions)


def test_a_link_to_a_span_opens_the_part_that_holds_it(long_output):
    out, doc, mentions, text = long_output
    client = create_app(out, reviewer="tester").test_client()
    late = mentions[-1]
    html = client.get(f"/doc/{doc['doc_id']}?at={late['start']}").get_data(as_text=True)
    assert f'data-key="mentions:{late["mention_id"]}"' in html
    assert any(a <= late["start"] < b for a, b in pieces(html))
    assert f'data-key="mentions:{mentions[0]["mention_id"]}"' not in html
    # queue cards link with the offset, so they open the right part
    queue = client.get(f"/queue?table=mentions&doc={doc['doc_id']}").get_data(as_text=True)
    assert re.search(rf'/doc/{doc["doc_id"]}\?at=\d+#\d+-\d+', queue)


@pytest.mark.parametrize("query, status", [("part=0", 400), ("part=x", 400), ("part=9999", 404),
                                           ("at=abc", 400), ("page=2", 400)])
def test_malformed_part_requests_are_refused(long_output, query, status):
    out, doc, _mentions, _text = long_output
    client = create_app(out, reviewer="tester").test_client()
    assert client.get(f"/doc/{doc['doc_id']}?{query}").status_code == status


def test_parts_end_at_line_breaks_and_respect_both_limits():
    text = "\n".join(f"linje {n:04d} med tekst" for n in range(2000))
    starts = part_starts(text, list(range(0, len(text), 7)), max_chars=5000, max_spans=300)
    assert starts[0] == 0 and len(starts) > 10
    assert all(text[s - 1] == "\n" for s in starts[1:])
    sizes = [b - a for a, b in zip(starts, starts[1:] + [len(text)])]
    assert max(sizes) <= 300 * 7 + 40  # the span limit binds first here, cut at the next line
    assert part_starts("kort tekst", [0, 5]) == [0]
    # no line break at all: a hard cut rather than one endless part
    assert len(part_starts("x" * 50_000, [], max_chars=10_000)) == 5


def test_the_server_answers_requests_side_by_side(long_output, monkeypatch):
    out, doc, _mentions, _text = long_output
    inside, most = 0, 0
    lock = threading.Lock()
    real = workbench.render_text

    def slow_render(*args, **kwargs):
        nonlocal inside, most
        with lock:
            inside += 1
            most = max(most, inside)
        time.sleep(0.3)  # a slow page: requests queued one at a time would never overlap
        with lock:
            inside -= 1
        return real(*args, **kwargs)

    monkeypatch.setattr(workbench, "render_text", slow_render)
    address = []
    server = threading.Thread(target=workbench.serve, kwargs={
        "out": out, "port": 0, "reviewer": "tester", "announce": address.append}, daemon=True)
    server.start()
    for _ in range(100):
        if address:
            break
        time.sleep(0.05)
    base = re.search(r"http://\S+/", address[0]).group(0)
    with ThreadPoolExecutor(6) as pool:
        codes = list(pool.map(lambda _: urllib.request.urlopen(f"{base}doc/{doc['doc_id']}", timeout=30).status,
                              range(6)))
    assert codes == [200] * 6
    assert most >= 3
