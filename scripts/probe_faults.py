"""Hostile-input probe: one folder of bad and good files through `frikommune run`, then a report.

    python scripts/probe_faults.py [--big-mb 45]

Writes its inputs to a temporary folder (good documents of our own writing beside every kind of
bad input the fault issue lists), runs the CLI in a subprocess twice (a clean run and a rerun)
and with --jobs 2, and reports: inputs tried, crashes (a traceback, or an exit code other than
0/1), good documents lost, bad inputs not named by an error line, hangs (over --timeout), the
slowest document and the peak memory of the run. Exit code 1 when anything is lost or crashed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "pipeline.cli"]

GOOD = {
    "god_note.txt": "Referat: Gribskov Kommune og Halsnæs Kommune drøftede frikommuneforsøget den 4. maj 2017.\n",
    "god_side.html": "<html><head><meta charset='utf-8'><title>Nyhed fra Allerød</title></head><body><main>"
                     "<h1>Allerød Kommune søger</h1><p>Allerød Kommune og Furesø Kommune søger sammen.</p>"
                     "</main></body></html>",
}


def tiny_pdf(stream: bytes, compress: bool = True) -> bytes:
    body = zlib.compress(stream, 9) if compress else stream
    flate = b" /Filter /FlateDecode" if compress else b""
    return (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
            b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n"
            b"4 0 obj\n<< /Length " + str(len(body)).encode() + flate + b" >>\nstream\n" + body
            + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def write_inputs(src: Path, big_mb: int) -> dict[str, str]:
    """file -> what it is. Good files must come out as documents; the rest as error lines or
    (when readable despite damage) as documents."""
    inputs = {}
    for name, text in GOOD.items():
        (src / name).write_text(text, encoding="utf-8")
        inputs[name] = "good"
    line = "Roskilde Kommune og Lejre Kommune søger. "
    bad = {
        "tom.txt": b"",
        "blank.txt": b"  \n\n\t ",
        "binaer.pdf": os.urandom(4000),
        "afkortet.pdf": tiny_pdf(b"BT /F1 12 Tf (Tekst) Tj ET")[:300],
        "bombe.pdf": tiny_pdf(b" " * (528 * (1 << 20))),
        "ukendt.xyz": b"Roskilde Kommune\n",
        "nul.txt": b"Lejre\x00Kommune\x00" * 100,
        "dyb.html": b"<html><body>" + b"<div>" * 100_000 + b"Lejre Kommune" + b"</div>" * 100_000 + b"</body></html>",
        "blandet.txt": "Køge Kommune i UTF-8.\n".encode() + "Stevns Kommune i Latin-1, Tårnby.\n".encode("latin-1"),
        "mojibake.txt": "Køge Kommune og Næstved Kommune.\n".encode("utf-8").decode("cp1252").encode("utf-8"),
        "en_linje.txt": (line * (5_000_000 // len(line))).encode(),
        "prosa.txt": "\n".join(f"Netværket består af Solrød, Greve og Køge kommuner. {i}" for i in range(4000)).encode(),
    }
    for name, data in bad.items():
        (src / name).write_bytes(data)
        inputs[name] = "bad"
    big = src / "stor.txt"
    with big.open("wb") as fh:
        block = ("Vordingborg Kommune holdt møde om frikommuner. " * 20 + "\n\n").encode()
        for _ in range(big_mb * 1_000_000 // len(block)):
            fh.write(block)
    inputs["stor.txt"] = "bad"
    os.symlink("/etc/passwd", src / "passwd.txt")
    inputs["passwd.txt"] = "bad"
    os.symlink(src / "loop_a.txt", src / "loop_b.txt")
    os.symlink(src / "loop_b.txt", src / "loop_a.txt")
    inputs["loop_a.txt"] = inputs["loop_b.txt"] = "bad"
    return inputs


def run_cli(args: list[str], timeout: float) -> tuple[int | None, str, float, float]:
    """(exit code or None on a hang, stderr+stdout, seconds, peak RSS MB of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    try:
        done = subprocess.run(CLI + args, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        code, output = done.returncode, done.stdout + done.stderr
    except subprocess.TimeoutExpired as exc:
        code, output = None, (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
    seconds = time.perf_counter() - started
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return code, output, seconds, peak


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--big-mb", type=int, default=45, help="size of the large text file")
    ap.add_argument("--timeout", type=float, default=900, help="seconds before a run counts as a hang")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="frikommune-probe-"))
    problems = 0
    try:
        src, out = work / "src", work / "out"
        src.mkdir()
        inputs = write_inputs(src, args.big_mb)
        print(f"inputs: {len(inputs)} files ({sum(v == 'good' for v in inputs.values())} good), "
              f"in {src}")
        for label, extra in (("clean run", []), ("rerun", []), ("--jobs 2, no cache", ["--jobs", "2", "--no-cache"])):
            code, output, seconds, peak = run_cli(["run", "--sources", str(src), "--out", str(out), "-v", *extra],
                                                  args.timeout)
            documents = {json.loads(line)["source"] for line in (out / "documents.jsonl").read_text().splitlines()} \
                if (out / "documents.jsonl").exists() else set()
            errors = {json.loads(line)["source"] for line in (out / "errors.jsonl").read_text().splitlines()} \
                if (out / "errors.jsonl").exists() else set()
            crashed = code not in (0, 1) or "Traceback" in output
            lost = sorted(name for name, kind in inputs.items() if kind == "good" and name not in documents)
            silent = sorted(name for name, kind in inputs.items()
                            if kind == "bad" and name not in documents and name not in errors)
            slowest = re.search(r"slowest document: (.+?), ([\d.]+) s", output)
            print(f"\n{label}: exit {code}, {seconds:.1f} s, peak memory {peak:.0f} MB")
            print(f"  documents {len(documents)}, error lines {len(errors)}, crashes {int(crashed)}, "
                  f"good documents lost {len(lost)} {lost or ''}, bad inputs unreported {len(silent)} {silent or ''}, "
                  f"hangs {int(code is None)}")
            if slowest:
                print(f"  slowest document: {slowest.group(1)} ({slowest.group(2)} s)")
            for line in output.splitlines():
                if line.startswith("  ") and ":" in line and not line.startswith("   "):
                    print("  " + line.strip())
            problems += crashed + len(lost) + len(silent) + (code is None)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nproblems: {problems}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
