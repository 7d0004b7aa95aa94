"""Request and response bodies of the web API (the pipeline's own models are reused inside)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..appeal import AppealSchedule
from ..caseinit import CriterionGuide
from ..exporters import Letterhead
from ..models import CaseFacts, DenialAnalysis, Draft, Gap, ValidationReport
from ..pipeline import DEFAULT_K

ENGINE_FIELD = Field(
    default=None,
    max_length=40,
    description="Engine name as on the command line (--engine); default: the server's.",
)


class Request(BaseModel):
    """Base of request bodies: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


class ErrorBody(BaseModel):
    """Every error: one line that says what to fix. Some errors add ``gaps`` or ``findings``."""

    error: str
    gaps: list[Gap] | None = None
    findings: list[dict] | None = None


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    engine: str
    """The server's default engine."""


class AnalyzeRequest(Request):
    letter: str = Field(description="The denial letter's text.")
    engine: str | None = ENGINE_FIELD


class AnalyzeResponse(BaseModel):
    analysis: DenialAnalysis
    today: dt.date
    days_left: int | None
    """Days from today to the appeal deadline (negative once it has passed)."""
    appeal: AppealSchedule | None = None
    """The appeal's levels and deadlines by plan type, each with its citation."""


class LetterText(BaseModel):
    """An uploaded letter as normalized text, for the page to show and analyze."""

    text: str
    media_type: str
    pages: int | None = None
    ocr: bool = False
    """True when the text was read from a scan by OCR."""
    warnings: list[str] = Field(default_factory=list)
    """What to check in the text, e.g. pages OCR read with low confidence."""


class CaseInitRequest(Request):
    letter: str = Field(description="The denial letter's text.")
    engine: str | None = ENGINE_FIELD


class CaseInitResponse(BaseModel):
    """A case file started from the denial (as `lmn case init` writes it)."""

    yaml: str
    """The case file's text: what the denial says filled in, the rest marked TODO."""
    case: CaseFacts
    """The same, as case facts (empty fields absent)."""
    criteria: list[CriterionGuide]
    """What each cited criterion needs documented (the file's comments)."""


class CaseText(Request):
    text: str = Field(description="A case file's YAML or JSON text.")
    filename: str = Field(default="case.yaml", max_length=255)


class DraftRequest(Request):
    letter: str = Field(description="The denial letter's text.")
    case: CaseFacts
    engine: str | None = ENGINE_FIELD
    allow_gaps: bool = Field(
        default=True,
        description="Write a DRAFT with [MISSING] fields when facts are missing "
        "(false: answer 422 with the gaps instead).",
    )
    date: dt.date | None = Field(default=None, description="The letter's date (default today).")
    k: int = Field(default=DEFAULT_K, ge=1, le=20, description="Guideline passages to retrieve.")


class EvidenceItem(BaseModel):
    """A case fact an argument relies on."""

    path: str
    """Case-file path, e.g. 'prior_treatments[2]'."""
    label: str
    text: str | None
    """The fact as the letter states it; None when the path is not in the case."""


class GapRow(BaseModel):
    """One cited criterion: what the payer requires, what the case holds, what is missing."""

    number: int
    requires: str
    source: str | None
    evidence: list[EvidenceItem]
    missing: list[Gap]


class GapMap(BaseModel):
    rows: list[GapRow]
    other: list[Gap]
    """Missing facts that belong to no criterion (identity, physician, summary ...)."""


class Span(BaseModel):
    start: int
    end: int


class CitationMark(Span):
    numbers: list[int]


class ReferenceMark(Span):
    number: int
    passage_id: str | None
    reference: str
    """The passage's citation, or the reference line's text when it names no known passage."""
    text: str | None
    """The passage's text, when the reference names a retrieved passage."""


class Annotations(BaseModel):
    """Where things are in the letter's Markdown (offsets in code points)."""

    citations: list[CitationMark]
    references: list[ReferenceMark]
    placeholders: list[Span]


class Issue(BaseModel):
    """One thing that still blocks or weakens the letter, in plain words."""

    kind: Literal["blocks", "weakens"]
    """'blocks': the letter must not be sent as it is; 'weakens': it can go, but is weaker."""
    what: str
    """What is wrong and what to do, addressed to the advocate."""
    field: str | None = None
    """The case-file field that fixes it (the page links to its form control)."""
    section: str | None = None
    """The letter section it is in."""
    code: str
    """A finding code, 'missing' for a [MISSING] field, 'criterion.not_met' / 'criterion.not_shown'
    (computed verdicts), 'deadline.passed' / 'deadline.near', or 'continuation.passed' /
    'continuation.near' (the window to ask that a reduced service continue pending appeal)."""


class Status(BaseModel):
    """What stands between the letter and the physician's signature."""

    ready: bool
    """True only when nothing blocks or weakens the letter."""
    headline: str
    issues: list[Issue]
    peer_to_peer: str | None = None
    """What the letter's Peer-to-peer section offers, e.g. 'call (206) 555-0143'; None when
    the letter has no such section."""


class Review(BaseModel):
    """The validator's verdict on a letter, with what the page marks in it."""

    ok: bool
    errors: int
    warnings: int
    report: ValidationReport
    annotations: Annotations
    status: Status


class DraftResponse(BaseModel):
    draft: Draft
    """Send this back with /api/validate; nothing is kept on the server."""
    gap_map: GapMap
    review: Review


class ValidateRequest(Request):
    markdown: str = Field(description="The letter as edited.")
    draft: Draft = Field(description="The draft the letter came from (from /api/draft).")


class ExportRequest(Request):
    markdown: str = Field(min_length=1, description="The letter's Markdown.")
    letterhead: Letterhead = Field(default_factory=Letterhead)
    draft: Draft | None = Field(
        default=None, description="The draft the letter came from (formats that need it: json)."
    )
