"""The whole pipeline: letter + case -> validated Draft. Stages are called, never re-implemented."""

from __future__ import annotations

import datetime as dt

from .draft import compose
from .engine import Engine, OfflineEngine
from .errors import DraftRejected
from .extract import extract
from .models import CaseFacts, DenialLetter, Draft, RetrievedPassage
from .retrieve import Index, retrieve
from .validate import validate

DEFAULT_K = 6


def draft_letter(
    letter: DenialLetter,
    case: CaseFacts,
    *,
    engine: Engine | None = None,
    index: Index | None = None,
    k: int = DEFAULT_K,
    allow_gaps: bool = False,
    today: dt.date | None = None,
) -> Draft:
    """Extract, retrieve, draft and validate.

    Raises GapsError when facts are missing (unless ``allow_gaps``), and DraftRejected when a
    complete draft fails validation: nothing reaches the user as final without passing. A draft
    with gaps is marked DRAFT and returned with its report, whatever the report says.
    """
    engine = engine or OfflineEngine()
    analysis = extract(letter, engine)
    passages: list[RetrievedPassage] = retrieve(analysis, case, k=k, index=index)
    draft = compose(
        letter.text,
        analysis,
        case,
        passages,
        engine,
        today=today or dt.date.today(),
        allow_gaps=allow_gaps,
    )
    report = validate(draft)
    draft = draft.model_copy(update={"validation": report})
    if not report.ok and not draft.gaps:
        codes = ", ".join(sorted({f.code for f in report.errors}))
        raise DraftRejected(f"the draft failed validation ({codes}); nothing was written", report)
    return draft
