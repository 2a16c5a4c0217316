"""Municipality mentions: spaCy component `frikommune_municipalities`.

Everything language-specific is data in rules/:
  municipalities.csv            the 98 municipalities (kode, navn, region_kode, region_navn)
  municipality_variants.yaml    extra surface forms and the rules generating more of them
  municipality_context.yaml     suffix words, list connectors, ambiguous names, exclusions
  municipalities_historic.csv   municipalities abolished in 2007 (2003, 2006) -> successor code

How a mention is found (all on the shared tokenisation, nothing is re-tokenised):
  1. One PhraseMatcher (attr LOWER), built once per component from every surface form
     tokenised with `nlp.make_doc`, finds candidate token spans. A candidate must start
     with an uppercase letter; the longest of overlapping candidates wins.
  2. A singular suffix word right after the name ("Kommune", "Kommunes") extends the span;
     a plural one ("Kommuner") closes a list and belongs to none of its names.
  3. Exclusions drop a candidate (region prefix, postcode, postal district, organisation,
     geographic, part of a longer name); the first that applies is its reason.
  4. Candidates joined by list connectors form a list; an ambiguous name ("Vejen") and a
     suspended compound ("Kolding-") survive only if the list licenses them. An ambiguous
     name the document confirms elsewhere may also count (one sense per document). A
     historic name ("Mariager") counts only with a suffix of its own or in a list closed by
     a plural suffix: without one it names the town.

`MunicipalityMatcher.analyse(doc)` returns every candidate with its reason for exclusion,
for tests and debugging; calling the component appends the kept ones to `doc._.mentions`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ...model import Mention
from ...rules import Rules, RulesError
from ..common import document_text

GAZETTEER_FILE = "municipalities.csv"
VARIANTS_FILE = "municipality_variants.yaml"
CONTEXT_FILE = "municipality_context.yaml"


@dataclass(frozen=True)
class Form:
    """One surface form in the matcher: which municipality, by which rule."""

    text: str
    kode: str
    rule: str
    ambiguous: bool = False
    suspended: bool = False  # ends in the hyphen of a suspended compound, left out of the span
    genitive: bool = False
    historic: str | None = None  # the abolished municipality's name ("Mariager"), if historic
    needs_suffix: bool = False  # counts only with a suffix word (or in a list closed by one)
    trim: int = 0  # characters at the end of the matched token that are not the name
    compound: bool = False  # name + head word written as one word ("Århusborgmester")
    hyphenated: bool = False  # broken over a line end with a hyphen ("Fre-" / "derikshavn")


@dataclass
class Candidate:
    start: int  # token index of the name
    end: int  # token index after the name (without suffix)
    form: Form
    span_end: int = 0  # token index after the mention (after a singular suffix if any)
    suffix: str | None = None  # "singular" | "plural" | None
    excluded_by: str | None = None
    rule: str = ""
    start_char: int = 0
    end_char: int = 0
    attrs: dict[str, Any] = field(default_factory=dict)


def _as_str_list(value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(f"{what}: expected a list of strings")
    return value


class MunicipalityMatcher:
    def __init__(self, nlp: Language, rules: Rules):
        self.nlp = nlp
        self._load_gazetteer(rules)
        self._load_context(rules.yaml(CONTEXT_FILE))
        self.forms = self._build_forms(rules.yaml(VARIANTS_FILE), rules)
        self._build_matcher()

    # ------------------------------------------------------------------ rules
    def _load_gazetteer(self, rules: Rules) -> None:
        self.municipalities: dict[str, dict[str, str]] = {}
        for row in rules.csv(GAZETTEER_FILE):
            kode = (row.get("kode") or "").strip()
            navn = (row.get("navn") or "").strip()
            if not kode or not navn:
                raise RulesError(f"{GAZETTEER_FILE}: row without kode or navn: {row}")
            self.municipalities[kode] = {"name": navn, "region": (row.get("region_navn") or "").strip()}

    def _load_context(self, ctx: dict) -> None:
        try:
            sfx = ctx["suffix"]
            self.suffix_rule: str = sfx["rule"]
            self.singular = {w.lower() for w in _as_str_list(sfx["singular"], "suffix.singular")}
            self.plural = {w.lower() for w in _as_str_list(sfx["plural"], "suffix.plural")}
            self.connectors = {w.lower() for w in _as_str_list(ctx["list_connectors"], "list_connectors")}
            self.ambiguous_rule: str = ctx["ambiguous"]["rule"]
            self.ambiguous_names = {w.lower() for w in _as_str_list(ctx["ambiguous"]["names"], "ambiguous.names")}
            self.ambiguous_document_context = bool(ctx["ambiguous"].get("document_context", False))
            self.suspended_rule: str = ctx["suspended_needs_suffix"]["rule"]
            self.historic_rule: str = (ctx.get("historic_needs_suffix") or {}).get(
                "rule", "municipality.exclude.historic_without_suffix")
            lb = ctx.get("line_break_hyphen") or {}
            self.line_break_rule: str | None = lb.get("rule")
            self.line_break_hyphen: str = str(lb.get("hyphen", "-"))
            exclusions = ctx["exclusions"]
        except (KeyError, TypeError) as exc:
            raise RulesError(f"{CONTEXT_FILE}: missing or malformed key {exc}") from exc

        # Each check is (kind, rule id, data, unless_suffix), evaluated in file order.
        self.exclusions: list[tuple[str, str, Any, bool]] = []
        for ex in exclusions:
            rid = ex["id"]
            unless = bool(ex.get("unless_suffix", False))
            if "preceded_by" in ex:
                # indexed by the word right before the name; value: the words before that one
                by_last: dict[str, list[tuple[str, ...]]] = {}
                for seq in ex["preceded_by"]:
                    seq = [w.lower() for w in _as_str_list(seq, f"{rid}.preceded_by")]
                    by_last.setdefault(seq[-1], []).append(tuple(seq[:-1]))
                self.exclusions.append(("preceded_by", rid, by_last, unless))
            if "preceded_by_postcode" in ex:
                pc = ex["preceded_by_postcode"]
                self.exclusions.append(
                    ("postcode", rid, ([p.lower() for p in pc.get("prefixes", [""])], int(pc["digits"])), unless)
                )
            if "followed_by_exact_case" in ex:
                self.exclusions.append(("followed_exact", rid, set(ex["followed_by_exact_case"]), unless))
            if "followed_by" in ex or "followed_by_stem" in ex:
                # indexed by the word right after the name; value: the words after that one
                by_first: dict[str, list[tuple[str, ...]]] = {}
                for seq in ex.get("followed_by", []):
                    seq = [w.lower() for w in _as_str_list(seq, f"{rid}.followed_by")]
                    by_first.setdefault(seq[0], []).append(tuple(seq[1:]))
                stems = tuple(w.lower() for w in _as_str_list(ex.get("followed_by_stem", []), f"{rid}.stems"))
                self.exclusions.append(("followed_by", rid, (by_first, stems), unless))
            if ex.get("preceded_by_capitalised_word"):
                openers = set(_as_str_list(ex.get("sentence_openers", []), f"{rid}.sentence_openers"))
                try:
                    opener_token = re.compile(ex.get("sentence_opener_pattern", r"(?!)"))
                except re.error as exc:
                    raise RulesError(f"{rid}: sentence_opener_pattern: {exc}") from exc
                self.exclusions.append(("name_part", rid, (openers, opener_token), unless))

    def _build_forms(self, var: dict, rules: Rules) -> list[Form]:
        forms: list[Form] = []
        seen: dict[str, Form] = {}

        def add(text: str, kode: str, rule: str, ambiguous: bool, base: Form | None = None, **kw: Any) -> None:
            key = text.lower()
            if key in seen:
                if seen[key].kode != kode:
                    raise RulesError(f"surface form {text!r} claimed by {seen[key].kode} and {kode}")
                return
            if base is not None:  # a generated form keeps what its base form is
                kw = {"historic": base.historic, "needs_suffix": base.needs_suffix, **kw}
            form = Form(text, kode, rule, ambiguous, **kw)
            seen[key] = form
            forms.append(form)

        gaz_rule = var["gazetteer"]["rule"]
        for kode, info in self.municipalities.items():
            add(info["name"], kode, gaz_rule, info["name"].lower() in self.ambiguous_names)
        for cls in var.get("forms", []):
            for kode, texts in cls["forms"].items():
                kode = str(kode)
                if kode not in self.municipalities:
                    raise RulesError(f"{VARIANTS_FILE}: unknown kode {kode} in {cls['rule']}")
                for t in _as_str_list(texts, f"{VARIANTS_FILE}: {cls['rule']}.{kode}"):
                    add(t, kode, cls["rule"], t.lower() in self.ambiguous_names)

        hist = var.get("historic")
        if hist:
            for row in _read_commented_csv(rules, str(hist["file"])):
                name, kode = (row.get("navn") or "").strip(), (row.get("kode") or "").strip()
                if not name or kode not in self.municipalities:
                    raise RulesError(f"{hist['file']}: bad row {row}")
                if name.lower() in seen:
                    raise RulesError(f"{hist['file']}: {name!r} already names a municipality")
                add(name, kode, str(hist["rule"]), False, historic=name,
                    needs_suffix=bool(hist.get("needs_suffix", True)))

        for step in var.get("generate", []):
            kind, rule = step["kind"], step["rule"]
            current = list(forms)
            if kind == "joiners":
                joiners = _as_str_list(step["joiners"], "joiners")
                split = re.compile("|".join(re.escape(j) for j in joiners))
                for f in current:
                    parts = split.split(f.text)
                    if len(parts) > 1:
                        for j in joiners:
                            add(j.join(parts), f.kode, rule, f.ambiguous, f)
            elif kind == "swaps":
                pairs = [tuple(p) for p in step["swaps"]]
                for f in current:
                    fwd, back = f.text, f.text
                    for a, b in pairs:
                        fwd, back = fwd.replace(a, b), back.replace(b, a)
                    for t in (fwd, back):
                        if t != f.text:
                            add(t, f.kode, rule, f.ambiguous, f)
            elif kind == "genitive":
                after = tuple(c.lower() for c in step["apostrophe_after"])
                for f in current:
                    if f.text.lower().endswith(after):
                        add(f.text + step["apostrophe"], f.kode, rule, f.ambiguous, f, genitive=True)
                    else:
                        add(f.text + step["suffix"], f.kode, rule, f.ambiguous, f, genitive=True)
            elif kind == "suspended":
                for f in current:
                    if not f.genitive and not f.needs_suffix:  # historic names: not worth 200 forms
                        add(f.text + step["hyphen"], f.kode, rule, f.ambiguous, f, suspended=True)
            elif kind == "compound":
                # name + head word as one word: "Århusborgmester", "Vejlebyrådet". Only names of
                # one token (a space or hyphen would split the compound anyway), no genitives,
                # no ambiguous or historic names (their sense needs a suffix).
                heads = _as_str_list(step["heads"], "compound.heads")
                joiners = _as_str_list(step.get("joiners", [""]), "compound.joiners")
                for f in current:
                    if f.genitive or f.suspended or f.ambiguous or f.needs_suffix or not f.text.isalpha():
                        continue
                    for j in joiners:
                        for h in heads:
                            add(f.text + j + h, f.kode, rule, False, f, trim=len(j + h), compound=True)
            else:
                raise RulesError(f"{VARIANTS_FILE}: unknown generate kind {kind!r}")
        return forms

    def _build_matcher(self) -> None:
        # One matcher key for all forms (adding thousands of keys one by one is what costs);
        # a match is mapped back to its form by the lower-cased tokens it covers.
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        docs = list(self.nlp.tokenizer.pipe([f.text for f in self.forms]))
        self._form_by_tokens: dict[tuple[str, ...], Form] = {}
        for form, fdoc in zip(self.forms, docs):
            self._form_by_tokens.setdefault(tuple(t.lower_ for t in fdoc), form)
        self.matcher.add("municipality_form", docs)
        self._single_token_forms = {tuple(k)[0]: f for k, f in self._form_by_tokens.items() if len(k) == 1}

    # --------------------------------------------------------------- matching
    def analyse(self, doc: Doc) -> list[Candidate]:
        """Every uppercase, longest-match candidate with its fate (excluded_by None = kept)."""
        raw = []
        for _match_id, start, end in self.matcher(doc):
            first = doc[start].text
            if first[:1].isupper():
                raw.append((start, end, tuple(t.lower_ for t in doc[start:end])))
        raw.extend(self._line_break_hyphenations(doc))
        if not raw:
            return []
        # Longest match first, then earliest; drop overlaps (same policy as spacy.util.filter_spans).
        raw.sort(key=lambda m: (m[0] - m[1], m[0]))
        taken: set[int] = set()
        cands: list[Candidate] = []
        for start, end, tokens in raw:
            if any(i in taken for i in range(start, end)):
                continue
            taken.update(range(start, end))
            form = self._form_by_tokens.get(tokens) if isinstance(tokens, tuple) else tokens
            cands.append(Candidate(start, end, form))
        cands.sort(key=lambda c: c.start)
        n = len(doc)
        ends = {c.end for c in cands}

        for c in cands:
            c.span_end = c.end
            if c.end < n and not c.form.suspended and not c.form.compound:
                nxt = doc[c.end].lower_
                if nxt in self.singular:
                    c.suffix, c.span_end = "singular", c.end + 1
                elif nxt in self.plural:
                    c.suffix = "plural"
            c.excluded_by = self._exclusion(doc, c, ends)

        self._apply_lists(doc, [c for c in cands if c.excluded_by is None])
        if self.ambiguous_document_context:
            self._apply_document_context(doc, cands)

        for c in cands:
            info = self.municipalities[c.form.kode]
            c.start_char = doc[c.start].idx
            last = doc[c.span_end - 1]
            c.end_char = last.idx + len(last.text) - (1 if c.form.suspended else 0) - c.form.trim
            c.rule = self.suffix_rule if c.suffix == "singular" else c.form.rule
            c.attrs = {"name": info["name"], "region": info["region"], "form": c.form.rule}
            if c.form.historic:
                c.attrs["historic"] = True
                c.attrs["historic_name"] = c.form.historic
            if c.form.compound:
                c.attrs["compound"] = doc[c.start].text
            if c.form.hyphenated:
                c.attrs["hyphenated"] = True
        return cands

    def _line_break_hyphenations(self, doc: Doc) -> list[tuple[int, int, Form]]:
        """A name hyphenated across a line break in text converted from PDF: "Fre-" "\n"
        "derikshavn" -> Frederikshavn (tokens: the part with its hyphen, the line break, the
        rest). Looked up among the one-word forms; the mention spans all three tokens."""
        if self.line_break_rule is None:
            return []
        full = document_text(doc)
        mark = self.line_break_hyphen + "\n"
        out = []
        n = len(doc)
        p = full.find(mark)
        while p >= 0:  # only where the text breaks a word over a line: str.find, not a token loop
            span = doc.char_span(p, p + 1, alignment_mode="expand")
            p = full.find(mark, p + 1)
            if span is None or span.end + 2 > n:
                continue
            i = span.start
            t = doc[i]
            text = t.text
            if len(text) < 3 or not text.endswith(self.line_break_hyphen) or not text[:1].isupper():
                continue
            gap, rest = doc[i + 1], doc[i + 2]
            if not (gap.is_space and "\n" in gap.text) or not rest.text[:1].islower():
                continue
            joined = text[:-len(self.line_break_hyphen)] + rest.text
            form = self._single_token_forms.get(joined.lower())
            if form is not None and not form.suspended:
                out.append((i, i + 3, replace(form, rule=self.line_break_rule, hyphenated=True)))
        return out

    def _exclusion(self, doc: Doc, c: Candidate, ends: set[int]) -> str | None:
        n = len(doc)
        prev = doc[c.start - 1] if c.start > 0 else None
        # The word after the name, unless it is a suffix (a suffix word confirms the name).
        nxt = doc[c.end] if c.end < n and c.suffix is None else None
        prev_lower = prev.lower_ if prev is not None else None
        nxt_lower = nxt.lower_ if nxt is not None else None
        for kind, rid, data, unless_suffix in self.exclusions:
            if unless_suffix and c.suffix:
                continue
            if kind == "preceded_by":
                if prev_lower in data:
                    for rest in data[prev_lower]:
                        k = len(rest)
                        if c.start - 1 >= k and all(
                            doc[c.start - 1 - k + i].lower_ == w for i, w in enumerate(rest)
                        ):
                            return rid
            elif kind == "postcode":
                if prev_lower is not None:
                    prefixes, digits = data
                    for p in prefixes:
                        rest = prev_lower[len(p):]
                        if prev_lower.startswith(p) and len(rest) == digits and rest.isascii() and rest.isdigit():
                            return rid
            elif kind == "followed_exact":
                if nxt is not None and nxt.text in data:
                    return rid
            elif kind == "followed_by":
                if nxt_lower is None:
                    continue
                by_first, stems = data
                if stems and nxt_lower.startswith(stems):
                    return rid
                if nxt_lower in by_first:
                    for rest in by_first[nxt_lower]:
                        k = len(rest)
                        if c.end + 1 + k <= n and all(doc[c.end + 1 + i].lower_ == w for i, w in enumerate(rest)):
                            return rid
            elif kind == "name_part":
                if prev is not None and self._is_name_part(doc, c, prev, ends, data):
                    return rid
        return None

    def _is_name_part(self, doc: Doc, c: Candidate, prev: Any, ends: set[int],
                      data: tuple[set[str], re.Pattern]) -> bool:
        openers, opener_token = data
        if prev.whitespace_ != " " or not prev.is_alpha or not prev.text.istitle():
            return False
        if prev.lower_ in self.connectors or c.start in ends:  # another municipality right before
            return False
        if c.start == 1:
            return False  # prev starts the text
        before = doc[c.start - 2]
        if before.text in openers or opener_token.fullmatch(before.text) or (before.is_space and "\n" in before.text):
            return False  # prev starts a sentence or line
        return True

    def _apply_lists(self, doc: Doc, kept: list[Candidate]) -> None:
        """Group kept candidates into coordinated lists and license ambiguous/suspended names."""
        groups: list[list[Candidate]] = []
        for c in kept:
            if groups:
                prev = groups[-1][-1]
                gap = doc[prev.span_end:c.start]
                # Same list: something between the two (a connector, a line break) and nothing
                # but connectors and whitespace; a plural suffix closes the list before it.
                if (
                    prev.suffix != "plural"
                    and len(gap) > 0
                    and all(t.is_space or t.lower_ in self.connectors for t in gap)
                ):
                    groups[-1].append(c)
                    continue
            groups.append([c])
        for group in groups:
            closed = group[-1].suffix is not None
            solid = sum(1 for c in group if not c.form.ambiguous and not c.form.suspended)
            for i, c in enumerate(group):
                if c.form.needs_suffix and c.suffix is None and not closed:
                    c.excluded_by = self.historic_rule
                elif c.form.suspended:
                    if not closed or i == len(group) - 1:
                        c.excluded_by = self.suspended_rule
                elif c.form.ambiguous and c.suffix is None and not closed and solid == 0:
                    c.excluded_by = self.ambiguous_rule

    def _apply_document_context(self, doc: Doc, cands: list[Candidate]) -> None:
        """Keep an ambiguous name the document has already confirmed elsewhere (with a suffix or
        in a list), when it stands like a name: after a lowercase word ("i Odder") or not
        followed by a word (a table cell "| Odder |", a line of its own)."""
        confirmed = {c.form.kode for c in cands if c.excluded_by is None}
        n = len(doc)
        for c in cands:
            if c.excluded_by != self.ambiguous_rule or c.form.kode not in confirmed:
                continue
            prev = doc[c.start - 1] if c.start > 0 else None
            nxt = doc[c.end] if c.end < n else None
            after_lowercase_word = prev is not None and prev.is_alpha and prev.is_lower
            followed_by_word = nxt is not None and nxt.is_alpha
            if after_lowercase_word or not followed_by_word:
                c.excluded_by = None

    def __call__(self, doc: Doc) -> Doc:
        mentions = doc._.mentions
        if mentions is None:
            mentions = doc._.mentions = []
        cands = self.analyse(doc)
        # A slice of the document's text (not doc.text, which rebuilds the whole text on every
        # access, nor a Span, which builds a Token per word): end_char already leaves out the
        # hyphen of a suspended compound.
        full = document_text(doc) if cands else ""
        for c in cands:
            if c.excluded_by is None:
                mentions.append(
                    Mention(
                        type="municipality", start=c.start_char, end=c.end_char,
                        text=full[c.start_char:c.end_char], value=c.form.kode, rule=c.rule,
                        attrs=c.attrs,
                    )
                )
        return doc


def _read_commented_csv(rules: Rules, name: str) -> list[dict[str, str]]:
    """A CSV rule file whose lines starting with '#' are comments (its header explains it)."""
    with rules.path(name).open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.lstrip().startswith("#")]
    return list(csv.DictReader(io.StringIO("".join(lines))))


@Language.factory("frikommune_municipalities", default_config={"rules_dir": None})
def make_component(nlp: Language, name: str, rules_dir: str | None) -> MunicipalityMatcher:
    if not Doc.has_extension("mentions"):
        Doc.set_extension("mentions", default=None)
    return MunicipalityMatcher(nlp, Rules(rules_dir))
