"""The labelled denials of ``group_families`` read end to end: per expectation, whether the
verdict and the evidence are the ones a physician gives; adverse statements beyond those the
letter may rightly make; gaps asked for alternatives not relied on; the required wording; and
garbled comparisons (a function word for a subject, a quote standing in for a value).

Usage: python -m evals.reasoning.measure_groups   (a table; --verbose for each miss)
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import defaultdict

from evals.reasoning.group_families import GROUP_FAMILIES, GroupFamily
from evals.reasoning.measure_letters import score, tally
from pipeline.draft import compose
from pipeline.engines import OfflineEngine
from pipeline.extract import extract
from pipeline.ingest import ingest_text
from pipeline.models import CaseFacts, CriterionGroup

ADVERSE_RE = re.compile(
    r"does not show it|which does not meet it|\| Not shown \||\| No \||\bnot shown\b"
)
GARBLED_RE = re.compile(
    r"The plan requires (?:(?:of|per|beyond|given|s|and|or|the)\b|[a-z]+ of of\b)"
    r"|The plan requires [^.;]*?(?:at least|at most) [\d.]+[^;]*; (?:my clinical summary states “"
    r"|the record states: )"
)
RECORDS = ("prior_treatments[", "objective_findings[", "clinical_summary[", "documents[")


def run(f: GroupFamily) -> dict[str, object]:
    analysis = extract(ingest_text(f.denial))
    if not analysis.groups and f.groups:
        groups = [CriterionGroup(members=m, at_least=k, text=t) for m, k, t in f.groups]
        analysis = analysis.model_copy(update={"groups": groups})
    case = CaseFacts.model_validate(f.case)
    draft = compose(f.denial, analysis, case, [], OfflineEngine(), today=_today(), allow_gaps=True)
    c: dict[str, int] = defaultdict(int)
    misses = score(draft.verdicts or [], f.expect, f, c)  # type: ignore[arg-type]
    md = draft.markdown
    adverse = len(ADVERSE_RE.findall(md))
    c["adverse"] = max(0, adverse - f.adverse_ok)
    c["gaps_unneeded"] = sum(
        1 for g in draft.gaps for n in f.unneeded if g.field.startswith(f"criteria[{n - 1}]")
    )
    c["must"] = len(f.must)
    c["must_met"] = sum(bool(re.search(p, md)) for p in f.must)
    c["must_not_hit"] = sum(bool(re.search(p, md)) for p in f.must_not)
    c["garbled"] = len(GARBLED_RE.findall(md))
    if c["adverse"]:
        misses.append(f"{adverse} adverse (allowed {f.adverse_ok})")
    return {"counts": dict(c), "misses": misses}


def _today() -> dt.date:
    return dt.date(2026, 11, 20)


def main() -> None:
    verbose = "--verbose" in sys.argv
    totals = tally(GROUP_FAMILIES, run, verbose)
    for split in ("tune", "heldout"):
        t = totals[split]
        p = t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else 1.0
        r = t["tp"] / (t["tp"] + t["fn"]) if t["tp"] + t["fn"] else 1.0
        print(
            f"{split:8} letters {t['families']:.0f}  verdicts right {t['right']:.0f} of "
            f"{t['right'] + t['wrong']:.0f}  evidence precision {p:.2f} recall {r:.2f}  "
            f"adverse beyond the right ones {t['adverse']:.0f}  gaps for unneeded alternatives "
            f"{t['gaps_unneeded']:.0f}  wording {t['must_met']:.0f} of {t['must']:.0f}  "
            f"forbidden wording {t['must_not_hit']:.0f}  garbled comparisons {t['garbled']:.0f}"
        )


if __name__ == "__main__":
    main()
