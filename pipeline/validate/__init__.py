"""Deterministic checks that a drafted letter is complete, consistent and grounded in its inputs.

``validate(draft)`` reads ``draft.markdown`` (the text is what is judged, so a letter edited by hand
is checked the same way as a generated one) against the context the draft carries: the denial
analysis, the case facts, the passages retrieved for it, the denial letter's text and the run date.

The letter is parsed once, through ``letter_format``'s names and patterns only, into a
:class:`Document`; every check reads a :class:`Context` (the draft, the document and indexes built
once per validation) and returns findings. Findings carry a stable code (a :class:`FindingCode`),
a one-line message that names what is wrong without quoting the letter, and, where one applies, a
span into the Markdown with a short excerpt (the offending token, never a sentence).

Modules (private; their public names are re-exported here):

- ``_scanner``: the token scanner (dates, months, phones, URLs, numbers, identifiers);
- ``_document``: the letter (Markdown) parser;
- ``_grounding``: the index of every fact the inputs hold;
- ``_inputs``: :class:`Inputs`, the draft's context read once per run (the pipeline passes it to
  every validation of its drafts);
- ``_context``: :class:`Context`; ``_findings``: :class:`FindingCode` and :func:`finding`;
- ``_registry``: :func:`check`, :class:`Scope` and the runner;
- ``checks/``: the checks, one module per area.

Adding a check (one place)
--------------------------
Write a module ``pipeline/validate/checks/<area>.py`` (it is imported automatically; a third-party
package can instead name its module under the ``lmn.checks`` entry-point group)::

    from ...models import ValidationFinding
    from .._context import Context
    from .._findings import FindingCode, finding
    from .._registry import Scope, check


    @check(
        Scope.section,  # its errors can fall inside a criterion's section; else Scope.letter
        codes=[FindingCode.CITATION_OFF_TOPIC],
        advice={FindingCode.CITATION_OFF_TOPIC: "it cites {excerpt}, which is about another "
                "condition: cite a listed passage about this one"},  # optional, for models
    )
    def check_off_topic(ctx: Context) -> list[ValidationFinding]:
        \"\"\"One line on what the check holds the letter to.\"\"\"
        return [finding(FindingCode.CITATION_OFF_TOPIC, "Reference 2 is about ...", span=...)]

and add its codes to :class:`FindingCode` (``CITATION_OFF_TOPIC = "citation.off_topic"``). The
registry rejects a check that declares no codes, codes outside the enum or advice for an undeclared
code; ``tests/test_validate_registry.py`` holds every emitted code to being declared and every
enum member to being emitted. :data:`SECTION_CHECKS` (run after every drafting round) and the
advice a model is sent (:func:`advice_for`) derive from the registry.

Nothing here logs: findings are returned, and their excerpts stay in the report.
"""

from __future__ import annotations

from .. import letter_format as lf
from ..models import Draft, ValidationFinding, ValidationReport
from . import checks  # noqa: F401  (importing it registers the built-in checks)
from ._context import Context
from ._document import (
    Citation,
    CriterionSection,
    Document,
    Field,
    ReferenceEntry,
    Section,
    TreatmentRow,
    parse_document,
)
from ._findings import ERROR, WARNING, FindingCode, finding
from ._grounding import Grounding
from ._inputs import Inputs
from ._registry import CheckFunc, CheckSpec, Scope, advice_for, check, registered, run
from ._scanner import Token, extract_tokens

__all__ = [
    "CHECKS",
    "ERROR",
    "SECTION_CHECKS",
    "WARNING",
    "CheckFunc",
    "CheckSpec",
    "Citation",
    "Context",
    "CriterionSection",
    "Document",
    "Field",
    "FindingCode",
    "Grounding",
    "Inputs",
    "ReferenceEntry",
    "Scope",
    "Section",
    "Token",
    "TreatmentRow",
    "advice_for",
    "check",
    "criterion_errors",
    "extract_tokens",
    "finding",
    "parse_document",
    "registered",
    "validate",
    "validate_markdown",
]

CHECKS: tuple[CheckFunc, ...] = tuple(s.func for s in registered())
"""Every built-in check, in report order (the registry is the source; see :func:`registered`)."""

SECTION_CHECKS: tuple[CheckFunc, ...] = tuple(s.func for s in registered(Scope.section))
"""The checks whose errors can fall inside a criterion's section (``Scope.section``). The others
read the identification table, the signature, the treatment table or other sections, or only warn
(``tests/test_validate.py`` holds them to that)."""


def _names(draft: Draft) -> list[str]:
    """The draft's criteria as its letter names them (``letter_format.criterion_names``)."""
    return lf.criterion_names(draft.analysis.criteria)


def validate(draft: Draft, inputs: Inputs | None = None) -> ValidationReport:
    """Run every registered check on ``draft.markdown`` and return the findings. ``inputs``:
    the draft's context already read (:class:`Inputs`, kept for all validations of one run);
    used only when it is this draft's context."""
    ctx = Context(draft, parse_document(draft.markdown, _names(draft)), None, inputs)
    return ValidationReport(findings=run(ctx, registered()))


def criterion_errors(
    draft: Draft, inputs: Inputs | None = None
) -> list[tuple[int, ValidationFinding]]:
    """(criterion number, error) for each error inside a criterion's section: what a drafting
    loop tells the model after a round. Runs the ``Scope.section`` checks only; the final
    :func:`validate` runs them all."""
    ctx = Context(draft, parse_document(draft.markdown, _names(draft)), None, inputs)
    blocks = ctx.doc.criteria.items()
    return [
        (number, f)
        for f in run(ctx, registered(Scope.section))
        if f.severity == ERROR and f.span is not None
        for number, block in blocks
        if block.start <= f.span[0] < block.end
    ]


def validate_markdown(markdown: str, template: Draft) -> ValidationReport:
    """Validate a (hand-edited) letter against the context of the draft it came from."""
    return validate(template.model_copy(update={"markdown": markdown, "validation": None}))
