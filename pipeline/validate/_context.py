"""What every check reads: the draft, its parsed letter and indexes built once per validation."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import InitVar, dataclass, field
from functools import cached_property
from typing import TypeVar

from .. import letter_format as lf
from ..codes import CPT_RE, HCPCS_RE, normalize_icd10
from ..models import AppealFacts, Draft, Passage, Placement
from ..prefilter import fold
from ..reasoning.verdicts import CriterionVerdict
from ..text.normalize import Span, blank, norm_id
from ._document import Document
from ._grounding import Grounding
from ._inputs import Inputs

T = TypeVar("T")

# Structural numbers the grounding check ignores.
_LIST_NUMBER_RE = re.compile(r"^[ \t]*([0-9]+)[.)][ \t]", re.M)
_REF_ID_RE = re.compile(r"\(ref:[^)\n]*\)")


@dataclass
class Context:
    """What every check reads: the draft, its parsed letter, the inputs read once per run
    (:class:`Inputs`) and lazily built indexes."""

    draft: Draft
    doc: Document
    appeal: AppealFacts | None = None
    """What an appeal document must hold (None for a letter of medical necessity)."""
    given_inputs: InitVar[Inputs | None] = None
    """The draft's context already read (the pipeline's, shared by a run's validations); used
    only when it is the draft's context, else read again."""
    inputs: Inputs = field(init=False)

    def __post_init__(self, given_inputs: Inputs | None) -> None:
        fits = given_inputs is not None and given_inputs.fits(self.draft)
        self.inputs = given_inputs if given_inputs is not None and fits else Inputs.of(self.draft)

    @property
    def markdown(self) -> str:
        return self.doc.markdown

    @cached_property
    def folded(self) -> str:
        """The Markdown's compare form for prefiltered patterns (``pipeline.prefilter``)."""
        return fold(self.markdown)

    @property
    def letter_ws(self) -> str:
        """The denial letter, whitespace-normalized (for quotes of it)."""
        return self.inputs.letter_ws

    @cached_property
    def is_marked_draft(self) -> bool:
        return lf.DRAFT_BANNER in self.markdown

    @cached_property
    def retrieved(self) -> dict[str, Passage]:
        return {rp.passage.id: rp.passage for rp in self.draft.passages}

    @cached_property
    def cited_passages(self) -> list[Passage]:
        """Retrieved passages the References list names."""
        ids = {e.passage_id for e in self.doc.references}
        return [p for pid, p in self.retrieved.items() if pid in ids]

    @cached_property
    def cited_numbers(self) -> set[int]:
        return {n for c in self.doc.citations for n in c.numbers}

    @property
    def case_values(self) -> tuple[list[str], list[dt.date]]:
        """The case file's strings and dates (one walk of its dump, read by several checks)."""
        return self.inputs.case_values

    @property
    def verdicts(self) -> list[CriterionVerdict]:
        """The computed verdict of each criterion (:attr:`Inputs.verdicts`: the pipeline's or a
        sealed draft's, else computed from the inputs; never read from the letter)."""
        return self.inputs.verdicts

    @property
    def placement(self) -> Placement:
        """Where the template drafter states each passage (:attr:`Inputs.placement`: the
        pipeline's or a sealed draft's, else worked out from the inputs; never read from the
        letter)."""
        return self.inputs.placement

    def input_union(self, build: Callable[[str], frozenset[T]]) -> frozenset[T]:
        """``build`` over the texts that ground the letter (the inputs and the cited passages),
        united; each text's is computed once per run (:meth:`Inputs.union`)."""
        return self.inputs.union(build, self.cited_passages)

    @cached_property
    def grounding(self) -> Grounding:
        """Facts of the denial letter, case, analysis, verdicts and cited passages. Not the
        letter's own date: it grounds only itself, on its own line (see :attr:`masked_body`),
        so an event put on that day is not supported by it."""
        parts = [self.inputs.passage_facts(p) for p in self.cited_passages]
        return Grounding.union([self.inputs.grounding, *parts])

    @cached_property
    def masked_body(self) -> str:
        """The Markdown with structural numbers blanked: criterion numbers, citations, list and
        reference numbering, the References entries, (ref: ids) and [MISSING: ...] placeholders."""
        md = self.markdown
        spans: list[Span] = [m.span(1) for m in lf.CRITERION_HEADING_RE.finditer(md)]
        spans += [c.span for c in self.doc.citations]
        spans += [e.span for e in self.doc.references]
        spans += [m.span(1) for m in _LIST_NUMBER_RE.finditer(md)]
        spans += [m.span() for m in _REF_ID_RE.finditer(md)]
        spans += [m.span(1) for m in lf.ENCLOSURE_REF_RE.finditer(md)]
        spans += [m.span() for m in lf.PLACEHOLDER_RE.finditer(md)]
        if own := self.own_date_span:
            spans.append(own)
        return blank(md, spans)

    @cached_property
    def own_date_span(self) -> Span | None:
        """Where the letter states its own date: a line of its head (the first 12 lines) that
        is the run date and nothing else."""
        wanted = lf.fmt_date(self.draft.run.created)
        pos = 0
        for line in self.markdown.split("\n")[:12]:
            if line.strip() == wanted:
                start = pos + line.index(wanted)
                return (start, start + len(wanted))
            pos += len(line) + 1
        return None

    @cached_property
    def icd10_allowed(self) -> set[str]:
        codes = [dx.code for dx in self.draft.case.diagnoses] + self.draft.analysis.icd10_codes
        return {normalize_icd10(c) for c in codes}

    @cached_property
    def service_codes_allowed(self) -> set[str]:
        """Codes the denial names, the case's service code and codes its service text names."""
        a, service = self.draft.analysis, self.draft.case.service
        codes = [*a.cpt_codes, *a.hcpcs_codes]
        if service.code:
            codes.append(service.code)
        for text in (service.description or "", service.details or ""):
            codes += [m.group(1) for regex in (CPT_RE, HCPCS_RE) for m in regex.finditer(text)]
        return {norm_id(c) for c in codes}
