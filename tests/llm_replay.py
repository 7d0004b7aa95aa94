"""Recording and replaying the OpenAI-compatible engine's HTTP traffic (vcrpy cassettes).

Shared by ``scripts/record_cassettes.py`` (records from a real server), the cassette tests and
``benchmarks/bench_llm.py`` (replay, no server). One cassette per example in
``tests/cassettes/<slug>.yaml`` holds every request of one draft (extraction, draft, re-drafts,
re-asks); ``<slug>.inputs.json`` holds what the draft was made from besides the example's own
files: the analysis (after provenance checks and the rules' fallback) and the passages retrieved
when it was recorded. Replays draft from those, so that a change to the corpus, the retriever
or the criteria rules does not change what is sent to the model; the extraction request is still
replayed.

Requests match on method, path and body: a change to a prompt, to what the engine sends or to the
validator's verdicts shows up as a request the cassette lacks. Re-record with
``python scripts/record_cassettes.py`` (see the README's "Using a model").
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import vcr

from pipeline.casefile import load_case
from pipeline.engines import Engine
from pipeline.evidence import CITE_RE
from pipeline.ingest import ingest
from pipeline.llm.config import LLMSettings, RetryPolicy
from pipeline.models import DenialAnalysis, Draft, RetrievedPassage
from pipeline.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "tests" / "cassettes"
EXAMPLES = ROOT / "examples"

RECORDED = ("tms-erisa", "tka-aca", "cpap-medicaid", "mri-lumbar-erisa")
"""The examples with cassettes (synthetic letters and cases only)."""
MODEL = "smollm2-135m-instruct"
"""The alias the recording server serves SmolLM2-135M-Instruct under."""
BASE_URL = "http://127.0.0.1:8765/v1"
TODAY = dt.date(2026, 6, 1)
"""The letter date of recorded drafts (after every example's denial)."""


def cassette_vcr(record_mode: str = "none") -> vcr.VCR:
    """vcrpy set up for the engine: body matching, credentials filtered."""
    return vcr.VCR(
        record_mode=record_mode,
        match_on=["method", "path", "body"],
        filter_headers=["authorization", "api-key", "x-api-key", "openai-organization", "cookie"],
        decode_compressed_response=True,
    )


def settings(base_url: str = BASE_URL, model: str = MODEL) -> LLMSettings:
    """The engine's settings for recording and replay (function calling: llama.cpp's tools)."""
    return LLMSettings(
        base_url=base_url,
        model=model,
        structured_output="function_calling",
        retry=RetryPolicy(timeout_s=900, max_attempts=2, backoff_initial_s=1, jitter_s=0.5),
    )


def replay_settings() -> LLMSettings:
    """Replay: a request missing from the cassette must fail at once, not be retried."""
    return settings().with_retry(max_attempts=1, timeout_s=5)


@dataclass(frozen=True)
class Example:
    """One example's inputs."""

    slug: str

    @property
    def letter_path(self) -> Path:
        return EXAMPLES / self.slug / "letter.txt"

    @property
    def case_path(self) -> Path:
        return EXAMPLES / self.slug / "case.yaml"

    @property
    def cassette(self) -> Path:
        return CASSETTES / f"{self.slug}.yaml"

    @property
    def inputs(self) -> Path:
        return CASSETTES / f"{self.slug}.inputs.json"

    def _stored(self) -> dict:
        return json.loads(self.inputs.read_text(encoding="utf-8"))

    def stored_passages(self) -> list[RetrievedPassage]:
        return [RetrievedPassage.model_validate(p) for p in self._stored()["passages"]]

    def stored_analysis(self) -> DenialAnalysis:
        return DenialAnalysis.model_validate(self._stored()["analysis"])

    def store_inputs(self, draft: Draft) -> None:
        data = {
            "today": TODAY.isoformat(),
            "analysis": draft.analysis.model_dump(mode="json"),
            "passages": [p.model_dump(mode="json") for p in draft.passages],
        }
        self.inputs.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")


def draft_example(
    example: Example,
    engine: Engine,
    passages: list[RetrievedPassage] | None = None,
    analysis: DenialAnalysis | None = None,
) -> Draft:
    """The ``Pipeline`` on an example. Extraction always runs (through the engine);
    ``analysis`` and ``passages``, when given, replace its result and retrieval.
    Returns the validated draft whatever the verdict."""
    letter = ingest(str(example.letter_path))
    case = load_case(example.case_path)
    pipeline = Pipeline(engine)
    if passages is None:
        assert analysis is None, "an analysis is replayed with the passages retrieved for it"
        outcome = pipeline.run(letter, case, today=TODAY, reject=False)
    else:
        read = pipeline.run(letter, case, until="extract")
        assert read.extraction is not None
        answer = read.extraction
        if analysis is not None:
            answer = answer.model_copy(update={"analysis": analysis})
        outcome = pipeline.finish(
            letter, answer, passages, case, today=TODAY, reject=False, run_id=read.run_id
        )
    assert outcome.draft is not None
    return outcome.draft


_ENCLOSURE_REF_RE = re.compile(r" \(Enclosures? \d+(?:(?:, | and |, and )\d+)*\)")


def without_enclosure_refs(markdown: str) -> str:
    """The letter without the enclosure numbers the letter adds to each argued criterion
    ('From my records (Enclosure 2):'), to find the drafter's own words in it."""
    return _ENCLOSURE_REF_RE.sub("", markdown)


def template_lead(argument: str) -> str:
    """The template drafter's own words after the criterion's quote (from "The record shows ..."
    on, not the quote's lead-in that every section has), up to the first citation."""
    after_quote = argument.split("”", 1)[-1].lstrip(".,;: ")
    return CITE_RE.split(after_quote)[0].strip()[:60]
