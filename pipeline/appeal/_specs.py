"""Plan-type specs (re-exported: the model and loader live in ``pipeline.reasoning.plans``,
where the validator may read them; the YAML files stay in ``plan_types/`` here)."""

from ..reasoning.plans import (
    SPEC_DIR,
    Authority,
    Clocks,
    Event,
    Level,
    PlanSpec,
    Program,
    RetrievalQueries,
    Signal,
    Unit,
    Window,
    all_specs,
    plan_spec,
)

__all__ = [
    "SPEC_DIR",
    "Authority",
    "Clocks",
    "Event",
    "Level",
    "PlanSpec",
    "Program",
    "RetrievalQueries",
    "Signal",
    "Unit",
    "Window",
    "all_specs",
    "plan_spec",
]
