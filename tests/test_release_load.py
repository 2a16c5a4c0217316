"""The registry feed: versioned releases (Frictionless Data Package, changelog) and the load
into a real PostgreSQL server. Documents written for the test."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from pipeline.load import LoadError, load
from pipeline.release import latest, release
from pipeline.rules import Rules
from pipeline.run import run

REPO = Path(__file__).resolve().parent.parent

# the documents of the identity tests: a news item with a network and two experiments, two
# labelled networks whose names merge under looser rules
from test_identity import NEWS, TRAFFIC_A, TRAFFIC_B  # noqa: E402


def folder(tmp_path: Path, files: dict[str, str]) -> Path:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    return src


def looser_names(tmp_path: Path) -> Rules:
    copy = tmp_path / "rules"
    shutil.copytree(REPO / "rules", copy)
    path = copy / "reconcile.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("min_overlap: 0.75", "min_overlap: 0.5"),
                    encoding="utf-8")
    return Rules(copy)


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_a_release_is_a_valid_frictionless_data_package(tmp_path):
    from frictionless import validate

    out = tmp_path / "out"
    run(REPO / "sources", out)
    version, _ = release(out, tmp_path / "releases")
    assert version == "1.0.0"
    v1 = tmp_path / "releases" / "v1"
    report = validate(str(v1 / "datapackage.json"))
    assert report.valid, [e.message for t in report.tasks for e in t.errors][:3]
    package = json.loads((v1 / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == "1.0.0" and package["licenses"]
    resources = {r["name"]: r for r in package["resources"]}
    assert resources["networks"]["schema"]["primaryKey"] == ["network_id"]
    assert {"fields": "network_id", "reference": {"resource": "networks", "fields": "network_id"}} in \
        resources["experiments"]["schema"]["foreignKeys"]
    with (v1 / "networks.csv").open(encoding="utf-8") as fh:
        first = next(csv.DictReader(fh))
    assert json.loads(first["members"])[0]["kommunekode"].isdigit()  # nested values as JSON text
    assert (tmp_path / "releases" / "LATEST").read_text().strip() == "v1"

    # a broken cell fails validation: the package's schema is not decoration
    text = (v1 / "municipalities.csv").read_text(encoding="utf-8").splitlines()
    text[1] = "85" + text[1][3:]
    (v1 / "municipalities.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    assert not validate(str(v1 / "datapackage.json")).valid


def test_two_releases_give_a_changelog_with_tombstones_and_aliases(tmp_path):
    src = folder(tmp_path, {"news.txt": NEWS, "a.txt": TRAFFIC_A, "b.txt": TRAFFIC_B})
    out, releases = tmp_path / "out", tmp_path / "releases"
    run(src, out)
    release(out, releases)
    first = {n["name"]: n["network_id"] for n in rows(out / "networks.jsonl")}
    assert len(first) == 3

    (src / "news.txt").unlink()  # its network is gone: a tombstone
    run(src, out, looser_names(tmp_path))  # the two traffic networks become one: an alias
    [merged] = rows(out / "networks.jsonl")
    version, tally = release(out, releases)
    assert version == "2.0.0" and latest(releases).name == "v2"
    with (releases / "v2" / "changes.csv").open(encoding="utf-8") as fh:
        changes = {(r["table"], r["id"]): r for r in csv.DictReader(fh)}
    youth = first["Flere unge i job gennem lokale partnerskaber"]
    assert changes[("networks", youth)]["change"] == "removed" and not changes[("networks", youth)]["merged_into"]
    other = ({first["Kollektiv trafik på landet"], first["Trafik og mobilitet på landet"]} - {merged["network_id"]}).pop()
    assert changes[("networks", other)]["merged_into"] == merged["network_id"]
    assert [(r["change"], r["source"]) for r in changes.values() if r["kind"] == "document"] == [("removed", "news.txt")]
    log = (releases / "v2" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert log.index("## 2.0.0") < log.index("## 1.0.0")  # the earlier release's entry is kept
    assert f"`{other}`: merged into `{merged['network_id']}`" in log and f"`{youth}` (tombstone" in log

    # nothing changed since v2: no empty release
    assert release(out, releases)[0] == "2.0.0" and not (releases / "v3").exists()


# ------------------------------------------------------------------ PostgreSQL (a real server)

def _count(url: str, sql: str):
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


def test_load_into_postgresql_upserts_marks_removed_rows_and_is_idempotent(tmp_path, postgres_server):
    url = postgres_server()
    src = folder(tmp_path, {"news.txt": NEWS, "a.txt": TRAFFIC_A})
    out = tmp_path / "out"
    run(src, out)
    report = load(url, out=out)
    assert report["networks"] == {"insert": 2, "update": 0, "noop": 0, "removed": 0}
    assert _count(url, "SELECT count(*) FROM mentions")[0][0] == len(rows(out / "mentions.jsonl"))
    # types from the contract: a count stays a number, nested values are jsonb
    assert _count(url, "SELECT DISTINCT jsonb_typeof(value) FROM mentions WHERE type = 'count'") in ([], [("number",)])
    members = _count(url, "SELECT kommunekode FROM network_members WHERE network = 'Kollektiv trafik på landet' ORDER BY 1")
    assert members == [("259",), ("265",), ("350",)]

    again = load(url, out=out)
    assert all(r["insert"] == 0 and r["update"] == 0 and r["removed"] == 0 for r in again.values())

    (src / "a.txt").unlink()
    run(src, out)
    third = load(url, out=out)
    assert third["networks"]["removed"] == 1
    marked = _count(url, "SELECT name FROM networks WHERE removed_at IS NOT NULL")
    assert marked == [("Kollektiv trafik på landet",)]  # marked, not deleted
    assert _count(url, "SELECT count(*) FROM network_members WHERE network = 'Kollektiv trafik på landet'")[0][0] == 0


def test_a_failed_load_leaves_the_database_as_it_was(tmp_path, postgres_server):
    url = postgres_server()
    src = folder(tmp_path, {"news.txt": NEWS})
    out = tmp_path / "out"
    run(src, out)
    load(url, out=out)
    before = _count(url, "SELECT experiment_id, network_id, removed_at FROM experiments ORDER BY 1")

    broken = tmp_path / "broken"
    shutil.copytree(out, broken)
    experiments = rows(broken / "experiments.jsonl")
    experiments[0]["network_id"] = "net_nowhere"  # a foreign key to no network
    (broken / "experiments.jsonl").write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in experiments),
                                              encoding="utf-8")
    (broken / "networks.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(LoadError, match="rolled back"):
        load(url, out=broken)
    assert _count(url, "SELECT experiment_id, network_id, removed_at FROM experiments ORDER BY 1") == before
    assert _count(url, "SELECT count(*) FROM networks WHERE removed_at IS NOT NULL")[0][0] == 0


def test_a_release_loads_too(tmp_path, postgres_server):
    url = postgres_server()
    out = tmp_path / "out"
    run(folder(tmp_path, {"news.txt": NEWS}), out)
    release(out, tmp_path / "releases")
    report = load(url, release=tmp_path / "releases" / "v1")
    assert report["documents"]["insert"] == 1
    with pytest.raises(LoadError, match="no release"):
        load(url, release=tmp_path / "releases" / "v9")
