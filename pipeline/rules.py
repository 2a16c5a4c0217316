"""Access to rules/: every vocabulary and pattern the extractors apply lives there as data.

Code asks this module for a file by name; the fingerprint over all rule files decides
whether cached extractions are still valid.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import os
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

def default_rules_dir() -> Path:
    """The checkout's rules/ beside the package; from an installed wheel, the copy it installs
    under <prefix>/share/frikommune/rules. FRIKOMMUNE_RULES or --rules overrides both."""
    checkout = Path(__file__).resolve().parent.parent / "rules"
    if checkout.is_dir():
        return checkout
    import sys
    import sysconfig

    for prefix in (sysconfig.get_path("data"), sys.prefix):
        installed = Path(prefix) / "share" / "frikommune" / "rules"
        if installed.is_dir():
            return installed
    return checkout


DEFAULT_RULES_DIR = default_rules_dir()
# libyaml's parser when PyYAML was built with it: ~10x faster than the pure-Python one.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Each component opens the rules folder itself; parse each file version only once per process.
_parsed: dict[tuple[str, int, int], Any] = {}


# While set (see reading()), every file name any Rules object is asked for is appended here: how
# the workbench learns which rule files each extraction component reads.
_reading: list[str] | None = None


@contextlib.contextmanager
def reading():
    """Yields the list of rule file names asked for inside the block, in order."""
    global _reading
    outer, _reading = _reading, []
    inner = _reading
    try:
        yield inner
    finally:
        _reading = outer
        if outer is not None:  # an enclosing block asked too
            outer.extend(inner)


class RulesError(Exception):
    """A rule file is missing or malformed."""


class Rules:
    def __init__(self, directory: Path | str | None = None):
        self.dir = Path(directory or os.environ.get("FRIKOMMUNE_RULES") or DEFAULT_RULES_DIR)
        if not self.dir.is_dir():
            raise RulesError(f"rules folder not found: {self.dir}")
        self._cache: dict[str, Any] = {}
        self.read: list[str] = []  # names in the order first read: where to look for a broken rule

    def path(self, name: str) -> Path:
        p = self.dir / name
        if not p.is_file():
            raise RulesError(f"rule file missing: {p}")
        return p

    def yaml(self, name: str) -> Any:
        if _reading is not None:
            _reading.append(name)
        if name not in self._cache:
            self.read.append(name)
            path = self.path(name)
            stat = path.stat()
            key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
            if key not in _parsed:
                try:
                    _parsed[key] = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
                except UnicodeDecodeError as exc:
                    raise RulesError(f"{name}: not UTF-8 (byte {exc.start}): {exc.reason}") from exc
                except yaml.YAMLError as exc:
                    mark = getattr(exc, "problem_mark", None)
                    where = f" line {mark.line + 1}, column {mark.column + 1}:" if mark is not None else ""
                    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
                    raise RulesError(f"{name}:{where} {problem}") from exc
            # Callers may not mutate what they get; a deep copy would cost what the cache saves.
            self._cache[name] = _parsed[key]
        return self._cache[name]

    def csv(self, name: str) -> list[dict[str, str]]:
        if _reading is not None:
            _reading.append(name)
        if name not in self._cache:
            self.read.append(name)
            try:
                with self.path(name).open(encoding="utf-8", newline="") as fh:
                    self._cache[name] = list(csv.DictReader(fh))
            except UnicodeDecodeError as exc:
                raise RulesError(f"{name}: not UTF-8 (byte {exc.start}): {exc.reason}") from exc
            except csv.Error as exc:
                raise RulesError(f"{name}: {exc}") from exc
        return self._cache[name]

    def fingerprint_of(self, names: tuple[str, ...]) -> str:
        """Hash over the named rule files only (a missing one counts as absent)."""
        h = hashlib.sha256()
        for name in sorted(names):
            h.update(name.encode() + b"\0")
            p = self.dir / name
            h.update(p.read_bytes() if p.is_file() else b"\0missing")
        return h.hexdigest()[:16]

    @cached_property
    def fingerprint(self) -> str:
        """Hash over every rule file's name and bytes: any edit invalidates cached extractions."""
        h = hashlib.sha256()
        for p in sorted(self.dir.rglob("*")):
            if p.is_file():
                h.update(p.relative_to(self.dir).as_posix().encode())
                h.update(b"\0")
                h.update(p.read_bytes())
        return h.hexdigest()[:16]
