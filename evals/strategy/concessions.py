"""A labelled set for concessions (issue 17, strategy round 26): a denial in one of the layouts
payers use for their findings (MET/NOT MET sub-bullets, a table with a Met?/Status column, prose
'the documentation supports criterion 1', 'Criterion met' labels, alternatives 'at least one of
the following') and a case that concedes criteria, some of which the plan marked met or the
record meets. The key names the criteria an exception may be asked for: those actually open
(the record does not meet them and the plan did not call them met), and not an alternative the
letter does not need. Each case is a folder: letter.txt, case.yaml, key.yaml (split, the
criteria scored, the exceptions). The held-out cases were written before the change and not
looked at while tuning.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).parent / "concessions"
TODAY = dt.date(2026, 12, 6)

_AGAINST_RE = re.compile(
    r"\bmeets? \d+ of (?:the )?\d+\b|\bdoes not meet\b|\bnot met\b|\bfails? to meet\b",
    re.IGNORECASE,
)
"""An opening that argues against the physician: a count of criteria met out of all, or a
criterion said not met."""


@dataclass
class ConcessionCase:
    name: str
    split: str
    letter: str
    case: dict
    criteria: list[int]
    exceptions: set[int]


def cases() -> list[ConcessionCase]:
    out = []
    for folder in sorted(p for p in HERE.iterdir() if p.is_dir()):
        key = yaml.safe_load((folder / "key.yaml").read_text())
        out.append(
            ConcessionCase(
                folder.name,
                key["split"],
                (folder / "letter.txt").read_text(),
                yaml.safe_load((folder / "case.yaml").read_text()),
                list(key["criteria"]),
                set(key.get("exceptions") or []),
            )
        )
    return out


def asked(markdown: str, n: int, names: list[str] | None = None) -> bool:
    """The letter asks for an exception for criterion ``n``: in the opening, in the summary
    table's row for it, or in its own section."""
    from pipeline.letter_format import CRITERIA, IDENTIFICATION, split_sections

    sections = split_sections(markdown)
    opening = sections.get(IDENTIFICATION, "").split("\n\n")[0]
    name = re.escape(names[n - 1] if names else str(n))  # the payer's label, else the number
    said = re.search(r"I do not dispute (criteri(?:on|a) [\w.(), ]+?) and ask", opening)
    if said and re.search(rf"(?:^|[ ,]){name}(?=$|[ ,])", said.group(1).split(" ", 1)[1]):
        return True
    for row in sections.get(IDENTIFICATION, "").splitlines():
        cells = [c.strip() for c in row.strip("|").split("|")]
        if (
            len(cells) == 3
            and re.match(rf"Criterion {name}(?![\w.])", cells[1])
            and "exception" in cells[2]
        ):
            return True
    body = sections.get(CRITERIA, "")
    parts = re.split(r"^### ", body, flags=re.MULTILINE)
    own = next((p for p in parts if re.match(rf"Criterion {name}(?![\w.])", p)), "")
    return bool(re.search(r"\bexception\b", own))


def score(cc: ConcessionCase) -> dict[str, float]:
    from pipeline.draft import compose
    from pipeline.engines import OfflineEngine
    from pipeline.extract import extract
    from pipeline.ingest import ingest_text
    from pipeline.letter_format import IDENTIFICATION, criterion_names, split_sections
    from pipeline.models import CaseFacts

    analysis = extract(ingest_text(cc.letter, source="eval"), OfflineEngine())
    case = CaseFacts.model_validate(cc.case)
    draft = compose(cc.letter, analysis, case, [], OfflineEngine(), today=TODAY, allow_gaps=True)
    out = {"criteria": 0.0, "right": 0.0, "wrong_asks": 0.0, "missed_asks": 0.0, "against": 0.0}
    for n in cc.criteria:
        got, want = asked(draft.markdown, n, criterion_names(analysis.criteria)), n in cc.exceptions
        out["criteria"] += 1
        out["right"] += got == want
        out["wrong_asks"] += got and not want
        out["missed_asks"] += want and not got
    opening = split_sections(draft.markdown).get(IDENTIFICATION, "").split("\n\n")[0]
    out["against"] += bool(_AGAINST_RE.search(opening))
    return out
