"""Facts chosen by meaning: the case's facts and the requirements' wording embedded once per
letter with the project's int8 MiniLM model (``pipeline.embedding``), and each requirement given
the nearest facts of the kinds that can answer it.

The typed checks (verdicts.py) read the facts they can name (a drug class, a measured quantity, a
concept of ``measures.yaml``); when they name none, the requirement's facts are the ones nearest
to its wording, restricted by kind: an event or a test is answered by a finding or the physician's
own sentence, never by a device or a drug; a course of treatment by a treatment; a measurement by
a fact that states a number in the requirement's unit; a time window by a dated fact. The
physician's clinical summary counts: each of its sentences is a fact (``clinical_summary[i]``).

How near is near enough (``FLOOR``, ``MARGIN``) was set on the tuned slice of the reasoning eval
(``python -m evals.reasoning.measure``) and checked on its held-out slice.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..models import Requirement, RequirementKind
from ..text.numbers import NUMBER, number_value

FLOOR = 0.30
"""A fact this similar to the requirement's wording (cosine) may answer it."""
MARGIN = 0.08
"""Facts within this of the nearest are kept with it."""
MAX_FACTS = 3
"""At most this many facts answer one requirement."""
KIND_BONUS = 0.15
"""Added to a finding of the kind the requirement's wording names (an examination, an event)."""
TIE = 0.03
"""Facts this close to the nearest (cosine) are a tie the vectors cannot decide: a model
quantized to int8 moves cosines by about this much (min cosine to today's vectors 0.991) and
flipped 6 of 36 letters' choices; ties are ordered by the requirement's words each states."""


@dataclass(frozen=True)
class Candidate:
    """One fact of the case as the embedding sees it."""

    path: str
    """'prior_treatments[2]', 'objective_findings[0]', 'clinical_summary[3]' or 'documents[1]'."""
    kind: str
    """'treatment', 'finding', 'summary' or 'document' (an enclosed record, by its title)."""
    subkind: str
    """The treatment or finding kind ('device', 'lab' ...); '' for a sentence."""
    text: str
    date: dt.date | None = None
    numbers: tuple[tuple[float, str], ...] = ()
    """(value, unit as written) pairs the fact states ('41 mg/dL' -> (41.0, 'mg/dl'))."""
    read: str = ""
    """What the embedding model reads of the fact when not ``text``: a treatment's course
    without its calendar dates ('from October 7, 2024 to January 13, 2025' is ~14 tokens of
    the model's ~0.25 ms of CPU each, and says nothing of what the treatment was; ``date``
    holds them for the requirements that ask when)."""

    @property
    def words(self) -> str:
        """The text embedded for the fact."""
        return self.read or self.text


_NUMBER_UNIT_RE = re.compile(
    rf"({NUMBER})\s*(%|mg/dl|mmol/l|kg/m2|kg/m²|mm\s?hg|mmhg|mm|cm|kg|lb|bpm"
    r"|events?(?:/| per )h(?:ou)?r|per hour|/h|points?|days?|weeks?|months?|years?|degrees?|°"
    r"|hours?\b|hrs?\b|minutes?\b"
    r"|(?:copies|cells|[a-zµμ]{1,4}) ?/ ?(?:ml|dl|l|[uµμ]l|mm3|mm³|hpf)\b|met(?:er|re)s\b"
    r"|m(?![\w/²]))",
    re.IGNORECASE,
)


def numbers_in(text: str) -> tuple[tuple[float, str], ...]:
    """The numbers of a text with the unit written after each ('SpO2 86%' -> ((86.0, '%'),))."""
    return tuple(
        (number_value(m.group(1)), _unit_key(m.group(2))) for m in _NUMBER_UNIT_RE.finditer(text)
    )


def _unit_key(unit: str) -> str:
    u = unit.lower().replace(" ", "").replace("²", "2").replace("³", "3")
    u = u.replace("µ", "u").replace("μ", "u").replace("metre", "meter")
    if u.startswith("event") or u in ("perhour", "/h"):
        return "events/hour"
    if u in ("mmhg",):
        return "mmhg"
    if u == "°":
        return "degree"
    if u in ("hr", "hrs"):
        return "hour"
    if u == "m":  # '286 m' walked
        return "meter"
    return u.rstrip("s") if u not in ("%",) else u


def unit_key(unit: str | None) -> str | None:
    """The comparable form of a requirement's unit ('mg/dL' -> 'mg/dl'), None when it has none
    a fact could state."""
    if not unit:
        return None
    found = numbers_in(f"1 {unit}")
    return found[0][1] if found else None


# --------------------------------------------------------------------------- which kinds

KIND_WORDS = {
    "medication": "medication",
    "therapy": "therapy",
    "procedure": "procedure",
    "device": "device",
    "lab": "laboratory test",
    "imaging": "imaging study",
    "exam": "examination",
    "rating_scale": "rating scale",
    "vital": "vital sign",
    "other": "documented event",
}
"""How a fact's kind reads in the text embedded: the kind is part of its meaning (an
examination answers 'a face-to-face examination' however little its words say so)."""


TREATMENT_KINDS = frozenset(
    {
        RequirementKind.trial_count,
        RequirementKind.class_count,
        RequirementKind.duration,
        RequirementKind.dose_adequacy,
        RequirementKind.concurrency,
    }
)
"""Requirements about a course of treatment: answered by the treatments tried (a sentence of the
summary when no treatment is)."""


_RECORD_KINDS = frozenset(
    {RequirementKind.document, RequirementKind.specialist, RequirementKind.statement}
)


def allowed(req: Requirement, names_treatment: bool) -> Callable[[Candidate], bool]:
    """Which facts may answer the requirement: a course of treatment by treatments; a measurement
    by a fact stating a number in its unit; a time window by a dated fact; anything else (an
    event, a test, an evaluation, a document) by findings and the summary, and by a treatment
    only when the requirement's wording names one (``names_treatment``), never by a device
    or a drug for an event."""
    kind = req.kind
    if kind in TREATMENT_KINDS and names_treatment:
        return lambda c: c.kind in ("treatment", "summary")
    if kind in TREATMENT_KINDS:  # a length of something else ('abstinence for 6 weeks')
        return lambda c: c.kind not in ("treatment", "document")
    if kind == RequirementKind.threshold:
        want = unit_key(req.unit)
        return lambda c: c.kind != "treatment" and any(u == want for _, u in c.numbers)
    if kind == RequirementKind.time_window:  # an enclosed record's date is not the event's
        return lambda c: (
            c.date is not None
            and (
                c.kind not in ("treatment", "document")
                or (c.kind == "treatment" and names_treatment)
            )
        )
    # an enclosed record's title answers only what asks for a record, a review or a specialist
    # ('tumor board summary'); a title is too short to answer a test or an event by meaning
    record = kind in _RECORD_KINDS
    if names_treatment:
        return lambda c: record or c.kind != "document"
    if kind == RequirementKind.test_done:  # a test done is often recorded as a procedure
        return lambda c: c.kind in ("finding", "summary") or c.subkind == "procedure"
    return lambda c: c.kind != "treatment" and (record or c.kind != "document")


# --------------------------------------------------------------------------- vectors


def vectors(texts: list[str]) -> np.ndarray:
    """Unit vectors of ``texts`` (each text is embedded on its own, so a text's vector does not
    depend on what else is in the call)."""
    from ..embedding import embed

    return embed(texts)


@dataclass
class Meaning:
    """The case's candidate facts of one letter; a fact or a query is embedded when a
    requirement first asks for it, once per letter.

    Most requirements are decided by the typed checks and never ask (measured on the
    examples: 0 to 3 of a letter's 3 to 12 requirements do), and a requirement only compares
    the facts of the kinds that can answer it; embedding every fact and every requirement's
    wording up front took more than half of a warm draft.
    """

    candidates: list[Candidate]
    embedder: Callable[[list[str]], np.ndarray] | None = None
    """What embeds (the run's ``embedding.RunVectors``, which shares the retrieval's vectors
    of the same words); ``vectors`` when None."""
    _vectors: dict[str, np.ndarray] = field(default_factory=dict)
    """Vectors by text, of the facts and queries embedded so far."""

    def _embed(self, texts: list[str]) -> np.ndarray:
        """The rows of ``texts``, embedding the ones not embedded yet (in one call)."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            embed = self.embedder or vectors
            self._vectors.update(zip(missing, embed(missing), strict=True))
        return np.stack([self._vectors[t] for t in texts])

    def nearest(
        self,
        query: str,
        keep: Callable[[Candidate], bool],
        limit: int = MAX_FACTS,
        prefer: frozenset[str] = frozenset(),
        floor: float = FLOOR,
        margin: float = MARGIN,
    ) -> list[Candidate]:
        """The facts ``keep`` allows that are nearest to ``query``: at least ``floor`` similar and
        within ``margin`` of the nearest, nearest first; a finding of a kind in ``prefer`` scores
        KIND_BONUS more."""
        pool = [i for i, c in enumerate(self.candidates) if keep(c)]
        if not pool or not query.strip():
            return []
        rows = self._embed([*(self.candidates[i].words for i in pool), query])
        facts, q = rows[:-1], rows[-1]
        bonus = np.array(
            [KIND_BONUS if self.candidates[i].subkind in prefer else 0.0 for i in pool],
            dtype=np.float32,
        )
        scores = facts @ q + bonus
        best = float(scores.max())
        if best < floor:
            return []
        order = sorted(range(len(pool)), key=lambda i: -float(scores[i]))
        tied = [i for i in order if float(scores[i]) >= best - TIE]
        if len(tied) > 1:
            first = _untie(query, [self.candidates[pool[i]] for i in tied], tied)
            order = list(dict.fromkeys([*first, *order]))
        return [
            self.candidates[pool[i]]
            for i in order[:limit]
            if float(scores[i]) >= max(floor, best - margin)
        ]


def _untie(query: str, facts: list[Candidate], rows: list[int]) -> list[int]:
    """The places (``rows``) of facts tied in similarity, ordered by how many of the query's
    words each states, then as the case lists them (a tie no word decides is not left to the
    third decimal of a vector: a fact may state the requirement by an abbreviation, 'DPP-4',
    so a tie of facts stating none of its words still answers)."""
    from ..evidence import tokens

    asked = tokens(query)
    stated = [len(asked & tokens(c.text)) for c in facts]
    return [r for _, r in sorted(zip(stated, rows, strict=True), key=lambda x: (-x[0], x[1]))]


GENERIC_SUBJECTS = frozenset({"time window", "duration", "documentation", "requirement"})


def query_of(req: Requirement, criterion: str = "") -> str:
    """What a requirement asks, as the embedding reads it: its verbatim span with the subject
    when the span does not contain it; the criterion's wording when the span is the bare
    subject of a few words ('psychological evaluation') or only a window ('Within six (6)
    months')."""
    from ..evidence import tokens

    span = " ".join(req.span.split())
    subject = " ".join(req.subject.split())
    if criterion and (len(span.split()) <= 3 or len(tokens(span)) < 2):
        return " ".join(criterion.split())
    if subject.lower() in span.lower() or subject.lower() in GENERIC_SUBJECTS:
        return span
    return f"{subject}: {span}"
