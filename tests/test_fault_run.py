"""200 drafts through the `lmn` command line against the fault-injection server, with faults at
random (seeded): every draft ends as a letter that validates (exit 0) or as a one-line engine error
(exit 5) with no output file; no draft runs past the retry budget; no partial file is left.

Each draft is ``lmn draft LETTER --case CASE --engine openai --base-url SERVER -f json -o FILE``
run in-process through ``pipeline.cli.main``, cycling over four examples. The server answers each
request with a fault drawn for it (429, 500, 502/503/404, a hang past the timeout, broken JSON, a
reply that fails the schema, a body that is not JSON) or with a valid answer to whichever prompt
was sent (extraction or sections; some sections deliberately fail the checks, so re-drafts and
the template drafter's fallbacks happen). Each draft draws how often its requests fault; one in
ten draws "always", so that some drafts see nothing but faults.

The retry settings come from a config file (``LMN_CONFIG``), as a user sets them; only the backoff
(not a config key) is shortened in-process so the run takes minutes, not an hour.

The tally (outcomes by fault rate) prints with ``pytest -s``, or alone with
``python -m tests.test_fault_run [--drafts N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

from pipeline import runlog
from pipeline.cli import main
from pipeline.criteria_rules import find_criteria
from pipeline.llm import config as llm_config
from pipeline.llm.config import RetryPolicy
from pipeline.retrieve import get_index
from tests.fault_server import Fault, FaultServer

ROOT = Path(__file__).resolve().parent.parent
DRAFTS = 200
SEED = 8
EXAMPLES = ("tms-erisa", "tka-aca", "cpap-medicaid", "mri-lumbar-erisa")
DATE = "2026-11-23"

CONFIG = {
    "timeout": 0.5,
    "max_attempts": 3,
    "max_retry_seconds": 3.0,
    "max_reasks": 2,
    "max_redrafts": 1,
}
"""The retry settings of config.toml: a hang times out after 0.5 s."""

FAULT_RATES = {0.25: 3, 0.5: 4, 0.75: 2, 1.0: 1}
"""Share of a draft's requests that fault, with its weight (1.0: nothing but faults)."""
FAULT_KINDS = {
    "rate_limit": 2,
    "server_error": 2,
    "http_error": 1,
    "hang": 2,
    "malformed": 2,
    "schema_invalid": 2,
    "not_json": 1,
}
HTTP_ERROR_STATUSES = (502, 503, 404)
GOOD_SECTION_SHARE = 0.75
"""Share of the sections in a valid draft reply that pass the checks."""
HANG_S = 5.0
"""How long a 'hang' keeps the connection open: longer than any attempt may last, so an
attempt that the client's timeout did not cut off shows in the run log."""
ATTEMPT_MARGIN_S = 2.0
"""An HTTP attempt may last the timeout plus this (a loaded machine) and no longer."""


@dataclass(frozen=True)
class _FastBackoff(RetryPolicy):
    """The default policy with millisecond backoff: config.toml has no backoff keys."""

    backoff_initial_s: float = 0.01
    backoff_max_s: float = 0.05
    jitter_s: float = 0.01


def draft_budget_s() -> float:
    """The most one draft may take: every prompt (extraction, draft, re-drafts) with every re-ask,
    each request within its retry budget plus one timeout, and 5 s for the pipeline itself."""
    prompts = 2 + CONFIG["max_redrafts"]
    requests = prompts * (CONFIG["max_reasks"] + 1)
    return requests * (CONFIG["max_retry_seconds"] + CONFIG["timeout"]) + 5.0


# --------------------------------------------------------------------------- the model's answers


def _first_user_message(body: dict[str, Any]) -> str:
    return next(m["content"] for m in body["messages"] if m["role"] == "user")


def _between(text: str, start: str, end: str) -> str:
    _, _, rest = text.partition(start)
    return rest.split(end, 1)[0] if rest else ""


def extraction_reply(body: dict[str, Any]) -> dict[str, Any]:
    """What a good model reads in the letter the request carries: its criteria, verbatim."""
    letter = _between(_first_user_message(body), "<<<\n", "\n>>>")
    criteria = [{"text": c.text, "source": c.source} for c in find_criteria(letter)]
    return {"denial_categories": ["not_medically_necessary"], "criteria": criteria}


def sections_reply(body: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """Sections for a draft or re-draft request: most name a listed fact and cite a listed
    passage (they pass), the others name nothing (the checker sends them back)."""
    prompt = _first_user_message(body)
    facts = _between(prompt, "(id: fact):\n", "\n\n")
    named = []
    for line in facts.splitlines():
        fact_id, _, value = line.partition(": ")
        with contextlib.suppress(ValueError, AttributeError):
            if name := json.loads(value).get("name"):
                named.append((fact_id, name))
    passages = re.findall(
        r"^([a-z0-9][a-z0-9-]*[a-z0-9]): ", prompt.split("(id: source: text):")[-1], re.M
    )
    schema = body["tools"][0]["function"]["parameters"]["properties"]["sections"]
    count = schema["minItems"]
    asked = [
        int(n) for n in re.findall(r"^Criterion (\d+):", body["messages"][-1]["content"], re.M)
    ]
    numbers = asked if len(asked) == count else list(range(1, count + 1))
    # The computed verdicts list, per criterion, the facts that bear on it: a good model names one.
    bearing = {
        int(n): ids.split(", ")[0]
        for n, ids in re.findall(r"^- criterion (\d+): .*?; facts: (.+)$", prompt, re.M)
        if ids != "none"
    }
    names = dict(named)
    sections = []
    for number in numbers:
        if named and passages and rng.random() < GOOD_SECTION_SHARE:
            fact_id, name = named[(number - 1) % len(named)]
            if bearing.get(number) in names:
                fact_id = bearing[number]
                name = names[fact_id]
            passage = passages[(number - 1) % len(passages)]
            sections.append(
                {
                    "criterion": number,
                    "argument": f"The record documents {name}, without an adequate response "
                    f"[[cite:{passage}]].",
                    "passage_ids": [passage],
                    "evidence": [fact_id],
                }
            )
        else:
            sections.append(
                {"criterion": number, "argument": "The patient clearly meets this criterion."}
            )
    return {"sections": sections}


class RandomFaults:
    """The server's responder: a seeded fault (or a valid answer) for each request."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.rate = 0.0
        self.seen: Counter[str] = Counter()
        self.total: Counter[str] = Counter()

    def next_draft(self) -> float:
        """Draw the fault rate of the next draft (and forget the last draft's faults)."""
        self.rate = self.rng.choices(list(FAULT_RATES), weights=list(FAULT_RATES.values()))[0]
        self.seen = Counter()
        return self.rate

    def __call__(self, body: dict[str, Any]) -> Fault:
        kind = "ok"
        if self.rng.random() < self.rate:
            kind = self.rng.choices(list(FAULT_KINDS), weights=list(FAULT_KINDS.values()))[0]
        self.seen[kind] += 1
        self.total[kind] += 1
        tool = body["tools"][0]["function"]["name"]
        if kind == "ok":
            if tool == "ExtractedDenial":
                return Fault("ok", extraction_reply(body))
            return Fault("ok", sections_reply(body, self.rng))
        if kind == "schema_invalid":
            return Fault(
                kind, {"criteria": "none"} if tool == "ExtractedDenial" else {"sections": 3}
            )
        if kind == "rate_limit":
            return Fault(kind, retry_after=self.rng.choice(["0.05", None]))
        if kind == "http_error":
            return Fault(kind, status=self.rng.choice(HTTP_ERROR_STATUSES))
        if kind == "hang":
            return Fault(kind, hang_s=HANG_S)
        return Fault(kind)


# --------------------------------------------------------------------------- one draft


@dataclass
class Outcome:
    """One draft: what the CLI did, and what was checked."""

    number: int
    example: str
    rate: float
    faults: Counter[str]
    rc: int
    stderr: str
    seconds: float
    output: Path
    fallback: list[int] = field(default_factory=list)
    criteria: int = 0
    validate_rc: int | None = None
    validate_out: str = ""

    @property
    def kind(self) -> str:
        """The tally's word for how the draft ended."""
        if self.rc == 0:
            if not self.fallback:
                return "ok: model sections"
            if len(self.fallback) < self.criteria:
                return "ok: some template sections"
            return "ok: template sections"
        if self.rc == 5:
            return (
                "error: no valid answer"
                if "gave no valid answer" in self.stderr
                else ("error: model unavailable")
            )
        return f"exit {self.rc}"

    def problems(self) -> list[str]:
        """Everything wrong with how this draft ended (empty when it ended well)."""
        where = f"draft {self.number} ({self.example}, faults {dict(self.faults)})"
        found = []
        lines = self.stderr.splitlines()
        if "Traceback" in self.stderr or any(not line.startswith("lmn: ") for line in lines):
            found.append(f"{where}: stderr is not lmn's own one-liners: {self.stderr!r}")
        if self.rc == 0:
            if not self.output.is_file():
                found.append(f"{where}: exit 0 but no output file")
            if self.validate_rc != 0 or "PASS" not in self.validate_out:
                found.append(f"{where}: `lmn validate` on the output: {self.validate_out!r}")
        elif self.rc == 5:
            if len(lines) != 1 or not lines[0].startswith("lmn: error: "):
                found.append(f"{where}: exit 5 without a one-line error: {self.stderr!r}")
            if self.output.exists():
                found.append(f"{where}: exit 5 but the output file exists")
        else:
            found.append(f"{where}: exit {self.rc}: {self.stderr!r}")
        if self.seconds > draft_budget_s():
            found.append(f"{where}: took {self.seconds:.1f} s, budget {draft_budget_s():.1f} s")
        return found


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """``lmn ARGV`` in-process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(argv)
    return rc, out.getvalue(), err.getvalue()


def draft_once(number: int, server: FaultServer, faults: RandomFaults, workdir: Path) -> Outcome:
    """Draft one example through the CLI and validate what it wrote."""
    example = EXAMPLES[number % len(EXAMPLES)]
    folder = ROOT / "examples" / example
    output = workdir / f"out-{number}.json"
    rate = faults.next_draft()
    argv = ["draft", str(folder / "letter.txt"), "--case", str(folder / "case.yaml")]
    argv += ["--engine", "openai", "--base-url", server.base_url, "-f", "json", "-o", str(output)]
    started = time.monotonic()
    rc, _, err = run_cli([*argv, "--date", DATE])
    seconds = time.monotonic() - started
    outcome = Outcome(number, example, rate, faults.seen, rc, err, seconds, output)
    if rc == 0 and output.is_file():
        written = json.loads(output.read_text(encoding="utf-8"))
        outcome.fallback = written["run"]["fallback_sections"]
        outcome.criteria = len(written["analysis"]["criteria"])
        outcome.validate_rc, outcome.validate_out, _ = run_cli(["validate", str(output)])
    return outcome


@contextlib.contextmanager
def fault_run_settings(workdir: Path, runlog_path: Path) -> Iterator[None]:
    """The CLI's environment for the run: config.toml with the retry settings, a run log of its
    own, no structured-output or model override, and the short backoff."""
    config = workdir / "config.toml"
    config.write_text("".join(f"{k} = {v}\n" for k, v in CONFIG.items()), encoding="utf-8")
    env = {llm_config.CONFIG_ENV: str(config), runlog.RUNLOG_ENV: str(runlog_path)}
    cleared = (llm_config.METHOD_ENV, llm_config.MODEL_ENV, runlog.RUNLOG_TEXT_ENV)
    with (
        mock.patch.dict(os.environ, env),
        mock.patch.object(llm_config, "RetryPolicy", _FastBackoff),
    ):
        for name in cleared:
            os.environ.pop(name, None)
        yield


def fault_run(
    server: FaultServer, workdir: Path, runlog_path: Path, drafts: int = DRAFTS, seed: int = SEED
) -> tuple[list[Outcome], RandomFaults]:
    """Every draft of the run, in order."""
    faults = RandomFaults(seed)
    server.responder = faults
    outputs = workdir / "out"
    outputs.mkdir()
    outcomes = []
    with fault_run_settings(workdir, runlog_path):
        # Build (or open) the guideline index and load the embedding model once, before the
        # timed drafts: the first draft of a fresh index folder would otherwise pay for it.
        get_index()
        for number in range(drafts):
            outcomes.append(draft_once(number, server, faults, outputs))
            server.requests.clear()
    return outcomes, faults


def tally(outcomes: list[Outcome], faults: RandomFaults) -> str:
    """The run's outcome counts, overall and by fault rate, as a small table."""
    kinds = sorted({o.kind for o in outcomes})
    rates = sorted(FAULT_RATES)
    lines = [
        f"fault run: {len(outcomes)} drafts of {len(EXAMPLES)} examples, seed {faults.seed}, "
        f"{sum(faults.total.values())} requests",
        "  answers sent: " + ", ".join(f"{k} {n}" for k, n in faults.total.most_common()),
        f"  {'outcome':28}{'all':>6}" + "".join(f"{f'rate {r:g}':>11}" for r in rates),
    ]
    for kind in kinds:
        row = [o for o in outcomes if o.kind == kind]
        by_rate = [sum(o.rate == r for o in row) for r in rates]
        lines.append(f"  {kind:28}{len(row):>6}" + "".join(f"{n:>11}" for n in by_rate))
    drafts_per_rate = [sum(o.rate == r for o in outcomes) for r in rates]
    lines.append(
        f"  {'drafts':28}{len(outcomes):>6}" + "".join(f"{n:>11}" for n in drafts_per_rate)
    )
    clean = sum(1 for o in outcomes if set(o.faults) == {"ok"})
    only = sum(1 for o in outcomes if "ok" not in o.faults)
    seconds = sorted(o.seconds for o in outcomes)
    lines.append(
        f"  drafts with no fault {clean}, with only faults {only}; draft time median "
        f"{seconds[len(seconds) // 2]:.2f} s, max {seconds[-1]:.2f} s "
        f"(budget {draft_budget_s():.1f} s)"
    )
    return "\n".join(lines)


def logged_attempts(path: Path) -> list[tuple[str, int, int, int]]:
    """(run id, attempt, re-ask, latency ms) of every HTTP attempt in the run log."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT run_id, attempt, reask, latency_ms FROM calls").fetchall()


# --------------------------------------------------------------------------- the test


def test_200_drafts_with_random_faults_end_as_letters_or_clear_errors(
    server: FaultServer, tmp_path: Path
) -> None:
    log = tmp_path / "runlog.sqlite3"
    outcomes, faults = fault_run(server, tmp_path, log)
    print("\n" + tally(outcomes, faults))

    assert len(outcomes) == DRAFTS
    assert [p for o in outcomes for p in o.problems()] == []
    kinds = Counter(o.kind for o in outcomes)
    assert kinds["ok: model sections"] and kinds["ok: some template sections"]
    assert kinds["error: model unavailable"]
    # Most drafts meet some fault; a draft that meets nothing but faults cannot succeed.
    assert sum("ok" not in o.faults or len(o.faults) > 1 for o in outcomes) > DRAFTS / 2
    for o in outcomes:
        if "ok" not in o.faults:
            assert o.rc == 5, o.number
    # Exactly the successful drafts' files are there (a letter not ready to sign has its review
    # file beside it): no temporary or partial file.
    written = {p.name for p in (tmp_path / "out").iterdir()}
    letters = {o.output.name for o in outcomes if o.rc == 0}
    assert {w for w in written if not w.endswith(".review.txt")} == letters
    assert {w.removesuffix(".review.txt") for w in written if w.endswith(".review.txt")} <= letters
    # The retry policy held for every HTTP attempt: attempts and re-asks capped, no attempt
    # waited much past the timeout (a hang is cut off, not waited out).
    attempts = logged_attempts(log)
    assert len({run for run, *_ in attempts}) == DRAFTS  # every draft asked the model
    assert max(a for _, a, _, _ in attempts) <= CONFIG["max_attempts"]
    assert max(r for _, _, r, _ in attempts) <= CONFIG["max_reasks"]
    assert max(ms for *_, ms in attempts) < (CONFIG["timeout"] + ATTEMPT_MARGIN_S) * 1000


# --------------------------------------------------------------------------- the tally alone


def _script(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The fault run's tally (see the module's doc).")
    parser.add_argument("--drafts", type=int, default=DRAFTS)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    import logging

    logging.basicConfig(level=logging.CRITICAL)  # the engine's warnings are expected here
    server = FaultServer().start()
    try:
        with tempfile.TemporaryDirectory(prefix="lmn-fault-run-") as tmp:
            workdir = Path(tmp)
            started = time.monotonic()
            outcomes, faults = fault_run(
                server, workdir, workdir / "runlog.sqlite3", args.drafts, args.seed
            )
            leftovers = {
                p.name.removesuffix(".review.txt") for p in (workdir / "out").iterdir()
            } - {o.output.name for o in outcomes if o.rc == 0}
            problems = [p for o in outcomes for p in o.problems()]
    finally:
        server.stop()
    print(tally(outcomes, faults))
    print(
        f"  problems {len(problems)}, stray files {len(leftovers)}, "
        f"run {time.monotonic() - started:.0f} s"
    )
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    return 1 if problems or leftovers else 0


if __name__ == "__main__":
    sys.exit(_script())
