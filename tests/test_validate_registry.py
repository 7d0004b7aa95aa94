"""The validator's check registry: scopes, declared codes, advice, and how a new check joins."""

from __future__ import annotations

import pytest

from pipeline.models import Severity, ValidationFinding
from pipeline.sections import advice
from pipeline.validate import (
    CHECKS,
    SECTION_CHECKS,
    Context,
    FindingCode,
    Scope,
    _registry,
    advice_for,
    check,
    criterion_errors,
    finding,
    registered,
    validate,
)
from pipeline.validate._document import parse_document
from tests.test_validate import MUTATIONS, TEMPLATE


def test_checks_and_section_checks_derive_from_the_registry() -> None:
    assert tuple(s.func for s in registered()) == CHECKS
    assert tuple(s.func for s in registered(Scope.section)) == SECTION_CHECKS
    assert {c.__name__ for c in SECTION_CHECKS} == {
        "check_icd10",
        "check_criteria",
        "check_citations",
        "check_grounding",
        "check_placeholders",
        "check_injection",
        "check_verdicts",
        "check_concessions",
        "check_section_evidence",
        # issue 17: a failure, intolerance or contraindication no case fact states (claims.py)
        "check_claims",
        # issue 14: hand edits a section can hold (pipeline/validate/checks/parties.py,
        # medications.py, clinical_fit.py)
        "check_lookalikes",
        "check_person_names",
        "check_id_mentions",
        "check_credentials",
        "check_drug_names",
        "check_dose_values",
        "check_spelled_numbers",
        "check_laterality",
        "check_citation_relevance",
    }
    assert CHECKS[0].__name__ == "check_structure"  # report order is registration order


def test_every_code_is_declared_by_one_check_and_every_member_is_emittable() -> None:
    declared = [c for s in registered() for c in s.codes]
    assert len(declared) == len(set(declared))  # one owner per code
    assert set(declared) | {FindingCode.VALIDATOR_INTERNAL_ERROR} == set(FindingCode)


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_each_check_emits_only_the_codes_it_declares(name: str) -> None:
    md = MUTATIONS[name][0](TEMPLATE.markdown)
    draft = TEMPLATE.model_copy(update={"markdown": md, "validation": None})
    ctx = Context(draft=draft, doc=parse_document(md))
    for spec in registered():
        emitted = {f.code for f in spec.func(ctx)}
        assert emitted <= set(spec.codes), (spec.name, emitted - set(spec.codes))


def test_advice_derives_from_the_registry() -> None:
    assert advice_for("criteria.no_citation") == (
        "it cites no passage: cite a listed passage as [[cite:ID]]"
    )
    assert advice_for("npi.invalid") is None
    f = finding(FindingCode.PLACEHOLDER_LEFT, "A placeholder is left.", excerpt="TODO")
    assert advice(f) == "it leaves a placeholder 'TODO': state the fact, or leave it out"
    g = finding(FindingCode.NPI_INVALID, "The NPI is wrong.")
    assert advice(g) == "npi.invalid: The NPI is wrong."


def _noop(ctx: Context) -> list[ValidationFinding]:
    return []


@pytest.mark.parametrize(
    ("name", "codes", "extra", "message"),
    [
        ("noop", [FindingCode.TONE_EMOTIONAL], None, "name it check_"),
        ("check_noop", [], None, "declare its codes"),
        ("check_noop", ["tone.emotional"], None, "declare its codes"),
        ("check_noop", [FindingCode.TONE_EMOTIONAL], {FindingCode.NPI_MISSING: "x"}, "advice"),
    ],
)
def test_the_decorator_rejects_a_malformed_check(
    name: str, codes: list, extra: dict | None, message: str
) -> None:
    func = _noop
    func.__name__ = name
    with pytest.raises(ValueError, match=message):
        check(Scope.letter, codes=codes, advice=extra)(func)
    assert all(s.func is not func for s in registered())


def test_a_new_section_check_runs_in_validate_and_in_the_drafting_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_registry, "_REGISTRY", dict(_registry._REGISTRY))
    before = len(registered())

    @check(
        Scope.section,
        codes=[FindingCode.TONE_EMOTIONAL],
        advice={FindingCode.TONE_EMOTIONAL: "it says {excerpt}: keep it clinical"},
    )
    def check_first_criterion(ctx: Context) -> list[ValidationFinding]:
        block = ctx.doc.criteria[1]
        return [finding(FindingCode.TONE_EMOTIONAL, "x", span=(block.start, block.end))]

    assert len(registered()) == before + 1
    assert registered()[-1].func is check_first_criterion
    assert FindingCode.TONE_EMOTIONAL in {f.code for f in validate(TEMPLATE).findings}
    assert [(n, f.code) for n, f in criterion_errors(TEMPLATE)] == [(1, "tone.emotional")]
    assert advice_for("tone.emotional") == "it says {excerpt}: keep it clinical"


def test_a_check_that_raises_is_reported_not_propagated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_registry, "_REGISTRY", dict(_registry._REGISTRY))

    @check(Scope.letter, codes=[FindingCode.TONE_EMOTIONAL])
    def check_broken(ctx: Context) -> list[ValidationFinding]:
        raise KeyError("x")

    report = validate(TEMPLATE)
    [internal] = [f for f in report.findings if f.code == FindingCode.VALIDATOR_INTERNAL_ERROR]
    assert internal.severity == Severity.error
    assert "check_broken failed (KeyError)" in internal.message
