"""HTML bytes -> main-content text, title, published_hint and cues for the kind classifier.

What counts as boilerplate is data (rules/html_boilerplate.yaml); this module only knows HTML
structure: which tags are blocks, how tables and lists read as lines.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString, PreformattedString

from ..rules import Rules, RulesError
from .errors import IngestError
from .ruleset import cached, compile_pattern, entries
from .repair import Repairs, repair_mojibake
from .text import decode_bytes

BOILERPLATE_FILE = "html_boilerplate.yaml"
METADATA_FILE = "html_metadata.yaml"

# Only the head of the file is sniffed, as browsers do: the declaration must come early.
_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?!\d)")
_WORD_SPLIT = re.compile(r"[^0-9a-zæøå]+")
_CAMEL = re.compile(r"([a-zæøå0-9])([A-ZÆØÅ])")
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.I)
# A selector that is one attribute test, e.g. [role="main"]: only elements with that attribute can match.
_ATTR_SELECTOR = re.compile(r"""\[\s*([A-Za-z_][\w-]*)\s*(?:[~|^$*]?=\s*(?:"[^"\\]*"|'[^'\\]*'|[\w-]+)\s*(?:[iIsS]\s*)?)?\]""")
# Bound on the per-rules cache of class/id values (a long batch over many sites must not grow it forever).
_NAME_CACHE_MAX = 50_000

BLOCK_TAGS = frozenset("""
    address article aside blockquote body caption center dd details dialog div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main nav ol
    p pre section summary table tbody tfoot thead tr ul
""".split())
# Consecutive items of one list, definition list or table are one line each, without blank lines.
ITEM_TAGS = frozenset({"li", "dt", "dd", "tr"})
_CONTAINERS = frozenset({"ul", "ol", "dl", "table", "blockquote", "section", "article", "aside"})
HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6")
# Elements whose whole text can be a box label such as "Læs også" or "Annonce" (links cannot).
LABEL_TAGS = (*HEADING_TAGS, "p", "div", "span", "strong", "b", "em", "header", "legend", "dt", "caption", "summary")
# Climb at most this many levels from a label to the box it introduces.
MAX_BOX_CLIMB = 3


@dataclass
class HtmlContent:
    text: str  # rendered main content, not yet normalised
    title: str | None
    published_hint: str | None
    signals: dict[str, str] = field(default_factory=dict)  # extra fields for the kind classifier


# ---------------------------------------------------------------- rules


@dataclass
class _Boilerplate:
    main_selectors: list[str]
    tag_rules: list[tuple[frozenset, str | None]]
    attribute_words: list[re.Pattern]
    roles: frozenset
    aria_words: list[re.Pattern]
    headings: frozenset
    title_separators: list[str]
    site_name_separators: list[str]
    published_sources: list[dict]
    # precomputed: is an element without attributes chrome (only if a role value is "")?
    no_attrs_chrome: bool = False
    # class/id value -> whether one of its words is an attribute word; class names recur on every page
    name_is_chrome: dict[str, bool] = field(default_factory=dict)


def _load(rules: Rules) -> _Boilerplate:
    name = BOILERPLATE_FILE
    tag_rules = []
    for e in entries(rules, name, "tags"):
        if e.get("unless") not in (None, "holds_content", "inside_article"):
            raise RulesError(f"{name}: rule {e['id']}: unknown condition {e.get('unless')!r}")
        tag_rules.append((frozenset(e["tags"]), e.get("unless")))
    bp = _Boilerplate(
        main_selectors=[_selector(name, e) for e in entries(rules, name, "main_content")],
        tag_rules=tag_rules,
        attribute_words=[compile_pattern(name, e["id"], e["pattern"]) for e in entries(rules, name, "attribute_words")],
        roles=frozenset(v.lower() for e in entries(rules, name, "roles") for v in e["values"]),
        aria_words=[compile_pattern(name, e["id"], rf"(?<!\w){re.escape(str(w).lower())}(?!\w)")
                    for e in entries(rules, name, "aria_labels") for w in e["words"]],
        headings=frozenset(_label_key(str(t)) for e in entries(rules, name, "headings") for t in e["texts"]),
        title_separators=[e["text"] for e in entries(rules, METADATA_FILE, "title_separators")],
        site_name_separators=[t for e in entries(rules, METADATA_FILE, "site_name_separators") for t in e["texts"]],
        published_sources=entries(rules, METADATA_FILE, "published"),
    )
    bp.no_attrs_chrome = "" in bp.roles
    return bp


def _selector(name: str, entry: dict) -> str:
    """A CSS selector, compiled once here so a bad one is a rule error, not a failure of every page."""
    import soupsieve

    try:
        soupsieve.compile(entry["selector"])
    except (soupsieve.SelectorSyntaxError, TypeError, KeyError) as exc:
        raise RulesError(f"{name}: rule {entry.get('id')}: bad CSS selector: {str(exc).splitlines()[0]}") from exc
    return entry["selector"]


def _label_key(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip(":").strip()


# ---------------------------------------------------------------- entry point


def parse_html(raw: bytes, rules: Rules, repairs: Repairs | None = None) -> HtmlContent:
    # A parse tree is thousands of objects linked both ways, built and dropped within this call;
    # the cyclic garbage collector would only walk it again and again while it grows (~5% of the
    # time here). It is paused for the call and collects the dropped tree afterwards as usual.
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _parse_html(raw, rules, repairs)
    finally:
        if paused:
            gc.enable()


def _parse_html(raw: bytes, rules: Rules, repairs: Repairs | None) -> HtmlContent:
    bp: _Boilerplate = cached(rules, "html", _load)
    # repaired before parsing, so the title and metadata are read from the repaired text too
    text = repair_mojibake(decode_bytes(raw, sniff_charset(raw), repairs), repairs)
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # lxml rejects a few pathological inputs outright
        raise IngestError(f"HTML could not be parsed: {type(exc).__name__}") from None
    index, label_strings = _tag_index(soup, bp)  # one walk instead of a whole-tree search per question
    body = index.get("body", [None])[0]
    if body is None:
        raise IngestError("HTML has no body text")
    metas = _meta_index(index)
    early_dates = _early_dates(index, metas, bp)  # JSON-LD lives in <script>, which cleaning removes
    labels = [t for _, t in _find_labels(body, label_strings)]
    title = _title(soup, index, metas, bp)

    container = _main_container(soup, index, body, bp)
    h1 = next((h for h in index.get("h1", ()) if h is container or container in h.parents), None)
    _Cleaner(container, h1, bp, label_strings).run()

    published = None
    for source in bp.published_sources:
        if source.get("time_in_main"):
            value = next((t["datetime"] for t in index.get("time", ())
                          if not _gone(t) and t.get("datetime") and container in t.parents), None)
        else:
            value = early_dates.get(source["id"])
        published = iso_date(value)
        if published:
            break

    try:
        rendered = render(container)
    except RecursionError:  # the renderer recurses per element level; real pages nest a few dozen deep
        raise IngestError("HTML is nested too deeply to read") from None
    if not rendered.strip():
        raise IngestError("HTML has no body text")
    signals = {"og_type": metas.get(("property", "og:type"), ""), "html_labels": "\n".join(labels)}
    return HtmlContent(rendered, title, published, signals)


def sniff_charset(raw: bytes) -> str | None:
    match = _META_CHARSET.search(raw[:_SNIFF_BYTES])
    return match.group(1).decode("ascii", "replace") if match else None


def iso_date(value) -> str | None:
    """YYYY-MM-DD from an ISO date or datetime string; None if it is not one."""
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.match(value)
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups())).isoformat()
    except ValueError:
        return None


# ---------------------------------------------------------------- metadata


def _tag_index(soup: BeautifulSoup, bp: _Boilerplate) -> tuple[dict[str, list[Tag]], list[tuple[NavigableString, str]]]:
    """Tag name -> elements in document order; "@itemprop" -> elements with an itemprop; "@attrs" ->
    elements with any attribute. Also the text nodes whose whole text is a boilerplate heading
    (label candidates, see _find_labels), in document order."""
    index: dict[str, list[Tag]] = {}
    with_attrs: list[Tag] = []
    with_itemprop: list[Tag] = []
    strings: list[tuple[NavigableString, str]] = []
    headings = bp.headings
    blank_is_heading = "" in headings
    for el in soup.descendants:
        if isinstance(el, Tag):
            tags = index.get(el.name)
            if tags is None:
                index[el.name] = [el]
            else:
                tags.append(el)
            if el.attrs:
                with_attrs.append(el)
                if "itemprop" in el.attrs:
                    with_itemprop.append(el)
        elif isinstance(el, NavigableString) and len(el) <= 80 and not isinstance(el, PreformattedString):
            if el.isspace() and not blank_is_heading:
                continue  # the key of a blank string is ""
            key = _label_key(el)
            if key in headings:
                strings.append((el, key))
    if with_itemprop:
        index["@itemprop"] = with_itemprop
    index["@attrs"] = with_attrs
    return index, strings


def _meta_index(tags: dict[str, list[Tag]]) -> dict[tuple[str, str], str]:
    """(attribute, lowercased key) -> content of the first <meta> carrying it."""
    index: dict[tuple[str, str], str] = {}
    for meta in tags.get("meta", ()):
        content = meta.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if isinstance(key, str):
                index.setdefault((attr, key.strip().lower()), content.strip())
    return index


def _early_dates(index: dict[str, list[Tag]], metas: dict, bp: _Boilerplate) -> dict[str, str]:
    values = {}
    for source in bp.published_sources:
        value = None
        if "meta" in source:
            value = metas.get((source["meta"]["attr"], str(source["meta"]["value"]).lower()))
        elif "itemprop" in source:
            el = next((e for e in index.get("@itemprop", ()) if e.get("itemprop") == source["itemprop"]), None)
            if el is not None:
                value = el.get("content") or el.get("datetime") or el.get_text(" ", strip=True)
        elif "json_ld" in source:
            value = _json_ld_value(index, source["json_ld"])
        if value:
            values[source["id"]] = value
    return values


def _json_ld_value(index: dict[str, list[Tag]], key: str) -> str | None:
    for script in index.get("script", ()):
        if "ld+json" not in str(script.get("type", "")).lower():
            continue
        try:
            data = json.loads(script.string or "")
        except (ValueError, TypeError):
            continue  # broken JSON-LD is common; it only costs us this hint
        found = _find_key(data, key)
        if found:
            return found
    return None


def _find_key(data, key: str) -> str | None:
    if isinstance(data, dict):
        if isinstance(data.get(key), str):
            return data[key]
        data = list(data.values())
    if isinstance(data, list):
        for item in data:
            found = _find_key(item, key)
            if found:
                return found
    return None


def _title(soup: BeautifulSoup, index: dict[str, list[Tag]], metas: dict, bp: _Boilerplate) -> str | None:
    og = " ".join(metas.get(("property", "og:title"), "").split())
    if og:
        return og
    if index.get("title"):
        title = _strip_site_suffix(" ".join(index["title"][0].get_text(" ").split()),
                                   " ".join(metas.get(("property", "og:site_name"), "").split()), bp)
        if title:
            return title
    h1 = index.get("h1", [None])[0]
    if h1:
        title = " ".join(h1.get_text(" ").split())
        return title or None
    return None


def _strip_site_suffix(title: str, site_name: str, bp: _Boilerplate) -> str:
    if site_name:
        for sep in bp.site_name_separators:
            if title.endswith(sep + site_name) and len(title) > len(sep + site_name):
                return title[: -len(sep + site_name)].strip()
    for sep in bp.title_separators:
        if title.count(sep) == 1:  # only a simple "Headline | Site" is cut
            return title.split(sep)[0].strip() or title
    return title


# ---------------------------------------------------------------- main content


def _main_container(soup: BeautifulSoup, index: dict[str, list[Tag]], body: Tag, bp: _Boilerplate) -> Tag:
    for selector in bp.main_selectors:
        found = _select(soup, index, selector)
        candidates = [c for c in found if c.get_text(strip=True)]
        if candidates:
            # several <article>s are usually teasers; the one with the headline is the story
            h1s = index.get("h1", ())
            return next((c for c in candidates if any(_is_under(h, c) for h in h1s)), candidates[0])
    return body


def _select(soup: BeautifulSoup, index: dict[str, list[Tag]], selector: str) -> list[Tag]:
    """soup.select(selector), answered from the index where that is cheap: a tag name, or one
    attribute test checked (by soupsieve) only on the elements that carry such an attribute."""
    if selector.isalnum():
        return index.get(selector, [])
    match = _ATTR_SELECTOR.fullmatch(selector)
    if match:
        # soupsieve compares HTML attribute names case-insensitively; endswith also admits a
        # namespaced name, and css.match decides
        name = match.group(1).lower()
        found = []
        for el in index["@attrs"]:
            for key in el.attrs:
                if key == name or str(key).lower().endswith(name):
                    if el.css.match(selector):
                        found.append(el)
                    break
        return found
    return soup.select(selector)


def _is_under(node, root: Tag) -> bool:
    """`node` is a descendant of `root` (identity, not bs4's structural ==)."""
    parent = node.parent
    while parent is not None:
        if parent is root:
            return True
        parent = parent.parent
    return False


class _Cleaner:
    def __init__(self, container: Tag, h1: Tag | None, bp: _Boilerplate,
                 label_strings: list[tuple[NavigableString, str]]):
        self.container = container
        self.bp = bp
        self.label_strings = label_strings
        self.tag_rules = {name: unless for names, unless in bp.tag_rules for name in names}
        # The headline and everything around it are content, whatever their class names say.
        self.keep = {id(container)}
        if h1 is not None:
            self.keep |= {id(h1)} | {id(p) for p in h1.parents}
        self.no_h1 = h1 is None
        self._total = None

    def protected(self, el: Tag) -> bool:
        if id(el) in self.keep:
            return True
        if self.no_h1:  # without a headline, a box holding most of the text is the content
            if self._total is None:
                self._total = len(self.container.get_text(strip=True)) or 1
            return len(el.get_text(strip=True)) > 0.5 * self._total
        return False

    def drop(self, el: Tag) -> None:
        if not _gone(el) and not self.protected(el):
            el.decompose()

    def run(self) -> None:
        for el in [d for d in self.container.descendants if isinstance(d, Tag)]:
            if _gone(el):
                continue  # inside something already dropped
            if el.name in self.tag_rules:
                unless = self.tag_rules[el.name]
                if unless is None:
                    el.decompose()  # scripts, navigation, controls: never content
                elif not (unless == "inside_article" and self._inside_article(el)):
                    self.drop(el)  # drop() keeps anything that holds the page's content
            elif self._is_chrome(el):
                self.drop(el)
        for label, _ in _find_labels(self.container, self.label_strings):
            if not _gone(label):
                self._drop_box(label)

    def _inside_article(self, el: Tag) -> bool:
        for parent in el.parents:
            if parent.name == "article":
                return True
            if parent is self.container:
                return False
        return False

    def _is_chrome(self, el: Tag) -> bool:
        attrs = el.attrs
        if not attrs:
            return self.bp.no_attrs_chrome
        if "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true":
            return True
        if "style" in attrs and _DISPLAY_NONE.search(str(attrs["style"])):
            return True
        if str(attrs.get("role", "")).strip().lower() in self.bp.roles:
            return True
        aria = str(attrs.get("aria-label", "")).lower()
        if aria and any(p.search(aria) for p in self.bp.aria_words):
            return True
        names = attrs.get("class") or []
        names = [names] if isinstance(names, str) else list(names)
        if isinstance(attrs.get("id"), str):
            names.append(attrs["id"])
        cache = self.bp.name_is_chrome
        for name in names:
            hit = cache.get(name)
            if hit is None:
                hit = _name_is_chrome(name, self.bp)
                if len(cache) < _NAME_CACHE_MAX:
                    cache[name] = hit
            if hit:
                return True
        return False

    def _drop_box(self, label: Tag) -> None:
        node = label
        for _ in range(MAX_BOX_CLIMB):
            parent = node.parent
            if parent is None or parent is self.container or self.protected(parent):
                break
            if not _starts_with(parent, node):  # the label must open the box, not sit inside content
                break
            node = parent
        if node is label and label.name in HEADING_TAGS:
            self._drop_section(label)
        else:
            self.drop(node)

    def _drop_section(self, heading: Tag) -> None:
        """A boilerplate heading loose in the content: drop it and what follows up to the next heading."""
        level = int(heading.name[1])
        doomed = [heading]
        for sib in heading.next_siblings:
            if isinstance(sib, Tag):
                if sib.name in ("h1", *HEADING_TAGS) and int(sib.name[1]) <= level:
                    break
                if sib.find(["h1", *HEADING_TAGS[: level - 1]]):
                    break
            doomed.append(sib)
        for el in doomed:
            if isinstance(el, Tag):
                self.drop(el)
            else:
                el.extract()


def _name_is_chrome(name: str, bp: _Boilerplate) -> bool:
    """A class or id value one of whose words (split at -, _, spaces, camelCase) is an attribute word."""
    for word in _WORD_SPLIT.split(_CAMEL.sub(r"\1-\2", name).lower()):
        if word and any(p.fullmatch(word) for p in bp.attribute_words):
            return True
    return False


def _find_labels(root: Tag, strings: list[tuple[NavigableString, str]]) -> list[tuple[Tag, str]]:
    """Elements whose whole text is a boilerplate heading; found from the (short) text nodes up.

    `strings` are the text nodes of the page whose whole text is a heading (from _tag_index); those
    still below `root` are the ones looked at, in document order.
    """
    found, seen = [], set()
    for string, key in strings:
        if _gone(string) or not _is_under(string, root):
            continue
        el = string.parent
        # the innermost label element carrying exactly this text; its wrappers are the box
        while el is not None and el is not root and el.name not in LABEL_TAGS:
            if el.name == "a" or _label_key(el.get_text(" ")) != key:
                el = None  # link text or part of a longer text: not a label
                break
            el = el.parent
        if el is None or el is root or id(el) in seen or _label_key(el.get_text(" ")) != key:
            continue
        seen.add(id(el))
        found.append((el, " ".join(string.split())))
    return found


def _gone(el: Tag) -> bool:
    # bs4's `decomposed` property falls through Tag.__getattr__ into a subtree search; read the flag directly
    return el.__dict__.get("_decomposed", False)


def _starts_with(parent: Tag, node: Tag) -> bool:
    return " ".join(parent.get_text(" ", strip=True).split()).startswith(" ".join(node.get_text(" ", strip=True).split()))


# ---------------------------------------------------------------- rendering


def render(container: Tag) -> str:
    """Blocks become lines (blank line between blocks, none between list items or table rows)."""
    renderer = _Renderer()
    renderer.walk(container)
    renderer.flush()
    out: list[str] = []
    previous = None
    for text, group in renderer.blocks:
        if out:
            out.append("\n" if group is not None and group == previous else "\n\n")
        out.append(text)
        previous = group
    return "".join(out)


def _is_layout_cell(cell: Tag) -> bool:
    """Old sites lay out whole pages with tables: a cell holding headings, lists or tables is a page
    region, and so is one holding more than one <p> or <div>."""
    blocks = 0
    for el in cell.descendants:
        if isinstance(el, Tag):
            name = el.name
            if name in _LAYOUT_MARKERS:
                return True
            if name == "p" or name == "div":
                blocks += 1
                if blocks > 1:
                    return True
    return False


_LAYOUT_MARKERS = frozenset({"h1", *HEADING_TAGS, "table", "ul", "ol", "dl", "blockquote"})
_CELL_TAGS = frozenset({"td", "th"})


class _Renderer:
    def __init__(self):
        self.blocks: list[tuple[str, int | None]] = []  # (text, id of its list/table or None)
        self.buf: list[str] = []
        self.stack: list[Tag] = []

    def _group(self) -> int | None:
        """The list a block belongs to: its nearest item ancestor's parent (<li><p>..</p></li> too)."""
        for el in reversed(self.stack):
            if el.name in ITEM_TAGS:
                return id(el.parent)
            if el.name in _CONTAINERS:
                return None
        return None

    def flush(self) -> None:
        if not self.buf:
            return
        lines = [" ".join(part.split()) for part in "".join(self.buf).split("\n")]
        self.buf = []
        while lines and not lines[0]:
            lines.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        if lines:
            self.blocks.append(("\n".join(lines), self._group()))

    def walk(self, node: Tag) -> None:
        for child in node.contents:
            if isinstance(child, NavigableString):
                if not isinstance(child, PreformattedString):  # comments, doctype, CDATA
                    # HTML white space is one space; flush() collapses the runs, so only a newline
                    # (which would end the line there) needs replacing here
                    self.buf.append(child.replace("\n", " "))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name == "br":
                self.buf.append("\n")
            elif name == "tr":
                self.flush()
                self._row(child)
            elif name == "pre":
                self.flush()
                self.blocks.append((child.get_text().strip("\n"), False))
            elif name in BLOCK_TAGS:
                self.flush()
                self.stack.append(child)
                self.walk(child)
                self.flush()
                self.stack.pop()
            else:
                self.walk(child)

    def _row(self, tr: Tag) -> None:
        cells = [c for c in tr.contents if isinstance(c, Tag) and c.name in _CELL_TAGS]
        if not cells or any(_is_layout_cell(cell) for cell in cells):
            for region in cells or [tr]:  # each layout cell is a page region of its own
                self.stack.append(region)
                self.walk(region)
                self.flush()
                self.stack.pop()
            return
        texts = []
        for cell in cells:
            sub = _Renderer()
            sub.walk(cell)
            sub.flush()
            texts.append(" ".join(t.replace("\n", " ") for t, _ in sub.blocks))
        if any(texts):
            table = next((p for p in tr.parents if p.name == "table"), None)
            self.blocks.append((" | ".join(texts).replace("  ", " "), id(table) if table else id(tr.parent)))
