"""Scripted answers of a capable model for the tms-erisa example, served by
``tests/fault_server.py``: an extraction that quotes the letter's criteria (plus a made-up one and
wrong ids, which the provenance checks must drop) and sections that pass the validator, or fail
it in a chosen way. Used by the engine tests and by ``benchmarks/bench_llm.py`` (the path of a
first draft that passes). Synthetic example data only."""

from __future__ import annotations

from pipeline.corpus import load_corpus
from pipeline.criteria_rules import find_criteria
from pipeline.models import DenialLetter, RetrievedPassage
from tests.fault_server import Fault, ok
from tests.llm_replay import Example

EXAMPLE = Example("tms-erisa")
PASSAGE = "apa-mdd-2010-somatic-tms"
TREATMENTS = [
    "Sertraline",
    "Aripiprazole (augmentation of venlafaxine XR 225 mg)",
    "Cognitive behavioral therapy (concurrent with venlafaxine XR, then duloxetine)",
    "AUDIT-C",
]
"""The case fact a good section names for each criterion: one that bears on it (an
antidepressant trial, the augmentation, the psychotherapy, the substance-use screen)."""
EVIDENCE = [
    "prior_treatments[0]",
    "prior_treatments[4]",
    "prior_treatments[7]",
    "objective_findings[3]",
]


def tms_passages() -> list[RetrievedPassage]:
    """TMS passages of the corpus, as if retrieved for every criterion (no index needed)."""
    found = [p for p in load_corpus() if "90867" in p.services]
    assert any(p.id == PASSAGE for p in found)
    return [
        RetrievedPassage(passage=p, score=1.0 - i / 10, rank=i + 1, criteria=[0, 1, 2, 3])
        for i, p in enumerate(found)
    ]


def extraction(letter: DenialLetter) -> dict:
    """A model reply: the letter's criteria verbatim, one made-up criterion, wrong ids and codes."""
    criteria = [{"text": c.text, "source": c.source} for c in find_criteria(letter.text)]
    criteria.append({"text": "The patient must be older than ninety years"})
    return {
        "claim_number": "WRONG-123",
        "cpt_codes": ["90867", "99999"],
        "denial_categories": ["not_medically_necessary"],
        "criteria": criteria,
    }


def good(number: int) -> dict:
    index = number - 1
    return {
        "criterion": number,
        "argument": f"The record documents a failed trial of {TREATMENTS[index]} "
        f"[[cite:{PASSAGE}]].",
        "passage_ids": [PASSAGE],
        "evidence": [EVIDENCE[index]],
    }


def bad(number: int) -> dict:
    return {"criterion": number, "argument": "The patient clearly meets this criterion."}


def unsupported_number(number: int) -> dict:
    section = good(number)
    section["argument"] = f"The patient tried 73 medications [[cite:{PASSAGE}]]."
    return section


def draft_sections(*sections: dict) -> Fault:
    return ok({"sections": list(sections)})
