"""Replay the corpus the fuzzer grew (tests/fuzz_corpus/TARGET/) and the fuzzer's seeds through
the shared contract in fuzz/targets.py: every input succeeds or is rejected with a one-line
error. No atheris needed; fuzz with `python fuzz/run.py TARGET --seconds N`."""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest

from fuzz.seeds import seed_inputs
from fuzz.targets import TARGETS, check_message, run_target, with_mode
from pipeline.errors import InputError

from .conftest import ROOT

CORPUS = ROOT / "tests" / "fuzz_corpus"


def _failures(target: str, inputs: dict[str, bytes]) -> list[str]:
    failures = []
    for name, data in inputs.items():
        try:
            run_target(target, data)
        except Exception as exc:
            where = traceback.extract_tb(exc.__traceback__)[-1]
            failures.append(
                f"{name}: {type(exc).__name__}: {str(exc)[:200]} "
                f"({Path(where.filename).name}:{where.lineno})"
            )
    return failures


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_corpus_replays_without_a_crash(target: str) -> None:
    files = sorted(p for p in (CORPUS / target).iterdir() if p.is_file())
    assert files, f"no corpus for {target}: run fuzz/run.py {target}"
    failures = _failures(target, {str(p.relative_to(ROOT)): p.read_bytes() for p in files})
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_seeds_replay_without_a_crash(target: str) -> None:
    failures = _failures(target, {f"seed {k}": v for k, v in seed_inputs(target).items()})
    assert not failures, "\n".join(failures)


def test_every_crash_found_is_kept_as_a_regression_input() -> None:
    kept = {p.parent.name for p in CORPUS.glob("*/regress-*")}
    assert {"ingest", "extract", "casefile", "web"} <= kept


@pytest.mark.parametrize(
    ("mode", "payload"),
    [("yaml", b"patient: ["), ("json", b"{"), ("yaml", b"- a list"), ("file-json", b"")],
)
def test_a_rejection_passes_the_contract(mode: str, payload: bytes) -> None:
    data = with_mode("casefile", mode, payload)
    with pytest.raises(InputError) as rejected:
        TARGETS["casefile"](data)
    check_message(str(rejected.value), "casefile")
    run_target("casefile", data)


def test_the_contract_catches_a_multi_line_message(monkeypatch: pytest.MonkeyPatch) -> None:
    from fuzz import targets

    def bad(_: bytes) -> None:
        raise InputError("first line\nsecond line")

    monkeypatch.setitem(targets.TARGETS, "extract", bad)
    with pytest.raises(targets.ContractViolation, match="multi-line"):
        run_target("extract", b"x")


def test_the_contract_lets_other_exceptions_through(monkeypatch: pytest.MonkeyPatch) -> None:
    from fuzz import targets

    def broken(_: bytes) -> None:
        raise KeyError("boom")

    monkeypatch.setitem(targets.TARGETS, "extract", broken)
    with pytest.raises(KeyError):
        run_target("extract", b"x")
