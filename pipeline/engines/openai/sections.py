"""The drafting prompt's inputs, and the model's sections read back as arguments.

:class:`SectionPrompt` lists the case's facts and the retrieved passages with the ids the model
cites them by, turns the model's sections into ``CriterionArgument`` objects (the criterion's
verbatim quote first, unknown fact ids and passage ids dropped), and words the pipeline's findings
about rejected sections as the re-draft request. Whether a section passes is the pipeline's to
decide (``pipeline.pipeline``), not the engine's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from ...evidence import CITE_RE, CLINICAL_KINDS, MAX_ARGUMENT_CHARS, MAX_EVIDENCE, criterion_quote
from ...llm.schemas import DraftSection
from ...models import CaseFacts, CriterionArgument
from ...reasoning.prompting import verdict_lines
from ..base import ArgumentRequest

MAX_PASSAGE_CHARS = 400
"""How much of each passage's text the model sees."""
MAX_PASSAGES_CITED = 5

_HEADING_RE = re.compile(r"^[ \t]*#+[ \t]*", re.MULTILINE)
_BLANK_LINES_RE = re.compile(r"\n{3,}")


class SectionPrompt:
    """One draft's sections: prompt inputs, conversion, re-draft request."""

    def __init__(self, request: ArgumentRequest) -> None:
        self.request = request
        self.criteria = request.analysis.criteria
        self.facts = case_fact_lines(request.case)
        self.fact_ids = set(self.facts)
        self.passage_ids = {rp.passage.id for rp in request.passages}
        self._names = self._fact_names()

    # ---------------------------------------------------------------- prompt inputs

    def prompt_inputs(self) -> dict[str, str]:
        """The fields of ``prompts/draft_sections.yaml``."""
        case = self.request.case
        service = " ".join(
            x for x in (case.service.code, case.service.description, case.service.details) if x
        )
        diagnoses = "; ".join(f"{d.code} {d.description or ''}".strip() for d in case.diagnoses)
        criteria = "\n".join(
            f"{i}. {c.text}" + (f" (source: {c.source})" if c.source else "")
            for i, c in enumerate(self.criteria, 1)
        )
        computed = verdict_lines(self.request.analysis, self.request.case, self.request.strategy)
        if computed:
            criteria = f"{criteria}\n\n{computed}"
        facts = "\n".join(f"{path}: {text}" for path, text in self.facts.items()) or "(none)"
        return {
            "service": f"{service or 'not stated'}; diagnoses: {diagnoses or 'not stated'}",
            "criteria": criteria,
            "facts": facts,
            "passages": self._passages_text(),
        }

    def _passages_text(self) -> str:
        retrieved = self.request.passages
        clinical = [rp for rp in retrieved if rp.passage.kind in CLINICAL_KINDS] or retrieved
        lines = []
        for rp in clinical:
            p = rp.passage
            text = p.text if len(p.text) <= MAX_PASSAGE_CHARS else p.text[:MAX_PASSAGE_CHARS] + "…"
            which = ", ".join(str(i + 1) for i in rp.criteria)
            note = f" [for criteria {which}]" if which else ""
            edition = p.version or str(p.year)
            lines.append(f"{p.id}: {p.short_body} {p.title} ({edition}), {p.section}{note}: {text}")
        return "\n".join(lines) or "(none)"

    # ---------------------------------------------------------------- conversion

    def arguments(
        self, sections: Iterable[DraftSection], only: set[int] | None = None
    ) -> dict[int, CriterionArgument]:
        """The model's sections as arguments by criterion index (first section per criterion).

        Sections are asked for in order, one per criterion (or per criterion in ``only``): when
        their numbers are not exactly those criteria but their count is, they are taken in order.
        """
        sections = list(sections)
        expected = sorted(only) if only else list(range(len(self.criteria)))
        indices = [s.criterion - 1 for s in sections]
        if sorted(indices) != expected and len(sections) == len(expected):
            indices = expected
        out: dict[int, CriterionArgument] = {}
        for index, section in zip(indices, sections, strict=True):
            if index not in expected or index in out:
                continue
            text = _BLANK_LINES_RE.sub("\n\n", _HEADING_RE.sub("", section.argument)).strip()
            cited = [i.strip() for m in CITE_RE.finditer(text) for i in m.group(1).split(",")]
            passages = [p for p in (*section.passage_ids, *cited) if p in self.passage_ids]
            evidence = [e for e in section.evidence if e in self.fact_ids] or self._named(text)
            quote = criterion_quote(self.criteria[index])
            argument = f"{quote} {text}"[:MAX_ARGUMENT_CHARS]
            out[index] = CriterionArgument(
                criterion_index=index,
                argument=argument,
                passage_ids=list(dict.fromkeys(passages))[:MAX_PASSAGES_CITED],
                evidence=list(dict.fromkeys(evidence))[:MAX_EVIDENCE],
            )
        return out

    def _fact_names(self) -> dict[str, str]:
        """Fact id -> the name a section would use for it (treatments and findings)."""
        case = self.request.case
        names = {f"prior_treatments[{i}]": t.name for i, t in enumerate(case.prior_treatments)}
        names |= {f"objective_findings[{i}]": f.name for i, f in enumerate(case.objective_findings)}
        return {path: name for path, name in names.items() if len(name.strip()) >= 3}

    def _named(self, text: str) -> list[str]:
        """Fact ids whose treatment or finding the text names (when the model listed none)."""
        lowered = text.casefold()
        return [path for path, name in self._names.items() if name.casefold() in lowered]

    # ---------------------------------------------------------------- re-draft

    def describe(self, problems: dict[int, list[str]]) -> str:
        """The re-draft request: each rejected criterion with its problems."""
        blocks = []
        for index in sorted(problems):
            lines = [f"Criterion {index + 1}: {self.criteria[index].text}"]
            lines += [f"- {p}" for p in dict.fromkeys(problems[index])]
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)


def case_fact_lines(case: CaseFacts) -> dict[str, str]:
    """The case's facts by the id a section cites them with, as compact JSON (values verbatim)."""
    lines: dict[str, str] = {}

    def add(path: str, value: object) -> None:
        if hasattr(value, "model_dump"):
            value = value.model_dump(mode="json", exclude_none=True)
        if value:
            lines[path] = json.dumps(value, ensure_ascii=False)

    for i, treatment in enumerate(case.prior_treatments):
        add(f"prior_treatments[{i}]", treatment)
    for i, finding in enumerate(case.objective_findings):
        add(f"objective_findings[{i}]", finding)
    add("clinical_summary", case.clinical_summary)
    add("service.details", case.service.details)
    add("urgency_reason", case.urgency_reason)
    add("consequences_of_denial", case.consequences_of_denial)
    return lines
