"""Eval cases and suites: the JSONL format, its one-line errors, and the two shipped suites."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.evals.cases import EvalCase, cases_fingerprint, load_cases, suite_path
from pipeline.models import DenialCategory, PlanType

from .conftest import ROOT


def write(tmp_path: Path, *lines: object) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n",
        encoding="utf-8",
    )
    return path


CASE = {"id": "a", "source": "synthetic", "denial_letter": "We denied it.", "case": None}


def test_a_minimal_case_loads_with_empty_expectations(tmp_path: Path) -> None:
    (case,) = load_cases(write(tmp_path, CASE))
    assert case.case is None and case.expected.denial_categories is None
    assert case.input == "We denied it." and case.target is case.expected


def test_unknown_expected_keys_are_kept_and_unknown_case_keys_are_errors(tmp_path: Path) -> None:
    (case,) = load_cases(write(tmp_path, {**CASE, "expected": {"service": "CT Scan"}}))
    assert case.expected.model_extra == {"service": "CT Scan"}
    with pytest.raises(InputError, match=r"cases.jsonl:1: verdict: Extra inputs"):
        load_cases(write(tmp_path, {**CASE, "verdict": "upheld"}))


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ((CASE, "{not json"), r"cases.jsonl:2: not valid JSON"),
        ((CASE, CASE), r"cases.jsonl:2: duplicate case id 'a'"),
        (([1, 2],), r"cases.jsonl:1: a case must be a JSON object"),
        (({**CASE, "expected": {"denial_categories": ["nope"]}},), r"denial_categories\.0"),
        (({**CASE, "expected": {"appeal_deadline": "soon"}},), r"appeal_deadline"),
        ((), r"holds no cases"),
    ],
)
def test_bad_case_files_name_the_line_and_the_field(tmp_path: Path, lines, message) -> None:
    with pytest.raises(InputError, match=message) as info:
        load_cases(write(tmp_path, *lines))
    assert "\n" not in str(info.value)


def test_unknown_suite_names_the_known_ones() -> None:
    with pytest.raises(InputError, match=r"no such suite \(known: .*synthetic"):
        suite_path("nope")
    with pytest.raises(InputError, match="give a suite name"):
        suite_path("../etc/passwd")


def test_fingerprint_changes_with_any_case_content(tmp_path: Path) -> None:
    a = load_cases(write(tmp_path, CASE))
    b = load_cases(write(tmp_path, {**CASE, "denial_letter": "We denied it!"}))
    assert cases_fingerprint(a) != cases_fingerprint(b)


# --------------------------------------------------------------------------- shipped suites


def synthetic() -> list[EvalCase]:
    return load_cases(suite_path("synthetic"))


def test_synthetic_suite_covers_every_category_and_plan_type() -> None:
    cases = synthetic()
    assert len(cases) >= 30
    primaries = {c.expected.denial_categories[0] for c in cases if c.expected.denial_categories}
    assert primaries == set(DenialCategory)
    assert {c.expected.plan_type for c in cases} == set(PlanType)
    assert sum(1 for c in cases if c.expected.gaps) >= 3  # missing facts
    assert sum(1 for c in cases if c.case is None) >= 2  # letter only
    assert sum(1 for c in cases if len(c.expected.criteria or []) >= 3) >= 10
    assert len({c.metadata["format"] for c in cases}) == len(cases)  # varied payer formats


def test_synthetic_suite_is_built_from_its_sources() -> None:
    from evals import make_synthetic

    assert (ROOT / "evals/suites/synthetic.jsonl").read_text(encoding="utf-8") == (
        make_synthetic.render()
    ), "run python evals/make_synthetic.py"


def test_every_synthetic_label_occurs_in_its_letter() -> None:
    """Labels are the letter's own values: a typo in a label would score the pipeline wrongly."""
    from pipeline.criteria_rules import readable_text

    for case in synthetic():
        text = " ".join(readable_text(case.denial_letter).split()).casefold()
        e = case.expected
        values = [*(e.cpt_codes or []), *(e.hcpcs_codes or []), *(e.icd10_codes or [])]
        values += [v for v in (e.member_id, e.claim_number) if v]
        values += e.criteria or []
        for value in values:
            assert " ".join(value.split()).casefold() in text, (case.id, value)


def test_imr_suite_loads_when_present() -> None:
    path = ROOT / "evals/suites/imr.jsonl"
    if not path.is_file():
        pytest.skip("evals/suites/imr.jsonl is made by evals/convert_imr.py")
    cases = load_cases(path)
    assert all(c.case is None and c.expected.denial_categories for c in cases)
