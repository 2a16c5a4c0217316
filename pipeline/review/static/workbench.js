/* frikommune review workbench: selection, keyboard, and decisions sent to the server.
 *
 * The server renders every page (escaped); this script never builds HTML from data: it only
 * toggles classes, sets textContent/values, and after each decision re-fetches the page from
 * the server and swaps the changed panes in (DOMParser + importNode, no innerHTML).
 */
(function () {
  "use strict";

  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const CSRF = $('meta[name="csrf-token"]').content;
  const FIXED = $('meta[name="fixed-reviewer"]').content;
  const STORE = "frikommune.reviewer";
  const NUMBERS = { en: 1, et: 1, to: 2, tre: 3, fire: 4, fem: 5, seks: 6, syv: 7, otte: 8, ni: 9, ti: 10,
    elleve: 11, tolv: 12, tretten: 13, fjorten: 14, femten: 15, seksten: 16, sytten: 17, atten: 18, nitten: 19, tyve: 20 };
  const MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
    "november", "december"];

  let selected = -1;
  let selectedKey = null;
  let busy = false;

  // ------------------------------------------------------------------ reviewer

  function reviewer() {
    if (FIXED) return FIXED;
    try { return localStorage.getItem(STORE) || ""; } catch (e) { return ""; }
  }

  function showWho() {
    const name = reviewer();
    $("#who-name").hidden = !name;
    $("#who-label").textContent = name;
    $("#who-form").hidden = !!name;
  }

  function askName() {
    $("#who-name").hidden = true;
    $("#who-form").hidden = false;
    const input = $("#who-input");
    input.value = reviewer();
    input.focus();
  }

  // ------------------------------------------------------------------ messages

  let toastTimer = null;
  function toast(message, error) {
    const t = $("#toast");
    t.textContent = message;
    t.classList.toggle("error", !!error);
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, error ? 6000 : 3000);
  }

  // ------------------------------------------------------------------ selection and marks

  function cards() { return $$("#records .card"); }

  function clearMarks() { $$("#text .mark").forEach((el) => el.classList.remove("mark")); }

  function markKey(key, scroll) {
    clearMarks();
    const segs = $$('#text [data-k~="' + CSS.escape(key) + '"]');
    segs.forEach((el) => el.classList.add("mark"));
    if (segs.length && scroll) segs[0].scrollIntoView({ block: "center" });
  }

  function markRange(start, end) {
    clearMarks();
    const segs = $$("#text [data-s]").filter((el) => +el.dataset.s >= start && +el.dataset.e <= end);
    segs.forEach((el) => el.classList.add("mark"));
    if (segs.length) segs[0].scrollIntoView({ block: "center" });
    return segs.length;
  }

  function showContext(key) {
    const ctxs = $$("#contexts .ctx");
    if (!ctxs.length) return;
    ctxs.forEach((c) => { c.hidden = c.dataset.for !== key; });
    const empty = $("#ctx-empty");
    if (empty) empty.hidden = !!key;
  }

  function select(i, opts) {
    opts = opts || {};
    const list = cards();
    if (!list.length) { selected = -1; selectedKey = null; return; }
    i = Math.max(0, Math.min(i, list.length - 1));
    list.forEach((c) => c.classList.remove("sel"));
    const card = list[i];
    card.classList.add("sel");
    selected = i;
    selectedKey = card.dataset.key;
    if (opts.scroll !== false) card.scrollIntoView({ block: "nearest" });
    if (opts.mark !== false) markKey(selectedKey, opts.scroll !== false);
    showContext(selectedKey);
    if (originalOpen()) showOriginal();
  }

  function current() {
    const list = cards();
    return selected >= 0 && selected < list.length ? list[selected] : null;
  }

  function selectKey(key, opts) {
    const i = cards().findIndex((c) => c.dataset.key === key);
    if (i >= 0) select(i, opts);
    return i >= 0;
  }

  // ------------------------------------------------------------------ talking to the server

  async function post(url, data) {
    const name = reviewer();
    if (!name) { askName(); throw new Error("Enter your name first: it goes into the review log."); }
    const res = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": CSRF },
      body: JSON.stringify(Object.assign({}, data, { reviewer: name })),
    });
    let body = {};
    try { body = await res.json(); } catch (e) { /* not JSON */ }
    if (!res.ok || !body.ok) throw new Error(body.error || (res.status + " " + res.statusText));
    return body;
  }

  // Decisions this reviewer made since opening the workbench in this tab.
  function sessionCount(add) {
    const n = (+sessionStorage.getItem("workbench-decided") || 0) + (add || 0);
    sessionStorage.setItem("workbench-decided", String(n));
    $$(".session-count").forEach((el) => { el.textContent = n + " decided this session"; });
  }

  // After a decision: the next record in this view that is still unreviewed (one key per record).
  // In a queue of records to look at again (disagreements, second review, flagged) every record
  // has a state already: there the next one this tab has not decided yet.
  const decidedHere = new Set();
  function nextUnreviewed(decidedKey, fromIndex) {
    const list = cards();
    const revisit = !!$("main.panes[data-revisit]");
    if (decidedKey) decidedHere.add(decidedKey);
    const at = list.findIndex((c) => c.dataset.key === decidedKey);
    const start = at >= 0 ? at + 1 : Math.max(0, fromIndex);
    for (let i = start; i < list.length; i++) {
      if (revisit ? !decidedHere.has(list[i].dataset.key) : list[i].classList.contains("st-unreviewed")) return i;
    }
    return at >= 0 ? at : Math.min(fromIndex, list.length - 1);
  }

  // A refresh behind a verdict must not pull a form or a text selection from under the
  // reviewer: it waits (stale) until the form closes or the next decision.
  let stale = false;
  function busyReviewer() {
    const open = $$("form.edit, form.notes, #addform").some((f) => !f.hidden);
    const sel = window.getSelection();
    const selecting = sel && !sel.isCollapsed && $("#text") && $("#text").contains(sel.anchorNode);
    return open || selecting;
  }

  async function refresh(preferKey, advance, background) {
    const res = await fetch(location.pathname + location.search, { credentials: "same-origin", headers: { Accept: "text/html" } });
    const html = await res.text();
    if (background && busyReviewer()) { stale = true; return; }
    stale = false;
    const fresh = new DOMParser().parseFromString(html, "text/html");
    const index = selected;
    for (const id of ["text", "records", "contexts", "summary"]) {
      const old = document.getElementById(id);
      const neu = fresh.getElementById(id);
      if (!old || !neu) continue;
      const top = old.scrollTop;
      const node = document.importNode(neu, true);
      old.replaceWith(node);
      node.scrollTop = top;
    }
    const key = preferKey || selectedKey;
    if (advance) {
      select(nextUnreviewed(key, index), { scroll: true });
    } else if (!selectKey(key, { scroll: !!preferKey })) {
      if (index >= 0) select(index, { scroll: true });
    }
    sessionCount(0);
    document.dispatchEvent(new CustomEvent("workbench:refreshed"));
  }

  // A verdict shows at once on its card, the selection moves on, and the page is brought up
  // to date from the server behind it (other records a decision touches, the text's marks).
  function showVerdict(body) {
    const card = $(`.card[data-key="${CSS.escape(body.key)}"]`);
    if (!card || !body.state) return false;
    const was = [...card.classList].find((c) => c.startsWith("st-"));
    if (was) card.classList.remove(was);
    card.classList.add("st-" + body.state);
    const badge = $(".state", card);
    if (badge) { badge.className = "state st-" + body.state; badge.textContent = body.state; }
    const meta = $(".review-meta", card);
    if (meta) {
      meta.textContent = "";
      const dot = document.createElement("span");
      dot.className = "state-dot st-" + body.state;
      const who = document.createElement("b");
      who.textContent = body.reviewer;
      meta.append(dot, body.state + " by ", who, " · just now");
    }
    const progress = $("#summary .progress");
    const m = progress && progress.textContent.match(/^(\d+) of (\d+)/);
    if (m && was === "st-unreviewed") progress.textContent = `${+m[1] + 1} of ${m[2]} reviewed`;
    return true;
  }

  async function run(label, fn, advance) {
    if (busy) return;
    busy = true;
    try {
      const body = await fn();
      if (body) {
        toast(body.message || label);
        if (advance) sessionCount(1);
        if (advance && showVerdict(body)) {
          select(nextUnreviewed(body.key, selected), { scroll: true });
          busy = false;
          refresh(undefined, false, true); // not awaited: the next key need not wait for the page
          return;
        }
        await refresh(body.key, advance);
      }
    } catch (err) {
      toast(err.message, true);
    } finally {
      busy = false;
    }
  }

  function decide(card, action, extra) {
    if (!card) { toast("Select a record first (j / k).", true); return; }
    if (card.dataset.table === "diff") { toast("A change of the rule diff is not a record: Enter opens it in its document.", true); return; }
    // a verdict moves on to the next unreviewed record; a note stays on the record
    return run(action, () => post("/api/decide",
      Object.assign({ action: action, table: card.dataset.table, id: card.dataset.id }, extra || {})),
      action !== "note");
  }

  // ------------------------------------------------------------------ forms

  function closeForms(root) {
    $$("form.edit, form.notes, #addform", root || document).forEach((f) => { f.hidden = true; });
    if (stale && !root) refresh(undefined, false, true);
  }

  function openForm(card, cls) {
    if (!card) { toast("Select a record first (j / k).", true); return; }
    const form = $("form." + cls, card);
    if (!form) return;
    closeForms();
    form.hidden = false;
    const first = $("input, select, textarea", form);
    if (first) { first.focus(); if (first.select) first.select(); }
    form.scrollIntoView({ block: "nearest" });
  }

  function submitEdit(form) {
    const card = form.closest(".card");
    const fields = {};
    $$("input[name], select[name]", form).forEach((el) => {
      if (el.value !== el.dataset.old) fields[el.name] = el.value;
    });
    if (!Object.keys(fields).length) { toast("Nothing changed.", true); return; }
    return decide(card, "correct", { fields: fields });
  }

  function submitNote(form) {
    const note = form.elements.note.value.trim();
    if (!note) { toast("The note is empty.", true); return; }
    return decide(form.closest(".card"), "note", { note: note });
  }

  // ------------------------------------------------------------------ adding a missed mention

  function cpLen(s) { let n = 0; for (const _ of s) n++; return n; } // eslint-disable-line no-unused-vars

  function boundary(node, offset) {
    const text = $("#text");
    if (node.nodeType === Node.TEXT_NODE) {
      const piece = node.parentElement && node.parentElement.closest("[data-s]");
      if (!piece || !text.contains(piece)) return null;
      return +piece.dataset.s + cpLen(node.data.slice(0, offset));
    }
    const point = document.createRange();
    point.setStart(node, offset);
    const pieces = $$("[data-s]", text);
    for (const p of pieces) {
      if (point.comparePoint(p, 0) >= 0) return +p.dataset.s;
    }
    return pieces.length ? +pieces[pieces.length - 1].dataset.e : null;
  }

  function selectionOffsets() {
    const text = $("#text");
    const sel = window.getSelection();
    if (!text || !sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    if (!text.contains(range.commonAncestorContainer) && range.commonAncestorContainer !== text) return null;
    const start = boundary(range.startContainer, range.startOffset);
    const end = boundary(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return null;
    return { start: start, end: end, text: sel.toString() };
  }

  function isoDate(low) {
    let m = low.match(/(\d{1,2})\.\s*([a-zæøå]+)\s+(\d{4})/);
    if (m && MONTHS.indexOf(m[2]) >= 0) return m[3] + "-" + pad(MONTHS.indexOf(m[2]) + 1) + "-" + pad(+m[1]);
    m = low.match(/([a-zæøå]+)\s+(\d{4})/);
    if (m && MONTHS.indexOf(m[1]) >= 0) return m[2] + "-" + pad(MONTHS.indexOf(m[1]) + 1);
    m = low.match(/(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4})/);
    if (m) return m[3] + "-" + pad(+m[2]) + "-" + pad(+m[1]);
    m = low.match(/(\d{4})\s*[-–]\s*(\d{4})/);
    if (m) return m[1] + "/" + m[2];
    m = low.match(/\b(\d{4})\b/);
    return m ? m[1] : "";
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function guessValue(type, text) {
    const t = text.trim();
    const low = t.toLowerCase();
    if (type === "municipality") {
      for (const o of $$("#kommuner option")) {
        const name = o.textContent.toLowerCase();
        if (low === name || low.startsWith(name + " ") || low.startsWith(name + "s") || low.startsWith(name + "-")) return o.value;
      }
      return "";
    }
    if (type === "date") return isoDate(low);
    if (type === "count") {
      const m = low.match(/\d+/);
      if (m) return m[0];
      const w = low.split(/\s+/)[0];
      return NUMBERS[w] ? String(NUMBERS[w]) : "";
    }
    if (type === "experiment_status") {
      if (/delvis/.test(low)) return "partially_approved";
      if (/imødekom|godkend/.test(low)) return "approved";
      if (/afslå|afvis|ikke imødekom/.test(low)) return "rejected";
      if (/afklar|afvent/.test(low)) return "pending";
      return "";
    }
    return t;
  }

  function guessType(text) {
    const low = text.trim().toLowerCase();
    if (guessValue("municipality", text)) return "municipality";
    if (/\b\d{4}\b/.test(low) || MONTHS.some((m) => low.indexOf(m) >= 0)) return "date";
    if (/^\d+\b/.test(low) || NUMBERS[low.split(/\s+/)[0]]) return "count";
    if (guessValue("experiment_status", text)) return "experiment_status";
    return "network_name";
  }

  function setAddType(type, text) {
    const value = $("#add-value");
    const lists = { municipality: "kommuner", experiment_status: "vocab-experiment_status" };
    if (lists[type]) value.setAttribute("list", lists[type]); else value.removeAttribute("list");
    value.value = guessValue(type, text);
  }

  function openAdd() {
    const form = $("#addform");
    if (!form) return;
    const sel = selectionOffsets();
    if (!sel) { toast("Select text in the document first, then press n.", true); return; }
    closeForms();
    form.elements.start.value = sel.start;
    form.elements.end.value = sel.end;
    form.dataset.text = sel.text;
    $("#add-quote").textContent = sel.text;
    const type = guessType(sel.text);
    form.elements.type.value = type;
    setAddType(type, sel.text);
    form.hidden = false;
    $("#records").scrollTop = 0;
    form.elements.type.focus();
  }

  function submitAdd(form) {
    return run("added", () => post("/api/add", {
      doc_id: $("#text").dataset.doc, start: +form.elements.start.value, end: +form.elements.end.value,
      text: form.dataset.text, type: form.elements.type.value, value: form.elements.value.value,
    }));
  }

  // ------------------------------------------------------------------ the original beside the text

  function originalOpen() { const o = $("#original"); return !!o && !o.hidden; }

  let originalAsked = 0;
  async function showOriginal() {
    const pane = $("#original");
    const frame = $("#original-frame");
    if (frame) { // HTML or text: the page itself, sandboxed by the server's headers and the frame
      if (!frame.getAttribute("src")) frame.setAttribute("src", frame.dataset.src);
      return;
    }
    const asked = ++originalAsked;
    const url = "/api/original?doc=" + encodeURIComponent($("#text").dataset.doc) +
      (selectedKey ? "&key=" + encodeURIComponent(selectedKey) : "");
    let body;
    try {
      const r = await fetch(url);
      body = await r.json();
      if (!r.ok) throw new Error(body.error || r.statusText);
    } catch (err) { toast("Cannot show the original: " + err.message, true); return; }
    if (asked !== originalAsked) return; // a later selection asked since
    const img = $("#page-img");
    const place = $("#page-frame");
    $$(".span-box", place).forEach((b) => b.remove());
    if (img.getAttribute("src") !== body.image) img.setAttribute("src", body.image);
    $("#original-label", pane).textContent = `PDF page ${body.page} of ${body.pages || "?"}` +
      (body.text ? (body.found ? ` · «${body.text}» boxed` : ` · «${body.text}» not found on the page`) : "");
    (body.boxes || []).forEach((b) => {
      const box = el("div", "span-box");
      box.style.left = (b[0] * 100) + "%";
      box.style.top = (b[1] * 100) + "%";
      box.style.width = ((b[2] - b[0]) * 100) + "%";
      box.style.height = ((b[3] - b[1]) * 100) + "%";
      place.append(box);
    });
    const first = $(".span-box", place);
    if (first) first.scrollIntoView({ block: "center" });
  }

  function toggleOriginal() {
    const pane = $("#original");
    if (!pane) { toast("The original is shown in a document's view.", true); return; }
    pane.hidden = !pane.hidden;
    $("main.panes").classList.toggle("with-original", !pane.hidden);
    if (!pane.hidden) showOriginal();
  }

  // ------------------------------------------------------------------ why this value?

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function ruleBlock(x, label) {
    const box = el("div", "why-rule");
    const head = el("div", "why-head");
    if (label) head.append(el("span", "src-label", label), " ");
    head.append("rule ", el("code", null, x.rule || "—"));
    if (x.found) {
      head.append(" · ", el("span", "why-where", `rules/${x.file}, line ${x.line}`));
      if (x.components && x.components.length) head.append(" · component ", el("code", null, x.components.join(", ")));
    }
    box.append(head);
    if (!x.found) { box.append(el("div", "muted", x.why)); return box; }
    if (x.family) box.append(el("div", "muted", `written down as the family ${x.family}`));
    if (x.matched) {
      box.append(el("div", "why-matched", `matched ${x.matched.how === "pattern" ? "pattern" : "entry"} «${x.matched.entry}» (line ${x.matched.line})`));
    }
    (x.gazetteer || []).forEach((g) => box.append(el("div", "why-matched", `gazetteer row rules/${g.file}, line ${g.line}: ${g.row}`)));
    const pre = el("pre", "why-lines", x.lines.join("\n") + (x.cut ? `\n… ${x.cut} more lines` : ""));
    box.append(pre);
    return box;
  }

  async function explain(card) {
    if (!card) { toast("Select a record first (j / k).", true); return; }
    const open = $(".why", card);
    if (open) { open.remove(); return; } // w again closes it
    let body;
    try {
      const r = await fetch("/api/explain?key=" + encodeURIComponent(card.dataset.key));
      body = await r.json();
      if (!r.ok) throw new Error(body.error || r.statusText);
    } catch (err) { toast("Cannot explain: " + err.message, true); return; }
    const why = el("section", "why");
    why.setAttribute("aria-label", "why this value");
    why.append(el("h4", null, "Why this value?"));
    if (body.stale_rules) why.append(el("div", "why-stale", "The rules changed since this run: lines are today's."));
    if (body.kind === "mention") {
      why.append(ruleBlock(body));
      if (body.role) why.append(ruleBlock(body.role, `role ${body.role.role}`));
    } else {
      const comps = body.components && body.components.length ? body.components.join(", ") : "reconciliation";
      why.append(el("div", "why-head", `built by ${comps} from ${body.spans.length} span${body.spans.length === 1 ? "" : "s"}:`));
      if (body.explained) why.append(ruleBlock(body.explained, "record"));
      body.spans.forEach((sp) => why.append(ruleBlock(sp.explained, `${sp.label} «${sp.text}»`)));
    }
    const actions = $(".actions", card);
    card.insertBefore(why, actions);
  }

  // ------------------------------------------------------------------ events

  function typing(el) {
    return !!el && (el.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName));
  }

  document.addEventListener("keydown", (e) => {
    const form = e.target.closest && e.target.closest("form");
    if (form && typing(e.target)) {
      if (e.key === "Escape") {
        e.preventDefault();
        if (form.id !== "who-form") form.hidden = true;
        e.target.blur();
        return;
      }
      if (e.key === "Enter" && !e.isComposing) {
        if (e.target.tagName === "TEXTAREA" && !(e.ctrlKey || e.metaKey)) return;
        e.preventDefault();
        form.requestSubmit();
      }
      return; // no shortcut fires while typing in a field
    }
    if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
    const card = current();
    let handled = true;
    switch (e.key) {
      case "j": select(selected + 1); break;
      case "s": select(selected + 1); break; // skip: on to the next record, nothing decided
      case "f": // flag (or unflag) for a second look, then on to the next record
        if (card) decide(card, card.classList.contains("is-flagged") ? "unflag" : "flag");
        else toast("Select a record first (j / k).", true);
        break;
      case "?": { // the keys, as a panel over the page (? or Esc closes it)
        const keys = $("#keys");
        if (keys) keys.classList.toggle("open");
        break;
      }
      case "k": select(selected <= 0 ? 0 : selected - 1); break;
      case "a": decide(card, "accept"); break;
      case "x": decide(card, "reject"); break;
      case "e": openForm(card, "edit"); break;
      case "c": openForm(card, "notes"); break;
      case "w": explain(card); break;
      case "o": toggleOriginal(); break;
      case "Enter": { // open the selected card's first span (the rule diff's entries)
        const link = card && $("a.src", card);
        if (link) location.href = link.href; else handled = false;
        break;
      }
      case "n": openAdd(); break;
      case "u": run("undo", () => post("/api/undo", {})); break;
      case "[": case "]": { // previous / next part of a long document
        const link = $(`.parts a[rel=${e.key === "[" ? "prev" : "next"}]`);
        if (link) location.href = link.href;
        break;
      }
      case "Escape": closeForms(); clearMarks(); { const k = $("#keys"); if (k) k.classList.remove("open"); } break;
      default:
        if (/^[1-9]$/.test(e.key) && card && card.dataset.table === "conflicts") {
          decide(card, "resolve", { side: +e.key - 1 });
        } else {
          handled = false;
        }
    }
    if (handled) e.preventDefault();
  });

  document.addEventListener("submit", (e) => {
    const form = e.target;
    e.preventDefault();
    if (form.id === "who-form") {
      const name = form.elements.reviewer.value.trim().replace(/\s+/g, " ");
      if (!name) return;
      try { localStorage.setItem(STORE, name); } catch (err) { /* private mode */ }
      showWho();
      form.elements.reviewer.blur();
      toast("Decisions will be logged as " + name + ".");
    } else if (form.id === "addform") {
      submitAdd(form);
    } else if (form.classList.contains("edit")) {
      submitEdit(form);
    } else if (form.classList.contains("notes")) {
      submitNote(form);
    }
  });

  document.addEventListener("change", (e) => {
    if (e.target.id === "add-type") setAddType(e.target.value, $("#addform").dataset.text || "");
  });

  document.addEventListener("click", (e) => {
    const t = e.target;
    if (t.id === "who-change") { askName(); return; }
    const second = t.closest("a[data-with-reviewer]");
    if (second && reviewer()) { // second review: the records someone else accepted, not one's own
      const url = new URL(second.href, location.href);
      url.searchParams.set("reviewer", reviewer());
      second.href = url.toString();
      return;
    }
    const act = t.closest("[data-act]");
    if (act) {
      const card = act.closest(".card");
      if (card) selectKey(card.dataset.key, { scroll: false });
      const a = act.dataset.act;
      if (a === "cancel") { closeForms(); return; }
      if (a === "edit") { openForm(card, "edit"); return; }
      if (a === "note") { openForm(card, "notes"); return; }
      if (a === "why") { explain(card); return; }
      if (a === "resolve") { decide(card, "resolve", { side: +act.dataset.side }); return; }
      decide(card, a);
      return;
    }
    const link = t.closest("a.src");
    if (link) {
      const url = new URL(link.href, location.href);
      // the same document and, for a long one shown in parts, the part on screen
      const text = $("#text");
      const at = url.searchParams.has("at") ? +url.searchParams.get("at") : null;
      const here = text && (at === null || (at >= +text.dataset.lo && at < +text.dataset.hi));
      if (url.pathname === location.pathname && here) {
        e.preventDefault();
        history.replaceState(null, "", url.hash);
        fromHash();
      }
      return;
    }
    const seg = t.closest("#text .hl[data-k]");
    if (seg) {
      const sel = window.getSelection();
      if (sel && !sel.isCollapsed) return; // selecting text, not clicking
      const keys = seg.dataset.k.split(" ");
      const next = keys[(keys.indexOf(selectedKey) + 1) % keys.length];
      selectKey(next, { scroll: true, mark: true });
      const card = current();
      if (card) card.scrollIntoView({ block: "nearest" });
      return;
    }
    const card = t.closest(".card");
    if (card && !t.closest("form, a, button, summary")) selectKey(card.dataset.key, { scroll: false });
  });

  function fromHash() {
    const m = location.hash.match(/^#(\d+)-(\d+)$/);
    if (m && $("#text")) markRange(+m[1], +m[2]);
  }

  window.addEventListener("hashchange", fromHash);

  showWho();
  sessionCount(0);
  if (!reviewer()) askName();
  if (document.body.classList.contains("queue-view") && cards().length) select(0, { scroll: false });
  fromHash();
})();
