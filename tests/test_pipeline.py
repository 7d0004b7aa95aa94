"""The Pipeline: stage events, the re-draft loop with per-section fallback, and the engine
registry it gets its engine from (built-ins, @register, the lmn.engines entry-point group)."""

from __future__ import annotations

import datetime as dt
import threading
from importlib.metadata import EntryPoint
from typing import Any

import pytest

from pipeline.casefile import load_case
from pipeline.engines import (
    ArgumentRequest,
    ArgumentResponse,
    OfflineEngine,
    Usage,
    engine_names,
    get_engine,
    register,
)
from pipeline.engines import registry as engine_registry
from pipeline.errors import InputError
from pipeline.ingest import ingest
from pipeline.pipeline import Pipeline, StageEvent
from tests.scripted_model import EXAMPLE, tms_passages

TODAY = dt.date(2026, 11, 23)


class Checked(OfflineEngine):
    """The template drafter posing as a model engine whose first draft of one criterion names
    no fact; a revision writes it properly unless ``stubborn``."""

    name = "checked"
    model = "fake-model"
    checked = True

    def __init__(self, *, bad: int = 1, max_redrafts: int = 2, stubborn: bool = False) -> None:
        self.bad, self.max_redrafts, self.stubborn = bad, max_redrafts, stubborn
        self.requests: list[ArgumentRequest] = []

    def argue(self, request: ArgumentRequest) -> ArgumentResponse:
        self.requests.append(request)
        written = super().argue(request).arguments
        if request.feedback:
            written = [a for a in written if a.criterion_index in request.feedback]
        if not request.feedback or self.stubborn:
            written = [
                a.model_copy(update={"evidence": []}) if a.criterion_index == self.bad else a
                for a in written
            ]
        used = Usage(calls=1, input_tokens=100, output_tokens=10)
        return ArgumentResponse(
            arguments=written, prompts={"p": "v1"}, usage=used, transcript="reply"
        )


def make_checked(model: str | None = None, base_url: str | None = None) -> Checked:
    """An engine factory, as a plugin's entry point names one."""
    return Checked()


def finish(engine: OfflineEngine, events: list[StageEvent] | None = None):
    letter = ingest(str(EXAMPLE.letter_path))
    case = load_case(EXAMPLE.case_path)
    pipeline = Pipeline(engine, on_event=events.append if events is not None else None)
    read = pipeline.run(letter, case, until="extract")
    assert read.extraction is not None
    return pipeline.finish(letter, read.extraction, tms_passages(), case, today=TODAY)


def test_findings_go_back_to_the_engine_for_the_failing_section_only() -> None:
    engine = Checked()
    outcome = finish(engine)
    assert outcome.draft is not None and outcome.draft.validation is not None
    assert outcome.draft.validation.ok and outcome.draft.run.fallback_sections == []
    first, revision = engine.requests
    assert not first.feedback and set(revision.feedback) == {1}
    assert any("names no fact" in p for p in revision.feedback[1])
    assert revision.previous is not None and revision.previous.transcript == "reply"
    assert [a.criterion_index for a in outcome.arguments] == [0, 1, 2, 3]
    assert outcome.arguments[1].evidence  # the revised section
    assert outcome.usage == Usage(calls=2, input_tokens=200, output_tokens=20)
    assert outcome.draft.run.prompts["p"] == "v1" and outcome.draft.run.engine == "checked"


def test_a_section_that_never_passes_is_the_template_drafters() -> None:
    engine = Checked(stubborn=True, max_redrafts=1)
    outcome = finish(engine)
    assert len(engine.requests) == 2  # the first draft and one revision
    assert outcome.draft is not None and outcome.draft.run.fallback_sections == [2]
    template = OfflineEngine().argue(engine.requests[0]).arguments
    assert outcome.arguments[1] == template[1]
    no_redrafts = Checked(max_redrafts=0)
    assert finish(no_redrafts).draft.run.fallback_sections == [2]  # type: ignore[union-attr]
    assert len(no_redrafts.requests) == 1


def test_the_offline_engine_is_not_checked_or_redrafted() -> None:
    events: list[StageEvent] = []
    outcome = finish(OfflineEngine(), events)
    assert outcome.draft is not None and outcome.draft.run.fallback_sections == []
    assert [(e.stage, e.done) for e in events] == [
        ("extract", False),
        ("extract", True),
        ("draft", False),
        ("draft", True),
        ("validate", False),
        ("validate", True),
    ]
    assert events[3].result is not None and events[3].result.markdown == outcome.draft.markdown
    assert events[-1].result == outcome.draft.validation and events[-1].seconds >= 0



def test_verdicts_are_computed_beside_retrieval_and_the_inputs_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The verdicts (which read only the analysis and the case) are computed on another thread
    while the passages are retrieved and the validator's inputs are read: retrieval waits until
    the verdicts have started, and the verdicts until the inputs are read, neither of which
    happens when the verdicts come after them; the draft carries the same verdicts."""
    from pipeline import pipeline as stages
    from pipeline.reasoning.verdicts import evaluate

    started, read = threading.Event(), threading.Event()
    threads: list[str] = []
    read_ahead = stages.Inputs.read_ahead

    def reading(inputs: Any) -> None:
        read_ahead(inputs)
        read.set()

    def evaluating(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        started.set()
        # the validator's inputs are read while the verdicts are under way, not after
        assert read.wait(10), "the inputs were not read while the verdicts were computed"
        return evaluate(*args, **kwargs)

    def retrieving(*args: Any, **kwargs: Any) -> Any:
        assert started.wait(10), "the verdicts did not start while retrieving"
        return tms_passages()

    monkeypatch.setattr(stages, "evaluate", evaluating)
    monkeypatch.setattr(stages, "retrieve", retrieving)
    monkeypatch.setattr(stages.Inputs, "read_ahead", reading)
    letter, case = ingest(str(EXAMPLE.letter_path)), load_case(EXAMPLE.case_path)
    draft = Pipeline(OfflineEngine()).draft(letter, case, today=TODAY)
    assert threads and threads[0] != threading.current_thread().name
    read = Pipeline(OfflineEngine()).run(letter, case, until="extract")
    assert draft.verdicts == evaluate(read.analysis, case, as_of=TODAY)


# --------------------------------------------------------------------------- the registry


def test_built_in_engines_and_a_clear_error_for_others() -> None:
    assert engine_names()[:2] == ["offline", "openai"]
    assert isinstance(get_engine("offline"), OfflineEngine)
    with pytest.raises(InputError, match="unknown engine 'gpt': use --engine offline or"):
        get_engine("gpt")


def test_an_engine_is_added_by_decorator_or_by_entry_point(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(engine_registry, "_FACTORIES", dict(engine_registry._FACTORIES))
    monkeypatch.setattr(engine_registry, "_loaded", {"builtins": True, "entry_points": False})

    @register("Mine")
    def mine(model: str | None = None, base_url: str | None = None) -> Checked:
        return Checked()

    assert isinstance(get_engine("mine"), Checked)
    point = EntryPoint(name="plugin", value="tests.test_pipeline:make_checked", group="lmn.engines")
    monkeypatch.setattr(engine_registry, "entry_points", lambda group: [point])
    assert "plugin" in engine_names()
    assert isinstance(get_engine("plugin"), Checked)


def test_a_run_embeds_a_criterions_words_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The retrieval's query for a criterion and the verdicts' query for a requirement whose
    span is a bare subject are the same words: one run embeds them once (the run's
    ``RunVectors``), not once per stage."""
    from pipeline import embedding
    from tests.conftest import EXAMPLES

    real = embedding.embed
    asked: list[str] = []
    lock = threading.Lock()

    def counted(texts: list[str]) -> Any:
        with lock:
            asked.extend(texts)
        return real(texts)

    monkeypatch.setattr(embedding, "embed", counted)
    folder = next(p for p in EXAMPLES if p.name == "pt-visits-aca")
    letter, case = ingest(str(folder / "letter.txt")), load_case(folder / "case.yaml")
    draft = Pipeline(OfflineEngine()).draft(letter, case, today=TODAY)
    criteria = {" ".join(c.text.split()) for c in draft.analysis.criteria}
    assert criteria & set(asked)  # both stages asked for some criterion's words
    assert len(asked) == len(set(asked))
