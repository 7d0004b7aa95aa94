"""The scope's service words are read once with the scope (``Scope.named_words``), not again
for each name of each passage a retrieval compares; a scope replaced with other words reads
them again."""

import dataclasses

from pipeline.models import PlanType
from pipeline.relevance import Scope, _spaced_words


def _scope(text: str) -> Scope:
    return Scope(
        diagnoses=(), services=frozenset(), plan_type=PlanType.erisa, age=None,
        emergency=False, out_of_network=False, service_text=text,
    )  # fmt: skip


def test_the_named_words_are_the_service_words_read_once() -> None:
    scope = _scope("total hip joint replacement, right")
    assert scope.named_words == ("total", "hip", "joint", "replacement", "right")
    text = scope.service_text
    assert _spaced_words("hip replacement", text, scope.named_words)
    assert _spaced_words("hip replacement", text) == _spaced_words(
        "hip replacement", text, scope.named_words
    )


def test_a_replaced_scope_reads_its_named_text_again() -> None:
    scope = dataclasses.replace(_scope("total hip joint replacement"), named_text="hip and knee")
    assert scope.named_words == ("hip", "and", "knee")
    assert not _spaced_words("hip replacement", scope.named_text or "", scope.named_words)
    assert scope == _scope("total hip joint replacement").__class__(
        **{f.name: getattr(scope, f.name) for f in dataclasses.fields(scope) if f.init}
    )
