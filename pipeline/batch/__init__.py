"""Billing teams at volume: `lmn batch` over a folder or a manifest, and remittance intake.

- ``_items``: the items of a folder of letters with case files, or of a CSV/JSONL manifest;
- ``_run``: the worker pool, one Pipeline per worker, resume from each item's result, the
  model-call rate limit;
- ``_summary``: summary.csv and the self-contained summary.html;
- ``_remittance``: an X12 835's denied claim lines (read by pyx12), routed by their adjustment
  codes (``adjustment_codes.yaml``) to the appeal queue, each claim's case file started.

A front end like the web app and the evals: it calls :class:`pipeline.pipeline.Pipeline` and
never the stages.
"""

from __future__ import annotations

from ._items import BatchItem, ManifestRow, load_items
from ._remittance import (
    Claim,
    ClaimLine,
    DeniedLine,
    Intake,
    Remittance,
    adjustment_codes,
    claim_notice,
    intake_835,
    read_835,
    route_lines,
)
from ._run import (
    BatchRun,
    BatchSettings,
    GapRow,
    ItemResult,
    RateLimited,
    SharedClock,
    draft_item,
    finished_results,
    prepare_output,
    run_batch,
)
from ._summary import Table, by_deadline, summary_csv, summary_html, write_summary

__all__ = [
    "BatchItem",
    "BatchRun",
    "BatchSettings",
    "Claim",
    "ClaimLine",
    "DeniedLine",
    "GapRow",
    "Intake",
    "ItemResult",
    "ManifestRow",
    "RateLimited",
    "Remittance",
    "SharedClock",
    "Table",
    "adjustment_codes",
    "by_deadline",
    "claim_notice",
    "draft_item",
    "finished_results",
    "intake_835",
    "load_items",
    "prepare_output",
    "read_835",
    "route_lines",
    "run_batch",
    "summary_csv",
    "summary_html",
    "write_summary",
]
