"""Networks stated by layout: labelled blocks ("Navn: … Deltagere: …") and network tables.

Blocks may run inline inside one long line (a flattened web page: the next label ends a
field) or have one label a line. A short heading right before a block's first label is the
block's theme. Tables are the "a | b | c" rows ingest renders; only tables with a network
column and a municipality column are read here (experiment tables belong to another component).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..common import trimmed
from .text import Draft, NameCandidate, TextContext


@dataclass
class Label:
    start: int
    end: int  # after the separator
    kind: str  # name | theme | members | other
    rule: str
    word: str


@dataclass
class Block:
    labels: list[Label] = field(default_factory=list)
    start: int = 0
    end: int = 0
    theme: NameCandidate | None = None

    def kinds(self) -> set[str]:
        return {lab.kind for lab in self.labels}


# ---------------------------------------------------------------------- blocks
def find_labels(ctx: TextContext) -> list[Label]:
    out, text, low = [], ctx.text, ctx.low
    rules = ctx.rules
    for colon in ctx.anchor_offsets(":"):
        # the words before the colon, longest label first
        words = low[max(0, colon - rules.label.before):colon].split()
        for n in range(min(rules.label_max_words, len(words)), 0, -1):
            word = " ".join(words[-n:])
            if word in rules.label_kind:
                break
        else:
            continue
        start = colon
        for _ in range(n):
            start = _word_start(low, start)
        if not text[start].isupper() or (start > 0 and not text[start - 1].isspace()):
            continue  # labels are capitalised words of their own; "kommuner:" mid-sentence is not one
        kind, rule = rules.label_kind[word]
        out.append(Label(start, colon + 1, kind, rule, word))
    return out


def _word_start(low: str, end: int) -> int:
    """Start of the word ending (after optional spaces) right before `end`."""
    i = end
    while i > 0 and low[i - 1] in " \t":
        i -= 1
    while i > 0 and not low[i - 1].isspace():
        i -= 1
    return i


def group_blocks(ctx: TextContext, labels: list[Label]) -> list[Block]:
    """A name/theme label opens a block; a label of a kind the block already has, or a blank
    line, closes it. Other labels join the open block."""
    blocks: list[Block] = []
    current: Block | None = None
    for lab in labels:
        if current is not None and ctx.rules.block_break.search(ctx.text, current.labels[-1].end, lab.start):
            current = None
        opens = lab.kind in ("name", "theme")
        if opens and (current is None or lab.kind in current.kinds()):
            current = Block([lab], start=lab.start)
            blocks.append(current)
        elif current is not None:
            current.labels.append(lab)
    return blocks


def find_blocks(ctx: TextContext) -> list[Draft]:
    labels = find_labels(ctx)
    if not labels:
        return []
    blocks = group_blocks(ctx, labels)
    text = ctx.text
    drafts: list[Draft] = []
    previous_end = 0  # where the previous block's last field value ends
    for i, block in enumerate(blocks):
        block.theme = theme_heading(ctx, block.labels[0].start, previous_end)
        block.start = block.theme.start if block.theme else block.labels[0].start
        if drafts:
            _cut_previous(ctx, drafts[-1], block.start)
        limit = blocks[i + 1].labels[0].start if i + 1 < len(blocks) else len(text)
        brk = ctx.rules.block_break.search(text, block.labels[-1].end, limit)
        block.end = brk.start() if brk else limit
        draft, previous_end = block_draft(ctx, block)
        if draft is not None:
            drafts.append(draft)
    return drafts


def _cut_previous(ctx: TextContext, draft: Draft, next_start: int) -> None:
    """The next block's heading is not part of the previous block."""
    if draft.end > next_start:
        end = next_start
        while end > draft.start and ctx.text[end - 1].isspace():
            end -= 1
        draft.end = end


def block_draft(ctx: TextContext, block: Block) -> tuple[Draft | None, int]:
    """Fields of one block -> Draft (None when it names no network); also where its fields end."""
    text = ctx.text
    name: NameCandidate | None = None
    theme_label: NameCandidate | None = None
    members, members_rule = [], ""
    field_end = block.labels[0].end
    for j, lab in enumerate(block.labels):
        value_end = block.labels[j + 1].start if j + 1 < len(block.labels) else block.end
        if lab.kind in ("name", "theme"):
            newline = text.find("\n", lab.end, value_end)
            value_end = newline if newline >= 0 else value_end
            cand = ctx.clean_name(lab.end, value_end, lab.rule, False, ctx.rules.name_max_words * 2)
            if lab.kind == "name" and name is None:
                name = cand
            elif lab.kind == "theme" and theme_label is None:
                theme_label = cand
            field_end = cand.end if cand else field_end
        elif lab.kind == "members":
            found = ctx.list_after(lab.end, value_end)
            if found:
                members.extend(found)
                members_rule = lab.rule
                field_end = found[-1].end
        else:
            field_end = lab.end
    if name is None:  # a theme label alone names the network
        name, theme_label = theme_label, None
    label_suffices = any(lab.rule in ctx.rules.label_suffices for lab in block.labels)
    if name is None or not (members or label_suffices):
        return None, field_end
    end = block.end
    while end > block.start and text[end - 1].isspace():
        end -= 1
    draft = Draft(ctx.rules.block_rule, block.start, end, layout=True, name=name)
    draft.theme = theme_label or block.theme
    draft.add_members(members, members_rule)
    return draft, field_end


def theme_heading(ctx: TextContext, label_start: int, floor: int) -> NameCandidate | None:
    """A short heading before the label: on its line (after a run of spaces or the previous
    block's last field), or alone on the line above."""
    text, rules = ctx.text, ctx.rules
    line_start = text.rfind("\n", 0, label_start) + 1
    lo = max(line_start, floor)
    for sep in rules.theme_heading_separator.finditer(text, lo, label_start):
        if sep.end() < label_start:
            lo = sep.end()
    if text[lo:label_start].strip():
        return _heading(ctx, lo, label_start)
    if lo != line_start and text[line_start:label_start].strip():
        return None
    # the line above (one blank line may stand between)
    end = line_start - 1
    if end <= floor:
        return None
    start = text.rfind("\n", 0, end) + 1
    if not text[start:end].strip() and start > floor:
        end = start - 1
        start = text.rfind("\n", 0, max(end, 0)) + 1
    if start < floor or end <= start:
        return None
    return _heading(ctx, start, end)


def _heading(ctx: TextContext, start: int, end: int) -> NameCandidate | None:
    rules = ctx.rules
    cand = ctx.clean_name(start, end, rules.theme_heading_rule, False, rules.theme_heading_max_words)
    if cand is None or not cand.value[0].isupper() or rules.theme_heading_reject.search(ctx.text[start:end].strip()):
        return None
    if rules.label.regex.search(ctx.low, cand.start, cand.end) or ctx.municipalities_in(cand.start, cand.end):
        return None
    return cand


# ---------------------------------------------------------------------- tables
def find_tables(ctx: TextContext) -> list[Draft]:
    sep = ctx.rules.cell_separator
    if sep not in ctx.text:
        return []
    drafts: list[Draft] = []
    for rows in _table_runs(ctx.text, sep):
        drafts.extend(_table_drafts(ctx, rows))
    return drafts


def _table_runs(text: str, sep: str) -> list[list[tuple[int, int]]]:
    """Runs of consecutive lines holding the cell separator: [(line start, line end)]."""
    runs: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    pos = 0
    while pos <= len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        if sep in text[pos:end]:
            current.append((pos, end))
        elif current:
            runs.append(current)
            current = []
        pos = end + 1
    if current:
        runs.append(current)
    return runs


def _cells(text: str, start: int, end: int, sep: str) -> list[tuple[int, int]]:
    """Cell spans of one row, stripped of spaces."""
    bar = sep.strip() or sep
    cells, pos = [], start
    while True:
        nxt = text.find(bar, pos, end)
        stop = end if nxt < 0 else nxt
        a, b = trimmed(text, pos, stop)
        cells.append((a, b))
        if nxt < 0:
            return cells
        pos = nxt + len(bar)


def _table_drafts(ctx: TextContext, rows: list[tuple[int, int]]) -> list[Draft]:
    rules, text, sep = ctx.rules, ctx.text, ctx.rules.cell_separator
    header = [text[a:b].lower() for a, b in _cells(text, *rows[0], sep)]
    if any(h in rules.table_skip for h in header):
        return []
    column = {kind: next((i for i, h in enumerate(header) if h in words), None)
              for kind, words in rules.table_columns.items()}
    name_col = column["name"] if column["name"] is not None else column["theme"]
    theme_col = column["theme"] if name_col != column["theme"] else None
    if name_col is None or column["members"] is None:
        return []
    drafts = []
    for start, end in rows[1:]:
        cells = _cells(text, start, end, sep)
        if max(name_col, column["members"]) >= len(cells):
            continue
        name = ctx.clean_name(*cells[name_col], rules.table_name_rule, False, rules.name_max_words * 2)
        if name is None:
            continue
        draft = Draft(rules.table_rule, start, end, layout=True, name=name)
        draft.add_members(ctx.municipalities_in(*cells[column["members"]]), rules.table_rule)
        if theme_col is not None and theme_col < len(cells):
            draft.theme = ctx.clean_name(*cells[theme_col], rules.table_theme_rule, False, rules.name_max_words)
        drafts.append(draft)
    return drafts
