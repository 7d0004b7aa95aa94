"""The ground of a notice that does not deny on a list of clinical criteria.

A plan may concede that a service is needed and still deny it: no network gap (a network
provider can give the care), the place of care (home infusion instead of the hospital), a
benefit exclusion, a lower level of care, or a rule of procedure (prior authorization asked
after the service). Such a notice is read as its ground (:class:`~pipeline.models.DenialGround`),
verbatim, never as a made-up criterion. How notices word each ground is data
(``ground_rules.yaml``); this module only applies it to the sentences of the notice's reasoning
(the appeal-rights boilerplate and tables are not read).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from .criteria_rules import Reading, Zone, reading
from .models import Criterion, DenialGround, DenialLetter, GroundKind
from .reasoning.parts import NoticePart, notice_parts
from .text.sentences import split_sentences

RULES_FILE = Path(__file__).with_name("ground_rules.yaml")


class _Kind(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: GroundKind
    needs_offer: bool
    statement: list[str]
    alternative: list[str] = []
    titles: list[str] = []


class GroundRules(BaseModel):
    """The rules file, as data."""

    model_config = ConfigDict(extra="forbid")
    kinds: list[_Kind]
    reason_markers: list[str]
    outcome_markers: list[str]
    conceded: list[str]
    not_decided: list[str]
    provisions: list[str]


def _any(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@dataclass(frozen=True)
class _Compiled:
    kinds: tuple[tuple[_Kind, re.Pattern[str], tuple[re.Pattern[str], ...]], ...]
    titles: tuple[tuple[GroundKind, re.Pattern[str]], ...]
    reason: re.Pattern[str]
    outcome: re.Pattern[str]
    conceded: re.Pattern[str]
    not_decided: re.Pattern[str]
    provisions: tuple[re.Pattern[str], ...]


@cache
def _rules() -> _Compiled:
    rules = GroundRules.model_validate(yaml.safe_load(RULES_FILE.read_text(encoding="utf-8")))
    return _Compiled(
        kinds=tuple(
            (k, _any(k.statement), tuple(re.compile(p, re.IGNORECASE) for p in k.alternative))
            for k in rules.kinds
        ),
        titles=tuple((k.kind, _any(k.titles)) for k in rules.kinds if k.titles),
        reason=_any(rules.reason_markers),
        outcome=_any(rules.outcome_markers),
        conceded=_any(rules.conceded),
        not_decided=_any(rules.not_decided),
        provisions=tuple(re.compile(p, re.IGNORECASE) for p in rules.provisions),
    )


_MAX_STATEMENT = 600


def _sentences(read: Reading) -> list[str]:
    """The sentences of the notice's reasoning: every block but the appeal-rights boilerplate
    and tables, whitespace flattened."""
    found: list[str] = []
    for block in read.blocks:
        if block.zone is Zone.boilerplate or block.rows is not None:
            continue
        found += split_sentences(block.text, flatten=True)
    return found


def read_ground(
    letter: DenialLetter | Reading | str, criteria: list[Criterion] | None = None
) -> DenialGround | None:
    """The notice's ground when it is one of the kinds in ``ground_rules.yaml``, else None.

    A kind holds when a sentence states it; its sentences giving the rule and the finding are
    the statement (:func:`_statement`). A level-of-care or site-of-care
    ground also needs the notice to concede necessity, leave it aside, or name what it offers
    instead; and when the notice lists ``criteria``, only a network or procedural ground, or one
    whose notice concedes or leaves aside necessity or names what it gave instead, is read (else
    the criteria are the ground).
    """
    rules = _rules()
    read = reading(letter)
    sentences = _sentences(read)
    if not sentences:
        return None
    parts = notice_parts(read.plain, grounds=True)
    not_decided = any(rules.not_decided.search(s) for s in sentences)
    concession = (
        None if not_decided else next((s for s in sentences if rules.conceded.search(s)), None)
    )
    best: tuple[int, int] | None = None
    choice: DenialGround | None = None
    titled = _titled_parts(parts, rules)
    for priority, (kind, statement_re, alternative_res) in enumerate(rules.kinds):
        stating = [s for s in sentences if statement_re.search(s)]
        # its own part of a notice of several grounds: headed by the ground's name, else
        # holding the sentences that state it and none of the criteria
        own = titled.get(kind.kind) or _own_parts(stating, parts, criteria or [])
        if not stating and not own:
            continue
        alternative = next(
            (
                m["alt"].strip(" ,")
                for pattern in alternative_res
                for s in sentences
                if (m := pattern.search(s))
            ),
            None,
        )
        offered = bool(concession) or not_decided or alternative is not None
        if kind.needs_offer and not offered:
            continue
        listed = bool(criteria) and kind.kind not in (
            GroundKind.network_adequacy,
            GroundKind.administrative,
            GroundKind.transport,  # argued beside the criteria the notice lists
        )
        if listed and not (concession or not_decided or alternative or own):
            continue
        # a notice of several grounds, one part each: the ground is its own part's words
        statement = _statement(own or stating, rules)
        rank = (len(stating), -priority)
        if best is None or rank > best:
            best = rank
            choice = DenialGround(
                kind=kind.kind,
                statement=statement[:_MAX_STATEMENT],
                necessity_conceded=concession is not None,
                concession=concession[:400] if concession else None,
                alternative=alternative[:300] if alternative else None,
                provision=_provision(sentences, rules),
            )
    return choice


def _statement(stating: list[str], rules: _Compiled) -> str:
    """The rule and the finding: the first sentence giving a reason ('covers ... only when no
    network provider can ...') and the last giving a reason with the outcome ('Because ... are
    available ..., the request is denied'), both in letter order when they differ; else the
    first with the outcome, else the first."""
    rule = next((s for s in stating if rules.reason.search(s)), None)
    findings = [s for s in stating if rules.reason.search(s) and rules.outcome.search(s)]
    finding = findings[-1] if findings else None
    chosen = [s for s in stating if s in (rule, finding)]
    if chosen:
        return " ".join(chosen)
    return next((s for s in stating if rules.outcome.search(s)), stating[0])


def _provision(sentences: list[str], rules: _Compiled) -> str | None:
    for pattern in rules.provisions:
        for sentence in sentences:
            if m := pattern.search(sentence):
                return m["p"].strip(" ,")[:300]
    return None


_RULE_RE = re.compile(r"[-=_*~]{5,}")
"""A rule line's run of dashes, kept out of a part's sentences."""


def _titled_parts(parts: tuple[NoticePart, ...], rules: _Compiled) -> dict[GroundKind, list[str]]:
    """Per ground kind, the sentences of the notice's part whose heading names it ('REASON 1
    of 3 - NOT A COVERED USE (BENEFIT EXCLUSION)'), the first part so headed."""
    found: dict[GroundKind, list[str]] = {}
    for part in parts:
        for kind, title_re in rules.titles:
            if kind not in found and title_re.search(f"{part.label} {part.title}"):
                words = _RULE_RE.sub(" ", part.text)
                found[kind] = [s for s in split_sentences(words, flatten=True) if s.strip()]
    return found


def _flat(text: str) -> str:
    return " ".join(text.split())


def _own_parts(
    stating: list[str], parts: tuple[NoticePart, ...], criteria: list[Criterion]
) -> list[str]:
    """The sentences stating a ground that stand in a part of their own of a notice that
    states several grounds, one part each ('GROUND 1 OF 3 - BENEFIT EXCLUSION' beside 'GROUND 2
    OF 3 - PRIOR AUTHORIZATION CRITERIA NOT MET'): a part that holds none of the criteria. Such
    a ground is read beside the criteria, not taken for their summary."""
    own: list[str] = []
    for part in parts:
        body = _flat(part.text)
        if any(_flat(c.text)[:80] in body for c in criteria):
            continue
        own += [s for s in stating if _flat(s) in body]
    return own


def the_ground_itself(criterion: Criterion, ground: DenialGround) -> bool:
    """True when a criterion read from prose is the ground's own sentence ('Your plan requires
    prior authorization for ...'): the ground, not a criterion of the payer's policy."""
    words = re.findall(r"[a-z0-9]+", criterion.text.casefold())
    statement = " ".join(re.findall(r"[a-z0-9]+", ground.statement.casefold()))
    return bool(words) and " ".join(words) in statement
