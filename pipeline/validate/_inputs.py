"""What the validator reads of a draft's context, parsed once: the denial letter's text, the case,
the analysis, the retrieved passages, the verdicts and the passages' placement.

The pipeline builds one :class:`Inputs` per run and passes it to every validation of that run's
drafts (the re-draft loop's section checks after each round and the final validation), so the
inputs are read once however often a letter is checked; a caller without one gets one built for
its validation (:meth:`Inputs.of`). Nothing here depends on the letter being checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from ..identity import Mismatch, mismatches
from ..injection import EchoTargets, echo_targets
from ..models import (
    CaseFacts,
    CriterionVerdict,
    DenialAnalysis,
    Draft,
    Passage,
    Placement,
    RetrievedPassage,
)
from ..reasoning.argument import place
from ..reasoning.exception import DrugException, drug_exception, exception_strings
from ..reasoning.grounds import GroundSpec, access_strings, select
from ..reasoning.law import law_strings
from ..reasoning.request import computed_dates, request_strings
from ..reasoning.rights import rights_strings
from ..reasoning.strategy import Strategy
from ..reasoning.verdicts import evaluate, verdict_strings
from ..seal import is_sealed
from ..text.normalize import norm_ws
from ._grounding import Grounding, text_facts, walk

T = TypeVar("T")


@dataclass(eq=False)
class Inputs:
    """A draft's context and what the checks derive from it (each built on first use)."""

    analysis: DenialAnalysis
    case: CaseFacts
    passages: list[RetrievedPassage]
    letter_text: str
    given_verdicts: list[CriterionVerdict] | None = None
    """The verdicts the pipeline computed for this context (or a sealed draft's); None:
    computed here."""
    given_strategy: Strategy | None = None
    """The strategy results the pipeline computed for this context (the drafter's); None: the
    drug exception is computed here."""
    given_placement: Placement | None = None
    """Where the drafter states the passages (the pipeline's, or a sealed draft's); None:
    worked out here from the inputs and the verdicts."""
    _derived: dict[tuple[Callable[[str], Any], str | None], Any] = field(
        default_factory=dict, repr=False
    )

    @classmethod
    def of(cls, draft: Draft) -> Inputs:
        """The draft's context; its verdicts and placement are taken only when its seal holds
        (this machine computed them for this very context), else computed here."""
        sealed = (draft.verdicts is not None or draft.placement is not None) and is_sealed(draft)
        return cls(
            draft.analysis,
            draft.case,
            draft.passages,
            draft.letter_text,
            draft.verdicts if sealed else None,
            given_placement=draft.placement if sealed else None,
        )

    def fits(self, draft: Draft) -> bool:
        """True when ``draft`` has this context (the same objects, or equal ones)."""
        pairs = (
            (self.analysis, draft.analysis),
            (self.case, draft.case),
            (self.passages, draft.passages),
            (self.letter_text, draft.letter_text),
        )
        return all(a is b or a == b for a, b in pairs)

    def read_ahead(self) -> None:
        """Build now what every validation reads and the verdicts do not change (the denial's
        echo targets, the case's values, the folded texts): the pipeline calls it while the
        verdicts are still being computed on another thread."""
        for name in ("echo_targets", "case_values", "letter_ws", "case_and_denial"):
            getattr(self, name)

    @cached_property
    def drug_exception(self) -> DrugException | None:
        """The drug exception the letter asks for: the drafter's (``ArgumentRequest.strategy``),
        else computed from the inputs."""
        if self.given_strategy is not None:
            return self.given_strategy.exception
        return drug_exception(self.analysis, self.case, self.letter_text)

    @cached_property
    def ground(self) -> GroundSpec | None:
        """The notice's ground when it is not an ordinary one: the drafter's (its strategy's),
        else chosen from the inputs."""
        if self.given_strategy is not None:
            found = self.given_strategy.ground
            return found.spec if found is not None else None
        picked = select(self.analysis, self.letter_text)
        return picked.spec if picked is not None else None

    @cached_property
    def verdicts(self) -> list[CriterionVerdict]:
        """The computed verdict of each criterion: the drafter's (``Draft.verdicts``, part of the
        sealed context), else computed from the inputs; never read from the letter."""
        if self.given_verdicts is not None:
            return self.given_verdicts
        return evaluate(self.analysis, self.case)

    @cached_property
    def placement(self) -> Placement:
        """Where the template drafter states each passage: the drafter's (``Draft.placement``,
        part of the sealed context), else worked out from the inputs and :attr:`verdicts` as the
        drafter does (``argument.place``)."""
        if self.given_placement is not None:
            return self.given_placement
        return place(self.passages, self.verdicts, self.case, self.analysis.plan_type)

    @cached_property
    def letter_ws(self) -> str:
        """The denial letter, whitespace-normalized (for quotes of it)."""
        return norm_ws(self.letter_text)

    @cached_property
    def case_and_denial(self) -> str:
        """The case file (as JSON) and the denial letter, case-folded: words they hold ground
        the same words in a letter ('four times daily')."""
        return " ".join((self.case.model_dump_json(), self.letter_text)).casefold()

    @cached_property
    def case_values(self) -> tuple[list[str], list[dt.date]]:
        """The case file's strings and dates (one walk of its dump, read by several checks)."""
        strings: list[str] = []
        dates: list[dt.date] = []
        walk(self.case.model_dump(), strings, dates)
        return strings, dates

    @cached_property
    def _strings_and_dates(self) -> tuple[str, list[dt.date]]:
        case_strings, case_dates = self.case_values
        strings: list[str] = [self.letter_text, *case_strings]
        dates: list[dt.date] = [*case_dates, *computed_dates(self.analysis)]
        walk(self.analysis.model_dump(), strings, dates)
        strings += verdict_strings(self.verdicts)
        strings += law_strings(self.analysis)  # the strategies' statements of the law
        strings += exception_strings(self.drug_exception)
        strings += access_strings(self.ground, self.case, self.letter_text)  # network ground
        strings += rights_strings(self.analysis, self.letter_text, self.case)  # appeal rights
        strings += request_strings(self.analysis, self.case, self.letter_text)  # units, course
        return "\n".join(strings), dates

    @property
    def text(self) -> str:
        """The denial letter, the case's and the analysis's strings and the values the verdicts
        compute (counts, durations, overlaps), one per line: what grounds a letter's facts,
        with the cited passages (:meth:`passage_text`)."""
        return self._strings_and_dates[0]

    @staticmethod
    def passage_text(passage: Passage) -> str:
        """A passage's text and citation, one per line (what a citation of it grounds)."""
        return "\n".join(
            [passage.text, passage.reference(), passage.url, passage.title, passage.section]
        )

    @cached_property
    def grounding(self) -> Grounding:
        """Facts of :attr:`text` and the inputs' dates; the cited passages' are added per
        letter (:meth:`passage_facts`)."""
        index = text_facts(self.text)
        for day in self._strings_and_dates[1]:
            index.add_date(day)
        return index

    def passage_facts(self, passage: Passage) -> Grounding:
        """The facts of one retrieved passage (its text and citation), read once per run."""
        return self.derived(text_facts, passage)

    def derived(self, build: Callable[[str], T], passage: Passage | None = None) -> T:
        """``build`` of :attr:`text` (or of ``passage``'s :meth:`passage_text`), computed once
        per run: an index a check makes of the inputs (``build`` a module-level function)."""
        key = (build, passage.id if passage else None)
        if key not in self._derived:
            self._derived[key] = build(self.passage_text(passage) if passage else self.text)
        result: T = self._derived[key]
        return result

    def union(
        self, build: Callable[[str], frozenset[T]], passages: Iterable[Passage]
    ) -> frozenset[T]:
        """The union of ``build`` over :attr:`text` and each of ``passages``, each computed
        once per run (:meth:`derived`)."""
        out = self.derived(build)
        for passage in passages:
            out = out | self.derived(build, passage)
        return out

    @cached_property
    def echo_targets(self) -> EchoTargets:
        """What would echo the denial's injected parts (``pipeline.injection``): trusted are the
        case's strings and the passages' texts and titles."""
        trusted = [*self.case_values[0]]
        trusted += [rp.passage.text for rp in self.passages]
        trusted += [rp.passage.title for rp in self.passages]
        return echo_targets(self.letter_text, trusted)

    @cached_property
    def mismatches(self) -> list[Mismatch]:
        """Identity facts the case states differently from the denial letter."""
        return mismatches(self.letter_text, self.analysis, self.case)
