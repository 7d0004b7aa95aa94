"""The denial letter is read once per run and passed down: extraction reads it
(``criteria_rules.Reading``) and hands the engine what the rules read of it
(``AnalysisRequest.rules``: categories and criteria as data), instead of a reading carried in a
private attribute of the letter."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.casefile import load_case
from pipeline.criteria_rules import Reading, find_categories, read_criteria, read_rules
from pipeline.engines.base import AnalysisRequest
from pipeline.engines.offline import OfflineEngine
from pipeline.extract import extract_facts, extract_response
from pipeline.ingest import ingest
from pipeline.models import DenialLetter
from pipeline.pipeline import Pipeline
from tests.fault_server import FaultServer, ok
from tests.scripted_model import EXAMPLE, extraction
from tests.test_llm_engine import engine_for

pytestmark = pytest.mark.usefixtures("log_path")


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts a Reading is built of, in order."""
    built: list[str] = []
    init = Reading.__init__

    def counted(self: Reading, text: str) -> None:
        built.append(text)
        init(self, text)

    monkeypatch.setattr(Reading, "__init__", counted)
    return built


def test_the_letter_carries_no_reading() -> None:
    assert not DenialLetter.__private_attributes__  # nothing parsed rides on the contract


def test_a_run_reads_the_letter_once(reads: list[str]) -> None:
    letter = ingest(str(EXAMPLE.letter_path))
    case = load_case(EXAMPLE.case_path)
    outcome = Pipeline().run(letter, case, today=dt.date(2026, 11, 23), allow_gaps=True)
    assert outcome.draft is not None and outcome.analysis.criteria
    assert reads == [letter.text]


def test_a_model_engine_completes_its_criteria_from_the_one_reading(
    server: FaultServer, reads: list[str]
) -> None:
    letter = ingest(str(EXAMPLE.letter_path))
    server.push(ok(extraction(letter)))  # the scripted model's reply (read by the test)
    reads.clear()
    answer = extract_response(letter, engine_for(server))
    assert answer.criteria_source == "model" and answer.analysis.criteria
    assert reads == [letter.text]


def test_the_request_carries_what_the_rules_read() -> None:
    letter = ingest(str(EXAMPLE.letter_path))
    rules = read_rules(letter)
    assert rules.categories == find_categories(letter.text)
    assert rules.criteria == read_criteria(letter.text, trees=False)
    found = extract_facts(letter.text)
    given = OfflineEngine().analyze(AnalysisRequest(letter=letter, found=found, rules=rules))
    bare = OfflineEngine().analyze(AnalysisRequest(letter=letter, found=found))  # reads it
    assert given.analysis == bare.analysis
    assert given.analysis.criteria == rules.criteria
