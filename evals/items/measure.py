"""Figures for reading the items of a notice (``DenialAnalysis.items``) on the item suite
(``evals/items/<case>/letter.txt`` + ``key.yaml``, written by hand from the letter), tuned and
held-out slices apart: items found (matched by label, else by code), decisions, codes, the
criteria tied to each item (by the payer's labels) and its grounds; and, per notice, the open
items' codes that extraction puts in the request (``analysis.requested`` plus the open items)
against the approved ones it must leave out.

Usage: python -m evals.items.measure   (--json for machine-readable; --misses lists misses)
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from pipeline.extract import extract
from pipeline.ingest import ingest_text
from pipeline.models import DenialAnalysis, DenialItem

ROOT = Path(__file__).resolve().parent


def _key(label: object) -> str:
    text = str(label or "").strip()
    return str(int(text)) if text.isdigit() else text.upper()


def _span(period: str) -> tuple[str, ...]:
    """'11/16/2026 - 11/26/2026' -> ('11/16/2026', '11/26/2026'): a period's dates as written."""
    return tuple(re.findall(r"\d{1,2}/\d{1,2}/\d{2,4}", period))


def _match(want: dict[str, Any], got: list[DenialItem], used: set[int]) -> int | None:
    if want.get("days") is not None:  # a days table's row: by its dates
        return next(
            (
                i
                for i, item in enumerate(got)
                if i not in used and _span(item.period or "") == _span(want["period"])
            ),
            None,
        )
    for i, item in enumerate(got):
        if i in used:
            continue
        if want.get("label") is not None and _key(want["label"]) == _key(item.label):
            return i
    for i, item in enumerate(got):
        if i in used or want.get("label") is not None:
            continue
        if set(want.get("codes") or []) & set(item.codes):
            return i
    return None


def score(key: dict[str, Any], analysis: DenialAnalysis) -> tuple[Counter[str], list[str]]:
    tally: Counter[str] = Counter()
    misses: list[str] = []
    used: set[int] = set()
    labels = {i: c.label for i, c in enumerate(analysis.criteria)}
    for want in key["items"] if key.get("items_read", True) else []:
        name = want.get("label") or ",".join(want.get("codes") or [])
        tally["items"] += 1
        at = _match(want, analysis.items, used)
        if at is None:
            misses.append(f"item {name}: not read")
            continue
        used.add(at)
        got = analysis.items[at]
        tally["items_found"] += 1
        tally["decisions"] += 1
        decision = {"partial": "partial", "limit": "limit"}.get(want["decision"], want["decision"])
        if got.decision.value == decision:
            tally["decisions_right"] += 1
        else:
            misses.append(f"item {name}: decision {got.decision.value}, key {decision}")
        for code in want.get("codes") or []:
            tally["codes"] += 1
            tally["codes_found"] += code in got.codes
            if code not in got.codes:
                misses.append(f"item {name}: code {code} missed")
        if "criteria" in want:
            expected = {str(c) for c in want["criteria"]}
            read = {(labels.get(i) or "").strip("()") for i in got.criteria}
            expected = {c.strip("()") for c in expected}
            tally["criteria"] += len(expected)
            tally["criteria_found"] += len(expected & read)
            tally["criteria_read"] += len(read)
            if expected != read:
                misses.append(f"item {name}: criteria {sorted(read)}, key {sorted(expected)}")
        if "period" in want:
            tally["periods"] += 1
            tally["periods_right"] += _span(got.period or "") == _span(want["period"])
            if _span(got.period or "") != _span(want["period"]):
                misses.append(f"item {name}: period {got.period}, key {want['period']}")
        if want.get("days") is not None:
            tally["days"] += 1
            tally["days_right"] += got.quantity == want["days"] and got.span
            if not (got.quantity == want["days"] and got.span):
                misses.append(f"item {name}: days {got.quantity}, key {want['days']}")
        if "grounds" in want and want["decision"] != "approved":
            expected_g = set(want["grounds"])
            read_g = {g.value for g in got.grounds}
            tally["grounds"] += len(expected_g)
            tally["grounds_found"] += len(expected_g & read_g)
            if not expected_g <= read_g:
                misses.append(f"item {name}: grounds {sorted(read_g)}, key {sorted(expected_g)}")
    # the request extraction reads: its codes and the open items'
    asked = {s.code for s in analysis.requested} | {
        c for item in analysis.items if item.open for c in item.codes
    }
    approved_only = {
        c for w in key["items"] if w["decision"] == "approved" for c in w.get("codes") or []
    } - {c for w in key["items"] if w["decision"] != "approved" for c in w.get("codes") or []}
    for want in key["items"]:
        for code in want.get("codes") or []:
            if want["decision"] != "approved":
                tally["open_codes"] += 1
                tally["open_codes_asked"] += code in asked
    for code in key.get("revenue") or []:  # a stay's revenue codes, each in the request
        tally["revenue"] += 1
        tally["revenue_asked"] += code in {s.code for s in analysis.requested}
        if code not in {s.code for s in analysis.requested}:
            misses.append(f"revenue code {code} not requested")
    _units_asked(key, analysis, tally, misses)
    tally["approved_codes"] += len(approved_only)
    tally["approved_codes_asked"] += len(approved_only & {s.code for s in analysis.requested})
    return tally, misses


def _units_asked(
    key: dict[str, Any], analysis: DenialAnalysis, tally: Counter[str], misses: list[str]
) -> None:
    """Each open item's units the request asks for (``asked``: only what was denied, one
    request line a claim line) and the dates it asks them for (``asked_period``)."""
    lines = list(analysis.requested)
    for want in key["items"]:
        if want.get("asked") is None:
            continue
        code = (want.get("codes") or [""])[0]
        tally["units"] += 1
        hit = next((s for s in lines if s.code == code and s.units == want["asked"]), None)
        if hit is None:
            said = [s.units for s in lines if s.code == code]
            misses.append(f"item {code}: asks {said}, key {want['asked']}")
            continue
        lines.remove(hit)
        tally["units_right"] += 1
        if "asked_period" in want:
            tally["asked_periods"] += 1
            got = "-".join(f"{d:%m/%d/%Y}" for d in (hit.start, hit.end) if d)
            right = got == want["asked_period"]
            tally["asked_periods_right"] += right
            if not right:
                misses.append(
                    f"item {code}: asks for {got or 'no dates'}, key {want['asked_period']}"
                )


def _ratio(hit: int, total: int) -> str:
    return f"{hit / total:.2f} ({hit}/{total})" if total else "-"


def main(argv: list[str]) -> int:
    slices: dict[str, Counter[str]] = {"tuned": Counter(), "held_out": Counter()}
    report: dict[str, Any] = {}
    for folder in sorted(p for p in ROOT.iterdir() if (p / "key.yaml").exists()):
        key = yaml.safe_load((folder / "key.yaml").read_text(encoding="utf-8"))
        letter = ingest_text((folder / "letter.txt").read_text(encoding="utf-8"), folder.name)
        tally, misses = score(key, extract(letter))
        slices["held_out" if key.get("held_out") else "tuned"].update(tally)
        report[folder.name] = {"tally": dict(tally), "misses": misses}
    figures = {
        name: {
            "items": _ratio(t["items_found"], t["items"]),
            "decisions": _ratio(t["decisions_right"], t["decisions"]),
            "codes": _ratio(t["codes_found"], t["codes"]),
            "criteria recall": _ratio(t["criteria_found"], t["criteria"]),
            "criteria precision": _ratio(t["criteria_found"], t["criteria_read"]),
            "grounds": _ratio(t["grounds_found"], t["grounds"]),
            "periods": _ratio(t["periods_right"], t["periods"]),
            "days": _ratio(t["days_right"], t["days"]),
            "revenue codes asked": _ratio(t["revenue_asked"], t["revenue"]),
            "open codes asked": _ratio(t["open_codes_asked"], t["open_codes"]),
            "units asked (denied only)": _ratio(t["units_right"], t["units"]),
            "dates asked (denied only)": _ratio(t["asked_periods_right"], t["asked_periods"]),
            "approved-only codes asked": _ratio(t["approved_codes_asked"], t["approved_codes"]),
        }
        for name, t in slices.items()
    }
    if "--json" in argv:
        print(json.dumps({"figures": figures, "cases": report}, indent=2))
        return 0
    for name, rows in figures.items():
        print(f"[{name}]")
        for row, value in rows.items():
            print(f"  {row:28} {value}")
    if "--misses" in argv:
        for case, found in report.items():
            for miss in found["misses"]:
                print(f"{case}: {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
