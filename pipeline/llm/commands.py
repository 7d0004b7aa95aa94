"""``lmn log``: the recent model calls from the run log (no content unless it was stored)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer

from .. import runlog
from ..cli_common import FormatOpt, TextOrJson

COLUMNS = ("at", "prompt", "model", "attempt", "tokens", "ms", "outcome")


def log_command(
    limit: Annotated[int, typer.Option("-n", "--limit", min=1, max=10000)] = 20,
    fmt: FormatOpt = TextOrJson.text,
) -> None:
    """List recent model calls: prompt id and version, model, tokens, latency, outcome."""
    path = runlog.runlog_path()
    calls = runlog.recent(limit, path)
    if fmt is TextOrJson.json:
        typer.echo(json.dumps([asdict(c) for c in calls], indent=2))
        return
    if not calls:
        where = "turned off (LMN_RUNLOG=off)" if path is None else f"empty ({path})"
        typer.echo(f"lmn: no model calls logged: the run log is {where}", err=True)
        return
    typer.echo(" ".join(f"{c:<{w}}" for c, w in zip(COLUMNS, _WIDTHS, strict=True)).rstrip())
    for c in calls:
        tokens = "-" if c.tokens_in is None else f"{c.tokens_in}/{c.tokens_out or 0}"
        attempt = f"{c.attempt}" + (f"+r{c.reask}" if c.reask else "")
        error = f"  {c.error}" if c.error and c.outcome != "ok" else ""
        cells = (
            c.at[:19].replace("T", " "),
            f"{c.prompt_id} v{c.prompt_version}@{c.prompt_sha256[:8]}",
            c.model[-24:],
            attempt,
            tokens,
            str(c.latency_ms),
            c.outcome,
        )
        row = " ".join(f"{v:<{w}}" for v, w in zip(cells, _WIDTHS, strict=True))
        typer.echo(f"{row.rstrip()}{error}")


_WIDTHS = (19, 34, 24, 7, 11, 7, 16)
