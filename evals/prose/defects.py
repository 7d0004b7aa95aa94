"""Count the sentences of a drafted letter a physician would not sign, by kind.

    python -m evals.prose.defects LETTER.md [--case case.yaml] ...
    python -m evals.prose.defects --dir /tmp/letters --cases evals/prose/cases

Each kind is a defect a blind reader named ("template-generated", "garbled sentences"):

- ``truncated_cell``: a summary-table cell that stops mid-phrase (a strict prefix of the
  criterion's text cut where no clause ends, or ending in a word that needs a complement);
- ``modal_label``: a label made from a fragment of the requirement text ending in a modal or an
  auxiliary ('disease activity must:', '(disease activity must)');
- ``label_soup``: the requirement-against-record line written as labels ('Required: ...;
  documented: ...: met.') or naming facts as 'X, above';
- ``repeated_qualifier``: one sentence saying the same four words twice ('within the last 12
  months, test, within the last 12 months');
- ``duplicated_fact``: one case fact (a finding's value, a treatment's dose and dates) stated in
  full in more than one place, or a '(stated above)' line listing a fact again;
- ``date_only_figure``: an opening figure that is a date standing for a value ('disease
  activity: November 10 (at most 90 days required)');
- ``generic_enclosure``: 'the records your reviewer did not have are enclosed' with no fact;
- ``raw_details``: the case's free-text details pasted as a 'Details:' paragraph;
- ``missing_with_field``: a [MISSING: ...] placeholder for a field the case file has;
- ``cut_requirement``: a comparison naming the requirement by a span cut mid-clause ('The plan
  requires the member has had a serious adverse reaction to an infusion that;'), running into
  the notice's next sentence or list item ('is not available. o No in-network;') or starting
  with a sentence's capital ('The plan requires A home ...');
- ``source_label``: the case's source written as a label inside a sentence ('the record shows
  clinical summary: “...”', 'enclosed record: ...') or a sentence pasted whole with its capital
  and period ('the record shows The plan of care was updated ...., which meets it');
- ``empty_title_value``: an enclosed document whose title names a score or test ('PHQ-9 score
  sheet') presented as holding a value the case never states ('PHQ-9 documented in ...' when
  the case has no PHQ-9 finding);
- ``met_block``: a criterion section that only says the notice found it met ('Your notice
  records this criterion as met; I do not argue it further.'), where two or more such criteria
  should share one sentence (each such section counts);
- ``template_seam``: a template's label standing alone ahead of a list of comparison sentences
  ('Against what the plan requires:'), where a physician writes the comparison as prose;
- ``repeated_enclosure``: an enclosed record's long title (five words or more) written out in
  the body more than once, where its number would do;
- ``unnamed_marker``: a [MISSING: ...] (or [CHECK: ...]) marker that names no case field to
  fill, or that calls an identifier the case gives but that fails its check digit 'missing';
- ``review_seam``: a template's stand-in where the physician says something: a table cell 'For
  your review', a dangling 'as above' / 'see above', a heading with nothing under it;
- ``unnumbered_criterion``: a criterion section the physician argues that refers to none of the
  enclosed records by number, in a letter that encloses records beyond the denial notice.

With a case's ``labels.yaml`` (which case facts bear on which criterion, and every fact the
case holds, by name), two more figures: ``facts_placed`` / ``facts_right`` (the labelled facts
a criterion section names, and how many of them bear on that criterion: facts-under-criterion
precision) and ``offtopic_facts`` (facts that bear on no criterion named in the letter outside
the clinical summary and the enclosures list).

The figures are counts per letter (``--json`` prints them whole); ``words`` is the letter's
length. The checker reads only the letter's text and, when given, the case file.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

KINDS = (
    "truncated_cell",
    "modal_label",
    "label_soup",
    "repeated_qualifier",
    "duplicated_fact",
    "date_only_figure",
    "generic_enclosure",
    "raw_details",
    "missing_with_field",
    "cut_requirement",
    "source_label",
    "empty_title_value",
    "met_block",
    "template_seam",
    "repeated_enclosure",
    "unnamed_marker",
    "review_seam",
    "unnumbered_criterion",
)
_DANGLING = frozenset(
    {
        "a", "an", "the", "of", "to", "by", "for", "with", "and", "or", "in", "on", "at", "from",
        "as", "that", "which", "who", "than", "per", "is", "are", "be", "have", "has", "had",
        "must", "should", "shall", "will", "may", "can", "including", "whom", "whose"
    }
)  # fmt: skip
_MODAL_LABEL_RE = re.compile(
    r"(?:^|[;:(]\s*|\s-\s)(?:[\w'-]+\s+){0,4}"
    r"(?:must|should|shall|will|may|can|is|are|be|been|has|have|had)\s*[:)](?=[\s;,.]|$)",
    re.IGNORECASE | re.MULTILINE,
)
"""A label of at most five words that ends on a modal ('disease activity must:'); a sentence
leading into a list ('The record shows that none can:') is not one."""
_LABEL_SOUP_RE = re.compile(r"\bRequired: .+?; documented: |, above(?=[:.,;])")
_DATE_ONLY_RE = re.compile(
    r": (?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December) \d{1,2}(?:, \d{4})? \((?:at most|within|no more than)[^)]*required\)"
)
_GENERIC_ENCLOSURE_RE = re.compile(
    r"records? (?:your|the) reviewer did not have (?:is|are) enclosed", re.IGNORECASE
)
_PLACEHOLDER_RE = re.compile(r"\[MISSING: ([^\]]*)\]")
_MARKER_RE = re.compile(r"\[(?:MISSING|CHECK): ([^\]]*)\]")
_MET_BLOCK_RE = re.compile(
    r"^[^\n]*(?:records|found|states) this criterion (?:as )?met[^\n]*$", re.M | re.IGNORECASE
)
_SEAM_RE = re.compile(r"^[A-Z][\w']*(?: [\w']+){0,4}:\n\n?- The plan requires ", re.M)
"""A label of at most five words ending in a colon with comparison sentences listed below it
('Against what the plan requires:'): reasoning set out as a form. Facts may be listed ('The
record shows:' ahead of the courses and findings); the comparison is written as prose."""
_CASE_PATH_RE = re.compile(
    r"\b(?:patient|physician|service|prior_treatments|objective_findings|documents|diagnoses|"
    r"clinical_summary|consequences_of_denial|urgency_reason|claim_reference|insurer|"
    r"conceded|citations)\b"
)
_REQUIRES_RE = re.compile(r"The plan requires (?P<what>[^;“]+?);")
_CUT_END = frozenset(
    {
        "a", "an", "the", "of", "to", "by", "for", "with", "and", "or", "in", "on", "at", "from",
        "as", "that", "which", "who", "whom", "whose", "than", "per", "including", "into",
    }
)  # fmt: skip
_SOURCE_LABEL_RE = re.compile(
    r"\b(?:shows|states:?|record states:)\s+(?:clinical summary|enclosed record|summary):\s"
    r"|\bshows (?:The|A|An) [a-z]|[a-z]\.,\s(?:which|the record)"
)
_SCORE_TITLE_RE = re.compile(
    r"\b(?P<name>[A-Z][A-Za-z]*-?\d*[A-Za-z0-9-]*)\s+(?:score\s+sheet|scores?|questionnaire|"
    r"results?|scale)\b"
)
_CITE_WORDS = frozenset({"cfr", "u.s.c", "usc", "c.f.r", "§"})
_WORD_RE = re.compile(r"[a-z0-9][a-z0-9'.%/-]*", re.IGNORECASE)
_STOP = frozenset(
    {"a", "an", "the", "of", "to", "and", "or", "in", "on", "at", "for", "with", "by", "is", "are"}
)  # fmt: skip
_FIELD_WORDS: tuple[tuple[str, str], ...] = (
    ("npi", "physician.npi"),
    ("date of birth", "patient.date_of_birth"),
    ("member id", "patient.member_id"),
    ("licence", "physician.license"),
    ("license", "physician.license"),
    ("phone", "physician.phone"),
    ("address", "physician.address"),
    ("consequences", "consequences_of_denial"),
    ("diagnos", "diagnoses"),
    ("cpt", "service.code"),
    ("hcpcs", "service.code"),
    ("service code", "service.code"),
    ("claim", "claim_reference"),
    ("insurer", "insurer"),
    ("credentials", "physician.credentials"),
    ("physician name", "physician.name"),
    ("patient name", "patient.name"),
)


def _sections(markdown: str) -> list[tuple[str, str]]:
    """(heading, body) for each '##'/'###' section."""
    parts = re.split(r"^(#{2,3} .+)$", markdown, flags=re.M)
    out = [("", parts[0])]
    out += [(parts[i].strip(), parts[i + 1]) for i in range(1, len(parts) - 1, 2)]
    return out


def _quotes(markdown: str) -> list[str]:
    return [" ".join(q.split()) for q in re.findall(r"“([^”]+)”", markdown)]


def truncated_cells(markdown: str) -> list[str]:
    """First cells of the summary table that stop mid-phrase."""
    out = []
    quotes = _quotes(markdown)
    in_table = False
    for line in markdown.splitlines():
        if line.startswith("| Plan requirement"):
            in_table = True
            continue
        if not line.startswith("|"):
            in_table = False
            continue
        if not in_table or line.startswith("|---"):
            continue
        cell = line.strip("|").split("|")[0].strip()
        cell = re.sub(r"^\d+\.\s*", "", cell)
        last = cell.rstrip(".").split()[-1].lower() if cell.split() else ""
        if last in _DANGLING:
            out.append(cell)
            continue
        for quote in quotes:
            if quote.startswith(cell) and len(quote) > len(cell):
                following = quote[len(cell) :]
                # a clause's end, or the notice's own sub-item letter or heading break
                if not re.match(
                    r"^(?:[,;.:(]|\s[—–(-]|\s*$|\s[a-z]\.\s|\s(?:The|A|An)\s)", following
                ):
                    out.append(cell)
                break
    return out


def repeated_qualifiers(markdown: str) -> list[str]:
    """Sentences (a line of prose, a bullet) that say the same four words twice."""
    out = []
    for line in markdown.splitlines():
        if line.startswith("|") or line.startswith("#") or re.match(r"^\d+\. ", line):
            continue  # tables, headings, enclosures and references list like things
        line = re.sub(r"“[^”]*”", " ", line)  # the plan's own words, quoted, are not ours
        for sentence in re.split(r"(?<=[.])\s+(?=[A-Z])|;\s+", line):
            words = [w.lower().strip(".,;:") for w in _WORD_RE.findall(sentence)]
            grams = Counter(
                tuple(words[i : i + 4])
                for i in range(len(words) - 3)
                if not set(words[i : i + 4]) <= _STOP
                # a rule cited by paragraph ('29 CFR 2560.503-1(h)(2)(iv) ... (h)(3)(ii)') is
                # the law's numbering, not a qualifier said twice
                and not any(w in _CITE_WORDS for w in words[i : i + 4])
            )
            repeated = [g for g, n in grams.items() if n > 1]
            if repeated:
                out.append(" ".join(repeated[0]))
    return out


def _fmt_day(value: Any) -> str:
    if hasattr(value, "strftime"):
        return f"{value:%B} {value.day}, {value.year}"
    return str(value or "")


def duplicated_facts(markdown: str, case: dict[str, Any] | None) -> list[str]:
    """Facts stated in full twice: a finding's name and value, a treatment's name with its dose
    or start date, on more than one line; and each '(stated above)' listing."""
    out = [m.group(0) for m in re.finditer(r"[^\n]*\(stated above\)", markdown)]
    if not case:
        return out
    body = markdown.split("\n## Signature")[0]
    lines = [x for x in body.splitlines() if x.strip()]
    for f in case.get("objective_findings") or []:
        name, value = str(f.get("name", "")), str(f.get("value", ""))
        if len(value) < 2:
            continue
        head = value.split(";")[0].split(" (")[0][:40]
        hits = [x for x in lines if name in x and head in x]
        if len(hits) > 1:
            out.append(f"{name}: {head}")
    for t in case.get("prior_treatments") or []:
        name = str(t.get("name", "")).split(" (")[0]
        marks = [m for m in (str(t.get("dose") or ""), _fmt_day(t.get("start"))) if len(m) > 1]
        if not name or not marks:
            continue
        hits = [x for x in lines if name in x and any(m in x for m in marks)]
        if len(hits) > 1:
            out.append(name)
    return out


def _has(case: dict[str, Any], path: str) -> bool:
    node: Any = case
    for part in path.split("."):
        if not isinstance(node, dict) or not node.get(part):
            return False
        node = node[part]
    return True


def missing_with_field(markdown: str, case: dict[str, Any] | None) -> list[str]:
    """Placeholders for a field the case file has (a value the letter should have used)."""
    if not case:
        return []
    out = []
    for m in _PLACEHOLDER_RE.finditer(markdown):
        what = m.group(1).lower()
        if "valid" in what:  # the case has it but it is wrong: a real gap
            continue
        for word, path in _FIELD_WORDS:
            if word in what and _has(case, path):
                out.append(m.group(0))
                break
    return out


def cut_requirements(markdown: str) -> list[str]:
    """Comparison sentences whose requirement is a span cut mid-clause or run into the next
    sentence."""
    out = []
    for m in _REQUIRES_RE.finditer(markdown):
        what = m.group("what").strip()
        words = what.split()
        if not words:
            continue
        if (
            words[-1].lower() in _CUT_END
            or re.search(r"[a-z0-9)]\.\s+(?:o\s+)?[A-Z]", what)
            or re.match(r"(?:that\s+)?(?:A|An|The)\s+[a-z]", what)
        ):
            out.append(what)
    return out


def empty_title_values(markdown: str, case: dict[str, Any] | None) -> list[str]:
    """Scores or tests named by an enclosed document's title ('PHQ-9 score sheet') that the
    letter presents as documented (or as a finding) while the case states no value for them."""
    if not case:
        return []
    known = " ".join(
        f"{f.get('name', '')} {f.get('value', '')}" for f in case.get("objective_findings") or []
    )
    known += " " + str(case.get("clinical_summary") or "")
    for t in case.get("prior_treatments") or []:
        known += f" {t.get('outcome', '')} {t.get('outcome_measure', '')}"
    out = []
    for doc in case.get("documents") or []:
        title = str(doc.get("title", ""))
        for m in _SCORE_TITLE_RE.finditer(title):
            name = m.group("name")
            if len(name) < 3 or name.lower() in known.lower():
                continue  # the case states the score itself
            said = re.search(
                rf"\b{re.escape(name)}\b(?! score sheet| scores? sheet)[^.\n]{{0,60}}"
                r"\b(?:is|are) documented\b|\b(?:documents|shows|records)\s+(?:the\s+)?"
                rf"{re.escape(name)}\b(?! score sheet)",
                markdown,
            )
            if said:
                out.append(name)
    return out


def met_blocks(markdown: str) -> list[str]:
    """Criterion sections whose only answer is that the notice found the criterion met, when
    there are two or more (they belong in one sentence together)."""
    blocks = [
        heading
        for heading, body in _sections(markdown)
        if heading.startswith("### Criterion") and _MET_BLOCK_RE.search(body)
    ]
    return blocks if len(blocks) > 1 else []


def template_seams(markdown: str) -> list[str]:
    """Label paragraphs ('Against what the plan requires:') standing ahead of a list."""
    body = markdown.split("\n## Signature")[0]
    return [m.group(0).split(":")[0] for m in _SEAM_RE.finditer(body)]


def repeated_enclosures(markdown: str) -> list[str]:
    """Enclosures whose long title the body writes out more than once."""
    body, _, tail = markdown.partition("\n## Enclosures")
    titles = re.findall(r"^\d+\. (.+?)(?:, [A-Z][a-z]+ \d{1,2}, \d{4}.*)?\.?$", tail, re.M)
    out = []
    for title in titles:
        head = title.split(": ")[0].split(" (")[0].strip()
        if len(head.split()) >= 5 and body.count(head) > 1:
            out.append(head)
    return out


def unnamed_markers(markdown: str) -> list[str]:
    """Markers that name no case field, and an identifier failing its check called missing."""
    out = []
    for m in _MARKER_RE.finditer(markdown):
        what = m.group(1)
        if not _CASE_PATH_RE.search(what) or re.search(r"\bvalid\b", what):
            out.append(m.group(0))
    return list(dict.fromkeys(out))


_REVIEW_SEAM_RE = re.compile(
    r"\|\s*For your review\s*\||\b(?:as|see) (?:set out |stated |noted )?above\s*[.;)]",
    re.IGNORECASE,
)
_EMPTY_HEADING_RE = re.compile(r"^(#{2,3}) .+\n+(?=(#{2,3}) |\Z)", re.M)


def review_seams(markdown: str) -> list[str]:
    """'For your review' cells, dangling 'as above' back-references and empty headings."""
    out = [m.group(0).strip("| ") for m in _REVIEW_SEAM_RE.finditer(markdown)]
    return out + [
        m.group(0).strip()
        for m in _EMPTY_HEADING_RE.finditer(markdown)
        if m.group(2) is None or len(m.group(2)) <= len(m.group(1))  # not a subsection next
    ]


def _argued_sections(markdown: str) -> list[tuple[str, str]]:
    """The criterion sections that argue the criterion (not a met-by-notice or not-relied-on
    line)."""
    return [
        (heading, body)
        for heading, body in _sections(markdown)
        if heading.startswith("### Criterion")
        and not _MET_BLOCK_RE.search(body)
        and "Not relied on" not in body
        and ("From my records" in body or "the record shows" in body.lower())
    ]


def unnumbered_criteria(markdown: str) -> list[str]:
    """Argued criterion sections naming no enclosure by number, where the summary table says an
    enclosure documents the criterion."""
    enclosed = set(re.findall(r"^\|[^|\n]*\| Criterion (\S+?); Enclosure", markdown, re.M))
    return [
        heading
        for heading, body in _argued_sections(markdown)
        if heading.split(" — ")[0].removeprefix("### Criterion ") in enclosed
        and not re.search(r"\bEnclosures? \d", body)
    ]


def _answer_text(body: str) -> str:
    """A criterion section without its quote of the plan and its guideline paragraphs."""
    paragraphs = [
        p
        for p in body.split("\n\n")
        if not p.startswith("The plan requires: “") and not re.search(r"\[\d+(?:, \d+)*\]", p)
    ]
    return "\n\n".join(paragraphs).lower()


def fact_placement(markdown: str, labels: dict[str, Any]) -> tuple[int, int]:
    """(facts named under a criterion, of them those labelled as bearing on that criterion)."""
    facts = [str(f) for f in labels.get("facts", [])]
    bearing = {str(k): [str(f).lower() for f in v] for k, v in labels.get("criteria", {}).items()}
    placed = right = 0
    for heading, body in _sections(markdown):
        m = re.match(r"### Criterion \(?([^\s)]+)", heading)
        if m is None:
            continue
        text = _answer_text(body)
        for fact in facts:
            if fact.lower() in text:
                placed += 1
                right += fact.lower() in bearing.get(m.group(1), [])
    return placed, right


def offtopic_facts(markdown: str, labels: dict[str, Any]) -> list[str]:
    """Facts bearing on no criterion that the letter names outside the clinical summary and the
    enclosures list."""
    used = {str(f).lower() for v in labels.get("criteria", {}).values() for f in v}
    kept = [
        body
        for heading, body in _sections(markdown)
        if heading not in ("## Clinical summary", "## Enclosures", "## References")
    ]
    text = "\n".join(kept).lower()
    return [
        str(f)
        for f in labels.get("facts", [])
        if str(f).lower() not in used and str(f).lower() in text
    ]


def count(markdown: str, case: dict[str, Any] | None = None) -> dict[str, int]:
    """The defects of one letter by kind, and its length in words."""
    prose = "\n".join(x for x in markdown.splitlines() if not re.match(r"^\d+\. .*\(ref: ", x))
    found = {
        "truncated_cell": len(truncated_cells(markdown)),
        "modal_label": len(_MODAL_LABEL_RE.findall(prose)),
        "label_soup": len(_LABEL_SOUP_RE.findall(prose)),
        "repeated_qualifier": len(repeated_qualifiers(prose)),
        "duplicated_fact": len(duplicated_facts(markdown, case)),
        "date_only_figure": len(_DATE_ONLY_RE.findall(prose)),
        "generic_enclosure": len(_GENERIC_ENCLOSURE_RE.findall(prose)),
        "raw_details": len(re.findall(r"^Details: ", markdown, flags=re.M)),
        "missing_with_field": len(missing_with_field(markdown, case)),
        "cut_requirement": len(cut_requirements(prose)),
        "source_label": len(_SOURCE_LABEL_RE.findall(prose)),
        "empty_title_value": len(empty_title_values(markdown, case)),
        "met_block": len(met_blocks(markdown)),
        "template_seam": len(template_seams(markdown)),
        "repeated_enclosure": len(repeated_enclosures(markdown)),
        "unnamed_marker": len(unnamed_markers(markdown)),
        "review_seam": len(review_seams(markdown)),
        "unnumbered_criterion": len(unnumbered_criteria(markdown)),
    }
    found["total"] = sum(found[k] for k in KINDS)
    found["words"] = len(markdown.split())
    return found


def _case_dir(letter: Path, roots: list[Path]) -> Path | None:
    slug = letter.stem.removeprefix("syn-")
    # a letter may carry its set's prefix ('d7-<slug>.md', 'ho-<slug>.md')
    slugs = [slug, slug.split("-", 1)[-1]]
    for root, name in ((r, n) for r in roots for n in slugs):
        if (root / name / "case.yaml").is_file():
            return root / name
    return None


def _yaml(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else None


def _case_for(letter: Path, roots: list[Path]) -> dict[str, Any] | None:
    found = _case_dir(letter, roots)
    return _yaml(found / "case.yaml") if found else None


def score(letter: Path, roots: list[Path]) -> dict[str, int]:
    """:func:`count` of one letter file, with the labelled figures when its case has labels."""
    markdown = letter.read_text(encoding="utf-8")
    found = _case_dir(letter, roots)
    row = count(markdown, _yaml(found / "case.yaml") if found else None)
    labels = _yaml(found / "labels.yaml") if found else None
    if labels:
        row["facts_placed"], row["facts_right"] = fact_placement(markdown, labels)
        row["offtopic_facts"] = len(offtopic_facts(markdown, labels))
    return row


_LABELLED = ("facts_placed", "facts_right", "offtopic_facts")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("letters", nargs="*", type=Path)
    parser.add_argument("--dir", type=Path, help="every *.md in this folder")
    parser.add_argument(
        "--cases", type=Path, action="append", default=[],
        help="folder of <slug>/case.yaml (repeatable); a letter <slug>.md reads its case",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    letters = list(args.letters) + (sorted(args.dir.glob("*.md")) if args.dir else [])
    if not letters:
        print("defects: give letters or --dir", file=sys.stderr)
        return 2
    rows = {p.stem: score(p, args.cases) for p in letters}
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    head = ["letter", *KINDS, "total", "words", *_LABELLED]
    print("\t".join(head))
    for name, row in rows.items():
        print("\t".join([name, *(str(row.get(k, "")) for k in head[1:])]))
    totals = [sum(r.get(k, 0) for r in rows.values()) for k in [*KINDS, "total"]]
    words = statistics.median(r["words"] for r in rows.values())
    labelled = [sum(r.get(k, 0) for r in rows.values()) for k in _LABELLED]
    print("\t".join(["TOTAL", *map(str, totals), f"median {words:g}", *map(str, labelled)]))
    if labelled[0]:
        print(f"facts-under-criterion precision {labelled[1]}/{labelled[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
