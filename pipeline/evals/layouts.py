"""The layout suite: how exactly extraction reads denial letters laid out in many ways.

Each folder of ``evals/layouts/`` holds ``letter.txt`` and ``key.yaml`` (written by hand from the
letter; see ``evals/layouts/README.md``). For each letter the extraction is scored against its
key: criteria recall and precision (a predicted criterion matches an expected one when their
words overlap with F1 >= ``MATCH_F1``, one to one), requirement fields (kind, value and unit of
each expected requirement found in the matched criterion), the payer's status per criterion,
requested codes with units and modifiers (exact), and the insurer and plan sponsor (exact).
Figures are summed per layout and per slice (tuned / held-out), never averaged per letter.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from ..models import Comparator, DenialAnalysis, GroundKind, PayerStatus, PlanType, RequirementKind

LAYOUTS_DIR = Path(__file__).resolve().parents[2] / "evals" / "layouts"
MATCH_F1 = 0.7
"""Word-overlap F1 at which a predicted criterion counts as the expected one."""
LACK_F1 = 0.5
"""Word-overlap F1 at which a predicted 'records lacked' phrase counts as the expected one."""


class _Key(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KeyRequirement(_Key):
    kind: RequirementKind
    value: float | None = None
    unit: str | None = None
    comparator: Comparator | None = None
    """The direction the patient's value must take (scored when given)."""


class KeyCriterion(_Key):
    text: str
    status: PayerStatus
    reason: str | None = None
    logic: Literal["all", "any"] = "all"
    requirements: list[KeyRequirement] = Field(default_factory=list)
    lacks: list[str] = Field(default_factory=list)
    """What the payer said the records lacked (scored when given)."""
    alternative: bool | None = None
    """One of alternative criteria (the notice needs one of them), or a criterion required
    beside them ('and the Additional Requirements (A) and (B)'); scored with the logic when
    given."""
    label: str | None = None
    """The payer's own label of the criterion, as printed ('3.2.3', 'B2', 'II.c', '(iv)'), scored
    when given."""
    at_least: int | None = None
    """How many of the criterion's own alternatives must be met ('at least two of the
    following'), scored with the logic when given."""
    tree: str | None = None
    """The shape of the criterion's requirement tree (``RequirementNode.shape``: 'any(A=met,B,C)',
    'all(1,2,3:any(.,.))'), scored exactly when given."""


class KeyGroup(_Key):
    """Criteria of which only some need be met ('AT LEAST TWO of B1-B5')."""

    members: list[int]
    """Indexes (0-based) of the key's criteria."""
    at_least: int = 1


class KeyService(_Key):
    code: str
    units: int | None = None
    modifiers: list[str] = Field(default_factory=list)
    per: str | None = None
    administrations: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    revenue: str | None = None
    """The revenue code a facility line bills the code under (scored with the details)."""


class KeyIncrease(_Key):
    """An increase of a service partly approved (``ServiceIncrease``): each amount scored when
    given, and the reading must read no reduction (``service_change``)."""

    current: float | None = None
    requested: float | None = None
    approved: float | None = None
    unit: str | None = None
    per: str | None = None


class KeyGround(_Key):
    """The ground of a notice whose reason is not a list of criteria."""

    kind: GroundKind
    statement: str
    necessity_conceded: bool = False
    alternative: str | None = None


class LayoutKey(_Key):
    """What a careful reader takes from the letter (``key.yaml``)."""

    layout: str
    held_out: bool
    features: list[str] = Field(default_factory=list)
    insurer: str | None
    sponsor: str | None
    criteria: list[KeyCriterion]
    requested: list[KeyService]
    plan_type: PlanType | None = None
    """Scored when given, as are the appeal fax and each service's period and administrations."""
    appeal_fax: str | None = None
    appeal_deadline: dt.date | None = None
    """The last day to appeal as the notice states it or counts it from its date (scored with the
    details when given)."""
    letter_date: dt.date | None = None
    """The notice's own date (not a fax cover's or a received stamp's), scored when given."""
    expedited_phone: str | None = None
    """The phone the notice gives for an expedited (fast) appeal, scored by its digits."""
    expedited_fax: str | None = None
    """The fax the notice gives for an expedited appeal apart from the standard appeal's."""
    preferred: list[str] | None = None
    """The preferred alternatives the payer names (scored when given), as written."""
    ground: KeyGround | None = None
    """The notice's prose ground; a letter without one is scored for reading none."""
    increase: KeyIncrease | None = None
    """An increase partly approved (scored with the details when given: each amount, and no
    reduction read)."""
    policy: str | None = None
    """The governing policy's id as a reader names it ('NCD 20.4', 'LCD L38201'), scored when
    given: every word of it must be in the policy or a criterion's source the reading gives."""
    reviewed: list[str] | None = None
    """The records the notice says were reviewed (scored when given), each as written."""
    records_through: dt.date | None = None
    """The last day the reviewed records reach (scored with the details when given)."""
    appeal_level: str | None = None
    """Which decision the notice is: initial | appeal | final_internal (scored with the details
    when given)."""
    reviewer: str | None = None
    """The reviewer who decided, with credential ('Celeste M. Durand, MD'), scored when given:
    every word of it in the reading's reviewer."""
    peer_to_peer_phone: str | None = None
    """The peer-to-peer number (digits scored when given)."""
    groups: list[KeyGroup] | None = None
    """The notice's count-of groups across criteria (scored when given: each group with its
    members and count, and each extra group read)."""


@dataclass(frozen=True)
class LayoutCase:
    slug: str
    letter: str
    key: LayoutKey


def load_cases(root: Path = LAYOUTS_DIR) -> list[LayoutCase]:
    """Every letter of the suite with its key, by folder name."""
    return [
        LayoutCase(
            folder.name,
            (folder / "letter.txt").read_text(encoding="utf-8"),
            LayoutKey.model_validate(yaml.safe_load((folder / "key.yaml").read_text("utf-8"))),
        )
        for folder in sorted(root.iterdir())
        if (folder / "key.yaml").is_file()
    ]


# --------------------------------------------------------------------------- scoring


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9%]+", text.casefold())


def word_f1(a: str, b: str) -> float:
    """F1 of the two texts' word multisets."""
    wa, wb = Counter(_words(a)), Counter(_words(b))
    common = sum((wa & wb).values())
    if not common:
        return 0.0
    precision, recall = common / sum(wb.values()), common / sum(wa.values())
    return 2 * precision * recall / (precision + recall)


def match_criteria(expected: list[str], predicted: list[str]) -> dict[int, int]:
    """Expected index -> predicted index, one to one, best overlaps first."""
    pairs = sorted(
        ((word_f1(e, p), i, j) for i, e in enumerate(expected) for j, p in enumerate(predicted)),
        reverse=True,
    )
    matched: dict[int, int] = {}
    used: set[int] = set()
    for score, i, j in pairs:
        if score < MATCH_F1:
            break
        if i not in matched and j not in used:
            matched[i] = j
            used.add(j)
    return matched


@dataclass
class Tally:
    """Counts behind the figures (hits over totals), summed over letters."""

    criteria_expected: int = 0
    criteria_predicted: int = 0
    criteria_matched: int = 0
    fields_total: int = 0
    fields_hit: int = 0
    status_total: int = 0
    status_hit: int = 0
    codes_expected: int = 0
    codes_predicted: int = 0
    codes_matched: int = 0
    parties_total: int = 0
    parties_hit: int = 0
    details_total: int = 0
    details_hit: int = 0
    lacks_total: int = 0
    lacks_hit: int = 0
    logic_total: int = 0
    logic_hit: int = 0
    preferred_total: int = 0
    preferred_hit: int = 0
    ground_total: int = 0
    ground_hit: int = 0
    policy_total: int = 0
    policy_hit: int = 0
    reviewed_total: int = 0
    reviewed_hit: int = 0
    groups_total: int = 0
    groups_hit: int = 0
    labels_total: int = 0
    labels_hit: int = 0
    trees_total: int = 0
    trees_hit: int = 0
    routes_total: int = 0
    routes_hit: int = 0
    letters: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name, value in vars(other).items():
            if name == "misses":
                self.misses += value
            else:
                setattr(self, name, getattr(self, name) + value)

    def figures(self) -> dict[str, float | None]:
        def ratio(hit: int, total: int) -> float | None:
            return round(hit / total, 3) if total else None

        return {
            "criteria_recall": ratio(self.criteria_matched, self.criteria_expected),
            "criteria_precision": ratio(self.criteria_matched, self.criteria_predicted),
            "requirement_fields": ratio(self.fields_hit, self.fields_total),
            "payer_status": ratio(self.status_hit, self.status_total),
            "requested_recall": ratio(self.codes_matched, self.codes_expected),
            "requested_precision": ratio(self.codes_matched, self.codes_predicted),
            "insurer_sponsor": ratio(self.parties_hit, self.parties_total),
            "service_details": ratio(self.details_hit, self.details_total),
            "payer_lacks": ratio(self.lacks_hit, self.lacks_total),
            "criterion_logic": ratio(self.logic_hit, self.logic_total),
            "preferred_alternatives": ratio(self.preferred_hit, self.preferred_total),
            "ground": ratio(self.ground_hit, self.ground_total),
            "policy": ratio(self.policy_hit, self.policy_total),
            "records_reviewed": ratio(self.reviewed_hit, self.reviewed_total),
            "labels": ratio(self.labels_hit, self.labels_total),
            "trees": ratio(self.trees_hit, self.trees_total),
            "groups": ratio(self.groups_hit, self.groups_total),
            "routes": ratio(self.routes_hit, self.routes_total),
        }


def _same_value(a: float | None, b: float | None) -> bool:
    return a is None if b is None else a is not None and abs(a - b) < 1e-9


def _requirement_fields(expected: list[KeyRequirement], predicted: list[Any]) -> tuple[int, int]:
    """(fields hit, fields checked): each expected requirement is paired, best pairs first, with
    an unused predicted requirement of its kind; fields are the kind, and the value and unit
    when the key gives them."""

    def checked(want: KeyRequirement) -> int:
        return (
            1 + (want.value is not None) + (want.unit is not None) + (want.comparator is not None)
        )

    def hits(want: KeyRequirement, got: Any) -> int:
        return (
            1
            + (want.value is not None and _same_value(got.value, want.value))
            + (want.unit is not None and got.unit == want.unit)
            + (want.comparator is not None and got.comparator == want.comparator)
        )

    pairs = sorted(
        (
            (hits(want, got), i, j)
            for i, want in enumerate(expected)
            for j, got in enumerate(predicted)
            if got.kind == want.kind
        ),
        reverse=True,
    )
    hit, paired, used = 0, set(), set()
    for count, i, j in pairs:
        if i not in paired and j not in used:
            hit += count
            paired.add(i)
            used.add(j)
    return hit, sum(checked(want) for want in expected)


def requirement_misses(expected: list[KeyRequirement], predicted: list[Any]) -> list[str]:
    """The expected requirements no predicted one of the same kind, value and unit stands for."""
    left = list(predicted)
    missed = []
    for want in expected:
        same = next(
            (
                got
                for got in left
                if got.kind == want.kind
                and (want.value is None or _same_value(got.value, want.value))
                and (want.unit is None or got.unit == want.unit)
                and (want.comparator is None or got.comparator == want.comparator)
            ),
            None,
        )
        if same is None:
            missed.append(
                f"{want.kind.value} {want.comparator or ''} "
                f"{want.value if want.value is not None else ''} {want.unit or ''}".strip()
            )
        else:
            left.remove(same)
    return missed


def _party(value: str | None) -> str | None:
    return " ".join(_words(value)) if value else None


def score(case: LayoutCase, analysis: DenialAnalysis) -> Tally:
    """The tally of one letter's extraction against its key."""
    key = case.key
    tally = Tally(letters=1)
    expected = [c.text for c in key.criteria]
    predicted = [c.text for c in analysis.criteria]
    matched = match_criteria(expected, predicted)
    tally.criteria_expected, tally.criteria_predicted = len(expected), len(predicted)
    tally.criteria_matched = len(matched)
    for i, want in enumerate(key.criteria):
        got = analysis.criteria[matched[i]] if i in matched else None
        hit, total = _requirement_fields(want.requirements, got.requirements if got else [])
        tally.fields_hit += hit
        tally.fields_total += total
        if got is not None and hit < total:
            tally.misses += [
                f"{case.slug}: requirement missed: {miss} in: {want.text[:40]}"
                for miss in requirement_misses(want.requirements, got.requirements)
            ]
        tally.logic_total += 1
        if got is not None and got.logic == want.logic:
            tally.logic_hit += 1
        elif got is not None:
            tally.misses.append(f"{case.slug}: logic {got.logic} != {want.logic}: {want.text[:50]}")
        if want.alternative is not None:
            tally.logic_total += 1
            alternative = getattr(got, "alternative", False) if got is not None else None
            if alternative == want.alternative:
                tally.logic_hit += 1
            else:
                tally.misses.append(
                    f"{case.slug}: alternative {alternative} != {want.alternative}: "
                    f"{want.text[:50]}"
                )
        if want.at_least is not None:
            tally.logic_total += 1
            at_least = getattr(got, "at_least", 1) if got is not None else None
            if at_least == want.at_least:
                tally.logic_hit += 1
            else:
                tally.misses.append(
                    f"{case.slug}: at_least {at_least} != {want.at_least}: {want.text[:50]}"
                )
        if want.tree is not None:
            tally.trees_total += 1
            tree = getattr(got, "tree", None) if got is not None else None
            shape = tree.shape() if tree is not None else None
            if shape == want.tree:
                tally.trees_hit += 1
            else:
                tally.misses.append(f"{case.slug}: tree {shape!r} != {want.tree!r}")
        if want.label is not None:
            tally.labels_total += 1
            label = getattr(got, "label", None) if got is not None else None
            if label == want.label:
                tally.labels_hit += 1
            else:
                tally.misses.append(f"{case.slug}: label {label!r} != {want.label!r}")
        tally.status_total += 1
        if got is not None and got.payer_status == want.status:
            tally.status_hit += 1
        elif got is None:
            tally.misses.append(f"{case.slug}: criterion missed: {want.text[:70]}")
        else:
            tally.misses.append(
                f"{case.slug}: status {got.payer_status} != {want.status}: {want.text[:50]}"
            )
        if want.lacks:
            got_lacks = got.payer_lacks if got is not None else []
            for lack in want.lacks:
                tally.lacks_total += 1
                if any(word_f1(lack, g) >= LACK_F1 for g in got_lacks):
                    tally.lacks_hit += 1
                else:
                    tally.misses.append(f"{case.slug}: lack missed: {lack[:60]}")
    for j, c in enumerate(analysis.criteria):
        if j not in matched.values():
            tally.misses.append(f"{case.slug}: extra criterion: {c.text[:70]}")
    want_codes = Counter((s.code, s.units, tuple(s.modifiers)) for s in key.requested)
    got_codes = Counter((s.code, s.units, tuple(s.modifiers)) for s in analysis.requested)
    tally.codes_expected, tally.codes_predicted = sum(want_codes.values()), sum(got_codes.values())
    tally.codes_matched = sum((want_codes & got_codes).values())
    if want_codes != got_codes:
        tally.misses.append(f"{case.slug}: requested {sorted(got_codes)} != {sorted(want_codes)}")
    _score_details(case, analysis, tally)
    _score_preferred(case, analysis, tally)
    _score_ground(case, analysis, tally)
    _score_policy(case, analysis, tally)
    _score_reviewed(case, analysis, tally)
    _score_routes(case, analysis, tally)
    _score_groups(case, analysis, matched, tally)
    for name, want_party, got_party in (
        ("insurer", key.insurer, analysis.insurer),
        ("sponsor", key.sponsor, analysis.plan_sponsor),
    ):
        tally.parties_total += 1
        if _party(want_party) == _party(got_party):
            tally.parties_hit += 1
        else:
            tally.misses.append(f"{case.slug}: {name} {got_party!r} != {want_party!r}")
    return tally


def _score_details(case: LayoutCase, analysis: DenialAnalysis, tally: Tally) -> None:
    """Each service's per-administration basis, administrations and period, the plan type, the
    appeal fax, the appeal deadline and the letter's date, where the key gives them."""
    by_code = {s.code: s for s in analysis.requested}
    for want in case.key.requested:
        got = by_code.get(want.code)
        if want.revenue is not None:  # the facility's line of a code billed twice
            got = next((s for s in analysis.requested if s.code == want.code and s.revenue), got)
        for name in ("per", "administrations", "start", "end", "revenue"):
            expected = getattr(want, name)
            if expected is None:
                continue
            tally.details_total += 1
            value = getattr(got, name) if got is not None else None
            if value == expected:
                tally.details_hit += 1
            else:
                tally.misses.append(f"{case.slug}: {want.code} {name} {value!r} != {expected!r}")
    checked: tuple[tuple[str, object, object], ...] = (
        ("plan_type", case.key.plan_type, analysis.plan_type),
        ("appeal_fax", _digits(case.key.appeal_fax), _digits(analysis.appeal_fax)),
        ("appeal_deadline", case.key.appeal_deadline, analysis.appeal_deadline),
        ("letter_date", case.key.letter_date, analysis.letter_date),
        ("expedited_phone", _digits(case.key.expedited_phone), _digits(analysis.expedited_route)),
        ("expedited_fax", _digits(case.key.expedited_fax), _digits(analysis.expedited_fax)),
        ("records_through", case.key.records_through, analysis.records_through),
        ("appeal_level", case.key.appeal_level, analysis.appeal_level),
    )
    want_increase, got_increase = case.key.increase, analysis.increase
    if want_increase is not None:
        checked += (
            *(
                (f"increase {name}", expected, getattr(got_increase, name, None))
                for name, expected in want_increase.model_dump().items()
            ),
            ("reduction read", False, analysis.service_change is not None),
        )
    for name, expected, value in checked:
        if expected is None or expected == "":
            continue
        tally.details_total += 1
        if value == expected:
            tally.details_hit += 1
        else:
            tally.misses.append(f"{case.slug}: {name} {value!r} != {expected!r}")


def _named_matches(
    slug: str, what: str, want: list[str], got: list[str]
) -> tuple[int, int, list[str]]:
    """(hits, counted, misses) of expected names against predicted ones: each expected one
    matched (word F1 >= ``LACK_F1``, one to one) is a hit; each expected or extra predicted one
    is counted."""
    left, hits, misses = list(got), 0, []
    for name in want:
        best = max(left, key=lambda g: word_f1(name, g), default=None)
        if best is not None and word_f1(name, best) >= LACK_F1:
            left.remove(best)
            hits += 1
        else:
            misses.append(f"{slug}: {what} missed: {name[:60]}")
    misses += [f"{slug}: extra {what}: {g[:60]}" for g in left]
    return hits, len(want) + len(left), misses


def _score_preferred(case: LayoutCase, analysis: DenialAnalysis, tally: Tally) -> None:
    """The preferred alternatives, where the key gives them (:func:`_named_matches`)."""
    if case.key.preferred is None:
        return
    hits, counted, misses = _named_matches(
        case.slug, "preferred alternative", case.key.preferred, analysis.preferred_alternatives
    )
    tally.preferred_hit += hits
    tally.preferred_total += counted
    tally.misses += misses


def _score_policy(case: LayoutCase, analysis: DenialAnalysis, tally: Tally) -> None:
    """The governing policy, where the key names one: every word of the key's id is in the
    reading's policy or in one criterion's source ('National Coverage Determination' is 'NCD',
    'Local Coverage Determination' is 'LCD')."""
    if case.key.policy is None:
        return

    def ids(text: str) -> set[str]:
        text = re.sub(r"national coverage determination", "ncd", text, flags=re.IGNORECASE)
        return set(_words(re.sub(r"local coverage determination", "lcd", text, flags=re.I)))

    want = ids(case.key.policy)
    named = [analysis.policy or ""] + [c.source or "" for c in analysis.criteria]
    tally.policy_total += 1
    if any(want <= ids(n) for n in named if n):
        tally.policy_hit += 1
    else:
        tally.misses.append(f"{case.slug}: policy {analysis.policy!r} != {case.key.policy!r}")


def _score_reviewed(case: LayoutCase, analysis: DenialAnalysis, tally: Tally) -> None:
    """The records the notice says were reviewed, where the key gives them
    (:func:`_named_matches`)."""
    if case.key.reviewed is None:
        return
    hits, counted, misses = _named_matches(
        case.slug, "record reviewed", case.key.reviewed, analysis.records_reviewed
    )
    tally.reviewed_hit += hits
    tally.reviewed_total += counted
    tally.misses += misses


def _score_routes(case: LayoutCase, analysis: DenialAnalysis, tally: Tally) -> None:
    """The reviewer (every word of the key's name and credential in the reading's) and the
    peer-to-peer number (digits), where the key gives them."""
    key = case.key
    checks = []
    if key.reviewer is not None:
        got = set(_words(analysis.reviewer or ""))
        checks.append(("reviewer", set(_words(key.reviewer)) <= got, analysis.reviewer))
    if key.peer_to_peer_phone is not None:
        got_phone = _digits(analysis.peer_to_peer_phone)
        checks.append(
            ("peer_to_peer_phone", got_phone == _digits(key.peer_to_peer_phone), got_phone)
        )
    for name, hit, value in checks:
        tally.routes_total += 1
        tally.routes_hit += hit
        if not hit:
            tally.misses.append(f"{case.slug}: {name} {value!r}")


def _score_groups(
    case: LayoutCase, analysis: DenialAnalysis, matched: dict[int, int], tally: Tally
) -> None:
    """Each expected group read with the same members (through the matched criteria) and
    count, and each extra group read, where the key gives its groups."""
    if case.key.groups is None:
        return
    got = [(frozenset(g.members), g.at_least) for g in getattr(analysis, "groups", [])]
    for want in case.key.groups:
        tally.groups_total += 1
        members = frozenset(matched[i] for i in want.members if i in matched)
        if (members, want.at_least) in got and len(members) == len(want.members):
            got.remove((members, want.at_least))
            tally.groups_hit += 1
        else:
            tally.misses.append(
                f"{case.slug}: group missed: {want.members} at least {want.at_least}"
            )
    for members, count in got:
        tally.groups_total += 1
        tally.misses.append(f"{case.slug}: extra group: {sorted(members)} at least {count}")


def _covers(want: str, got: str | None) -> bool:
    """Whether ``got`` holds most of ``want``'s words (recall >= 0.8) and is not much longer
    (at most three times as many words): a statement read with its neighbour still counts."""
    if not got:
        return False
    wa, wb = Counter(_words(want)), Counter(_words(got))
    return sum((wa & wb).values()) >= 0.8 * sum(wa.values()) and sum(wb.values()) <= 3 * max(
        sum(wa.values()), 8
    )


def _score_ground(case: LayoutCase, analysis: DenialAnalysis, tally: Tally) -> None:
    """The prose ground: its kind, statement, concession of necessity and the alternative, where
    the key gives one; a ground read from a letter whose key has none is one miss."""
    want, got = case.key.ground, analysis.ground
    if want is None:
        if got is not None:
            tally.ground_total += 1
            tally.misses.append(f"{case.slug}: extra ground: {got.kind.value}")
        return
    checks = {
        "kind": got is not None and got.kind == want.kind,
        "statement": got is not None and _covers(want.statement, got.statement),
        "necessity_conceded": got is not None and got.necessity_conceded == want.necessity_conceded,
        "alternative": (got.alternative is None if got is not None else True)
        if want.alternative is None
        else got is not None and _covers(want.alternative, got.alternative),
    }
    for name, hit in checks.items():
        tally.ground_total += 1
        tally.ground_hit += hit
        if not hit:
            value = getattr(got, name, None) if got is not None else None
            tally.misses.append(f"{case.slug}: ground {name} {str(value)[:60]!r}")


def _digits(value: str | None) -> str:
    return re.sub(r"\D", "", value or "")[-10:]


@dataclass
class Report:
    """Tallies per layout and per slice."""

    by_layout: dict[tuple[str, bool], Tally]
    by_slice: dict[bool, Tally]

    def as_dict(self) -> dict[str, object]:
        return {
            "tuned": self.by_slice.get(False, Tally()).figures(),
            "held_out": self.by_slice.get(True, Tally()).figures(),
            "layouts": [
                {"layout": layout, "held_out": held, "letters": t.letters, **t.figures()}
                for (layout, held), t in sorted(self.by_layout.items())
            ],
        }


def evaluate(cases: Iterable[LayoutCase], read: Callable[[str], DenialAnalysis]) -> Report:
    """Score ``read`` (letter text -> analysis) on every case."""
    by_layout: dict[tuple[str, bool], Tally] = defaultdict(Tally)
    by_slice: dict[bool, Tally] = defaultdict(Tally)
    for case in cases:
        tally = score(case, read(case.letter))
        by_layout[(case.key.layout, case.key.held_out)].add(tally)
        by_slice[case.key.held_out].add(tally)
    return Report(dict(by_layout), dict(by_slice))


_COLUMNS = (
    ("criteria_recall", "crit R"),
    ("criteria_precision", "crit P"),
    ("requirement_fields", "req fld"),
    ("payer_status", "status"),
    ("requested_recall", "codes R"),
    ("requested_precision", "codes P"),
    ("insurer_sponsor", "payer"),
    ("service_details", "detail"),
    ("payer_lacks", "lacks"),
    ("criterion_logic", "logic"),
    ("preferred_alternatives", "alts"),
    ("ground", "ground"),
    ("policy", "policy"),
    ("records_reviewed", "reviewed"),
    ("labels", "labels"),
    ("trees", "trees"),
    ("groups", "groups"),
    ("routes", "routes"),
)


def render(report: Report, *, misses: bool = False) -> str:
    """A plain-text table: one row per layout and slice, then the slices' totals."""

    def row(name: str, letters: int, figures: dict[str, float | None]) -> str:
        cells = [
            f"{figures[k]:>7.2f}" if figures[k] is not None else "      -" for k, _ in _COLUMNS
        ]
        return f"{name:<40} {letters:>3} " + " ".join(cells)

    header = f"{'layout':<40} {'n':>3} " + " ".join(f"{label:>7}" for _, label in _COLUMNS)
    lines = [header]
    for (layout, held), tally in sorted(report.by_layout.items(), key=lambda x: (x[0][1], x[0][0])):
        lines.append(
            row(f"{layout}{' (held-out)' if held else ''}", tally.letters, tally.figures())
        )
    lines.append("")
    for held, tally in sorted(report.by_slice.items()):
        lines.append(row("ALL held-out" if held else "ALL tuned", tally.letters, tally.figures()))
    if misses:
        lines.append("")
        for tally in report.by_slice.values():
            lines += tally.misses
    return "\n".join(lines)
