"""Compare two finished runs: the delta of every scorer and the cases whose scores changed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import InputError
from .runner import RUNS_DIR, SUMMARY_FILE, CaseResult, load_results

EPSILON = 1e-9


def resolve_run(name: str | Path, runs_dir: Path = RUNS_DIR) -> Path:
    """A run folder given as a path, or as a run id under ``evals/runs/``."""
    path = Path(name).expanduser()
    if not path.is_dir() and (runs_dir / str(name)).is_dir():
        path = runs_dir / str(name)
    if not path.is_dir():
        raise InputError(f"{name}: no such run folder")
    if not (path / SUMMARY_FILE).is_file():
        raise InputError(
            f"{name}: the run is unfinished (no {SUMMARY_FILE}); finish it with "
            f"lmn eval run --resume {path}"
        )
    return path


def _summary(path: Path) -> dict[str, Any]:
    try:
        return json.loads((path / SUMMARY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise InputError(f"{path / SUMMARY_FILE}: unreadable") from None


def _direction(delta: float, higher_is_better: bool) -> str:
    if abs(delta) <= EPSILON:
        return "same"
    return "better" if (delta > 0) == higher_is_better else "worse"


def compare(run_a: Path, run_b: Path) -> dict[str, Any]:
    """Per-scorer deltas (B minus A) and per-case changes of the scorers that have a pass mark."""
    sa, sb = _summary(run_a), _summary(run_b)
    scorers: list[dict[str, Any]] = []
    for name in dict.fromkeys([*sa["scorers"], *sb["scorers"]]):
        ma, mb = sa["scorers"].get(name, {}), sb["scorers"].get(name, {})
        meta = mb or ma
        a, b = ma.get("value"), mb.get("value")
        delta = None if a is None or b is None else round(b - a, 4)
        scorers.append(
            {
                "scorer": name,
                "title": meta["title"],
                "a": a,
                "b": b,
                "delta": delta,
                "change": "n/a" if delta is None else _direction(delta, meta["higher_is_better"]),
            }
        )
    ra = {r.id: r for r in load_results(run_a)}
    rb = {r.id: r for r in load_results(run_b)}
    changed = [
        change
        for case_id in ra.keys() & rb.keys()
        for change in _case_changes(ra[case_id], rb[case_id], sb["scorers"])
    ]
    changed.sort(key=lambda c: (c["change"] != "worse", c["case"], c["scorer"]))
    return {
        "a": {"run": sa["run_id"], "engine": sa["engine"], "prompt": sa.get("prompt")},
        "b": {"run": sb["run_id"], "engine": sb["engine"], "prompt": sb.get("prompt")},
        "scorers": scorers,
        "changed_cases": changed,
        "only_in_a": sorted(ra.keys() - rb.keys()),
        "only_in_b": sorted(rb.keys() - ra.keys()),
    }


def _case_changes(a: CaseResult, b: CaseResult, meta: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if a.failed != b.failed:
        out.append(
            {
                "case": a.id,
                "scorer": "error",
                "a": a.output.error,
                "b": b.output.error,
                "change": "worse" if b.failed else "better",
                "why": b.output.error or "no error",
            }
        )
    for name, m in meta.items():
        if m.get("pass_mark") is None:
            continue  # latency, length, cost: reported in the deltas, too noisy per case
        sa, sb = a.scores.get(name), b.scores.get(name)
        va = sa.value if sa else None
        vb = sb.value if sb else None
        if va is None or vb is None or abs(va - vb) <= EPSILON:
            continue
        out.append(
            {
                "case": a.id,
                "scorer": name,
                "a": va,
                "b": vb,
                "change": _direction(vb - va, m["higher_is_better"]),
                "why": sb.explanation if sb else "",
            }
        )
    return out


def render_text(result: dict[str, Any]) -> str:
    """The comparison as aligned text for the terminal."""
    a, b = result["a"], result["b"]
    lines = [
        f"A: {a['run']} ({a['engine']}{', ' + a['prompt'] if a['prompt'] else ''})",
        f"B: {b['run']} ({b['engine']}{', ' + b['prompt'] if b['prompt'] else ''})",
        "",
        f"{'scorer':<24} {'A':>10} {'B':>10} {'B-A':>10}  change",
    ]
    for s in result["scorers"]:
        lines.append(
            f"{s['scorer']:<24} {_num(s['a']):>10} {_num(s['b']):>10} "
            f"{_num(s['delta'], signed=True):>10}  {s['change']}"
        )
    changed = result["changed_cases"]
    lines += ["", f"cases that changed: {len(changed)}"]
    for c in changed:
        lines.append(
            f"  {c['change']:<6} {c['case']}  {c['scorer']}: {_num(c['a'])} -> {_num(c['b'])}"
            f"  ({c['why']})"
        )
    for key in ("only_in_a", "only_in_b"):
        if result[key]:
            lines.append(f"{key.replace('_', ' ')}: {', '.join(result[key])}")
    return "\n".join(lines)


def _num(value: Any, signed: bool = False) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:+.3f}" if signed else f"{value:.3f}"
    return str(value)
