"""Citations resolve to retrieved passages, rendered exactly, used, and versioned."""

from __future__ import annotations

from ...models import ValidationFinding
from ...text.normalize import norm_ws
from .._context import Context
from .._findings import WARNING, FindingCode, finding
from .._registry import Scope, check
from .._scanner import YEAR_RE


@check(
    Scope.section,
    codes=[
        FindingCode.CITATION_UNRESOLVED,
        FindingCode.CITATION_NOT_RETRIEVED,
        FindingCode.CITATION_REFERENCE_MISMATCH,
        FindingCode.CITATION_UNUSED,
    ],
    advice={
        FindingCode.CITATION_UNRESOLVED: "it cites something that is not a listed passage",
        FindingCode.CITATION_NOT_RETRIEVED: "it cites something that is not a listed passage",
    },
)
def check_citations(ctx: Context) -> list[ValidationFinding]:
    """Citations resolve; references are retrieved passages, rendered exactly, and used."""
    out = []
    numbers = {e.number for e in ctx.doc.references}
    unresolved: set[int] = set()
    for c in ctx.doc.citations:
        for n in c.numbers:
            if n not in numbers and n not in unresolved:
                unresolved.add(n)
                out.append(
                    finding(
                        FindingCode.CITATION_UNRESOLVED,
                        f"Citation [{n}] has no entry in the References list.",
                        span=c.span,
                        excerpt=ctx.markdown[c.span[0] : c.span[1]],
                    )
                )
    for e in ctx.doc.references:
        passage = ctx.retrieved.get(e.passage_id or "")
        if passage is None:
            out.append(
                finding(
                    FindingCode.CITATION_NOT_RETRIEVED,
                    f"Reference {e.number} is not one of the passages retrieved for this letter.",
                    span=e.span,
                    excerpt=e.passage_id or e.text,
                )
            )
        elif norm_ws(e.text) != norm_ws(passage.reference()):
            out.append(
                finding(
                    FindingCode.CITATION_REFERENCE_MISMATCH,
                    f"Reference {e.number} does not match the retrieved passage's citation.",
                    span=e.span,
                    excerpt=e.passage_id,
                )
            )
        if e.number not in ctx.cited_numbers:
            out.append(
                finding(
                    FindingCode.CITATION_UNUSED,
                    f"Reference {e.number} is never cited in the letter.",
                    WARNING,
                    span=e.span,
                )
            )
    return out


@check(Scope.letter, codes=[FindingCode.CITATION_NO_VERSION])
def check_citation_versions(ctx: Context) -> list[ValidationFinding]:
    """A cited guideline's reference gives its version or year."""
    out = []
    for e in ctx.doc.references:
        passage = ctx.retrieved.get(e.passage_id or "")
        if passage and passage.kind == "guideline" and not YEAR_RE.search(e.text):
            out.append(
                finding(
                    FindingCode.CITATION_NO_VERSION,
                    f"Reference {e.number} (a guideline) gives neither version nor year.",
                    WARNING,
                    span=e.span,
                    excerpt=e.passage_id,
                )
            )
    return out
