"""Every cited passage fits the patient: the relevance contract of ``pipeline.relevance``.

Retrieval already offers only fitting passages; this check holds a letter to the same contract
whatever wrote it (a model, a hand edit, an older retrieval), so a guideline for another
disease, a law for another plan or patient, or one of the project's argument notes listed as a
reference never passes as ready to sign.
"""

from __future__ import annotations

import functools

from ...models import Passage, ValidationFinding
from ...relevance import Scope as CaseScope
from ...relevance import citable, off_topic
from .._context import Context
from .._findings import FindingCode, finding
from .._registry import Scope, check


def _reason(passage: Passage, scope: CaseScope) -> str | None:
    """Why citing the passage is wrong for this case (None when it fits)."""
    if not citable(passage):
        return "it is one of the project's argument notes, which are never a reference"
    return off_topic(passage, scope)


@check(
    Scope.section,
    codes=[FindingCode.CITATION_OFF_TOPIC],
    advice={
        FindingCode.CITATION_OFF_TOPIC: (
            "it cites {excerpt}, which is not about this patient's condition, service, plan or "
            "situation; cite only the listed passages that fit, or none"
        )
    },
)
def check_citation_relevance(ctx: Context) -> list[ValidationFinding]:
    """Each in-text citation's passage fits the case (once per reference number)."""
    draft = ctx.draft
    scope = CaseScope.of(
        draft.analysis, draft.case, draft.run.created, letter_text=draft.letter_text
    )
    by_number = {e.number: ctx.retrieved.get(e.passage_id or "") for e in ctx.doc.references}
    reason = functools.cache(lambda n: _reason(p, scope) if (p := by_number.get(n)) else None)
    out = []
    for c in ctx.doc.citations:
        for n in c.numbers:
            why = reason(n)
            if why is not None:
                passage = by_number[n]
                assert passage is not None
                out.append(
                    finding(
                        FindingCode.CITATION_OFF_TOPIC,
                        f"Reference {n} does not fit this patient: {why}.",
                        span=c.span,
                        excerpt=passage.id,
                    )
                )
    return out
