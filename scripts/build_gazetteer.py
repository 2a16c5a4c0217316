#!/usr/bin/env python3
"""Regenerate rules/municipalities.csv from the reference list of Danish municipalities.

The reference (shared/reference/kommuner.csv: kode,navn,region_kode,region_navn) is the
source of the facts; the pipeline itself reads only rules/municipalities.csv, so the rules
folder stays self-contained and its fingerprint covers the gazetteer.

    python scripts/build_gazetteer.py /work/shared/reference/kommuner.csv          # write
    python scripts/build_gazetteer.py /work/shared/reference/kommuner.csv --check  # compare only

The output keeps the reference's columns and rows, sorted by kode, with codes written as
three-digit strings. Nothing is added or renamed here: surface variants ("Nordfyn",
"Århus", genitives, ...) are rules and live in rules/municipality_variants.yaml.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

COLUMNS = ["kode", "navn", "region_kode", "region_navn"]
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "rules" / "municipalities.csv"


def build(reference: Path) -> str:
    with reference.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SystemExit(f"{reference}: missing columns {missing}")
        rows = []
        for row in reader:
            kode = row["kode"].strip()
            if not kode.isdigit():
                raise SystemExit(f"{reference}: bad kode {kode!r}")
            rows.append({
                "kode": f"{int(kode):03d}",
                "navn": row["navn"].strip(),
                "region_kode": row["region_kode"].strip(),
                "region_navn": row["region_navn"].strip(),
            })
    kodes = [r["kode"] for r in rows]
    if len(set(kodes)) != len(kodes):
        raise SystemExit(f"{reference}: duplicate kode")
    rows.sort(key=lambda r: r["kode"])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("reference", type=Path, help="path to kommuner.csv (kode,navn,region_kode,region_navn)")
    ap.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT, help=f"default: {DEFAULT_OUT}")
    ap.add_argument("--check", action="store_true", help="exit 1 if the output file differs; write nothing")
    args = ap.parse_args(argv)
    text = build(args.reference)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else None
        if current != text:
            print(f"{args.out} is out of date with {args.reference}", file=sys.stderr)
            return 1
        print(f"{args.out} matches {args.reference} ({text.count(chr(10)) - 1} municipalities)")
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({text.count(chr(10)) - 1} municipalities)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
