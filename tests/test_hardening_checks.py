"""Issue 14: the validator's new checks, piece by piece (the hand-edit suite tests them whole)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pipeline.casefile import load_case
from pipeline.ingest import ingest
from pipeline.models import PlanType
from pipeline.run import draft_letter
from pipeline.validate import FindingCode, validate
from pipeline.validate.checks.legal import regimes
from pipeline.validate.checks.medications import LEXICON_PATH, drug_names, spelled_number

from .conftest import ROOT

TKA = ROOT / "examples" / "tka-aca"
FDA = ROOT.parent / "shared" / "data" / "fda"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("seven hundred fifty", 750),
        ("twenty-two", 22),
        ("one thousand five hundred", 1500),
        ("eighty", 80),
        ("1,500", 1500),
        ("0.75", 0.75),
        ("many", None),
    ],
)
def test_spelled_numbers(text: str, value: float | None) -> None:
    assert spelled_number(text) == value


def test_the_drug_lexicon_keeps_its_provenance() -> None:
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    assert set(data["sources"]) == {"fda_pharm_classes.jsonl", "fda_label_indications.jsonl"}
    assert all({"title", "date", "license"} <= set(s) for s in data["sources"].values())
    assert len(data["names"]) > 2000
    assert all(v["source"] in data["sources"] and v["record"] for v in data["names"].values())
    names = drug_names()
    assert {"naproxen", "acetaminophen", "duloxetine", "methylprednisolone"} <= names
    assert not {"sodium", "alcohol", "water", "acetate"} & names


@pytest.mark.skipif(not FDA.is_dir(), reason="shared/data/fda is not beside the repository")
def test_the_committed_lexicon_is_what_the_importer_builds() -> None:
    from scripts.import_drug_lexicon import build

    assert json.loads(LEXICON_PATH.read_text(encoding="utf-8")) == json.loads(
        json.dumps(build(FDA))
    )


def test_every_plan_type_but_unknown_has_a_regime() -> None:
    covered = {p for r in regimes() for p in r.plan_types}
    assert covered == set(PlanType) - {PlanType.unknown}


def test_a_case_of_another_member_is_a_validator_error_naming_both_ids() -> None:
    case = load_case(TKA / "case.yaml")
    draft = draft_letter(ingest(TKA / "letter.txt"), case, today=dt.date(2026, 12, 5))
    other = case.model_copy(
        update={"patient": case.patient.model_copy(update={"member_id": "PSH-11111-2222-03"})}
    )
    report = validate(draft.model_copy(update={"case": other}))
    [mismatch] = [f for f in report.errors if f.code == FindingCode.IDENTITY_CASE_MISMATCH]
    assert "PSH-11111-2222-03" in mismatch.message and "PSH-90331-7742-01" in mismatch.message
