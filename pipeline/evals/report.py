"""report.md and a self-contained report.html (inline SVG charts, no external resources).

Both show the run's settings, every scorer's headline figure, extraction per field, the
confusion matrix of primary categories, validator findings by code and the failures: each
case that errored or scored worse than a scorer's pass mark, with the scorer's explanation.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..fileio import write_atomic
from .scorers.base import failing

if TYPE_CHECKING:
    from .runner import CaseResult

SETTINGS = (
    "suite",
    "engine",
    "model",
    "prompt",
    "judge",
    "k",
    "date",
    "cases",
    "errors",
    "wall_seconds",
    "index_seconds",
)


def failures(summary: dict[str, Any], results: list[CaseResult]) -> list[tuple[str, str, str]]:
    """(case id, scorer or 'error', explanation) for every failure, in case order."""
    found: list[tuple[str, str, str]] = []
    for r in results:
        if r.output.error:
            found.append((r.id, "error", r.output.error))
        for name, meta in summary["scorers"].items():
            score = r.scores.get(name)
            if failing(score, meta.get("pass_mark"), meta["higher_is_better"]) and score:
                found.append((r.id, name, score.explanation))
    return found


def fmt(value: Any, unit: str = "ratio") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}" if unit in ("ratio", "seconds", "count") else f"{value:.0f}"
    return str(value)


def _categories(matrix: dict[str, dict[str, int]]) -> tuple[list[str], list[str]]:
    rows = sorted(matrix)
    cols = sorted({c for row in matrix.values() for c in row} | set(rows))
    return rows, cols


# --------------------------------------------------------------------------- tables

Table = tuple[str, list[str], list[list[Any]]]
"""(heading, column names, rows)"""


def tables(summary: dict[str, Any], results: list[CaseResult]) -> dict[str, Table]:
    """The report's tables by key, shared by the Markdown and the HTML report."""
    scorers = summary["scorers"].values()
    out: dict[str, Table] = {
        "settings": (
            "Settings",
            ["setting", "value"],
            [[k, fmt(summary.get(k))] for k in SETTINGS],
        ),
        "scores": (
            "Scores per scorer",
            ["scorer", "value", "cases", "better"],
            [
                [
                    m["title"],
                    fmt(m.get("value"), m["unit"]),
                    m.get("n", 0),
                    "higher" if m["higher_is_better"] else "lower",
                ]
                for m in scorers
            ],
        ),
    }
    if summary["field_recall"]:
        out["fields"] = (
            "Extraction per field",
            ["field", "precision", "recall"],
            [
                [f, fmt(summary["field_precision"].get(f)), fmt(r)]
                for f, r in summary["field_recall"].items()
            ],
        )
    if matrix := summary["confusion_matrix"]:
        rows, cols = _categories(matrix)
        out["confusion"] = (
            "Primary category: expected (rows) × predicted (columns)",
            ["expected \\ predicted", *cols],
            [[r, *(matrix[r].get(c, "") for c in cols)] for r in rows],
        )
    if summary["findings_by_code"]:
        out["findings"] = (
            "Validator findings by code",
            ["code", "count"],
            [list(item) for item in summary["findings_by_code"].items()],
        )
    found = failures(summary, results)
    out["failures"] = (
        f"Failures ({len(found)})",
        ["case", "scorer", "why"],
        [list(f) for f in found],
    )
    return out


def _md_table(header: list[str], rows: list[list[Any]]) -> str:
    def cell(v: Any) -> str:
        return str(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def render_markdown(summary: dict[str, Any], results: list[CaseResult]) -> str:
    parts = [f"# Eval run {summary['run_id']}"]
    for heading, header, rows in tables(summary, results).values():
        parts += [f"## {heading}", _md_table(header, rows) if rows else "None."]
    return "\n\n".join(parts) + "\n"


# --------------------------------------------------------------------------- HTML

_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;
max-width:1100px;padding:0 1rem;color:#1d232b}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d7dce2}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #d7dce2;
padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f1f3f6}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.fail td:first-child{white-space:nowrap}svg text{font:12px system-ui,sans-serif}
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _bar(t: float) -> str:
    """Colour from red (0) to green (1)."""
    t = max(0.0, min(1.0, t))
    return f"hsl({int(120 * t)},55%,45%)"


def svg_scores(scorers: dict[str, dict[str, Any]]) -> str:
    """Horizontal bars for every 0-1 scorer (lower-is-better counts are left to the table)."""
    items = [
        (m["title"], m["value"])
        for m in scorers.values()
        if m["unit"] == "ratio" and m.get("value") is not None
    ]
    if not items:
        return "<p>No ratio scores.</p>"
    label_w, bar_w, row_h = 420, 360, 26
    height = row_h * len(items) + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 70}" '
        f'height="{height}" role="img" aria-label="Scores per scorer">'
    ]
    for i, (title, value) in enumerate(items):
        y = 5 + i * row_h
        w = bar_w * value
        out.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{_e(title)}</text>')
        out.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="18" fill="#eef0f3"/>')
        out.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="18" fill="{_bar(value)}">'
            f"<title>{_e(title)}: {value:.3f}</title></rect>"
        )
        out.append(f'<text x="{label_w + bar_w + 6}" y="{y + 16}">{value:.3f}</text>')
    out.append("</svg>")
    return "".join(out)


def svg_confusion(matrix: dict[str, dict[str, int]]) -> str:
    """Expected (rows) × predicted (columns) grid; the diagonal is right."""
    if not matrix:
        return "<p>No case states a denial category.</p>"
    rows, cols = _categories(matrix)
    cell, left, top = 44, 260, 200
    peak = max(n for row in matrix.values() for n in row.values())
    width, height = left + cell * len(cols) + 10, top + cell * len(rows) + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'role="img" aria-label="Confusion matrix of primary categories">'
    ]
    for j, col in enumerate(cols):
        x = left + j * cell + cell / 2
        out.append(f'<text transform="translate({x + 4},{top - 6}) rotate(-55)">{_e(col)}</text>')
    for i, row in enumerate(rows):
        y = top + i * cell
        out.append(
            f'<text x="{left - 8}" y="{y + cell / 2 + 4}" text-anchor="end">{_e(row)}</text>'
        )
        for j, col in enumerate(cols):
            n = matrix[row].get(col, 0)
            shade = 0.15 + 0.85 * n / peak if n else 0.0
            hue = 130 if row == col else 5
            fill = f"hsla({hue},60%,45%,{shade:.2f})" if n else "#f6f7f9"
            x = left + j * cell
            out.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}">'
                f"<title>expected {_e(row)}, predicted {_e(col)}: {n}</title></rect>"
            )
            if n:
                out.append(
                    f'<text x="{x + cell / 2 - 1}" y="{y + cell / 2 + 4}" '
                    f'text-anchor="middle">{n}</text>'
                )
    out.append("</svg>")
    return "".join(out)


def _html_table(header: list[str], rows: list[list[Any]], cls: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{_e(v)}</td>'
            if isinstance(v, int | float)
            or (isinstance(v, str) and v.replace(".", "", 1).lstrip("$").isdigit())
            else f"<td>{_e(v)}</td>"
            for v in row
        )
        + "</tr>"
        for row in rows
    )
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def render_html(summary: dict[str, Any], results: list[CaseResult]) -> str:
    charts = {
        "scores": svg_scores(summary["scorers"]),
        "confusion": svg_confusion(summary["confusion_matrix"]),
    }
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Eval run {_e(summary['run_id'])}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Eval run {_e(summary['run_id'])}</h1>",
    ]
    for key, (heading, header, rows) in tables(summary, results).items():
        parts.append(f"<h2>{_e(heading)}</h2>")
        parts.append(charts.get(key, ""))
        parts.append(_html_table(header, rows, key) if rows else "<p>None.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_reports(run_dir: Path, summary: dict[str, Any], results: list[CaseResult]) -> None:
    write_atomic(run_dir / "report.md", render_markdown(summary, results))
    write_atomic(run_dir / "report.html", render_html(summary, results))
