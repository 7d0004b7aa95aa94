"""Optional LLM judge: a blinded rubric of 15 weighted criteria for an appeal letter.

The rubric is modelled on the criteria AppealBench weighs (wording and weights are this
project's own). The judge sees the denial and the drafted letter only: never the engine,
model or prompt that wrote it (any occurrence of those names in the letter is masked). It
answers in JSON, one 0-4 score and one short reason per criterion; the case's judge score is
the weighted mean scaled to 0-1.

The judge talks to any OpenAI-compatible endpoint through langchain-openai's ``ChatOpenAI``
(``LMN_JUDGE_BASE_URL`` / ``LMN_JUDGE_API_KEY``, else ``OPENAI_BASE_URL`` /
``OPENAI_API_KEY``). It is off unless ``lmn eval run --judge MODEL`` names a model; tests pass
a fake chat model instead.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field, SecretStr, ValidationError

from ..errors import EngineError


@dataclass(frozen=True)
class RubricItem:
    key: str
    weight: int
    ask: str
    """What the judge checks, in one sentence."""


RUBRIC: tuple[RubricItem, ...] = (
    RubricItem("medical_necessity", 12, "Does the letter make a clear, clinically sound case "
               "that the service is medically necessary for this patient?"),
    RubricItem("denial_rebuttal", 10, "Does it answer the payer's stated reason and each "
               "criterion it cited, point by point?"),
    RubricItem("guideline_citation", 10, "Does it cite specific, current clinical guidelines or "
               "policies (body, title, edition, section) that support the request?"),
    RubricItem("patient_detail", 10, "Does it use this patient's own facts (diagnoses, dates, "
               "doses, durations, scores, results) rather than generic statements?"),
    RubricItem("effectiveness", 8, "How likely is this letter to get the denial overturned by "
               "a fair reviewer?"),
    RubricItem("plan_language", 6, "Does it engage the plan's own coverage terms or policy "
               "wording where the denial invokes them?"),
    RubricItem("legal_compliance", 6, "Does it invoke the appeal rights and rules that fit the "
               "plan type (e.g. ERISA, ACA, Medicare, Medicaid) accurately?"),
    RubricItem("documentation", 6, "Does it point to the records, results and enclosures that "
               "support each claim?"),
    RubricItem("actionable_request", 6, "Does it ask for a specific decision (approve what, "
               "when) and offer a peer-to-peer discussion?"),
    RubricItem("required_elements", 6, "Are the required elements present: patient and claim "
               "identifiers, service and codes, diagnosis, physician identity and signature?"),
    RubricItem("structure", 5, "Is it organized so a reviewer can find each argument quickly?"),
    RubricItem("urgency", 4, "Does it state the clinical urgency and any deadlines or "
               "timelines that apply?"),
    RubricItem("tone", 4, "Is the tone professional, factual and non-adversarial?"),
    RubricItem("readability", 4, "Is it clear, concise and free of errors and filler?"),
    RubricItem("precedent", 3, "Where relevant, does it refer to prior approvals, standards of "
               "care or review outcomes that support the request?"),
)  # fmt: skip
TOTAL_WEIGHT = sum(item.weight for item in RUBRIC)
MAX_POINTS = 4
MASK = "[redacted]"

SYSTEM_PROMPT = """You are an experienced reviewer of health-insurance appeals. You will read a \
payer's denial and an appeal letter written in answer to it. Grade the letter on each rubric \
criterion from 0 to 4 (0 absent or wrong, 1 poor, 2 adequate, 3 good, 4 excellent). Judge only \
what the letter says; do not reward length. Answer with one JSON object and nothing else:
{"scores": {"<criterion key>": {"score": <0-4>, "reason": "<one sentence>"}, ...}}
with every criterion key below exactly once.

Rubric:
{rubric}"""

USER_PROMPT = """<denial>
{denial}
</denial>

<appeal_letter>
{letter}
</appeal_letter>"""


class ItemVerdict(BaseModel):
    score: int = Field(ge=0, le=MAX_POINTS)
    reason: str = ""


class Verdict(BaseModel):
    scores: dict[str, ItemVerdict]


class JudgeResult(BaseModel):
    """The judge's grading of one letter."""

    value: float
    """Weighted mean of the criterion scores, scaled to 0-1."""
    items: dict[str, ItemVerdict]
    input_tokens: int = 0
    output_tokens: int = 0


def rubric_text() -> str:
    return "\n".join(f"- {i.key} (weight {i.weight}): {i.ask}" for i in RUBRIC)


def mask(text: str, hidden: list[str]) -> str:
    """``text`` with each hidden name (engine, model, prompt version) replaced by a mask."""
    for name in sorted({h for h in hidden if h and len(h) > 2}, key=len, reverse=True):
        text = re.sub(re.escape(name), MASK, text, flags=re.IGNORECASE)
    return text


def build_messages(denial: str, letter: str, hidden: list[str]) -> list[tuple[str, str]]:
    """The blinded conversation sent to the judge: rubric, then denial and letter."""
    return [
        ("system", SYSTEM_PROMPT.replace("{rubric}", rubric_text())),
        (
            "human",
            USER_PROMPT.replace("{denial}", mask(denial, hidden)).replace(
                "{letter}", mask(letter, hidden)
            ),
        ),
    ]


def parse_verdict(text: str) -> Verdict:
    """The judge's JSON answer (a ```json fence around it is tolerated); ValueError if unusable."""
    match = re.search(r"\{.*\}", text, re.DOTALL)
    if not match:
        raise ValueError("the judge's answer holds no JSON object")
    try:
        verdict = Verdict.model_validate(json.loads(match.group(0)))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise ValueError(
            f"the judge's answer is not a valid verdict ({type(exc).__name__})"
        ) from None
    missing = [i.key for i in RUBRIC if i.key not in verdict.scores]
    if missing:
        raise ValueError(f"the judge's answer lacks criteria: {', '.join(missing)}")
    return verdict


def weighted_value(verdict: Verdict) -> float:
    points = sum(item.weight * verdict.scores[item.key].score for item in RUBRIC)
    return round(points / (TOTAL_WEIGHT * MAX_POINTS), 4)


class Judge:
    """Grades letters with a chat model (``ChatOpenAI`` for ``model`` unless ``llm`` is given)."""

    def __init__(self, model: str, llm: Any | None = None) -> None:
        self.model = model
        self.llm = llm if llm is not None else _chat_model(model)

    def grade(self, denial: str, letter: str, hidden: list[str]) -> JudgeResult:
        """Grade one letter; ValueError when the answer is unusable, EngineError on failure."""
        try:
            answer = self.llm.invoke(build_messages(denial, letter, [*hidden, self.model]))
        except Exception as exc:
            raise EngineError(f"the judge model failed ({type(exc).__name__})") from None
        verdict = parse_verdict(str(answer.content))
        usage = getattr(answer, "usage_metadata", None) or {}
        return JudgeResult(
            value=weighted_value(verdict),
            items={i.key: verdict.scores[i.key] for i in RUBRIC},
            input_tokens=int(usage.get("input_tokens", 0)),
            output_tokens=int(usage.get("output_tokens", 0)),
        )


def _chat_model(model: str) -> Any:
    from langchain_openai import ChatOpenAI

    key = os.environ.get("LMN_JUDGE_API_KEY") or os.environ.get("OPENAI_API_KEY")
    if not key:
        raise EngineError(
            "--judge needs an API key: set LMN_JUDGE_API_KEY (or OPENAI_API_KEY), and "
            "LMN_JUDGE_BASE_URL for an endpoint other than OpenAI's"
        )
    base_url = os.environ.get("LMN_JUDGE_BASE_URL") or os.environ.get("OPENAI_BASE_URL")
    return ChatOpenAI(
        model=model,
        api_key=SecretStr(key),
        base_url=base_url,
        temperature=0,
        timeout=120,
        max_retries=2,
    )
