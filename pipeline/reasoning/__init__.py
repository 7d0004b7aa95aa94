"""Reasoning: computed verdicts per requirement, the argument per criterion, category specs."""

from .classes import ClassBook, Group, book
from .facts import Facts, Observation, Trial, case_facts
from .verdicts import CHECKABLE, CriterionVerdict, RequirementVerdict, evaluate

__all__ = [
    "CHECKABLE",
    "ClassBook",
    "CriterionVerdict",
    "Facts",
    "Group",
    "Observation",
    "RequirementVerdict",
    "Trial",
    "book",
    "case_facts",
    "evaluate",
]
