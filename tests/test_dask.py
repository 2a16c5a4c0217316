"""`frikommune run --executor dask`: the per-document stage on a Dask cluster (a LocalCluster of
2 worker processes here) gives byte for byte the output of a local run; sources may be an
fsspec URL; a document that kills its worker becomes one error line."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from pipeline.run import run  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def published_files(out: Path) -> dict[str, bytes]:
    """Every published file as a reader sees it through OUT (the change report and run.json
    included), by name."""
    files = {}
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out).as_posix()
        if relative.startswith((".", "current", "review")) or not path.is_file():
            continue
        files[relative] = path.read_bytes()
    for path in sorted((out / "text").iterdir()):  # a link into the published version
        files[f"text/{path.name}"] = path.read_bytes()
    return files


@pytest.fixture(scope="module")
def local_output(tmp_path_factory):
    base = tmp_path_factory.mktemp("local")
    shutil.copytree(ROOT / "sources", base / "src")
    run(base / "src", base / "out", jobs=1)
    return base


def test_a_dask_run_is_byte_identical_to_a_local_run(local_output, tmp_path):
    summary = run(local_output / "src", tmp_path / "out", executor="dask", jobs=2)
    assert summary.documents == 10 and not summary.errors
    local, distributed = published_files(local_output / "out"), published_files(tmp_path / "out")
    assert set(local) == set(distributed) and len(local) > 20
    assert [name for name in local if local[name] != distributed[name]] == []


def test_sources_given_as_an_fsspec_url_give_the_same_dataset(local_output, tmp_path):
    url = (local_output / "src").resolve().as_uri()  # file:///…
    summary = run(url, tmp_path / "out", executor="dask", jobs=2)
    assert summary.documents == 10 and not summary.errors
    for table in ("documents.jsonl", "mentions.jsonl", "experiments.jsonl", "networks.jsonl"):
        assert (tmp_path / "out" / table).read_bytes() == (local_output / "out" / table).read_bytes()


KILLER = textwrap.dedent('''
    # Worker preload for the test: reading a file whose name holds "killer" ends the worker
    # process at once, as a segfault in a parser would.
    import os
    import pipeline.run as run_module

    real = getattr(run_module, "_real_read_document", run_module.read_document)  # preloaded once or twice

    def deadly(path, *args, **kwargs):
        if "killer" in str(path):
            os._exit(13)
        return real(path, *args, **kwargs)

    run_module._real_read_document = real
    run_module.read_document = deadly
''')


def test_a_document_that_kills_its_worker_is_one_error_line(tmp_path):
    import dask
    from dask.distributed import LocalCluster

    src = tmp_path / "src"
    src.mkdir()
    for n in range(5):
        (src / f"note{n}.txt").write_text(f"Horsens Kommune og Hedensted Kommune, møde {n}.\n", encoding="utf-8")
    (src / "killer.txt").write_text("Odder Kommune.\n", encoding="utf-8")
    preload = tmp_path / "killer_preload.py"
    preload.write_text(KILLER, encoding="utf-8")
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                          preload=[str(preload)]) as cluster:
            summary = run(src, tmp_path / "out", executor="dask", scheduler=cluster.scheduler_address)
    assert summary.documents == 5
    assert [e["source"] for e in summary.errors] == ["killer.txt"]
    assert "worker" in summary.errors[0]["error"] and "died" in summary.errors[0]["error"]


def test_the_command_line_runs_on_a_local_cluster_and_checks_its_options(local_output, tmp_path, capsys):
    from pipeline.cli import main

    code = main(["run", "--sources", str(local_output / "src"), "--out", str(tmp_path / "out"),
                 "--executor", "dask", "--jobs", "2", "--quiet"])
    assert code == 0
    assert (tmp_path / "out" / "mentions.jsonl").read_bytes() == (local_output / "out" / "mentions.jsonl").read_bytes()
    assert main(["run", "--sources", str(local_output / "src"), "--out", str(tmp_path / "o2"),
                 "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert main(["run", "--sources", "file:///nowhere", "--out", str(tmp_path / "o3")]) == 2
    err = capsys.readouterr().err
    assert "--scheduler needs --executor dask" in err and "needs --executor dask" in err
