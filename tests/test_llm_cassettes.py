"""The OpenAI-compatible engine replaying real traffic recorded from llama.cpp (SmolLM2-135M).

No server is needed: vcrpy answers every request from tests/cassettes/ (record mode "none",
matched on method, path and body). A failure that says a request is not in the cassette means
a prompt, the engine or the validator changed what is sent: re-record (README, "Using a model").
"""

from __future__ import annotations

import re

import pytest
import yaml

from pipeline import runlog
from pipeline.casefile import load_case
from pipeline.engine import ArgumentRequest
from pipeline.evidence import CITE_RE, argue_offline
from pipeline.llm.client import ModelUnavailable
from pipeline.llm.engine import OpenAIEngine
from tests.llm_replay import MODEL, RECORDED, Example, cassette_vcr, draft_example, replay_settings

PROMPT_IDS = {"extract_denial", "draft_sections", "redraft_sections"}


@pytest.fixture(autouse=True)
def log_path(tmp_path, monkeypatch):
    path = tmp_path / "runlog.sqlite3"
    monkeypatch.setenv(runlog.RUNLOG_ENV, str(path))
    monkeypatch.delenv(runlog.RUNLOG_TEXT_ENV, raising=False)
    return path


def replay(example: Example):
    """The example drafted from its cassette; every recorded request must be replayed."""
    engine = OpenAIEngine(replay_settings())
    with cassette_vcr("none").use_cassette(str(example.cassette)) as cassette:
        try:
            passages, analysis = example.stored_passages(), example.stored_analysis()
            draft = draft_example(example, engine, passages, analysis)
        except ModelUnavailable as exc:
            pytest.fail(
                f"{example.slug}: a request is not in the cassette ({exc}); re-record with "
                f"python scripts/record_cassettes.py {example.slug}"
            )
        assert cassette.all_played, "the draft made fewer model calls than were recorded"
    return draft, engine, cassette


def template_lead(argument: str) -> str:
    """The template drafter's own words after the criterion's quote, up to the first citation."""
    after_quote = argument.split("” ", 1)[-1]
    return CITE_RE.split(after_quote)[0].strip()[:60]


@pytest.mark.parametrize("slug", RECORDED)
def test_replayed_draft_passes_with_sections_marked_by_who_wrote_them(slug, log_path):
    example = Example(slug)
    draft, engine, cassette = replay(example)
    assert draft.validation is not None and draft.validation.ok, draft.validation
    criteria = draft.analysis.criteria
    assert criteria, "every recorded example cites criteria"
    fallback = draft.run.fallback_sections
    assert set(fallback) <= set(range(1, len(criteria) + 1))
    request = ArgumentRequest(analysis=draft.analysis, case=draft.case, passages=draft.passages)
    template = argue_offline(request)
    for number in range(1, len(criteria) + 1):
        lead = template_lead(template[number - 1].argument)
        assert (lead in draft.markdown) == (number in fallback), (number, lead)
    assert draft.run.model == MODEL and draft.run.criteria_source in ("model", "rules")
    assert set(draft.run.prompts) <= PROMPT_IDS and "extract_denial" in draft.run.prompts
    assert engine.client.stats.calls == len(cassette.requests)
    if not fallback:
        assert engine.client.stats.calls <= 3


@pytest.mark.parametrize("slug", RECORDED)
def test_replay_is_logged_without_letter_or_patient_text(slug, log_path):
    example = Example(slug)
    replay(example)
    calls = runlog.recent(100)
    assert calls and {c.prompt_id for c in calls} <= PROMPT_IDS
    assert all(re.fullmatch(r"[0-9a-f]{64}", c.prompt_sha256) for c in calls)
    assert all(c.model == MODEL and c.tokens_in and c.latency_ms >= 0 for c in calls)
    stored = log_path.read_bytes()
    case = load_case(example.case_path)
    for private in (case.patient.name, case.patient.member_id, case.claim_reference):
        assert private and private.encode() not in stored


@pytest.mark.parametrize("slug", RECORDED)
def test_cassettes_hold_no_credentials(slug):
    path = Example(slug).cassette
    interactions = yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]
    assert interactions
    for interaction in interactions:
        headers = {name.lower() for name in interaction["request"]["headers"]}
        assert not headers & {"authorization", "api-key", "x-api-key", "cookie"}
    assert "Bearer" not in path.read_text(encoding="utf-8")
