"""Robustness on natural inputs: every case drafted as written and under each realistic
rewording of its facts (``rewrite.VARIANTS``), offline, with a fixed seed.

For each case and variant it records what ``lmn draft --allow-gaps`` would exit with (0 ready,
3 gaps, 4 refused: the drafted letter failed its own validation, 2 the case file was refused,
1 a traceback), the validator's error codes with their case fields, the errors a draft with
gaps hides (they refuse the letter once the gaps are filled), gaps the rewording added, and
the verdicts (each criterion's and requirement's status) that differ from the case as
written. A refusal on any variant is a defect; a verdict that changes under an equivalent
variant is a defect.

Usage: python -m evals.variants.measure [--cases DIR ...] [--only VARIANT ...]
[--case NAME ...] [--out DIR] [--seed N] [--json]
(default cases: every folder of examples/ holding letter.txt and case.yaml; each --cases DIR
adds its subfolders, dated by their date.txt; ``--out`` writes each letter and results.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import traceback
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.casefile import parse_case
from pipeline.engines import get_engine
from pipeline.errors import GapsError, LmnError
from pipeline.fileio import load_yaml
from pipeline.ingest import ingest
from pipeline.models import CriterionVerdict, DenialLetter
from pipeline.pipeline import Pipeline

from .rewrite import VARIANTS, Variant

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATE = dt.date(2026, 12, 7)
AS_WRITTEN = "as-written"
CASES = Path(__file__).resolve().parent / "cases"
GROUPS = ("tuned", "heldout")


@dataclass
class Result:
    case: str
    variant: str
    equivalent: bool
    rc: int
    group: str = "tuned"
    errors: list[str] = field(default_factory=list)
    """'code field' of each validator error (refused when there are no gaps)."""
    hidden: list[str] = field(default_factory=list)
    """Errors of a draft with gaps: refused once the gaps are filled."""
    gaps: list[str] = field(default_factory=list)
    verdicts: list[str] = field(default_factory=list)
    flips: list[str] = field(default_factory=list)
    new_gaps: list[str] = field(default_factory=list)
    note: str = ""


def cases(folders: list[Path]) -> list[tuple[str, Path, dt.date]]:
    """(name, folder, date) of every case folder: examples/, the harness's own cases
    (``evals/variants/cases``) and each given set."""
    found = []
    for parent in [ROOT / "examples", CASES, *folders]:
        for d in sorted(p for p in parent.iterdir() if p.is_dir()):
            if (d / "letter.txt").is_file() and (d / "case.yaml").is_file():
                dated = d / "date.txt"
                day = (
                    dt.date.fromisoformat(dated.read_text().strip())
                    if dated.is_file()
                    else DEFAULT_DATE
                )
                found.append((f"{parent.name}/{d.name}", d, day))
    return found


def signature(verdicts: list[CriterionVerdict] | None) -> list[str]:
    """Each criterion's and requirement's status, one line per criterion."""
    lines = []
    for v in verdicts or []:
        parts = [
            f"{r.status}{'+conceded' if r.conceded else ''}{'+confirm' if r.confirm else ''}"
            f"{'+pending' if r.pending else ''}"
            for r in v.requirements
        ]
        flags = "".join(
            f"+{name}"
            for name in ("payer_met", "conceded", "alternative", "accepted")
            if getattr(v, name)
        )
        lines.append(f"{v.index}:{v.status}{flags}[{','.join(parts)}]")
    return lines


def draft_one(
    pipeline: Pipeline, letter: DenialLetter, raw: str, name: str, variant: str, day: dt.date
) -> tuple[Result, str]:
    """Draft one case text; the result and the letter's Markdown."""
    spec = next((v for v in VARIANTS if v.name == variant), None)
    result = Result(
        name,
        variant,
        spec.equivalent if spec else True,
        rc=0,
        group="heldout" if spec and spec.heldout else "tuned",
    )
    try:
        case = parse_case(raw, f"{name}:{variant}")
    except LmnError as exc:
        result.rc, result.note = exc.exit_code, str(exc)
        return result, ""
    try:
        outcome = pipeline.run(letter, case, today=day, allow_gaps=True, reject=False)
    except GapsError as exc:  # not with allow_gaps; kept for completeness
        result.rc, result.note = exc.exit_code, str(exc)
        return result, ""
    except LmnError as exc:
        result.rc, result.note = exc.exit_code, str(exc)
        return result, ""
    except Exception as exc:  # a traceback is what is measured
        result.rc = 1
        result.note = f"{type(exc).__name__}: {exc} @ {traceback.format_exc().splitlines()[-3]}"
        return result, ""
    draft = outcome.draft
    assert draft is not None
    report = draft.validation
    errors = [f"{f.code} {f.field or '-'}" for f in (report.errors if report else [])]
    result.gaps = [g.field for g in draft.gaps]
    if draft.gaps:  # an error on a field a gap names is that gap; the others are hidden
        named = {g.field for g in draft.gaps}
        result.rc = 3
        result.hidden = [
            e
            for f, e in zip(report.errors if report else [], errors, strict=True)
            if f.field not in named
        ]
    else:
        result.rc, result.errors = (4 if errors else 0), errors
    result.verdicts = signature(draft.verdicts)
    return result, draft.markdown


def compare(result: Result, base: Result) -> None:
    """The verdicts and gaps that differ from the case as written."""
    result.flips = [
        f"{b} -> {v}" for b, v in zip(base.verdicts, result.verdicts, strict=False) if b != v
    ]
    if len(base.verdicts) != len(result.verdicts):
        result.flips.append(f"{len(base.verdicts)} criteria -> {len(result.verdicts)}")
    before = Counter(base.gaps)
    result.new_gaps = sorted((Counter(result.gaps) - before).elements())


def dump(case: dict[str, Any]) -> str:
    return yaml.safe_dump(case, sort_keys=False, allow_unicode=True, width=100)


def run(
    folders: list[Path],
    *,
    only: set[str],
    names: set[str],
    groups: frozenset[str] = frozenset(GROUPS),
    seed: int,
    out: Path | None,
    progress: bool = True,
) -> list[Result]:
    pipeline = Pipeline(get_engine("offline"), k=6)
    results: list[Result] = []
    chosen: list[Variant] = [
        v
        for v in VARIANTS
        if (not only or v.name in only) and ("heldout" if v.heldout else "tuned") in groups
    ]
    for name, folder, day in cases(folders):
        if names and not any(n in name for n in names):
            continue
        letter = ingest(folder / "letter.txt")
        raw = (folder / "case.yaml").read_text(encoding="utf-8")
        data = load_yaml(raw)
        base, text = draft_one(pipeline, letter, raw, name, AS_WRITTEN, day)
        results.append(base)
        _write(out, name, AS_WRITTEN, text)
        for variant in chosen:
            rng = random.Random(f"{seed}:{name}:{variant.name}")
            rewritten = variant.rewrite(data, rng)
            if rewritten is None:
                continue
            result, text = draft_one(pipeline, letter, dump(rewritten), name, variant.name, day)
            compare(result, base)
            results.append(result)
            _write(out, name, variant.name, text, dump(rewritten))
            if progress:
                flag = "" if result.rc in (0, 3) and not result.flips else " <-"
                print(f"{name} {variant.name}: rc {result.rc}{flag}", file=sys.stderr)
    if out is not None:
        (out / "results.json").write_text(
            json.dumps([asdict(r) for r in results], indent=1), encoding="utf-8"
        )
    return results


def _write(out: Path | None, name: str, variant: str, letter: str, case: str = "") -> None:
    if out is None:
        return
    folder = out / name.replace("/", "__")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{variant}.md").write_text(letter, encoding="utf-8")
    if case:
        (folder / f"{variant}.yaml").write_text(case, encoding="utf-8")


def report(results: list[Result], *, details: frozenset[str] = frozenset(GROUPS)) -> str:
    """The figures of each group of variants (tuned, held out), then one line per defect of
    the groups in ``details`` (the held-out group's are not read while fixing)."""
    variants = [r for r in results if r.variant != AS_WRITTEN]
    base_refused = [r for r in results if r.variant == AS_WRITTEN and r.rc not in (0, 3)]
    lines = [
        f"cases {len(results) - len(variants)}, variants drafted {len(variants)}; "
        f"refusals on cases as written: {len(base_refused)}"
    ]
    for group in GROUPS:
        mine = [r for r in variants if r.group == group]
        if mine:
            lines += _figures(group, mine)
    shown = [r for r in variants if r.group in details]
    lines.append("")
    lines += _defects(base_refused, shown)
    return "\n".join(lines)


def _figures(group: str, variants: list[Result]) -> list[str]:
    equivalent = [r for r in variants if r.equivalent]
    return [
        f"[{group}] variants drafted {len(variants)}: "
        f"refusals (rc 4/1/2) {sum(r.rc not in (0, 3) for r in variants)}; "
        f"errors hidden by gaps {sum(bool(r.hidden) for r in variants)}; "
        f"verdict flips {sum(bool(r.flips) for r in equivalent)}; "
        f"new gaps {sum(bool(r.new_gaps) for r in equivalent)}"
    ]


def _defects(base_refused: list[Result], variants: list[Result]) -> list[str]:
    refused = [r for r in variants if r.rc not in (0, 3)]
    hidden = [r for r in variants if r.hidden]
    flips = [r for r in variants if r.equivalent and r.flips]
    new_gaps = [r for r in variants if r.equivalent and r.new_gaps]
    lines = []
    by_variant = Counter(r.variant for r in refused + flips)
    lines += [f"  {name}: {n}" for name, n in by_variant.most_common()]
    for r in base_refused + refused:
        lines.append(f"REFUSED rc {r.rc} {r.case} {r.variant}: {r.errors or r.note}")
    for r in hidden:
        lines.append(f"HIDDEN {r.case} {r.variant}: {r.hidden}")
    for r in flips:
        lines.append(f"FLIP {r.case} {r.variant}: {'; '.join(r.flips)}")
    for r in new_gaps:
        lines.append(f"NEWGAP {r.case} {r.variant}: {r.new_gaps}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.variants.measure")
    parser.add_argument("--cases", type=Path, action="append", default=[])
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--case", action="append", default=[])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--seed", type=int, default=34)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--group",
        choices=[*GROUPS, "all"],
        default="all",
        help="the variants drafted: tuned, heldout or all (default)",
    )
    parser.add_argument(
        "--figures-only",
        choices=GROUPS,
        action="append",
        default=[],
        help="print this group's figures but not its defects (a held-out group while fixing)",
    )
    args = parser.parse_args(argv)
    groups = frozenset(GROUPS) if args.group == "all" else frozenset({args.group})
    results = run(
        args.cases,
        only=set(args.only),
        names=set(args.case),
        groups=groups,
        seed=args.seed,
        out=args.out,
    )
    details = frozenset(GROUPS) - set(args.figures_only)
    print(
        json.dumps([asdict(r) for r in results]) if args.json else report(results, details=details)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
