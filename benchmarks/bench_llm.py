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

    python benchmarks/bench_llm.py [--repeats 9]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vcr.stubs import httpx_stubs

from pipeline.engine import OfflineEngine
from pipeline.llm.engine import OpenAIEngine
from tests.llm_replay import (
    RECORDED,
    Example,
    cassette_vcr,
    draft_example,
    replay_settings,
)

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


def clear_content_caches() -> None:
    """Forget what earlier drafts cached by content (letter blocks, validator facts and tokens,
    injection scans), so a repeated draft of the same example costs what a first draft costs."""
    from pipeline import criteria_rules, injection, validate

    for module in (criteria_rules, injection, validate):
        module.clear_caches()


def replay_once(example: Example) -> tuple[float, float, OpenAIEngine, object]:
    """(wall seconds, playback seconds, engine, draft) of one replayed draft (content caches
    cleared first)."""
    clear_content_caches()
    engine = OpenAIEngine(replay_settings())
    passages, analysis = example.stored_passages(), example.stored_analysis()
    with cassette_vcr("none").use_cassette(str(example.cassette)):
        CLOCK.seconds = 0.0
        started = time.perf_counter()
        draft = draft_example(example, engine, passages, analysis)
        elapsed = time.perf_counter() - started
    return elapsed, CLOCK.seconds, engine, draft


def offline_ms(example: Example, repeats: int) -> float:
    """The same stages on the offline engine (no model): the pipeline's floor for this example."""
    passages, analysis = example.stored_passages(), example.stored_analysis()
    samples = []
    for _ in range(repeats):
        clear_content_caches()
        started = time.perf_counter()
        draft_example(example, OfflineEngine(), passages, analysis)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    os.environ["LMN_RUNLOG"] = str(Path(tempfile.mkdtemp(prefix="lmn-bench-")) / "runlog.sqlite3")
    replay_once(Example(RECORDED[0]))  # imports and first client: not per-draft cost
    header = (
        f"{'example':<18}{'criteria':>9}{'calls':>6}{'tokens in':>10}{'out':>6}"
        f"{'template':>10}{'overhead ms':>13}{'in client':>10}{'offline ms':>11}  valid"
    )
    print(header)
    overheads, calls_all, tokens_all = [], [], []
    examples = [Example(slug) for slug in RECORDED]
    samples: dict[str, list[tuple[float, float]]] = {slug: [] for slug in RECORDED}
    last = {}
    for _ in range(args.repeats):  # round robin: a slow spell of the machine hits every example
        for example in examples:
            elapsed, playback, engine, draft = replay_once(example)
            in_client = engine.client.stats.model_seconds - playback
            samples[example.slug].append((elapsed - playback, in_client))
            last[example.slug] = (engine, draft)
    for slug in RECORDED:
        example = Example(slug)
        engine, draft = last[slug]
        stats = engine.client.stats
        overhead = statistics.median(s[0] for s in samples[slug]) * 1000
        in_client = statistics.median(s[1] for s in samples[slug]) * 1000
        fallback = ",".join(map(str, draft.run.fallback_sections)) or "-"
        valid = "pass" if draft.validation and draft.validation.ok else "REJECT"
        first_passes = not draft.run.fallback_sections and stats.calls <= 2
        print(
            f"{slug:<18}{len(draft.analysis.criteria):>9}{stats.calls:>6}{stats.tokens_in:>10}"
            f"{stats.tokens_out:>6}{fallback:>10}{overhead:>13.1f}{in_client:>10.1f}"
            f"{offline_ms(example, args.repeats):>11.1f}  {valid}"
            + ("  (first draft passed)" if first_passes else "")
        )
        overheads.append(overhead)
        calls_all.append(stats.calls)
        tokens_all.append(stats.tokens_in + stats.tokens_out)
    print(
        f"\nper draft: {statistics.mean(calls_all):.1f} calls, "
        f"{statistics.mean(tokens_all):.0f} tokens, overhead median "
        f"{statistics.median(overheads):.1f} ms (max {max(overheads):.1f}; "
        f"target < {TARGET_MS:.0f})"
    )
    print(
        f"calls when the first draft passes: extraction + draft = 2 "
        f"(target <= {MAX_CALLS_WHEN_FIRST_PASSES}); each re-draft or schema re-ask adds one"
    )


if __name__ == "__main__":
    main()
