"""The OpenAI-compatible engine replaying real traffic recorded from llama.cpp (SmolLM2-135M).

No server is needed: vcrpy answers every request from tests/cassettes/ (record mode "none",
matched on method, path and body). A failure that says a request is not in the cassette means
a prompt, the engine or the validator changed what is sent: re-record (README, "Using a model").
"""

from __future__ import annotations

import re

import pytest

from pipeline import runlog
from pipeline.casefile import load_case
from pipeline.engine import ArgumentRequest
from pipeline.engines.openai import OpenAIEngine
from pipeline.llm.client import ModelUnavailable
from pipeline.reasoning.argument import argue as argue_offline
from tests.conftest import runlog_texts
from tests.llm_replay import (
    MODEL,
    RECORDED,
    Example,
    cassette_vcr,
    draft_example,
    replay_settings,
    template_lead,
    without_enclosure_refs,
)

PROMPT_IDS = {"extract_denial", "draft_sections", "redraft_sections"}


pytestmark = pytest.mark.usefixtures("log_path")

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


@pytest.mark.parametrize("slug", RECORDED)
def test_replayed_draft_passes_with_sections_marked_by_who_wrote_them(slug, log_path):
    example = Example(slug)
    draft, engine, cassette = replay(example)
    assert draft.validation is not None and draft.validation.ok, draft.validation
    criteria = draft.analysis.criteria
    assert criteria, "every recorded example cites criteria"
    # SmolLM2-135M wrote no section that passed the checks: every section of every recording
    # is the template drafter's, and the criteria are the rules' (re-recording may change this).
    numbers = list(range(1, len(criteria) + 1))
    assert draft.run.fallback_sections == numbers
    assert draft.run.criteria_source == "rules"
    request = ArgumentRequest(analysis=draft.analysis, case=draft.case, passages=draft.passages)
    template = argue_offline(request)
    for number in numbers:
        lead = template_lead(template[number - 1].argument)
        assert lead and lead in without_enclosure_refs(draft.markdown), (number, lead)
    assert draft.run.model == MODEL
    assert set(draft.run.prompts) <= PROMPT_IDS and "extract_denial" in draft.run.prompts
    assert engine.client.stats.calls == len(cassette.requests)


@pytest.mark.parametrize("slug", RECORDED)
def test_replay_is_logged_without_letter_or_patient_text(slug, log_path):
    example = Example(slug)
    replay(example)
    calls = runlog.recent(100)
    assert calls and {c.prompt_id for c in calls} <= PROMPT_IDS
    assert all(re.fullmatch(r"[0-9a-f]{64}", c.prompt_sha256) for c in calls)
    assert all(c.model == MODEL and c.tokens_in and c.latency_ms >= 0 for c in calls)
    assert all(c.request_text is None and c.response_text is None for c in calls)
    stored = [cells for _, cells in runlog_texts(log_path)]  # through SQL: rows sit in the WAL
    assert len(stored) >= len(calls)
    case = load_case(example.case_path)
    for private in (case.patient.name, case.patient.member_id, case.claim_reference):
        assert private and not any(private in cells for cells in stored), private
