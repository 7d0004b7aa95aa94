"""Letters as the signing physician reads them: length and the defects a physician strikes out,
over the bundled examples and this folder's own denial+case pairs (tuned and held-out apart).

Each letter is drafted offline with a fixed date and counted:

- words, with and without the References list (median and 90th percentile per slice);
- defects, by kind (see DEFECTS): claims no case fact supports (the validator's
  ``claim.unsupported``), mixed date styles, stock filler, cut-off table cells, repeated lines,
  the signing physician in the third person, an opening summary without a number, the denial
  quoted at length; adverse sentences (the letter arguing against its own patient: 'the
  record does not show it', a 'Not shown' or 'No' cell), quote fragments (our own summary
  quoted back, case sentences chained by semicolons), stock openers, a DRAFT banner and
  placeholders; machine phrasing a physician would not write ('The record shows',
  'per the case file', a case field's name outside a [MISSING: ...] gap); sentences of more
  than LONG_SENTENCE words (the plan's quoted words aside);
- guideline lines under criteria and how many say where the plan is stricter.

Usage: python -m evals.letters.measure [--slice tuned|heldout|examples|devset] [--out DIR]
[--devset DIR] [--json] (``--out`` writes each letter's Markdown there, to read it;
``--devset`` adds a folder of NAME/letter.txt + NAME/case.yaml pairs as the slice 'devset',
each dated by the folder's dates.txt when it has one).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipeline import letter_format as lf
from pipeline.casefile import load_case
from pipeline.evidence import QUOTE_LEAD
from pipeline.ingest import ingest
from pipeline.pipeline import Pipeline
from pipeline.text import split_sentences

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
TODAY = dt.date(2026, 12, 6)

FILLER = (
    "Treatments that answer a criterion are set out under it below",
    "documented: the record above",
    "The record shows otherwise",
    "This meets the standard set out by",
    "document why the requested service is medically necessary",
    "had to be gathered from several sources",
    "The denial states that",
)
"""Stock sentences that say nothing about this patient."""

_ISO_RE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_NUMERIC_DATE_RE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
_LONG_DATE_RE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December) \d{1,2}, \d{4}\b"
)
_QUOTE_RE = re.compile(r"“([^”]+)”")
MACHINE_PHRASES = (
    re.compile(r"\bThe record (?:shows|states)\b"),
    re.compile(r"\bper the (?:case file|record|chart)\b", re.IGNORECASE),
    re.compile(r"\b[a-z]+(?:_[a-z]+)+(?:\[\d+\])?(?:\.[a-z_]+)?\b"),  # a case field's name
)
"""Machine phrasing: a label for the record, a case field's name in the prose."""
ADVERSE = re.compile(
    r"does not show it|\b[Nn]ot shown\b|does not meet it|\bthe record does not\b|"
    r"not documented in|\| No \||\bwhich does not meet\b"
)
"""A sentence or cell of the physician's own letter arguing against the patient."""
QUOTE_FRAGMENT = re.compile(
    r"\b(?:summary|record|note) states “|^- [A-Z][^:\n]{2,40}: [^\n]*?; (?:on|since|in my|she|"
    r"he|her|his|after|when|despite|we|i|at|during|because)\b(?=[^;\n]{25,})",
    re.MULTILINE,
)
"""Our own summary quoted back as evidence; case sentences chained by semicolons after a label
('- Prior reactions: On ...; since ...; in my judgment ...'), not a finding's list of values
('Haller index 4.6; correction index 36%') nor the physician's own prose."""
STOCK_OPENERS = ("What your notice turns on is",)
LONG_SENTENCE = 40
"""A sentence longer than this many words is one a reader has to read twice."""


@dataclass
class Letter:
    name: str
    slice: str
    words: int
    body_words: int
    defects: Counter[str] = field(default_factory=Counter)
    guideline_lines: int = 0
    stricter: int = 0


def devset(folder: Path) -> list[tuple[str, str, Path]]:
    """(name, 'devset', folder) of each subfolder of ``folder`` holding a denial and a case."""
    return [
        (d.name, "devset", d)
        for d in sorted(folder.iterdir())
        if (d / "case.yaml").exists() and (d / "letter.txt").exists()
    ]


def _dated(folder: Path) -> dt.date:
    """The letter's date: the set's dates.txt line for it ('NAME 2026-12-06'), else TODAY."""
    dates = folder.parent / "dates.txt"
    if dates.exists():
        for line in dates.read_text().splitlines():
            name, _, when = line.partition(" ")
            if name == folder.name and when.strip():
                return dt.date.fromisoformat(when.strip())
    return TODAY


def pairs() -> list[tuple[str, str, Path]]:
    """(name, slice, folder) of every letter measured."""
    out = [
        (d.name, "examples", d)
        for d in sorted((ROOT / "examples").iterdir())
        if (d / "case.yaml").exists() and (d / "letter.txt").exists()
    ]
    split = yaml.safe_load((HERE / "split.yaml").read_text())
    for name in split["tuned"]:
        out.append((name, "tuned", HERE / "cases" / name))
    for name in split["heldout"]:
        out.append((name, "heldout", HERE / "cases" / name))
    return out


def _body(markdown: str) -> str:
    at = markdown.find(lf.heading(lf.REFERENCES))
    return markdown if at < 0 else markdown[:at]


def defects(markdown: str, physician: str | None, codes: list[str]) -> Counter[str]:
    """The defects of one letter by kind (see the module's docstring)."""
    body = _body(markdown)
    sections = lf.split_sections(body)
    found: Counter[str] = Counter()
    found["claim.unsupported"] = codes.count("claim.unsupported")
    styles = [bool(_ISO_RE.search(body)), bool(_NUMERIC_DATE_RE.search(body))]
    if _LONG_DATE_RE.search(body) and any(styles):
        found["mixed_dates"] = len(_ISO_RE.findall(body)) + len(_NUMERIC_DATE_RE.findall(body))
    found["filler"] = sum(body.count(f) for f in FILLER)
    found["cut_cell"] = sum(1 for line in body.splitlines() if line.startswith("|") and "…" in line)
    lines = [ln.strip("- ").strip() for ln in body.splitlines() if len(ln.strip()) >= 40]
    found["repeated_line"] = sum(n - 1 for n in Counter(lines).values() if n > 1)
    if physician:
        surname = physician.split()[-1]
        signed = {lf.SIGNATURE, lf.IDENTIFICATION}
        found["third_person"] = sum(
            len(re.findall(rf"\b(?:Dr\.? )?{re.escape(surname)}\b", text))
            for name, text in sections.items()
            if name not in signed
        )
    prose = lf.PLACEHOLDER_RE.sub(" ", "\n".join(
        text for name, text in sections.items() if name not in (lf.SIGNATURE, lf.ENCLOSURES)
    ))  # fmt: skip
    found["machine_phrase"] = sum(len(p.findall(prose)) for p in MACHINE_PHRASES)
    found["long_sentence"] = sum(
        1
        for line in prose.splitlines()
        if not line.startswith(("|", QUOTE_LEAD))  # a table row; the plan's own words
        for sentence in split_sentences(line)
        if len(sentence.split()) > LONG_SENTENCE
    )
    found["adverse"] = len(ADVERSE.findall(body))
    found["quote_fragment"] = len(QUOTE_FRAGMENT.findall(body))
    found["stock_opener"] = sum(body.count(o) for o in STOCK_OPENERS)
    found["draft_banner"] = int(lf.DRAFT_BANNER in body)
    found["placeholder"] = len(lf.PLACEHOLDER_RE.findall(body))
    opening = sections.get(lf.IDENTIFICATION, "").split("\n\n")[0]
    found["opening_without_numbers"] = int(not re.search(r"\d", opening))
    plan_quotes = {
        m.group(1) for ln in body.splitlines() if ln.startswith("The plan requires:")
        for m in _QUOTE_RE.finditer(ln)
    }  # fmt: skip
    found["denial_restated"] = sum(
        1 for q in _QUOTE_RE.findall(body) if q not in plan_quotes and len(q.split()) > 20
    )
    return +found


def measure(
    only: str | None = None, out: Path | None = None, extra: Path | None = None
) -> list[Letter]:
    pipe = Pipeline()
    letters = []
    for name, slice_, folder in pairs() + (devset(extra) if extra else []):
        if only and slice_ != only:
            continue
        case = load_case(folder / "case.yaml")
        outcome = pipe.run(
            ingest(folder / "letter.txt"), case, today=_dated(folder), allow_gaps=True, reject=False
        )
        draft = outcome.draft
        assert draft is not None
        md = draft.markdown
        codes = [f.code for f in (draft.validation.findings if draft.validation else [])]
        if out:
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{name}.md").write_text(md)
        criteria = lf.split_sections(_body(md)).get(lf.CRITERIA, "")
        guideline = [ln for ln in criteria.splitlines() if ln.startswith("Guideline (")]
        letters.append(
            Letter(
                name,
                slice_,
                len(md.split()),
                len(_body(md).split()),
                defects(md, case.physician.name, codes),
                len(guideline),
                sum(1 for ln in guideline if "stricter" in ln),
            )
        )
    return letters


def summary(letters: list[Letter]) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for slice_ in dict.fromkeys(x.slice for x in letters):
        group = [x for x in letters if x.slice == slice_]
        total: Counter[str] = Counter()
        for x in group:
            total.update(x.defects)
        out[slice_] = {
            "letters": len(group),
            "median_words": statistics.median(x.words for x in group),
            "p90_words": _p90([x.words for x in group]),
            "median_words_without_references": statistics.median(x.body_words for x in group),
            "defects_per_letter": round(sum(total.values()) / len(group), 2),
            "defects": dict(total.most_common()),
            "guideline_lines": sum(x.guideline_lines for x in group),
            "stricter_sentences": sum(x.stricter for x in group),
        }
    return out


def _p90(values: list[int]) -> float:
    """The 90th percentile (the largest value for fewer than ten)."""
    if len(values) < 10:
        return float(max(values))
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def main() -> None:
    args = sys.argv[1:]
    only = args[args.index("--slice") + 1] if "--slice" in args else None
    out = Path(args[args.index("--out") + 1]) if "--out" in args else None
    extra = Path(args[args.index("--devset") + 1]) if "--devset" in args else None
    letters = measure(only, out, extra)
    result = summary(letters)
    if "--json" in args:
        print(json.dumps(result, indent=2))
        return
    for x in letters:
        listed = ", ".join(f"{k} {v}" for k, v in x.defects.items()) or "none"
        print(f"{x.slice:9} {x.name:36} {x.words:5} words ({x.body_words} body)  {listed}")
    for slice_, figures in result.items():
        print(f"\n{slice_}: " + json.dumps(figures))


if __name__ == "__main__":
    main()
