"""Figures for the letter's route (who it goes to, which review it asks for, the deadline it
states) and its Request (exactly what was denied), on notices of every decision kind: an
Original Medicare prior-authorization non-affirmation (resubmitted, never appealed), a Part D
coverage determination (the Part D redetermination), an FEHB carrier's initial denial (the
carrier's reconsideration before OPM), a state-regulated plan (its independent review), a
missing-information window beside the appeal window, a notice naming an alternative service,
a multi-dose regimen.

Held-out cases (``evals/route/cases/<case>/``: letter.txt, case.yaml, date.txt, key.yaml) were
written before the changes they measure and are not read while fixing; the tuned keys
(``tuned.yaml``) are for the open dev set's cases (``--dev DIR``, default
/work/notes/devset18b). A key is a substring, or a regular expression after 're:'.
Fields: route_has/route_lacks (whole letter), addressee_has/addressee_lacks (the block above
'Re:'), deadline_lacks (whole letter), request_has/request_lacks (the Request section).

Usage: python -m evals.route.measure [--dev DIR] [--detail] [--only heldout|tuned]
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent
FIELDS = ("route", "addressee", "deadline", "request")


def holds(text: str, key: str) -> bool:
    if key.startswith("re:"):
        return re.search(key[3:], text) is not None
    return key in text


def draft(folder: Path) -> str:
    from pipeline.ingest import ingest_text
    from pipeline.models import CaseFacts
    from pipeline.pipeline import Pipeline

    case = CaseFacts.model_validate(yaml.safe_load((folder / "case.yaml").read_text()))
    date = folder / "date.txt"
    today = (
        dt.date.fromisoformat(date.read_text().strip()) if date.exists() else dt.date(2026, 12, 7)
    )
    outcome = Pipeline().run(
        ingest_text((folder / "letter.txt").read_text(), source="eval"), case,
        today=today, allow_gaps=True, reject=False,
    )  # fmt: skip
    assert outcome.draft is not None
    return outcome.draft.markdown


def score(md: str, key: dict[str, Any]) -> dict[str, list[tuple[str, bool]]]:
    from pipeline.letter_format import REQUEST, split_sections

    request = split_sections(md).get(REQUEST, "")
    head = md.split("\nRe:", 1)[0]
    where = {"route": md, "addressee": head, "deadline": md, "request": request}
    out: dict[str, list[tuple[str, bool]]] = {}
    for f in FIELDS:
        checks = [(f"has {k!r}", holds(where[f], k)) for k in key.get(f"{f}_has") or []]
        checks += [(f"lacks {k!r}", not holds(where[f], k)) for k in key.get(f"{f}_lacks") or []]
        out[f] = checks
    out["banner"] = [("no DRAFT banner", not md.lstrip().startswith("**DRAFT"))]
    return out


def cases(dev: Path, only: str | None) -> list[tuple[str, str, Path, dict[str, Any]]]:
    found = []
    if only in (None, "heldout"):
        for folder in sorted((ROOT / "cases").iterdir()):
            key = yaml.safe_load((folder / "key.yaml").read_text())
            found.append(("heldout", folder.name, folder, key))
    if only in (None, "tuned"):
        for name, key in yaml.safe_load((ROOT / "tuned.yaml").read_text()).items():
            if (dev / name / "letter.txt").exists():
                found.append(("tuned", name, dev / name, key))
    return found


def main(argv: list[str]) -> int:
    dev = Path(argv[argv.index("--dev") + 1]) if "--dev" in argv else Path("/work/notes/devset18b")
    only = argv[argv.index("--only") + 1] if "--only" in argv else None
    detail = "--detail" in argv
    totals: dict[str, dict[str, list[int]]] = {}
    for split, name, folder, key in cases(dev, only):
        try:
            result = score(draft(folder), key)
        except Exception as exc:  # a refusal or a crash scores nothing of the case
            print(f"  {split} {name}: FAILED {type(exc).__name__}: {exc}", file=sys.stderr)
            result = {f: [("drafted", False)] for f in (*FIELDS, "banner")}
        row = totals.setdefault(split, {f: [0, 0] for f in (*FIELDS, "banner", "cases")})
        right = True
        for f, checks in result.items():
            row[f][0] += sum(ok for _, ok in checks)
            row[f][1] += len(checks)
            right &= f == "banner" or all(ok for _, ok in checks)
            if detail and split == "tuned":  # held-out misses stay unread while fixing
                for what, ok in checks:
                    if not ok:
                        print(f"  {split} {name}: {f} {what}", file=sys.stderr)
        row["cases"][0] += right
        row["cases"][1] += 1
    print(f"{'slice':8} " + " ".join(f"{f:>10}" for f in (*FIELDS, "banner", "cases")))
    for split, row in totals.items():
        print(f"{split:8} " + " ".join(f"{m:>4}/{t:<5}" for m, t in row.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
