"""Key press to next record in the workbench, in headless Chromium, on a 600-document output.

    python scripts/workbench_latency.py [--documents 600] [--pause-ms 1000] [--keys 20]

Builds the output from copies of sources/ (as `make bench` does), opens the mentions queue and
presses `a` --keys times, waiting --pause-ms between presses as a reviewer reads the next card.
Prints the median and the slowest time from the key press until the next card is selected.
A measurement, not a test: the figure depends on the machine.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from bench import build_corpus  # noqa: E402
from e2e.harness import browser_page, workbench  # noqa: E402
from pipeline.run import run  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=600)
    ap.add_argument("--pause-ms", type=int, default=1000)
    ap.add_argument("--keys", type=int, default=20)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="frikommune-latency-"))
    try:
        (work / "corpus").mkdir()
        build_corpus(ROOT / "sources", work / "corpus", args.documents)
        run(work / "corpus", work / "out", jobs=2)
        times = []
        with workbench(work / "out", reviewer="ida") as base, browser_page() as page:
            page.goto(f"{base}/queue?table=mentions")
            for _ in range(args.keys):
                before = page.locator("#records .card.sel").get_attribute("data-key")
                started = time.perf_counter()
                page.keyboard.press("a")
                page.wait_for_function("k => { const c = document.querySelector('#records .card.sel');"
                                       " return c && c.dataset.key !== k; }", arg=before)
                times.append(time.perf_counter() - started)
                page.wait_for_timeout(args.pause_ms)
        print(f"{args.documents} documents, {args.keys} decisions, {args.pause_ms} ms between them: key press to "
              f"next record median {statistics.median(times) * 1000:.0f} ms, slowest {max(times) * 1000:.0f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
