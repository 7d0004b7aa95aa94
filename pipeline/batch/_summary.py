"""A batch's summary: a CSV (one row per item) and a self-contained HTML page (no script, no
remote file) listing each item's status, the facts to fill and the appeal deadlines, soonest
first."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from ..fileio import write_atomic
from ._run import ITEMS_DIR, ItemResult

SUMMARY_CSV = "summary.csv"
SUMMARY_HTML = "summary.html"
CSV_COLUMNS = (
    "id",
    "status",
    "deadline",
    "days_left",
    "insurer",
    "claim_number",
    "gaps",
    "gaps_to_fill",
    "message",
    "letter",
    "case",
    "folder",
)
_STATUS_ORDER = {"failed": 0, "rejected": 1, "gaps": 2, "passed": 3}


@dataclass
class Table:
    """An extra section of the page (e.g. the remittance's claims not routed to an appeal)."""

    heading: str
    note: str
    columns: Sequence[str]
    rows: list[Sequence[str]] = field(default_factory=list)


def by_deadline(results: Sequence[ItemResult]) -> list[ItemResult]:
    """Deadlines soonest first (items without one last), then the worst status first."""
    return sorted(
        results,
        key=lambda r: (
            r.deadline is None,
            r.deadline or dt.date.max,
            _STATUS_ORDER[r.status],
            r.id,
        ),
    )


def days_left(result: ItemResult, today: dt.date) -> int | None:
    return None if result.deadline is None else (result.deadline - today).days


def summary_csv(results: Sequence[ItemResult], today: dt.date) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in by_deadline(results):
        left = days_left(r, today)
        writer.writerow(
            [
                r.id,
                r.status,
                r.deadline.isoformat() if r.deadline else "",
                "" if left is None else left,
                r.insurer or "",
                r.claim_number or "",
                len(r.gaps),
                "; ".join(g.field for g in r.gaps),
                r.message,
                r.letter or "",
                r.case or "",
                f"{ITEMS_DIR}/{r.id}",
            ]
        )
    return buffer.getvalue()


_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1b1b1b}
table{border-collapse:collapse;width:100%;margin-bottom:2em}
th,td{border:1px solid #ccc;padding:.35em .5em;text-align:left;vertical-align:top}
th{background:#f2f2f2}
.passed{color:#116329}.gaps{color:#8a5300}.rejected,.failed,.late{color:#b00020;font-weight:600}
.near{color:#b00020}
ul{margin:0;padding-left:1.2em}
.counts span{margin-right:1.5em}
"""


def summary_html(
    results: Sequence[ItemResult],
    today: dt.date,
    *,
    title: str = "lmn batch",
    tables: Sequence[Table] = (),
) -> str:
    counts = {s: sum(r.status == s for r in results) for s in _STATUS_ORDER}
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{len(results)} item(s), as of {today.isoformat()}. Deadlines soonest first.</p>",
        '<p class="counts">'
        + "".join(
            f'<span class="{s}">{s}: {counts[s]}</span>'
            for s in ("passed", "gaps", "rejected", "failed")
        )
        + "</p>",
    ]
    if results:
        parts += [
            "<table><thead><tr><th>item</th><th>status</th><th>deadline</th><th>payer / claim</th>"
            "<th>to fill or fix</th><th>files</th></tr></thead><tbody>",
            *(_row(r, today) for r in by_deadline(results)),
            "</tbody></table>",
        ]
    for table in tables:
        parts += [f"<h2>{escape(table.heading)}</h2>", f"<p>{escape(table.note)}</p>"]
        parts.append("<table><thead><tr>")
        parts += [f"<th>{escape(c)}</th>" for c in table.columns]
        parts.append("</tr></thead><tbody>")
        for row in table.rows:
            parts.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _row(r: ItemResult, today: dt.date) -> str:
    left = days_left(r, today)
    if r.deadline is None:
        deadline = "not stated"
    elif left is not None and left < 0:
        deadline = f'<span class="late">{r.deadline.isoformat()} (passed {-left} day(s) ago)</span>'
    else:
        near = ' class="near"' if left is not None and left <= 7 else ""
        deadline = f"<span{near}>{r.deadline.isoformat()} ({left} day(s) left)</span>"
    payer = " / ".join(escape(x) for x in (r.insurer, r.claim_number) if x) or "&ndash;"
    todo = [f"<li><b>{escape(g.field)}</b>: {escape(g.message)}</li>" for g in r.gaps]
    todo += [f"<li>{escape(f)}</li>" for f in r.findings]
    fix = f"{escape(r.message)}" + (f"<ul>{''.join(todo)}</ul>" if todo else "")
    base = f"{ITEMS_DIR}/{escape(r.id)}"
    files = " ".join(f'<a href="{base}/{escape(name)}">{escape(name)}</a>' for name in r.outputs)
    return (
        f'<tr><td>{escape(r.id)}</td><td class="{r.status}">{r.status}</td><td>{deadline}</td>'
        f"<td>{payer}</td><td>{fix}</td><td>{files or '&ndash;'}</td></tr>"
    )


def write_summary(
    out: Path,
    results: Sequence[ItemResult],
    today: dt.date,
    *,
    title: str = "lmn batch",
    tables: Sequence[Table] = (),
) -> tuple[Path, Path]:
    """Write summary.csv and summary.html into ``out`` (atomically; they are the batch's)."""
    csv_path, html_path = out / SUMMARY_CSV, out / SUMMARY_HTML
    write_atomic(csv_path, summary_csv(results, today))
    write_atomic(html_path, summary_html(results, today, title=title, tables=tables))
    return csv_path, html_path
