// The advocate's page: plain DOM, no libraries. Text from the user or the server is only ever
// inserted as text nodes (never as HTML). Nothing is stored: the draft lives in this page.
"use strict";

const MAX_BYTES = 2 * 1024 * 1024;
const MAX_UPLOAD_BYTES = 20 * 1024 * 1024; // a faxed or scanned letter; the server reads text to 2 MB
const $ = (id) => document.getElementById(id);

const state = {
  draft: null,      // last /api/draft "draft" (sent back to validate)
  review: null,     // last review shown
  reviewedText: "", // the text the review view shows
  startedCase: "",  // the case file started from the denial (YAML with notes)
  caseRest: {},     // case-file keys the form does not show (kept and sent back)
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
  if (raw && body.size > MAX_UPLOAD_BYTES) throw new ApiError(tooLarge(body));
  if (!raw && new Blob([payload]).size > MAX_BYTES) {
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
  return $("engine").value || null;
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
  return file.size > MAX_UPLOAD_BYTES
    ? `${file.name} is larger than 20 MB: upload only the denial letter's pages (scanned at 300 dpi in black and white)`
    : "";
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
    const how = result.ocr ? " from the scan (OCR): check names, ids, dates and codes against the paper" : "";
    const warnings = result.warnings.length ? " " + result.warnings.join(" ") : "";
    const note = { text: `Read ${file.name}${pages}${how}.${warnings}`, kind: warnings ? "warn" : "ok" };
    say("letter-msg", note.text, note.kind);
    // The analysis keeps this note (what OCR read poorly must stay in view), adding its own.
    await analyze(note);
  } catch (err) {
    say("letter-msg", err.message, "error");
  } finally {
    $("letter-file").value = "";
  }
}

// `note`: what reading the uploaded file said ({text, kind}), kept in front of the analysis's
// own message (a click passes an Event instead: no note).
async function analyze(note) {
  const before = note && note.text ? note.text + " " : "";
  const letter = $("letter").value;
  if (!letter.trim()) return say("letter-msg", "Paste the denial letter's text or upload it first.", "error");
  await busy($("analyze"), "Analyzing…", async () => {
    try {
      const result = await api("/api/analyze", { letter, engine: engineName() });
      showAnalysis(result);
      const n = result.analysis.criteria.length;
      const analyzed = `Analyzed: ${n} ${n === 1 ? "criterion" : "criteria"} cited.`;
      say("letter-msg", before + analyzed, before ? note.kind : "ok");
    } catch (err) {
      say("letter-msg", before + err.message, "error");
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
      a.peer_to_peer_offered ? "The denial offers a peer-to-peer review"
        : "The denial does not mention a peer-to-peer review")));
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
  const alternatives = a.preferred_alternatives || [];
  $("alternatives").replaceChildren(...alternatives.map((name) => el("li", {}, name)));
  $("alternatives-box").hidden = !alternatives.length;
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
  citations: {
    title: "Source",
    fields: [
      { key: "issuing_body", label: "Issuing body", wide: true },
      { key: "year", label: "Year or version" },
      { key: "title", label: "Title", full: true },
      { key: "recommendation", label: "What it recommends (your words)", full: true },
      { key: "section", label: "Section (optional)" },
      { key: "url", label: "Web address (optional)", type: "url", wide: true },
      { key: "quote", label: "Exact quotation (optional)", full: true },
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
    grid.append(el("div", { class: f.full ? "full" : f.wide ? "wide" : null }, el("label", { for: id }, f.label), input));
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
  return { ...state.caseRest, ...caseFacts };
}

// Case-file keys the form has no control for (e.g. documents, conceded) are kept as loaded and
// sent back with the form's facts: nothing the advocate gave is lost.
const FORM_KEYS = new Set(["patient", "claim_reference", "insurer", "physician", "diagnoses", "service",
  "clinical_summary", "prior_treatments", "objective_findings", "consequences_of_denial", "urgency",
  "urgency_reason", "citations"]);

function fillCase(caseFacts) {
  state.caseRest = Object.fromEntries(Object.entries(caseFacts).filter(([k]) => !FORM_KEYS.has(k)));
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

async function startCase() {
  const letter = $("letter").value;
  if (!letter.trim()) {
    say("case-msg", "Paste or upload the denial letter first (step 1).", "error");
    return $("letter").focus();
  }
  await busy($("start-case"), "Reading the denial…", async () => {
    try {
      const result = await api("/api/case/init", { letter, engine: engineName() });
      fillCase(result.case);
      state.startedCase = result.yaml;
      const todo = markEmpty();
      showGuide(result.criteria);
      say("case-msg", `Filled in what the denial says (check it). ${todo} empty field${todo === 1 ? "" : "s"} ` +
        "are marked TODO: fill them from the physician's records.", "ok");
    } catch (err) {
      say("case-msg", err.message, "error");
    }
  });
}

// Mark each empty field of the form; the mark goes when the field is filled.
function markEmpty() {
  let n = 0;
  for (const input of document.querySelectorAll("#case-form [data-field]")) {
    if (input.tagName === "SELECT" || input.value.trim()) continue;
    input.classList.add("todo");
    input.setAttribute("placeholder", "TODO");
    n++;
  }
  return n;
}

function showGuide(criteria) {
  $("guide-list").replaceChildren(...criteria.map((c) => el("li", {},
    el("p", { class: "guide-head" }, c.heading),
    el("p", { class: "source" }, `“${c.text}”`),
    c.payer_reason ? el("p", { class: "source" }, `The payer wrote: ${c.payer_reason}`) : null,
    el("ul", {}, c.notes.map((note) => el("li", {}, note))))));
  if (!criteria.length) $("guide-list").replaceChildren(el("li", { class: "none" }, "No criterion was read in the letter: document what answers its reason."));
  $("case-guide").hidden = false;
}

function downloadStartedCase() {
  if (!state.startedCase) return;
  download(new Blob([state.startedCase], { type: "text/yaml" }), "case.yaml");
  say("case-msg", "Saved case.yaml (with the notes) to your downloads.", "ok");
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
  return el("ul", { class: "gaplist" }, gaps.map((g) => el("li", {}, fieldLink(g.field), " — ", g.message)));
}

// ------------------------------------------------------------------ links to the form

// The form control that a case-file path names: "physician.npi", "prior_treatments[2].dose",
// "diagnoses" (the list's add button), "criteria[1]" (the criterion's row in the gap map).
function fieldElement(path) {
  if (!path) return null;
  path = path.split(/[\s(]/)[0]; // "objective_findings (a AHI result)" -> "objective_findings"
  let m = /^(diagnoses|prior_treatments|objective_findings|citations)(?:\[(\d+)\](?:\.(\w+))?)?$/.exec(path);
  if (m) {
    const add = document.querySelector(`[data-add="${m[1]}"]`);
    const row = m[2] === undefined ? null : $(`list-${m[1]}`).children[Number(m[2])];
    if (!row) return add;
    return (m[3] && row.querySelector(`[data-key="${m[3]}"]`)) || row.querySelector("input, select");
  }
  m = /^criteria\[(\d+)\]$/.exec(path);
  if (m) return $(`gap-row-${Number(m[1]) + 1}`);
  const exact = document.querySelector(`#case-form [data-field="${CSS.escape(path)}"]`);
  return exact || document.querySelector(`#case-form [data-field^="${CSS.escape(path)}."]`);
}

function goToField(path) {
  const target = fieldElement(path);
  if (!target) return;
  target.scrollIntoView({ block: "center" });
  target.focus();
  target.classList.add("flash");
  setTimeout(() => target.classList.remove("flash"), 2500);
}

function fieldLabel(path) {
  const target = fieldElement(path);
  if (target && target.labels && target.labels.length) {
    const legend = target.closest("fieldset.item")?.querySelector("legend")?.textContent;
    const label = target.labels[0].textContent;
    return legend ? `${legend}: ${label}` : label;
  }
  return path;
}

function fieldLink(path, text) {
  if (!path) return el("span", {}, text || "");
  return el("button", { type: "button", class: "link field-link", "data-path": path,
    title: "Go to the form field that fixes it", onclick: () => goToField(path) },
  el("code", {}, text || fieldLabel(path)));
}

function showGapMap(map) {
  const body = $("gap-table").tBodies[0];
  body.replaceChildren(...map.rows.map((row) => el("tr", { class: row.missing.length ? "has-gap" : "met", id: `gap-row-${row.number}`, tabindex: "-1" },
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
      const ready = result.review.status.ready;
      say("draft-msg", gaps ? `Drafted with ${gaps} missing fact${gaps === 1 ? "" : "s"}: see the gap map.`
        : result.review.ok ? `Drafted; the letter passed validation${ready ? " and is ready to sign" : ", but see what still weakens it"}.`
          : "Drafted, but the letter was rejected: see why below.", gaps || !ready ? "warn" : "ok");
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
      say("validate-msg", result.status.ready ? "Checked: ready for the physician to sign."
        : "Checked: see what still blocks or weakens it above.", result.status.ready ? "ok" : "warn");
    } catch (err) {
      say("validate-msg", err.message, "error");
    }
  });
}

function statusKind(review) {
  if (review.status.ready) return "ok";
  if (review.annotations.placeholders.length) return "draft";
  return review.status.issues.some((i) => i.kind === "blocks") ? "bad" : "draft";
}

function showIssues(issues) {
  $("issues").replaceChildren(...issues.map((issue) => el("li", { class: issue.kind },
    el("span", { class: "sev " + (issue.kind === "blocks" ? "error" : "warning") },
      issue.kind === "blocks" ? "blocks" : "weakens"), " ",
    issue.what,
    issue.field ? [" ", fieldLink(issue.field, "Fix it: " + fieldLabel(issue.field))] : null,
    !issue.field && issue.section ? el("span", { class: "source" }, `In the letter's "${issue.section}" section: edit the text.`) : null)));
}

function showReview(markdown, review) {
  state.review = review;
  state.reviewedText = markdown;
  const status = $("status");
  status.className = "status " + statusKind(review);
  status.textContent = review.status.headline;
  showIssues(review.status.issues);
  $("p2p-status").textContent = review.status.peer_to_peer
    ? `Peer-to-peer: the letter offers the reviewer ${review.status.peer_to_peer}.`
    : "Peer-to-peer: the letter offers no peer-to-peer call.";
  showFindings(review.report.findings);
  renderLetter($("review"), markdown, review);
  showPassages(review.annotations.references);
  $("stale").hidden = true;
}

function showFindings(findings) {
  const list = $("findings");
  list.replaceChildren(...findings.map((f, i) => {
    const label = [el("span", { class: "sev " + f.severity }, f.severity), " ", el("code", {}, f.code), " ", f.message];
    const fix = [f.fix ? el("span", { class: "fix" }, " ", f.fix) : null,
      f.field ? [" ", fieldLink(f.field, "Fix it: " + fieldLabel(f.field))] : null];
    if (!f.span) return el("li", {}, ...label, ...fix);
    return el("li", {}, el("button", {
      type: "button", class: "link", title: "Show it in the letter and select it in the editor",
      onclick: () => showFinding(i, f.span),
    }, ...label), ...fix);
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

// The letter rendered as it will read (headings, tables, lists, bold), with the validator's
// findings, citations and [MISSING] fields marked at their offsets. Offsets from the server
// count code points; Array.from splits a string the same way. Markdown syntax characters are
// not shown; every other character is, in its block.
function renderLetter(container, markdown, review) {
  const chars = Array.from(markdown);
  const marks = [];
  review.report.findings.forEach((f, i) => {
    if (f.span) marks.push({ start: f.span[0], end: Math.max(f.span[1], f.span[0] + 1), kind: "finding", i, f });
  });
  const refs = new Map(review.annotations.references.map((r) => [r.number, r]));
  for (const c of review.annotations.citations) marks.push({ ...c, kind: "cite" });
  for (const p of review.annotations.placeholders) marks.push({ ...p, kind: "missing" });
  const firstOfFinding = new Set();

  // Text of [a, b) with "**" pairs as bold, "\|" as "|", and the marks applied.
  function inline(a, b) {
    const hidden = [], bold = [];
    const text = chars.slice(a, b).join("");
    const stars = [];
    for (let k = a; k < b - 1; k++) {
      if (chars[k] === "*" && chars[k + 1] === "*") { stars.push(k); k++; }
      else if (chars[k] === "\\" && chars[k + 1] === "|") hidden.push([k, k + 1]);
    }
    for (let k = 0; k + 1 < stars.length; k += 2) {
      hidden.push([stars[k], stars[k] + 2], [stars[k + 1], stars[k + 1] + 2]);
      bold.push([stars[k] + 2, stars[k + 1]]);
    }
    const here = marks.filter((m) => m.start < b && m.end > a);
    const points = new Set([a, b]);
    for (const [x, y] of [...hidden, ...bold, ...here.map((m) => [m.start, m.end])]) {
      points.add(Math.max(x, a));
      points.add(Math.min(y, b));
    }
    const sorted = [...points].sort((x, y) => x - y);
    const out = [];
    for (let k = 0; k + 1 < sorted.length; k++) {
      const x = sorted[k], y = sorted[k + 1];
      if (hidden.some(([h0, h1]) => h0 <= x && h1 >= y)) continue;
      let node = document.createTextNode(chars.slice(x, y).join(""));
      if (bold.some(([b0, b1]) => b0 <= x && b1 >= y)) node = el("strong", {}, node);
      for (const m of here.filter((m) => m.start <= x && m.end >= y)) {
        if (m.kind === "missing") node = el("span", { class: "missing" }, node);
        else if (m.kind === "cite") {
          node = el("a", {
            class: "cite" + (refs.get(m.numbers[0]) ? "" : " unresolved"), href: `#ref-${m.numbers[0]}`,
            title: m.numbers.map((n) => (refs.get(n) ? `[${n}] ${refs.get(n).reference}` : `[${n}] not in the references`)).join("\n"),
          }, node);
        }
      }
      for (const m of here.filter((m) => m.kind === "finding" && m.start <= x && m.end >= y)) {
        const attrs = { class: "finding " + m.f.severity, title: `${m.f.code}: ${m.f.message}` };
        if (!firstOfFinding.has(m.i)) { attrs.id = `finding-${m.i}`; attrs.tabindex = "-1"; firstOfFinding.add(m.i); }
        node = el("mark", attrs, node);
      }
      out.push(node);
    }
    return out.length || !text ? out : [text];
  }

  // Lines with their offsets.
  const lines = [];
  let offset = 0;
  for (const line of markdown.split("\n")) {
    const length = Array.from(line).length;
    lines.push({ text: line, start: offset, end: offset + length });
    offset += length + 1;
  }
  const nodes = [];
  let k = 0;
  while (k < lines.length) {
    const line = lines[k];
    const heading = /^(#{1,3}) /.exec(line.text);
    if (heading) {
      const level = heading[1].length;
      nodes.push(el("div", { class: `ln h${level}`, role: "heading", "aria-level": String(level + 3) },
        inline(line.start + level + 1, line.end)));
      k++;
    } else if (/^\s*\|/.test(line.text)) {
      const table = el("table", { class: "letter-table" });
      const block = [];
      while (k < lines.length && /^\s*\|/.test(lines[k].text)) block.push(lines[k++]);
      // Rows above the |---| separator are the header; an empty header is left out.
      const sep = block.findIndex((row) => /^\s*\|(\s*:?-+:?\s*\|)+\s*$/.test(row.text));
      block.forEach((row, r) => {
        if (r === sep || (r < sep && !/[^\s|]/.test(row.text))) return;
        const first = r < sep;
        const tr = el("tr");
        const rowChars = Array.from(row.text);
        const bars = [];
        rowChars.forEach((c, j) => { if (c === "|" && rowChars[j - 1] !== "\\") bars.push(row.start + j); });
        for (let j = 0; j + 1 < bars.length; j++) {
          let a = bars[j] + 1, b = bars[j + 1];
          while (a < b && chars[a] === " ") a++;
          while (b > a && chars[b - 1] === " ") b--;
          tr.append(el(first ? "th" : "td", {}, inline(a, b)));
        }
        table.append(tr);
      });
      nodes.push(table);
    } else if (/^\s*[-*+] /.test(line.text)) {
      const list = el("ul", { class: "letter-list" });
      while (k < lines.length && /^\s*[-*+] /.test(lines[k].text)) {
        const item = lines[k++];
        const lead = /^\s*[-*+] /.exec(item.text)[0].length;
        list.append(el("li", {}, inline(item.start + lead, item.end)));
      }
      nodes.push(list);
    } else if (!line.text.trim()) {
      nodes.push(el("div", { class: "ln blank" }, "\u00a0"));
      k++;
    } else {
      const banner = /^\*\*DRAFT/.test(line.text);
      nodes.push(el("div", { class: banner ? "ln banner" : "ln" }, inline(line.start, line.end)));
      k++;
    }
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
      const checked = state.review && state.reviewedText === markdown;
      const ready = checked && state.review.status.ready;
      say("export-msg", `Downloaded ${name}` + (ready ? "."
        : checked ? " — note: it is not ready to sign (see the status above)."
          : " — note: this text has not been checked since it was edited."), ready ? "ok" : "warn");
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
    const engine = $("engine");
    if (![...engine.options].some((o) => o.value === health.engine)) {
      engine.append(el("option", { value: health.engine }, `The ${health.engine} engine`));
    }
    engine.value = health.engine;
  } catch (err) { /* keep the default */ }
  $("analyze").addEventListener("click", analyze);
  $("start-case").addEventListener("click", startCase);
  $("dl-case").addEventListener("click", downloadStartedCase);
  document.addEventListener("input", (e) => {
    if (e.target.classList && e.target.classList.contains("todo") && e.target.value.trim()) {
      e.target.classList.remove("todo");
      e.target.removeAttribute("placeholder");
    }
  });
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
