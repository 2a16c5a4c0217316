"""Compare the pipeline's mojibake repair with ftfy's on damaged copies of clean texts.

    python scripts/measure_mojibake.py [FOLDER_OR_FILE ...]   (default: extracted/text)

Each clean text is damaged four ways (UTF-8 read as cp1252, as Latin-1, twice as cp1252, and
every other line only) and each repair is scored on: texts restored exactly, characters still
wrong, clean texts it changed (must be 0), and seconds per MB. Needs ftfy (a dev dependency).
"""

from __future__ import annotations

import difflib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.ingest.repair import repair_mojibake  # noqa: E402


def misread(text: str, encoding: str) -> str:
    def byte(b: int) -> str:
        try:
            return bytes([b]).decode(encoding)
        except UnicodeDecodeError:
            return chr(b)  # what our own and most decoders do with cp1252's five undefined bytes
    return "".join(byte(b) for b in text.encode("utf-8"))


DAMAGE = {
    "cp1252": lambda t: misread(t, "cp1252"),
    "latin-1": lambda t: misread(t, "latin-1"),
    "cp1252 twice": lambda t: misread(misread(t, "cp1252"), "cp1252"),
    "every other line": lambda t: "\n".join(misread(line, "cp1252") if i % 2 else line
                                            for i, line in enumerate(t.split("\n"))),
}


def repairs() -> dict:
    import ftfy

    config = ftfy.TextFixerConfig(unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False,
                                  fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
                                  fix_surrogates=False, remove_control_chars=False, normalization=None)
    return {"own (pipeline.ingest.repair)": repair_mojibake,
            "ftfy.fix_encoding": ftfy.fix_encoding,
            "ftfy.fix_text (encoding fixes only)": lambda t: ftfy.fix_text(t, config)}


def wrong_chars(got: str, want: str) -> int:
    if got == want:
        return 0
    matcher = difflib.SequenceMatcher(None, got, want, autojunk=False)
    return max(len(got), len(want)) - sum(block.size for block in matcher.get_matching_blocks())


def main(argv: list[str]) -> int:
    targets = [Path(a) for a in argv] or [ROOT / "extracted" / "text"]
    texts = []
    for target in targets:
        files = sorted(target.rglob("*.txt")) if target.is_dir() else [target]
        texts += [f.read_text(encoding="utf-8") for f in files]
    texts = [t for t in texts if any(ord(c) > 127 for c in t)]  # nothing to damage in pure ASCII
    if not texts:
        print("no texts with non-ASCII characters found", file=sys.stderr)
        return 1
    megabytes = sum(len(t.encode()) for t in texts) / 1e6
    print(f"{len(texts)} clean texts, {megabytes:.2f} MB\n")
    print(f"{'repair':38} {'damage':18} {'restored':>9} {'chars wrong':>12} {'s/MB':>7}")
    for name, repair in repairs().items():
        changed_clean = sum(repair(t) != t for t in texts)
        for damage_name, damage in DAMAGE.items():
            damaged = [damage(t) for t in texts]
            started = time.perf_counter()
            repaired = [repair(t) for t in damaged]
            seconds = time.perf_counter() - started
            restored = sum(r == t for r, t in zip(repaired, texts))
            wrong = sum(wrong_chars(r, t) for r, t in zip(repaired, texts))
            size = sum(len(d.encode()) for d in damaged) / 1e6
            print(f"{name:38} {damage_name:18} {restored:>4}/{len(texts):<4} {wrong:>12} {seconds / size:>7.3f}")
        print(f"{name:38} {'clean texts changed':18} {changed_clean:>4}/{len(texts):<4}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
