"""Eval cases: one JSON object a line, shaped like an inspect_ai sample.

``denial_letter`` (and ``case``) are the input, ``expected`` is the target, ``metadata`` is
free-form. Any ``expected`` key may be absent: scorers skip what a case does not state.
Unknown ``expected`` keys are kept (suites may carry labels for their own tools) and ignored
by the scorers; unknown top-level keys are errors, so a misspelt field does not pass silently.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError
from ..models import CaseFacts, DenialCategory, PlanType
from ..paths import PROJECT_ROOT

SUITES_DIR = PROJECT_ROOT / "evals" / "suites"


class Expected(BaseModel):
    """The labels of a case (the target). The first denial category is the primary one."""

    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)

    denial_categories: list[DenialCategory] | None = None
    criteria: list[str] | None = None
    """Key phrases: each should occur (normalized) in some extracted criterion."""
    cpt_codes: list[str] | None = None
    hcpcs_codes: list[str] | None = None
    icd10_codes: list[str] | None = None
    plan_type: PlanType | None = None
    member_id: str | None = None
    claim_number: str | None = None
    appeal_deadline: dt.date | None = None
    authorities: list[str] | None = None
    """Issuing bodies (corpus ``short_body`` acronyms) a good answer would cite."""
    gaps: list[str] | None = None
    """Case-file fields the pipeline should report missing (cases with missing facts)."""


class EvalCase(BaseModel):
    """One case: the input (denial letter, case facts or null), the target, metadata."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=200)
    source: str = Field(min_length=1, max_length=100)
    """Where the case comes from: synthetic, imr, ..."""
    denial_letter: str = Field(min_length=1)
    """Full text of the denial (or a case summary)."""
    case: CaseFacts | None = None
    """The physician's case facts; null when only the denial is known (nothing is drafted)."""
    expected: Expected = Field(default_factory=Expected)
    metadata: dict[str, Any] = Field(default_factory=dict)

    @property
    def input(self) -> str:
        """The inspect_ai name of the model input: the denial letter."""
        return self.denial_letter

    @property
    def target(self) -> Expected:
        """The inspect_ai name of the labels."""
        return self.expected


def suite_path(name: str) -> Path:
    """The JSONL file of a named suite in ``evals/suites/``."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise InputError(f"--suite {name!r}: give a suite name such as synthetic or imr")
    path = SUITES_DIR / f"{name}.jsonl"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in SUITES_DIR.glob("*.jsonl"))) or "none"
        raise InputError(f"--suite {name}: no such suite (known: {known})")
    return path


def load_cases(path: Path) -> list[EvalCase]:
    """Every case of a JSONL file; a one-line InputError naming the line of the first bad one."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: not found") from None
    except (OSError, UnicodeDecodeError):
        raise InputError(f"{path}: cannot be read as UTF-8 text") from None
    cases: list[EvalCase] = []
    seen: set[str] = set()
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        case = _parse_line(line, f"{path}:{number}")
        if case.id in seen:
            raise InputError(f"{path}:{number}: duplicate case id {case.id!r}")
        seen.add(case.id)
        cases.append(case)
    if not cases:
        raise InputError(f"{path}: holds no cases")
    return cases


def _parse_line(line: str, where: str) -> EvalCase:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise InputError(f"{where}: a case must be a JSON object")
    try:
        return EvalCase.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"]) or "case"
        raise InputError(f"{where}: {loc}: {err['msg']}") from None


def cases_fingerprint(cases: list[EvalCase]) -> str:
    """A short hash of the cases' content: a run resumes only over the same cases."""
    digest = hashlib.sha256()
    for case in cases:
        digest.update(case.model_dump_json().encode())
    return digest.hexdigest()[:16]
