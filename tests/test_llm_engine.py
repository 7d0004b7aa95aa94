"""The OpenAI-compatible engine end to end against the fault server: provenance, re-drafts,
per-section fallback to the template drafter, and the CLI's one-line errors."""

from __future__ import annotations

import pytest

from pipeline.cli import main
from pipeline.criteria_rules import find_criteria
from pipeline.engine import ArgumentRequest
from pipeline.engines.openai import OpenAIEngine
from pipeline.extract import extract_facts
from pipeline.ingest import ingest
from pipeline.llm.client import ModelUnavailable
from pipeline.llm.config import LLMSettings
from pipeline.models import RetrievedPassage
from pipeline.prompts import load_prompt
from pipeline.reasoning.argument import argue as argue_offline
from tests.fault_server import MODEL, Fault, FaultServer, ok
from tests.llm_replay import draft_example, template_lead, without_enclosure_refs
from tests.scripted_model import (
    EXAMPLE,
    TREATMENTS,
    bad,
    draft_sections,
    extraction,
    good,
    tms_passages,
    unsupported_number,
)
from tests.test_llm_faults import FAST

pytestmark = pytest.mark.usefixtures("log_path")


@pytest.fixture(scope="module")
def letter():
    return ingest(str(EXAMPLE.letter_path))


@pytest.fixture(scope="module")
def passages() -> list[RetrievedPassage]:
    return tms_passages()


def engine_for(server: FaultServer) -> OpenAIEngine:
    settings = LLMSettings(
        base_url=server.base_url,
        model=MODEL,
        api_key="sk-test",
        structured_output="function_calling",
        retry=FAST,
    )
    return OpenAIEngine(settings)


def last_user_message(request: dict) -> str:
    return next(m["content"] for m in reversed(request["messages"]) if m["role"] == "user")


# --------------------------------------------------------------------------- analyze


def test_model_criteria_kept_only_when_in_the_letter_and_rules_win_on_ids(server, letter):
    from pipeline.extract import extract_response

    server.push(ok(extraction(letter)))
    engine = engine_for(server)
    answer = extract_response(letter, engine)
    analysis = answer.analysis
    rules = extract_facts(letter.text)
    assert [c.text for c in analysis.criteria] == [c.text for c in find_criteria(letter.text)]
    assert analysis.claim_number == rules.claim_number != "WRONG-123"
    assert "99999" not in analysis.cpt_codes and "90867" in analysis.cpt_codes
    assert answer.criteria_source == "model"


def test_rules_criteria_when_none_of_the_models_occur(server, letter):
    from pipeline.extract import extract_response

    invented = {"text": "Invented requirement that the letter never states"}
    server.push(ok({"criteria": [invented, {"text": "Denied"}]}))  # "DENIED" is in the letter
    engine = engine_for(server)
    answer = extract_response(letter, engine)
    analysis = answer.analysis
    assert analysis.criteria == find_criteria(letter.text)
    assert answer.criteria_source == "rules"


# --------------------------------------------------------------------------- argue


def test_a_passing_first_draft_takes_two_calls_and_keeps_every_model_section(
    server, letter, passages
):
    server.push(ok(extraction(letter)), draft_sections(*(good(n) for n in (1, 2, 3, 4))))
    draft = draft_example(EXAMPLE, engine_for(server), passages)
    assert draft.validation is not None and draft.validation.ok
    assert len(server.requests) == 2
    assert draft.run.fallback_sections == []
    assert set(draft.run.prompts) == {"extract_denial", "draft_sections"}
    for name in TREATMENTS:
        assert f"failed trial of {name}" in draft.markdown
    tools = server.requests[1]["tools"][0]["function"]["parameters"]
    assert (
        tools["properties"]["sections"]["minItems"]
        == 4
        == tools["properties"]["sections"]["maxItems"]
    )


def test_rejected_sections_are_redrafted_then_fall_back_to_the_template(server, letter, passages):
    server.push(
        ok(extraction(letter)),
        draft_sections(good(1), bad(2), unsupported_number(3), bad(4)),
        draft_sections(good(2), bad(3), bad(4)),  # re-draft 1: criterion 2 fixed
        draft_sections(bad(3), bad(4)),  # re-draft 2: still failing
    )
    engine = engine_for(server)
    draft = draft_example(EXAMPLE, engine, passages)
    assert draft.validation is not None and draft.validation.ok
    assert len(server.requests) == 4
    assert draft.run.fallback_sections == [3, 4]
    assert "failed trial of Sertraline" in draft.markdown  # criterion 1: first draft
    assert f"failed trial of {TREATMENTS[1]}" in draft.markdown  # criterion 2: re-draft
    assert "clearly meets" not in draft.markdown and "73 medications" not in draft.markdown
    request = ArgumentRequest(analysis=draft.analysis, case=draft.case, passages=passages)
    template = argue_offline(request)
    for index in (2, 3):  # the template drafter's own sentences stand in the letter
        lead = template_lead(template[index].argument)
        assert lead and lead in without_enclosure_refs(draft.markdown), (index + 1, lead)
    for index in (0, 1):  # the model's sections, not the template drafter's
        lead = template_lead(template[index].argument)
        assert lead and lead not in without_enclosure_refs(draft.markdown), (index + 1, lead)
    first_redraft = last_user_message(server.requests[2])
    assert "Criterion 1:" not in first_redraft
    assert "Criterion 2:" in first_redraft and "Criterion 3:" in first_redraft
    assert "'73'" in first_redraft  # the validator's grounding finding went back to the model
    assert "Criterion 2:" not in last_user_message(server.requests[3])
    assert set(draft.run.prompts) == {"extract_denial", "draft_sections", "redraft_sections"}


def test_misnumbered_sections_are_taken_in_order(server, letter, passages):
    sections = [good(n) | {"criterion": 1} for n in (1, 2, 3, 4)]
    server.push(ok(extraction(letter)), draft_sections(*sections))
    draft = draft_example(EXAMPLE, engine_for(server), passages)
    assert draft.run.fallback_sections == []
    positions = [draft.markdown.index(f"failed trial of {name}") for name in TREATMENTS]
    assert positions == sorted(positions)


def test_unusable_drafts_fall_back_entirely_and_still_pass(server, letter, passages):
    server.push(ok(extraction(letter)))
    server.fallback = Fault("schema_invalid", {"sections": "none"})
    draft = draft_example(EXAMPLE, engine_for(server), passages)
    assert draft.validation is not None and draft.validation.ok
    assert draft.run.fallback_sections == [1, 2, 3, 4]
    assert len(server.requests) == 1 + 3  # extraction; the draft and its two re-asks


def test_a_dead_server_during_drafting_is_an_error_not_a_silent_fallback(server, letter, passages):
    server.push(ok(extraction(letter)))
    with pytest.raises(ModelUnavailable, match="HTTP 500"):
        draft_example(EXAMPLE, engine_for(server), passages)


def test_model_name_is_asked_of_the_server_when_not_set(server):
    settings = LLMSettings(base_url=server.base_url, model=None, retry=FAST)
    assert OpenAIEngine(settings).model == MODEL


# --------------------------------------------------------------------------- CLI


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def no_config(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text("max_attempts = 2\n", encoding="utf-8")
    monkeypatch.setenv("LMN_CONFIG", str(config))
    for name in ("OPENAI_API_KEY", "LMN_ENGINE", "LMN_MODEL", "LMN_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return config


def test_cli_extract_with_the_openai_engine_then_lmn_log(server, letter, capsys, no_config):
    server.push(ok(extraction(letter)))
    letter_path = str(EXAMPLE.letter_path)
    rc, out, _ = run(
        capsys, "extract", letter_path, "--engine", "openai", "--base-url", server.base_url
    )
    assert rc == 0 and "criteria: 4" in out
    assert server.requests[0]["model"] == MODEL  # discovered with GET /models
    rc, out, _ = run(capsys, "log", "-n", "5")
    assert rc == 0
    version = load_prompt("extract_denial").version
    assert f"extract_denial v{version}@" in out and MODEL in out and " ok" in out


def test_cli_gives_one_line_and_exit_5_when_the_server_keeps_failing(server, capsys, no_config):
    letter_path = str(EXAMPLE.letter_path)
    rc, out, err = run(
        capsys, "extract", letter_path, "--engine", "openai", "--base-url", server.base_url
    )
    assert rc == 5 and out == ""
    assert err.count("\n") == 1 and "lmn: error:" in err and "HTTP 500" in err
    assert "2 attempts" in err


def test_cli_without_a_key_for_openai_names_the_variable(capsys, no_config):
    rc, _, err = run(capsys, "extract", str(EXAMPLE.letter_path), "--engine", "openai")
    assert rc == 5 and "OPENAI_API_KEY" in err and err.count("\n") == 1


def test_cli_model_options_need_the_openai_engine(capsys, no_config):
    rc, _, err = run(capsys, "extract", str(EXAMPLE.letter_path), "--model", "gpt-4o-mini")
    assert rc == 2 and "--engine openai" in err


def test_each_draft_s_calls_share_a_run_id_of_their_own(server, letter, passages) -> None:
    from pipeline import runlog

    engine = engine_for(server)
    for _ in range(2):
        server.push(ok(extraction(letter)), draft_sections(*(good(n) for n in (1, 2, 3, 4))))
        draft_example(EXAMPLE, engine, passages)
    run_ids = [row.run_id for row in reversed(runlog.recent(10))]
    assert len(run_ids) == 4
    assert run_ids[0] == run_ids[1] != run_ids[2] == run_ids[3]


def test_both_engines_open_each_criterion_section_the_same_way(letter) -> None:
    """Issue 13: one section skeleton. A model's section and the offline writer's both open
    with the criterion quoted under the same lead-in ("The plan requires: ..."), so the letter
    reads alike whichever engine wrote a section (and a fallback section does not stand out)."""
    from pipeline.casefile import load_case
    from pipeline.engines.openai.sections import SectionPrompt
    from pipeline.evidence import criterion_quote
    from pipeline.extract import extract
    from pipeline.llm.schemas import DraftSection

    analysis = extract(letter)
    case = load_case(EXAMPLE.case_path)
    request = ArgumentRequest(analysis=analysis, case=case, passages=[])
    offline = argue_offline(request)
    sections = [
        DraftSection(criterion=i + 1, argument="The record documents this criterion in full.")
        for i in range(len(analysis.criteria))
    ]
    model = SectionPrompt(request).arguments(sections)
    for i, criterion in enumerate(analysis.criteria):
        lead = criterion_quote(criterion)
        assert lead.startswith("The plan requires: “")
        assert offline[i].argument.startswith(lead), offline[i].argument[:80]
        assert model[i].argument.startswith(lead), model[i].argument[:80]
