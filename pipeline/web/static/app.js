// The advocate's page: plain DOM, no libraries. Text from the user or the server is only ever
// inserted as text nodes (never as HTML). Nothing is stored: the draft lives in this page.
"use strict";

const MAX_BYTES = 2 * 1024 * 1024;
const $ = (id) => document.getElementById(id);

const state = {
  draft: null,      // last /api/draft "draft" (sent back to validate)
  review: null,     // last review shown
  reviewedText: "", // the text the review view shows
};

// ------------------------------------------------------------------ small helpers

// A requirement as one line: 'duration (each): antidepressant trials >= 6 weeks'.
function requirementText(r, c) {
  const option = c.logic === "any" ? `option ${r.branch + 1}: ` : "";
  const value = r.value === null || r.value === undefined ? "" : ` ${r.comparator || ""} ${r.value} ${r.unit || ""}`;
  return `${option}${humanize(r.kind)}${r.each ? " (each)" : ""}: ${r.subject}${value}`.trim();
}

// A requested code: '90868 x35', '15823-50'.
function serviceText(s) {
  const prefix = s.system === "revenue" ? "rev " : s.system === "drg" ? "DRG " : "";
  return `${prefix}${s.code}${(s.modifiers || []).map((m) => "-" + m).join("")}${s.units === null || s.units === undefined ? "" : " x" + s.units}`;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function say(id, text, kind) {
  const node = $(id);
  node.textContent = text || "";
  node.className = "msg" + (kind ? " " + kind : "");
  node.setAttribute("role", kind === "error" ? "alert" : "status");
}

class ApiError extends Error {}

async function api(path, body, { raw = false, binary = false, headers = {} } = {}) {
  const payload = raw ? body : JSON.stringify(body);
  if ((raw ? body.size : new Blob([payload]).size) > MAX_BYTES) {
    throw new ApiError("this is larger than 2 MB: send only the denial letter and the case facts");
  }
  let response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: raw ? headers : { "Content-Type": "application/json", ...headers },
      body: payload,
      cache: "no-store",
    });
  } catch (err) {
    throw new ApiError("the server did not answer: is `lmn serve` still running?");
  }
  if (!response.ok) {
    let message = `the server answered ${response.status}`;
    try {
      const data = await response.json();
      if (data && data.error) message = data.error;
    } catch (err) { /* not JSON: keep the status line */ }
    throw new ApiError(message);
  }
  return binary ? response.blob() : response.json();
}

async function busy(button, label, work) {
  const original = button.textContent;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  button.textContent = label;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.textContent = original;
  }
}

function engineName() {
  return $("engine").value.trim() || null;
}

function fmtDate(iso) {
  if (!iso) return "";
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString("en-US", {
    year: "numeric", month: "long", day: "numeric", timeZone: "UTC",
  });
}

function daysUntil(iso) {
  if (!iso) return null;
  const [y, m, d] = iso.split("-").map(Number);
  const now = new Date();
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())) / 86400000);
}

function humanize(value) {
  return String(value).replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

const PLAN_LABELS = {
  erisa: "Employer plan (ERISA)",
  aca_individual: "ACA individual / small-group plan",
  medicare_advantage: "Medicare Advantage",
  medicare: "Original Medicare",
  medicaid: "Medicaid",
  government_or_church: "Government or church plan",
  unknown: "Unknown",
};

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function tooLarge(file) {
  return file.size > MAX_BYTES ? `${file.name} is larger than 2 MB: use only the letter itself` : "";
}

// ------------------------------------------------------------------ 1-2. letter and analysis

async function uploadLetter() {
  const file = $("letter-file").files[0];
  if (!file) return;
  const problem = tooLarge(file);
  if (problem) return say("letter-msg", problem, "error");
  say("letter-msg", `Reading ${file.name}…`);
  try {
    const result = await api(`/api/letter?filename=${encodeURIComponent(file.name)}`, file,
      { raw: true, headers: { "Content-Type": "application/octet-stream" } });
    $("letter").value = result.text;
    const pages = result.pages ? ` (${result.pages} page${result.pages > 1 ? "s" : ""})` : "";
    say("letter-msg", `Read ${file.name}${pages}.`, "ok");
    await analyze();
  } catch (err) {
    say("letter-msg", err.message, "error");
  } finally {
    $("letter-file").value = "";
  }
}

async function analyze() {
  const letter = $("letter").value;
  if (!letter.trim()) return say("letter-msg", "Paste the denial letter's text or upload it first.", "error");
  await busy($("analyze"), "Analyzing…", async () => {
    try {
      const result = await api("/api/analyze", { letter, engine: engineName() });
      showAnalysis(result);
      const n = result.analysis.criteria.length;
      say("letter-msg", `Analyzed: ${n} ${n === 1 ? "criterion" : "criteria"} cited.`, "ok");
    } catch (err) {
      say("letter-msg", err.message, "error");
    }
  });
}

function deadlineBox(result) {
  const a = result.analysis;
  const box = $("deadline");
  box.replaceChildren();
  let main;
  if (a.appeal_deadline) {
    const days = result.days_left;
    const left = days < 0 ? `passed ${-days} day${days === -1 ? "" : "s"} ago`
      : days === 0 ? "today" : `${days} day${days === 1 ? "" : "s"} left`;
    box.className = "deadline " + (days < 0 ? "late" : days <= 30 ? "soon" : "fine");
    main = el("p", { class: "big" }, "Appeal by ", el("strong", {}, fmtDate(a.appeal_deadline)),
      " — ", el("strong", {}, left));
  } else {
    box.className = "deadline soon";
    main = el("p", { class: "big" }, "The letter states no appeal deadline: check the plan documents.");
  }
  box.append(main, el("p", {},
    el("span", { class: "pill " + (a.expedited_available ? "yes" : "no") },
      a.expedited_available ? "Expedited appeal available" : "No expedited appeal offered"),
    " ",
    el("span", { class: "pill " + (a.peer_to_peer_offered ? "yes" : "no") },
      a.peer_to_peer_offered ? "Peer-to-peer review offered" : "No peer-to-peer offered")));
}

function showAnalysis(result) {
  const a = result.analysis;
  deadlineBox(result);
  const codes = (list) => (list.length ? list.join(", ") : "—");
  const rows = [
    ["Insurer", a.insurer || "—"],
    ["Plan type", PLAN_LABELS[a.plan_type] || humanize(a.plan_type)],
    ["Denial categories", a.denial_categories.length
      ? a.denial_categories.map((c, i) => el("span", { class: "chip" + (i === 0 ? " primary" : "") }, humanize(c)))
      : "—"],
    ["Member ID", a.member_id || "—"],
    ["Claim / case number", a.claim_number || "—"],
    ["Letter date", a.letter_date ? fmtDate(a.letter_date) : "—"],
    ["CPT", codes(a.cpt_codes)],
    ["HCPCS", codes(a.hcpcs_codes)],
    ["ICD-10-CM", codes(a.icd10_codes)],
    ["Reviewer", a.reviewer || "—"],
    ["Requested", (a.requested || []).length ? a.requested.map(serviceText).join(", ") : "—"],
    ["Plan sponsor", a.plan_sponsor || "—"],
  ];
  $("facts").replaceChildren(...rows.map(([k, v]) => el("div", {}, el("dt", {}, k), el("dd", {}, v))));
  const list = $("criteria");
  list.replaceChildren(...a.criteria.map((c) => el("li", {},
    el("span", {}, c.text), c.source ? el("span", { class: "source" }, c.source) : null,
    el("div", { class: "payer-status" }, `Payer: ${humanize(c.payer_status || "not_stated")}`,
      c.payer_reason ? ` (${c.payer_reason})` : ""),
    (c.requirements || []).length ? el("ul", { class: "requirements" }, ...c.requirements.map((r) =>
      el("li", {}, requirementText(r, c)))) : null)));
  if (!a.criteria.length) list.replaceChildren(el("li", { class: "none" }, "The letter cites no specific criterion; the letter will answer the denial's reason."));
  $("analysis-empty").hidden = true;
  $("analysis-body").hidden = false;
}

// ------------------------------------------------------------------ 3. case facts form

const KINDS = {
  treatment: ["medication", "therapy", "procedure", "device", "other"],
  finding: ["rating_scale", "lab", "imaging", "exam", "vital", "other"],
};

const LISTS = {
  diagnoses: {
    title: "Diagnosis",
    fields: [
      { key: "code", label: "ICD-10-CM code" },
      { key: "description", label: "Description", wide: true },
    ],
  },
  prior_treatments: {
    title: "Prior treatment",
    fields: [
      { key: "name", label: "Treatment", wide: true },
      { key: "kind", label: "Kind", options: KINDS.treatment },
      { key: "dose", label: "Dose (with unit)" },
      { key: "frequency", label: "Frequency" },
      { key: "start", label: "Start", type: "date" },
      { key: "end", label: "End", type: "date" },
      { key: "duration", label: "Duration (if no dates)" },
      { key: "outcome", label: "Outcome", wide: true },
      { key: "outcome_measure", label: "Outcome measure", wide: true },
    ],
  },
  objective_findings: {
    title: "Objective finding",
    fields: [
      { key: "kind", label: "Kind", options: KINDS.finding },
      { key: "name", label: "Name (scale, lab, study)" },
      { key: "value", label: "Value" },
      { key: "date", label: "Date", type: "date" },
      { key: "interpretation", label: "Interpretation", wide: true },
    ],
  },
};

let rowCounter = 0;

function addRow(list, values = {}) {
  const spec = LISTS[list];
  const container = $(`list-${list}`);
  const n = ++rowCounter;
  const legend = el("legend", {});
  const grid = el("div", { class: "grid" });
  for (const f of spec.fields) {
    const id = `r${n}-${f.key}`;
    let input;
    if (f.options) {
      input = el("select", { id, "data-key": f.key },
        f.options.map((o) => el("option", { value: o }, humanize(o))));
      input.value = values[f.key] || "other";
    } else {
      input = el("input", { id, "data-key": f.key, type: f.type || "text", autocomplete: "off" });
      input.value = values[f.key] ?? "";
    }
    grid.append(el("div", { class: f.wide ? "wide" : null }, el("label", { for: id }, f.label), input));
  }
  const remove = el("button", { type: "button", class: "remove" }, "Remove");
  const row = el("fieldset", { class: "item" }, legend, grid, el("div", { class: "item-actions" }, remove));
  remove.addEventListener("click", () => {
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    renumber(list);
    (next ? next.querySelector("input, select") : container.nextElementSibling).focus();
  });
  container.append(row);
  renumber(list);
  return row;
}

function renumber(list) {
  const rows = $(`list-${list}`).children;
  Array.from(rows).forEach((row, i) => {
    const title = `${LISTS[list].title} ${i + 1}`;
    row.querySelector("legend").textContent = title;
    row.querySelector(".remove").setAttribute("aria-label", `Remove ${title.toLowerCase()}`);
  });
}

function setPath(obj, path, value) {
  const parts = path.split(".");
  let node = obj;
  for (const p of parts.slice(0, -1)) node = node[p] ??= {};
  node[parts.at(-1)] = value;
}

function getPath(obj, path) {
  return path.split(".").reduce((node, p) => (node == null ? undefined : node[p]), obj);
}

function collectCase() {
  const caseFacts = {};
  for (const input of document.querySelectorAll("#case-form [data-field]")) {
    const value = input.value.trim();
    if (value) setPath(caseFacts, input.dataset.field, value);
  }
  for (const list of Object.keys(LISTS)) {
    caseFacts[list] = Array.from($(`list-${list}`).children).map((row) => {
      const item = {};
      for (const input of row.querySelectorAll("[data-key]")) {
        const value = input.value.trim();
        if (value) item[input.dataset.key] = value;
      }
      return item;
    }).filter((item) => Object.keys(item).some((k) => k !== "kind"));
  }
  return caseFacts;
}

function fillCase(caseFacts) {
  for (const input of document.querySelectorAll("#case-form [data-field]")) {
    const value = getPath(caseFacts, input.dataset.field);
    input.value = value ?? (input.tagName === "SELECT" ? input.options[0].value : "");
  }
  for (const list of Object.keys(LISTS)) {
    $(`list-${list}`).replaceChildren();
    for (const item of caseFacts[list] || []) addRow(list, item);
  }
  fillLetterhead(caseFacts.physician || {});
}

function fillLetterhead(physician) {
  for (const input of document.querySelectorAll("[data-letterhead]")) {
    input.value = physician[input.dataset.letterhead] || "";
  }
}

async function loadCaseFile() {
  const file = $("case-file").files[0];
  if (!file) return;
  const problem = tooLarge(file);
  if (problem) return say("case-msg", problem, "error");
  try {
    const text = await file.text();
    const caseFacts = await api("/api/case", { text, filename: file.name });
    fillCase(caseFacts);
    say("case-msg", `Loaded ${file.name}.`, "ok");
  } catch (err) {
    say("case-msg", err.message, "error");
  } finally {
    $("case-file").value = "";
  }
}

function saveCase() {
  const blob = new Blob([JSON.stringify(collectCase(), null, 2) + "\n"], { type: "application/json" });
  download(blob, "case.json");
  say("case-msg", "Saved case.json to your downloads.", "ok");
}

// ------------------------------------------------------------------ 4. gap map

const CLIP_CHARS = 180;

function clip(text) {
  if (text.length <= CLIP_CHARS) return text;
  return el("span", { title: text }, text.slice(0, CLIP_CHARS).replace(/\s+\S*$/, "") + " …");
}

function missingList(gaps) {
  if (!gaps.length) return el("span", { class: "none" }, "Nothing");
  return el("ul", { class: "gaplist" }, gaps.map((g) => el("li", {}, el("code", {}, g.field), " — ", g.message)));
}

function showGapMap(map) {
  const body = $("gap-table").tBodies[0];
  body.replaceChildren(...map.rows.map((row) => el("tr", { class: row.missing.length ? "has-gap" : "met" },
    el("th", { scope: "row" }, String(row.number)),
    el("td", {}, el("p", {}, row.requires), row.source ? el("p", { class: "source" }, row.source) : null),
    el("td", {}, row.evidence.length
      ? el("ul", { class: "evidence" }, row.evidence.map((e) => el("li", {},
        el("strong", {}, e.label), ": ", e.text ? clip(e.text) : el("em", {}, "not in the case file"))))
      : el("span", { class: "none" }, "No fact in the case answers it")),
    el("td", {}, missingList(row.missing)))));
  if (!map.rows.length) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: "4" }, "The denial cites no specific criterion.")));
  }
  const other = $("other-gaps");
  other.replaceChildren();
  if (map.other.length) {
    other.append(el("h3", {}, "Other missing facts"), missingList(map.other));
  }
  $("step-gaps").hidden = false;
}

// ------------------------------------------------------------------ 5. draft and review

async function draft() {
  const letter = $("letter").value;
  if (!letter.trim()) {
    say("draft-msg", "Paste or upload the denial letter first (step 1).", "error");
    return $("letter").focus();
  }
  await busy($("draft"), "Drafting…", async () => {
    try {
      const result = await api("/api/draft", {
        letter,
        case: collectCase(),
        engine: engineName(),
        allow_gaps: true,
        date: $("letter-date").value || null,
      });
      state.draft = result.draft;
      showAnalysis({ analysis: result.draft.analysis, days_left: daysUntil(result.draft.analysis.appeal_deadline) });
      showGapMap(result.gap_map);
      $("editor").value = result.draft.markdown;
      showReview(result.draft.markdown, result.review);
      if (!document.querySelector("[data-letterhead]").value) fillLetterhead(result.draft.case.physician);
      $("step-draft").hidden = false;
      $("step-export").hidden = false;
      const gaps = result.draft.gaps.length;
      say("draft-msg", gaps ? `Drafted with ${gaps} missing fact${gaps === 1 ? "" : "s"}: see the gap map.`
        : "Drafted; the letter passed validation.", gaps ? "warn" : "ok");
      $("h-gaps").focus();
    } catch (err) {
      say("draft-msg", err.message, "error");
    }
  });
}

async function validateAgain() {
  if (!state.draft) return;
  const markdown = $("editor").value;
  await busy($("validate"), "Validating…", async () => {
    try {
      const result = await api("/api/validate", { markdown, draft: state.draft });
      showReview(markdown, result);
      say("validate-msg", result.ok && !result.annotations.placeholders.length
        ? "Checked: the letter passes." : "Checked: see the findings above.", result.ok ? "ok" : "warn");
    } catch (err) {
      say("validate-msg", err.message, "error");
    }
  });
}

function statusOf(review) {
  const missing = review.annotations.placeholders.length;
  const warnings = `${review.warnings} warning${review.warnings === 1 ? "" : "s"}`;
  if (missing) {
    return ["draft", `DRAFT — ${missing} [MISSING] field${missing === 1 ? "" : "s"} to complete, ` +
      `${review.errors} error${review.errors === 1 ? "" : "s"}. Add the facts to the case and draft again, or edit the text and validate.`];
  }
  if (review.ok) return ["ok", `Passed validation (${warnings}). Ready for the physician to check and sign.`];
  return ["bad", `Rejected: ${review.errors} error${review.errors === 1 ? "" : "s"}, ${warnings}. Fix the highlighted text and validate again.`];
}

function showReview(markdown, review) {
  state.review = review;
  state.reviewedText = markdown;
  const [kind, text] = statusOf(review);
  const status = $("status");
  status.className = "status " + kind;
  status.textContent = text;
  showFindings(review.report.findings);
  renderLetter($("review"), markdown, review);
  showPassages(review.annotations.references);
  $("stale").hidden = true;
}

function showFindings(findings) {
  const list = $("findings");
  list.replaceChildren(...findings.map((f, i) => {
    const label = [el("span", { class: "sev " + f.severity }, f.severity), " ", el("code", {}, f.code), " ", f.message];
    if (!f.span) return el("li", {}, ...label);
    return el("li", {}, el("button", {
      type: "button", class: "link", title: "Show it in the letter and select it in the editor",
      onclick: () => showFinding(i, f.span),
    }, ...label));
  }));
  if (!findings.length) list.replaceChildren(el("li", { class: "none" }, "No findings."));
}

// Scroll the review to a finding and select its text in the editor (when the editor still
// holds the text that was checked; otherwise focus the highlight).
function showFinding(i, span) {
  const mark = document.getElementById(`finding-${i}`);
  if (mark) mark.scrollIntoView({ block: "center" });
  const editor = $("editor");
  if (editor.value !== state.reviewedText) return mark && mark.focus();
  const chars = Array.from(editor.value);
  const start = chars.slice(0, span[0]).join("").length;
  const end = start + chars.slice(span[0], span[1]).join("").length;
  editor.blur();
  editor.setSelectionRange(start, end);
  editor.focus();
}

function lineClass(line) {
  if (/^# /.test(line)) return "ln h1";
  if (/^## /.test(line)) return "ln h2";
  if (/^### /.test(line)) return "ln h3";
  if (/^\|/.test(line)) return "ln tbl";
  if (/^\*\*DRAFT/.test(line)) return "ln banner";
  if (!line.trim()) return "ln blank";
  return "ln";
}

// Offsets from the server count code points; Array.from splits a string the same way.
function renderLetter(container, markdown, review) {
  const chars = Array.from(markdown);
  const marks = [];
  review.report.findings.forEach((f, i) => {
    if (f.span) marks.push({ start: f.span[0], end: Math.max(f.span[1], f.span[0] + 1), kind: "finding", i, f });
  });
  const refs = new Map(review.annotations.references.map((r) => [r.number, r]));
  for (const c of review.annotations.citations) marks.push({ ...c, kind: "cite" });
  for (const p of review.annotations.placeholders) marks.push({ ...p, kind: "missing" });
  let offset = 0;
  for (const line of markdown.split("\n")) {
    const syntax = /^(#{1,3} |\|[-| ]*\|?$)/.exec(line);
    if (syntax) marks.push({ start: offset, end: offset + Array.from(syntax[0]).length, kind: "syntax" });
    offset += Array.from(line).length + 1;
  }

  const firstOfFinding = new Set();
  const nodes = [];
  let lineStart = 0;
  const lines = markdown.split("\n");
  for (const line of lines) {
    const lineChars = Array.from(line).length;
    const lineEnd = lineStart + lineChars;
    const div = el("div", { class: lineClass(line) });
    const points = new Set([lineStart, lineEnd]);
    const here = marks.filter((m) => m.start < Math.max(lineEnd, lineStart + 1) && m.end > lineStart);
    for (const m of here) {
      points.add(Math.max(m.start, lineStart));
      points.add(Math.min(m.end, lineEnd));
    }
    const sorted = [...points].sort((a, b) => a - b);
    for (let k = 0; k + 1 < sorted.length; k++) {
      const a = sorted[k], b = sorted[k + 1];
      let node = document.createTextNode(chars.slice(a, b).join(""));
      for (const m of here.filter((m) => m.start <= a && m.end >= b)) {
        if (m.kind === "syntax") node = el("span", { class: "syntax", "aria-hidden": "true" }, node);
        else if (m.kind === "missing") node = el("span", { class: "missing" }, node);
        else if (m.kind === "cite") {
          const ref = refs.get(m.numbers[0]);
          node = el("a", {
            class: "cite", href: `#ref-${m.numbers[0]}`,
            title: m.numbers.map((n) => (refs.get(n) ? `[${n}] ${refs.get(n).reference}` : `[${n}] not in the references`)).join("\n"),
          }, node);
          if (!ref) node.classList.add("unresolved");
        }
      }
      for (const m of here.filter((m) => m.kind === "finding" && m.start <= a && m.end >= b)) {
        const attrs = { class: "finding " + m.f.severity, title: `${m.f.code}: ${m.f.message}` };
        if (!firstOfFinding.has(m.i)) { attrs.id = `finding-${m.i}`; attrs.tabindex = "-1"; firstOfFinding.add(m.i); }
        node = el("mark", attrs, node);
      }
      div.append(node);
    }
    if (!line.length) div.append("\u00a0");
    nodes.push(div);
    lineStart = lineEnd + 1;
  }
  container.replaceChildren(...nodes);
}

function showPassages(references) {
  const list = $("passages");
  list.replaceChildren(...references.map((r) => el("li", { id: `ref-${r.number}`, tabindex: "-1", value: String(r.number) },
    el("p", { class: "ref" }, r.reference),
    r.text ? el("blockquote", {}, r.text) : el("p", { class: "none" }, "Not one of the retrieved passages."))));
  if (!references.length) list.replaceChildren(el("li", { class: "none" }, "The letter cites no passage."));
}

// ------------------------------------------------------------------ 6. export

function letterhead() {
  const result = {};
  for (const input of document.querySelectorAll("[data-letterhead]")) {
    const value = input.value.trim();
    if (value) result[input.dataset.letterhead] = value;
  }
  return result;
}

async function exportAs(kind, button) {
  const markdown = $("editor").value;
  if (!markdown.trim()) return say("export-msg", "The letter is empty.", "error");
  await busy(button, "Preparing…", async () => {
    try {
      const blob = await api(`/api/export/${kind}`, { markdown, letterhead: letterhead() }, { binary: true });
      const name = `letter-of-medical-necessity.${kind}`;
      download(blob, name);
      const checked = state.review && state.review.ok && !state.review.annotations.placeholders.length
        && state.reviewedText === markdown;
      say("export-msg", `Downloaded ${name}` + (checked ? "." : " — note: this text has not passed validation."),
        checked ? "ok" : "warn");
    } catch (err) {
      say("export-msg", err.message, "error");
    }
  });
}

async function copyText() {
  const text = $("editor").value;
  try {
    await navigator.clipboard.writeText(text);
  } catch (err) {
    const editor = $("editor");
    editor.select();
    if (!document.execCommand("copy")) return say("export-msg", "Copy failed: select the text and copy it by hand.", "error");
  }
  say("export-msg", "Copied the letter's text.", "ok");
}

// ------------------------------------------------------------------ start

async function start() {
  try {
    const health = await fetch("/api/health", { cache: "no-store" }).then((r) => r.json());
    $("engine").value = health.engine;
  } catch (err) { /* keep the default */ }
  $("analyze").addEventListener("click", analyze);
  $("letter-file").addEventListener("change", uploadLetter);
  $("case-file").addEventListener("change", loadCaseFile);
  $("save-case").addEventListener("click", saveCase);
  for (const button of document.querySelectorAll("[data-add]")) {
    button.addEventListener("click", () => addRow(button.dataset.add).querySelector("input, select").focus());
  }
  $("draft").addEventListener("click", draft);
  $("validate").addEventListener("click", validateAgain);
  $("editor").addEventListener("input", () => { $("stale").hidden = $("editor").value === state.reviewedText; });
  $("dl-docx").addEventListener("click", (e) => exportAs("docx", e.currentTarget));
  $("dl-pdf").addEventListener("click", (e) => exportAs("pdf", e.currentTarget));
  $("copy").addEventListener("click", copyText);
  addRow("diagnoses");
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", start);
