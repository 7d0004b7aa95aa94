"""`lmn case init`: a case file started from the denial. On every bundled example, the started
file, once its marked (TODO) fields are filled from the example's own case.yaml, drafts a letter
that passes validation with no gaps; what it pre-fills agrees with the example's case."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from pipeline.casefile import load_case
from pipeline.caseinit import code_description, criterion_notes, init_case, patient_name
from pipeline.cli import main
from pipeline.ingest import ingest
from pipeline.models import CaseFacts, Criterion, Requirement
from pipeline.pipeline import Pipeline
from pipeline.run import draft_letter

from .conftest import EXAMPLES


def _fill(started: object, example: object) -> object:
    """The started file's values, with each empty (marked) one taken from the example."""
    if started is None or started == []:
        return started if example is None else example
    if isinstance(started, dict) and isinstance(example, dict):
        keys = [*started, *(k for k in example if k not in started)]
        return {k: _fill(started.get(k), example.get(k)) for k in keys}
    return started


def _started(example: Path) -> tuple[str, dict]:
    letter = ingest(example / "letter.txt")
    text = init_case(letter, Pipeline().run(letter, None, until="extract").analysis)
    return text, yaml.safe_load(text)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_a_started_case_file_filled_from_the_example_drafts_cleanly(example: Path) -> None:
    text, started = _started(example)
    CaseFacts.model_validate(started)  # loads as it is, before anything is filled
    for line in text.splitlines():  # every empty field is marked
        m = re.match(r"^\s*([a-z_]+):\s*(\[\])?\s*(#|$)", line)
        if m and m.group(1) not in ("patient", "physician", "service", "diagnoses"):
            assert "TODO" in line or "optional:" in line, line
    own = yaml.safe_load((example / "case.yaml").read_text(encoding="utf-8"))
    case = CaseFacts.model_validate(_fill(started, own))
    draft = draft_letter(
        ingest(example / "letter.txt"), case, today=dt.date(2026, 11, 23), allow_gaps=False
    )
    assert draft.gaps == []
    assert draft.validation is not None and draft.validation.ok, draft.validation
    # What it pre-filled from the letter is what the example's physician wrote.
    for key in ("claim_reference",):
        assert started[key] in (None, own[key])
    assert started["patient"]["member_id"] in (None, own["patient"]["member_id"])
    if started["patient"]["name"]:
        squash = lambda s: re.sub(r"[^a-z]", "", s.casefold())  # noqa: E731
        assert squash(started["patient"]["name"]) == squash(own["patient"]["name"])
    own_codes = {d["code"] for d in own["diagnoses"]}
    assert started["diagnoses"] == [] or started["diagnoses"][0]["code"] in own_codes


def test_each_criterion_is_written_with_what_to_document() -> None:
    criterion = Criterion(
        text="AHI of 15 or more events per hour on a sleep test, or 5 to 14 with hypertension",
        source="MP-DME-112",
        logic="any",
        payer_status="not_documented",
        requirements=[
            Requirement(
                kind="threshold",
                subject="AHI",
                comparator=">=",
                value=15,
                unit="events/hour",
                span="AHI of 15 or more events per hour",
            ),
            Requirement(
                kind="test_done", subject="sleep test", branch=1, span="on a sleep test"
            ),
        ],
    )
    notes = "\n".join(criterion_notes(2, criterion))
    assert notes.startswith(
        "# Criterion 2 (MP-DME-112): the payer says the records do not show it"
    )
    assert "One of these alternatives is enough" in notes
    flat = " ".join(notes.replace("#", " ").split())
    assert (
        "alternative 1, threshold: add AHI under objective_findings with its value and date "
        "(the payer requires at least 15 events/hour) [objective_findings]" in flat
    )
    assert "alternative 2, test_done: add the sleep test under objective_findings" in flat


def test_the_patient_and_code_descriptions_are_read_where_the_letter_labels_them() -> None:
    text = (
        "Member Name:           Denise M. Kowalczyk\nMember ID: 0094417752\n"
        "   CPT 27447 - Arthroplasty, knee, condyle and plateau (total knee)   Units: 1\n"
        "Member Services 1-800-555-0100\n"
    )
    assert patient_name(text) == "Denise M. Kowalczyk"
    assert patient_name("Member:     KEVIN P MARCHETTI   DOB 12/05/1988") == "Kevin P Marchetti"
    assert patient_name("Member Services: 1-800-555-0120\nDear Ms. Okafor:") is None
    assert code_description(text, "27447") == (
        "Arthroplasty, knee, condyle and plateau (total knee)"
    )
    assert code_description("E0601 - CPAP device (E0562), mask A7030", "E0601") == "CPAP device"


def test_case_init_writes_a_file_that_loads_and_never_overwrites(capsys, tmp_path) -> None:
    letter = str(EXAMPLES[0] / "letter.txt")
    out = tmp_path / "case.yaml"
    assert main(["case", "init", letter, "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"lmn: wrote {out}: fill the fields marked TODO" in err
    assert isinstance(load_case(out), CaseFacts)
    out.write_text("mine")
    assert main(["case", "init", letter, "-o", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err and out.read_text() == "mine"


def test_the_started_file_shows_how_to_give_the_physicians_own_sources() -> None:
    from pipeline.models import CaseCitation

    text, started = _started(EXAMPLES[0])
    assert started["citations"] == []
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("citations: []"))
    assert "optional:" in lines[at]
    block = []
    for line in lines[at + 1 :]:  # the commented example under it, uncommented
        if not line.startswith("#   "):
            break
        block.append(line[4:])
    filled = yaml.safe_load("citations:\n" + "\n".join(block))
    case = CaseFacts.model_validate({**started, **filled})
    assert len(case.citations) == 1
    assert set(filled["citations"][0]) == set(CaseCitation.model_fields), "every field shown"
