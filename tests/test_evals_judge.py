"""The optional LLM judge, against a fake chat model (never a network call)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from pydantic import Field

from pipeline.errors import EngineError
from pipeline.evals.cases import EvalCase
from pipeline.evals.execute import CaseOutput
from pipeline.evals.judge import MASK, RUBRIC, TOTAL_WEIGHT, Judge, parse_verdict
from pipeline.evals.scorers import default_scorers
from pipeline.evals.scorers.judge import JudgeScore


class RecordingChat(FakeListChatModel):
    """A fake chat model that keeps the messages it was sent."""

    seen: list[Any] = Field(default_factory=list)

    def _call(self, messages, stop=None, run_manager=None, **kwargs):  # type: ignore[override]
        self.seen.append(messages)
        return super()._call(messages, stop=stop, run_manager=run_manager, **kwargs)


def answer(score: int = 3, **overrides: int) -> str:
    scores = {i.key: {"score": overrides.get(i.key, score), "reason": f"r-{i.key}"} for i in RUBRIC}
    return "```json\n" + json.dumps({"scores": scores}) + "\n```"


CASE = EvalCase(id="c", source="test", denial_letter="Denied by Acme for gpt-test-9 reasons.")
LETTER = "Dear reviewer, written by the offline engine with gpt-test-9 (draft_sections@v2)."


def test_rubric_has_fifteen_weighted_criteria() -> None:
    assert len(RUBRIC) == 15 and TOTAL_WEIGHT == 100
    assert len({i.key for i in RUBRIC}) == 15


def test_the_judge_is_blinded_and_weights_the_scores() -> None:
    chat = RecordingChat(responses=[answer(4, medical_necessity=0)])
    hidden = ["offline", "gpt-test-9", "draft_sections@v2"]
    scorer = JudgeScore(Judge("judge-model-x", llm=chat), hidden=hidden)
    score = scorer.score(CASE, CaseOutput(markdown=LETTER))
    assert score.value == round((100 - 12) * 4 / 400, 4)
    assert score.explanation.startswith("weakest: medical_necessity 0/4 (r-medical_necessity)")
    sent = " ".join(m.content for m in chat.seen[0])
    for name in ("offline", "gpt-test-9", "draft_sections@v2", "judge-model-x"):
        assert name not in sent
    assert sent.count(MASK) >= 3 and "Acme" in sent and "Dear reviewer" in sent
    assert all(i.key in sent for i in RUBRIC)


def test_an_unusable_answer_skips_the_case_with_a_reason() -> None:
    chat = FakeListChatModel(responses=["I think it is good.", answer(2).replace("tone", "tonal")])
    scorer = JudgeScore(Judge("m", llm=chat), hidden=[])
    first = scorer.score(CASE, CaseOutput(markdown=LETTER))
    second = scorer.score(CASE, CaseOutput(markdown=LETTER))
    assert first.skipped and "holds no JSON object" in first.explanation
    assert second.skipped and "lacks criteria: tone" in second.explanation
    assert scorer.score(CASE, CaseOutput()).skipped  # nothing drafted: the judge is not called


def test_scores_outside_the_scale_are_rejected() -> None:
    with pytest.raises(ValueError, match="not a valid verdict"):
        parse_verdict(answer(7))


def test_the_judge_is_off_by_default_and_needs_a_key_when_on(monkeypatch) -> None:
    assert "judge" not in {s.name for s in default_scorers()}
    for var in ("LMN_JUDGE_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(EngineError, match="--judge needs an API key"):
        Judge("some-model")


def test_a_configured_judge_uses_the_openai_compatible_client(monkeypatch) -> None:
    monkeypatch.setenv("LMN_JUDGE_API_KEY", "sk-test")
    monkeypatch.setenv("LMN_JUDGE_BASE_URL", "http://127.0.0.1:9/v1")
    judge = Judge("local-judge")
    assert type(judge.llm).__name__ == "ChatOpenAI"
    assert judge.llm.model_name == "local-judge" and judge.llm.temperature == 0
