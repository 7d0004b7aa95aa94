"""Errors that say what to fix: case-file problems found before drafting with the field to fill,
non-mass doses accepted, every validator finding printed with its text, its case field or letter
section and what to write. The three cases in tests/fixtures/dead_ends/ each ended, before this,
in a bare `the draft failed validation (code); nothing was written`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from pipeline import pipeline as pipeline_module
from pipeline.casecheck import case_problems
from pipeline.cli import main
from pipeline.fixes import GENERIC_FIX, fix_for, fixes
from pipeline.models import CaseFacts
from pipeline.validate import FindingCode
from pipeline.validate.checks.treatments import has_dose, has_frequency

from .conftest import ROOT

DEAD_ENDS = ROOT / "tests" / "fixtures" / "dead_ends"
DATE = ["--date", "2026-12-05"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def args_for(name: str, case: Path | None = None) -> list[str]:
    folder = DEAD_ENDS / name
    return [str(folder / "letter.txt"), "--case", str(case or folder / "case.yaml"), *DATE]


def test_every_finding_code_has_a_fix_and_no_fix_is_stray() -> None:
    assert set(fixes()) <= {code.value for code in FindingCode}
    # A code added later still gets a fix: its check's advice, else where to look.
    assert fix_for("some.new_code").write == GENERIC_FIX
    assert fix_for(FindingCode.DOSE_MISSING_UNIT).field == "prior_treatments[{i}].dose"
    for code, fix in fixes().items():
        assert fix.write.endswith("."), code
        assert fix.field is None or fix.field.split("[")[0].split(".")[0] in CaseFacts.model_fields


@pytest.mark.parametrize(
    "dose", ["thin layer", "1 drop", "2 puffs", "1 application", "per sliding scale", "200 mg"]
)
def test_topical_and_other_non_mass_amounts_are_doses(dose: str) -> None:
    assert has_dose(dose)


@pytest.mark.parametrize("dose", ["as directed", "low", "see chart", "standard"])
def test_words_that_give_no_amount_are_not_doses(dose: str) -> None:
    assert not has_dose(dose)
    assert has_frequency("twice daily") and not has_frequency("sometimes")


@pytest.mark.parametrize("name", ["blepharoplasty", "dupilumab", "prostate"])
def test_the_former_dead_ends_draft_or_name_what_to_add(name: str, capsys, tmp_path) -> None:
    """Each drafts and passes, or stops before drafting on gaps that name the case field to
    fill (the dupilumab case: whether tacrolimus counts as the 'topical calcineurin inhibitor'
    is the class book's call); none ends in a rejected draft, and a 'thin layer' is a dose."""
    out = tmp_path / "draft.json"
    rc, _, err = run(capsys, "draft", *args_for(name), "-f", "json", "-o", str(out))
    assert rc in (0, 3), err
    assert ".dose" not in err
    if rc == 3:
        gaps = [line for line in err.splitlines() if line.startswith("  - ")]
        assert gaps and all(
            line.split(":")[0].strip(" -") in line.split(":", 1)[1] or "criteria[" in line
            for line in gaps
        ), err
        return
    assert "letter passed validation" in err
    draft = json.loads(out.read_text())
    assert [f for f in draft["validation"]["findings"] if f["severity"] == "error"] == []


def test_a_dose_without_an_amount_is_found_before_drafting(capsys, tmp_path) -> None:
    case = yaml.safe_load((DEAD_ENDS / "dupilumab" / "case.yaml").read_text())
    case["prior_treatments"][1]["dose"] = "as directed"
    case["prior_treatments"][1]["frequency"] = "sometimes"
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case))
    rc, out, err = run(capsys, "draft", *args_for("dupilumab", path))
    assert rc == 3 and out == ""
    assert "prior_treatments[1].dose: Prior treatment 2 (a medication) has a dose" in err
    assert '"thin layer"' in err and '"200 mg"' in err
    assert "prior_treatments[1].frequency:" in err and '"once daily"' in err
    assert "as directed" not in err  # paths and advice, never the case's own text


def test_bad_codes_in_the_case_are_found_before_drafting() -> None:
    case = CaseFacts.model_validate(
        {
            "diagnoses": [{"code": "F33"}, {"code": "Q99.99"}, {"code": "M17.11"}],
            "service": {"code": "2744"},
        }
    )
    found = {g.field: g.message for g in case_problems(case)}
    assert set(found) == {"diagnoses[0].code", "diagnoses[1].code", "service.code"}
    assert "billable" in found["diagnoses[0].code"]
    assert "not an ICD-10-CM code" in found["diagnoses[1].code"]
    assert "5 digits" in found["service.code"]


def test_a_rejected_draft_prints_each_finding_with_where_and_what_to_write(
    capsys, monkeypatch, tmp_path
) -> None:
    """A letter the validator rejects (here the drafter's own output with its dose cell emptied
    of its amount, as a broken engine would write it): every finding is printed with its text,
    the case field, the letter section and what to write; nothing is written."""
    real_assemble = pipeline_module.assemble

    def assemble_without_amount(*args, **kwargs):
        draft = real_assemble(*args, **kwargs)
        return draft.model_copy(update={"markdown": draft.markdown.replace("thin layer", "some")})

    monkeypatch.setattr(pipeline_module, "assemble", assemble_without_amount)
    out = tmp_path / "letter.md"
    rc, _, err = run(capsys, "draft", *args_for("blepharoplasty"), "-o", str(out), "--force")
    assert rc == 4 and not out.exists()
    lines = err.splitlines()
    assert lines[0].startswith("lmn: error: the draft failed validation with 1 error(s)")
    assert lines[1] == (
        "lmn: error dose.missing_unit (case file prior_treatments[0].dose, letter section "
        "'Prior treatment'): Prior-treatment row 1 (a medication) has no amount with a unit. "
        'Write the amount with its unit or form, e.g. "200 mg", "2 puffs", "1 drop", '
        '"1 application", "thin layer", "per sliding scale".'
    )


def test_validate_prints_where_to_fix_each_finding(capsys, tmp_path) -> None:
    draft_json = tmp_path / "draft.json"
    args = args_for("blepharoplasty")
    assert run(capsys, "draft", *args, "-f", "json", "-o", str(draft_json))[0] == 0
    draft = json.loads(draft_json.read_text())
    draft["markdown"] = draft["markdown"].replace("twice daily", "when flaring", 1)
    draft_json.write_text(json.dumps(draft))
    rc, out, _ = run(capsys, "validate", str(draft_json))
    assert rc == 4
    assert "error dose.missing_frequency (case file prior_treatments[0].frequency" in out
    assert "Write how often it was taken or applied" in out


def test_warnings_are_printed_with_their_text(capsys) -> None:
    """The demo's example passes with a warning; the warning's text and fix are printed."""
    example = ROOT / "examples" / "tms-erisa"
    rc, _, err = run(
        capsys, "draft", str(example / "letter.txt"), "--case", str(example / "case.yaml"), *DATE
    )
    assert rc == 0
    head, *rest = err.splitlines()
    count = int(head.split("(")[1].split(" ")[0])
    assert head.startswith("lmn: letter passed validation")
    assert len([line for line in rest if line.startswith("lmn: warning ")]) == count


def test_short_consequences_are_found_before_drafting() -> None:
    case = CaseFacts.model_validate({"consequences_of_denial": "Ongoing eczema and sleep loss."})
    (gap,) = case_problems(case)
    assert gap.field == "consequences_of_denial" and "10 words or more" in gap.message
    listed = CaseFacts.model_validate(
        {
            "consequences_of_denial": "Continued risk of variceal bleeding, worsening ascites, "
            "hepatic encephalopathy, hepatocellular carcinoma and death."
        }
    )
    assert case_problems(listed) == []


def _labelled_and_bundled() -> list[tuple[str, str, dict]]:
    cases = []
    for suite in sorted((ROOT / "evals" / "suites").glob("*.jsonl")):
        for line in suite.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if item.get("case"):
                cases.append((item["id"], item["denial_letter"], item["case"]))
    for folder in sorted(ROOT.glob("examples/*/case.yaml")):
        letter = (folder.parent / "letter.txt").read_text(encoding="utf-8")
        cases.append((folder.parent.name, letter, yaml.safe_load(folder.read_text())))
    return cases


def test_no_bundled_or_labelled_case_ends_in_a_validation_dead_end() -> None:
    """Every case drafts, or stops before drafting on gaps that each name a case field."""
    import datetime as dt

    from pipeline.errors import GapsError
    from pipeline.ingest import ingest_text
    from pipeline.retrieve import get_index
    from pipeline.run import draft_letter

    index = get_index()
    fields = {*CaseFacts.model_fields, "criteria"}
    cases = _labelled_and_bundled()
    assert len(cases) >= 40
    for name, letter, case in cases:
        try:
            draft_letter(
                ingest_text(letter),
                CaseFacts.model_validate(case),
                index=index,
                today=dt.date(2026, 12, 5),
            )
        except GapsError as exc:
            for gap in exc.gaps:
                assert gap.field.split("[")[0].split(".")[0] in fields
                assert gap.field in gap.message or gap.field.startswith("criteria["), (name, gap)
