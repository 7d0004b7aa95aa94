"""The OpenAI-compatible engine's cost per draft, from the recorded cassettes (no server needed).

For each recorded example: model calls, tokens in and out (as the server reported them), the
criterion sections the template drafter wrote, and the pipeline's own time per draft with the
model's time taken out. Replayed, the model answers at once, so the wall time of a draft is the
pipeline's overhead: deterministic extraction, prompt rendering and hashing, LangChain and the
OpenAI client, the run log, the section checks and validation after each draft, composition and
the final validation (retrieval excluded: the recorded passages are reused). The median of
``--repeats`` warm runs is shown, without the time vcrpy takes to find and play the recorded
responses (the stand-in for the network and the model); "in client" is the part of the overhead
spent in LangChain and the OpenAI client; "offline ms" is the same draft on the offline engine
(extraction rules, composition, one validation), the floor the model engine adds to.

The recorded examples are SmolLM2-135M's real answers: every section it writes fails, so each
draft takes the longest path (two re-drafts, then the template drafter). The last row, marked *,
is the path a capable model takes: tms-erisa with scripted answers (the letter's criteria, then a
first draft whose sections all pass: ``tests/scripted_model.py``), served by the fault server on
127.0.0.1, recorded into a temporary cassette and replayed the same way.

    python benchmarks/bench_llm.py [--repeats 9]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vcr.stubs import httpx_stubs

from pipeline.engine import OfflineEngine
from pipeline.engines.openai import OpenAIEngine
from pipeline.extract import extract
from pipeline.ingest import ingest
from pipeline.llm.config import LLMSettings
from pipeline.models import DenialAnalysis, Draft, RetrievedPassage
from tests.llm_replay import (
    RECORDED,
    Example,
    cassette_vcr,
    draft_example,
    replay_settings,
)
from tests.llm_replay import settings as llm_settings

TARGET_MS = 100.0
MAX_CALLS_WHEN_FIRST_PASSES = 3


class _PlaybackClock:
    """Time spent in vcrpy replaying a request: turning httpx's request into a recorded one,
    finding its match in the cassette and building httpx's response from it. That is the
    stand-in for the network and the model, taken out of the pipeline's overhead."""

    def __init__(self) -> None:
        self.seconds = 0.0
        httpx_stubs._vcr_request = self._timed(httpx_stubs._vcr_request)

    def _timed(self, method):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        return timed


CLOCK = _PlaybackClock()


@dataclass(frozen=True)
class Scenario:
    """One draft to replay: an example, its cassette, the engine's settings and the inputs that
    replace extraction's analysis and retrieval (analysis None: extraction's is used)."""

    label: str
    example: Example
    cassette: Path
    settings: LLMSettings
    passages: list[RetrievedPassage]
    analysis: DenialAnalysis | None


def recorded(slug: str) -> Scenario:
    """A recorded example: SmolLM2-135M's real answers (tests/cassettes)."""
    example = Example(slug)
    return Scenario(
        slug,
        example,
        example.cassette,
        replay_settings(),
        example.stored_passages(),
        example.stored_analysis(),
    )


def first_draft_passes(folder: Path) -> Scenario:
    """tms-erisa as a capable model answers it: the letter's criteria, then a first draft whose
    every section passes (tests/scripted_model.py). The answers are served by
    tests/fault_server.py on 127.0.0.1 and recorded once, as real HTTP, into a cassette in
    ``folder``; replays then time the path a strong model takes."""
    from tests.fault_server import FaultServer, ok
    from tests.scripted_model import EXAMPLE, draft_sections, extraction, good, tms_passages

    passages = tms_passages()
    letter = ingest(str(EXAMPLE.letter_path))
    criteria = len(extract(letter).criteria)
    cassette = folder / "first-draft-passes.yaml"
    server = FaultServer().start()
    try:
        server.push(ok(extraction(letter)), draft_sections(*(good(n + 1) for n in range(criteria))))
        settings = llm_settings(server.base_url, "scripted").with_retry(max_attempts=1, timeout_s=5)
        with cassette_vcr("all").use_cassette(str(cassette)):
            draft_example(EXAMPLE, OpenAIEngine(settings), passages)
    finally:
        server.stop()
    return Scenario(f"{EXAMPLE.slug}*", EXAMPLE, cassette, settings, passages, None)


def replay_once(scenario: Scenario) -> tuple[float, float, OpenAIEngine, Draft]:
    """(wall seconds, playback seconds, engine, draft) of one replayed draft (nothing is cached
    by content: a repeated draft of an example costs what a first draft costs)."""
    engine = OpenAIEngine(scenario.settings)
    with cassette_vcr("none").use_cassette(str(scenario.cassette)):
        CLOCK.seconds = 0.0
        started = time.perf_counter()
        draft = draft_example(scenario.example, engine, scenario.passages, scenario.analysis)
        elapsed = time.perf_counter() - started
    return elapsed, CLOCK.seconds, engine, draft


def offline_ms(scenario: Scenario, repeats: int) -> float:
    """The same stages on the offline engine (no model): the pipeline's floor for this draft."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        draft_example(scenario.example, OfflineEngine(), scenario.passages, scenario.analysis)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="lmn-bench-"))
    os.environ["LMN_RUNLOG"] = str(folder / "runlog.sqlite3")
    scenarios = [recorded(slug) for slug in RECORDED]
    passing = first_draft_passes(folder)
    replay_once(scenarios[0])  # imports and first client: not per-draft cost
    samples: dict[str, list[tuple[float, float]]] = {s.label: [] for s in [*scenarios, passing]}
    last: dict[str, tuple[OpenAIEngine, Draft]] = {}
    for _ in range(args.repeats):  # round robin: a slow spell of the machine hits every draft
        for scenario in [*scenarios, passing]:
            elapsed, playback, engine, draft = replay_once(scenario)
            in_client = engine.client.stats.model_seconds - playback
            samples[scenario.label].append((elapsed - playback, in_client))
            last[scenario.label] = (engine, draft)
    print(
        f"{'example':<18}{'criteria':>9}{'calls':>6}{'tokens in':>10}{'out':>6}"
        f"{'template':>10}{'overhead ms':>13}{'in client':>10}{'offline ms':>11}  valid"
    )
    rows = {}
    for scenario in [*scenarios, passing]:
        engine, draft = last[scenario.label]
        stats = engine.client.stats
        overhead = statistics.median(s[0] for s in samples[scenario.label]) * 1000
        in_client = statistics.median(s[1] for s in samples[scenario.label]) * 1000
        fallback = ",".join(map(str, draft.run.fallback_sections)) or "-"
        valid = "pass" if draft.validation and draft.validation.ok else "REJECT"
        scripted = scenario is passing  # the fault server's token counts mean nothing
        tokens_in, tokens_out = ("-", "-") if scripted else (stats.tokens_in, stats.tokens_out)
        print(
            f"{scenario.label:<18}{len(draft.analysis.criteria):>9}{stats.calls:>6}"
            f"{tokens_in:>10}{tokens_out:>6}{fallback:>10}{overhead:>13.1f}"
            f"{in_client:>10.1f}{offline_ms(scenario, args.repeats):>11.1f}  {valid}"
        )
        rows[scenario.label] = (overhead, stats.calls, stats.tokens_in + stats.tokens_out)
    overheads = [rows[s.label][0] for s in scenarios]
    calls = statistics.mean(rows[s.label][1] for s in scenarios)
    tokens = statistics.mean(rows[s.label][2] for s in scenarios)
    print(
        f"\nrecorded drafts (SmolLM2-135M): {calls:.1f} calls, {tokens:.0f} tokens, overhead "
        f"median {statistics.median(overheads):.1f} ms (max {max(overheads):.1f}; "
        f"target < {TARGET_MS:.0f})"
    )
    overhead, calls, _ = rows[passing.label]
    print(
        f"* scripted capable model, first draft passes: {calls} calls "
        f"(target <= {MAX_CALLS_WHEN_FIRST_PASSES}), overhead {overhead:.1f} ms"
    )


if __name__ == "__main__":
    main()
