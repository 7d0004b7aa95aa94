"""Whether a clinical passage is about what a criterion asks: the drafter places only such a
passage under a criterion, and the validator asks for a citation only where one exists."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from ..evidence import CLINICAL_KINDS, cite, tokens
from ..models import (
    CaseFacts,
    Criterion,
    GroundKind,
    Passage,
    PassageReading,
    PlanType,
    RetrievedPassage,
    ServiceKind,
)
from ..positions import read
from ..service_kinds import table as kind_table
from ..stances import unstated_against
from .plans import plan_spec
from .rule_terms import Difference, stricter_terms
from .specs import pattern as compiled

GENERIC = tokens(
    "failure failed fail trial therapy treatment response inadequate intolerance intolerant "
    "contraindication contraindicated dose duration documented validated instrument consecutive "
    "active ongoing improvement "
    "day days week weeks month months year years hour hours last past prior recent current "
    "date dated time times period score scores level levels result results value values "
    "beneficiary beneficiaries enrollee enrollees prescribed prescriber prescribing criteria "
    "criterion requirement requirements example examples"
)
"""Words nearly every criterion uses, the words of time and of the patient among them
('documented within the last 6 months', 'the beneficiary'), and those introducing an example
('for example'): sharing them says nothing about what a passage is about."""
COMPARISON = tokens(
    "greater less more fewer least most older younger higher lower above below present "
    "equal than exceed exceeds exceeding"
)
"""The words of a comparison ('35 or greater', 'present for 2 years'): a criterion and a
passage sharing them share no subject."""
CARE = tokens(
    "care manage management managing managed clinical clinician clinicians physician "
    "physicians provider providers patient patients member members age aged"
)
"""The words of care in general and of the patient ('under the care of a physician for
glycemic management', a guideline's 'Management' section, 'diagnosed at age 50'): a criterion
and a passage sharing them share no subject."""


@cache
def _kind_words() -> frozenset[str]:
    """The words of the names of a kind of care ('surgery', 'procedure', 'testing': the service
    table's ``generic`` names): a criterion on a psychological evaluation before surgery and a
    guideline on referral to sleep surgery share 'surgery', which says nothing of what either
    is about."""
    return tokens(" ".join(kind_table().generic))


def reading(passage: Passage) -> PassageReading:
    """The passage's reading (its position sentences and content words): the one it carries,
    read when the corpus was loaded or the physician's source made (``pipeline.positions``);
    a passage made elsewhere (a hand-made one) is read now."""
    return passage.reading if passage.reading is not None else read(passage)


def _stated(passage: Passage) -> tuple[str, ...]:
    """The passage's sentences that state a position on care (recommending ones first, then
    those stating the care's standing), advice on writing a request and descriptions of how
    recommendations are graded left out (read once: :func:`reading`)."""
    return reading(passage).stated


def bearing(
    passages: Iterable[RetrievedPassage], words: str | re.Pattern[str]
) -> list[tuple[Passage, str]]:
    """The clinical passages whose position bears on an argument that is not a payer
    criterion (a network without a high-volume center, a site of care's monitoring), each
    with its first position sentence naming one of ``words`` (a regex, case-insensitive),
    the physician's sources first, then by rank. ``passages`` are retrieved ones, so they fit
    the case; none is dropped for want of a criterion to stand under."""
    pattern = compiled(words) if isinstance(words, str) else words
    found = []
    pool = [rp for rp in passages if rp.passage.kind in CLINICAL_KINDS]
    for rp in sorted(pool, key=lambda rp: (not rp.passage.supplied_by_physician, rp.rank)):
        said = next((x for x in _stated(rp.passage) if pattern.search(x)), None)
        if said is not None:
            found.append((rp.passage, said))
    return found


def position(passage: Passage) -> str | None:
    """What the passage recommends, in the project's words: its first sentence that takes a
    position (recommends, rates, is indicated ...) on care rather than advising how to write
    a request, else its first sentence stating the care's standing (an FDA approval or
    clearance, a policy that covers or requires it); None when it has none (a definition
    alone states no position). A drug label's position is its first complete sentence saying
    what the drug is indicated for: a label whose indication text is cut off ('is indicated
    for the treatment of:') states none."""
    stated = _stated(passage)
    if is_label(passage):
        stated = tuple(x for x in stated if _INDICATED_RE.search(x) and not _CUT_OFF_RE.search(x))
    return stated[0] if stated else None


_INDICATED_RE = re.compile(
    r"\bindicated\b|\bapproved\b|\bcovers\b|\bclear(?:ed|ance)\b|\bauthori[sz]ed\b", re.IGNORECASE
)
_CUT_OFF_RE = re.compile(
    r"(?:[:;,]|\b(?:of|for|with|in|and|or|the|following|including|to))\s*[.]?\s*$", re.IGNORECASE
)
"""The end of an indication sentence the import cut off ('is indicated for the treatment of:',
'one or more of the following:'): it does not say what the drug treats."""
_DIAGNOSIS_FILLER = tokens(
    "unspecified specified type other without complication complications mellitus right left "
    "bilateral eye due disease disorder condition primary secondary initial encounter chronic "
    "acute stage severity moderate severe mild"
)
"""Words of an ICD-10 description that name no indication ('Type 2 diabetes mellitus without
complications', 'right eye'): sharing them is no sign a label states the patient's condition."""


_SUPPORTS_RE = re.compile(
    r"\brecommend|\bsuggest|\bfirst-line|\bindicated\b|\bin favor\b|\bsupports?\b"
    r"|\bappropriate\b|\beffective\b|\bbeneficial\b|\bapproved\b|\bclear(?:ed|ance)\b"
    r"|\bpreferred\b|\bcovers?\b|\breasonable\b",
    re.IGNORECASE,
)


def recommends(passage: Passage) -> bool:
    """The passage's position (:func:`position`) recommends care or states that a label or
    clearance covers it: not a guideline's scope ('addresses patients for whom arthroplasty is
    being considered'), a rating of the evidence or what a payer 'should' accommodate."""
    stated = position(passage)
    return stated is not None and bool(_SUPPORTS_RE.search(stated))


def is_label(passage: Passage) -> bool:
    """The passage is a drug label's indication (an FDA "indicated for" statement), not a
    device's clearance."""
    return (
        passage.indication
        and passage.kind == "coverage_policy"
        and ServiceKind.drug in passage.purpose
    )


def states_indication(passage: Passage, case: CaseFacts) -> bool:
    """A label's stated indication (:func:`position`) names a condition of the patient's whose
    code its ``conditions`` match: a content word of that diagnosis's description beyond the
    words every description uses. A label whose text does not state the patient's indication
    (cut off, or naming another indication of the drug) is no on-label support. Any other
    passage: True."""
    if not is_label(passage):
        return True
    stated = position(passage)
    if stated is None:
        return False
    said = tokens(stated)
    for d in case.diagnoses:
        code = d.code.replace(".", "").upper()
        if not any(code.startswith(c) or c.startswith(code) for c in passage.conditions):
            continue
        if (tokens(d.description or "") - _DIAGNOSIS_FILLER) & said:
            return True
    return False


def label_lead(passage: Passage) -> str:
    """How a letter introduces a label it cites: 'FDA-approved labeling (...)'."""
    return f"{LABEL_LEAD} ({passage.in_text()})"


def overlap(rp: RetrievedPassage, topic: frozenset[str]) -> int:
    """How many content words of a criterion (``topic``: :func:`topic_words`, beyond the
    condition, the service, the words every criterion uses, those of a comparison or of care in
    general, and the names of a kind of care) the passage's text and section share: the passage
    that shares the most is the one about what the criterion asks."""
    return len(topic & reading(rp.passage).words)


def position_on(passage: Passage, topic: frozenset[str] = frozenset()) -> str | None:
    """The passage's position on what a criterion asks: its first position (:func:`position`)
    when that shares one of the criterion's ``topic`` words (:func:`topic_words`) or none of
    its positions does, else the position sharing the most of them (the first on a tie). A
    guideline whose first sentence recommends an initial treatment and whose next one names
    augmentation is stated by the latter under an augmentation criterion. A label states its
    indication."""
    first = position(passage)
    if first is None or not topic or is_label(passage) or tokens(first) & topic:
        return first
    # another position only when it supports care and stands alone ('It also suggests ...'
    # leans on the sentence before it)
    others = [x for x in _stated(passage) if _ALTERNATE_RE.search(x) and not _LEANING_RE.match(x)]
    best = max(others, key=lambda x: len(tokens(x) & topic), default=first)
    return best if tokens(best) & topic else first


_ALTERNATE_RE = re.compile(rf"{_SUPPORTS_RE.pattern}|\boptions? include\b", re.IGNORECASE)
"""A sentence a criterion may state instead of a passage's first position: one recommending or
supporting care, or naming it among the options ('options include augmenting with lithium'),
not a rating of the evidence or the harms weighed ('weighed its benefits against few harms')."""
_LEANING_RE = re.compile(r"(?:It|They|This|These|That|Those|Such|Its|Their)\b")
"""A sentence opening with a word that points back: it does not stand alone."""


def topic_words(criterion: Criterion, case: CaseFacts) -> frozenset[str]:
    """The content words of a criterion beyond the condition, the service, the words every
    criterion uses, those of a comparison or of care in general, and the names of a kind of
    care: what the criterion is about (:func:`overlap` counts them in a passage)."""
    about = [case.service.description or "", *(d.description or "" for d in case.diagnoses)]
    topic = tokens(criterion.text) - tokens(" ".join(about)) - GENERIC - COMPARISON - CARE
    return frozenset(topic - _kind_words())


def guideline_line(
    passage: Passage, plan_type: PlanType | None = None, topic: frozenset[str] = frozenset()
) -> str:
    """The passage stated as the letter states a guideline: 'Guideline (AAN 2018, Level B):
    <its position> [ref].', labelled by what it is to the plan (:func:`source_label`); under a
    criterion, its position on what the criterion asks (``topic``: :func:`position_on`)."""
    said = (position_on(passage, topic) or passage.text).rstrip(".")
    return f"{source_label(passage, plan_type)}: {said} {cite(passage.id)}."


def unstated(passages: Iterable[Passage]) -> list[Passage]:
    """The clinical passages that state no position the drafter accepts (:func:`position`):
    never cited under a criterion. ``lmn corpus check --positions`` lists them, so that a
    position worded otherwise is caught by the rule, not by rewording passages."""
    return [p for p in passages if p.kind in CLINICAL_KINDS and position(p) is None]


def stance_unstated(passages: Iterable[Passage]) -> list[Passage]:
    """The clinical passages whose stated position (:func:`position`, what a letter states)
    advises against care while their data says neither their stance nor what they advise
    against (:func:`pipeline.stances.unstated_against`): ``lmn corpus check`` refuses them,
    so that no passage against a service is cited as support for it."""
    return [p for p in passages if p.kind in CLINICAL_KINDS and unstated_against(p, position(p))]


def fits(
    rp: RetrievedPassage,
    index: int,
    topic: frozenset[str],
    case: CaseFacts,
    plan_type: PlanType | None = None,
) -> bool:
    """A guideline or coverage policy retrieved for criterion ``index`` that is about what the
    criterion asks (``topic``: the criterion's :func:`topic_words`, read once for every
    passage). The physician's own sources need no stated position (the physician chose them
    for this patient) but must share a content word with the criterion beyond the condition
    and the service (which every criterion of the letter shares) and beyond the words every
    criterion uses: a device's approval answers no contraindication criterion. A corpus
    passage must state a position on the criterion's requirement (:func:`bears_on`): one that
    only defines a term, or shares with the criterion only a word of its own field, gives the
    criterion nothing to cite. Medicare's own coverage rules (an NCD, an LCD) stand under a
    criterion only for a Medicare or Medicare Advantage plan (``plan_type``), which they
    bind; for another known plan type they restate a rule that does not bind it and are no
    support for any one criterion."""
    if rp.passage.kind not in CLINICAL_KINDS or index not in rp.criteria:
        return False
    if rp.passage.supplied_by_physician:
        return overlap(rp, topic) > 0
    if medicare_rule(rp.passage) and not _binds(plan_type):
        return False
    return states_indication(rp.passage, case) and bears_on(rp, topic)


def bears_on(rp: RetrievedPassage, topic: frozenset[str]) -> bool:
    """The corpus passage states a position on what the criterion asks: the position the letter
    would state under it (:func:`position_on`) names one of the criterion's topic words
    (``topic``: :func:`topic_words`) beyond the words of the passage's own title, which name
    its field ('psychiatric' of a level-of-care instrument 'for Psychiatric and Addiction
    Services' says nothing of a criterion on a psychiatric admission). A passage whose
    criterion's words sit only in its description of a population, while the sentence the
    letter quotes recommends something else, gives the criterion nothing to cite."""
    own = topic - tokens(rp.passage.title)
    said = position_on(rp.passage, own)
    return said is not None and bool(tokens(said) & own)


def _binds(plan_type: PlanType | None) -> bool:
    """Medicare's coverage rules bind the plan: a Medicare or Medicare Advantage plan, or a plan
    of unknown type (nothing shows they do not)."""
    return plan_type is None or plan_type is PlanType.unknown or plan_type in MEDICARE_PLANS


def ground_guideline(
    passages: Iterable[RetrievedPassage],
    words: Iterable[str],
    cited: Iterable[str] = (),
    question: GroundKind | None = None,
) -> tuple[Passage, str] | None:
    """The guideline a ground's argument cites (:func:`bearing` on the ground's ``guideline``
    patterns): the first retrieved clinical passage, not ``cited`` under a criterion, whose
    position names one of them; None when the ground names none or none bears on it (a
    guideline about the disease alone, 'IVIG is recommended for CIDP', says nothing of where
    or by whom it is given). A ground asking a ``question`` (where a drug is safely given)
    cites only a passage answering it (its ``questions`` tag): a label's or efficacy
    guideline's word on infusion reactions is no position on the site of care."""
    patterns = [w for w in words if w]
    if not patterns:
        return None
    if question is not None:  # the physician's own source was chosen for this dispute
        passages = [
            rp
            for rp in passages
            if question in rp.passage.questions or rp.passage.supplied_by_physician
        ]
    taken = set(cited)
    named = compiled("|".join(f"(?:{w})" for w in patterns))
    return next((b for b in bearing(passages, named) if b[0].id not in taken), None)


MEDICARE_PLANS = frozenset({PlanType.medicare, PlanType.medicare_advantage})
_MEDICARE_BODY_RE = re.compile(r"\bCenters for Medicare\b|\bCMS\b")
_RULE_TITLE_RE = re.compile(
    r"^(?:National Coverage Determination \((NCD)\)|Local Coverage Determination(?: \((?:LCD)\))?)"
    r"\s+(L\d{5}|\d{1,3}(?:\.\d{1,3})+)\s*:\s*(?P<title>\S.*)$"
)
"""The title of an NCD or LCD passage: 'National Coverage Determination (NCD) 20.32: Transcatheter
Aortic Valve Replacement (TAVR)', 'Local Coverage Determination L33718: Positive Airway ...'."""
_RULE_NAMED_RE = re.compile(
    r"\b(?:National\s+Coverage\s+Determination|NCD)(?:\s*\(NCD\))?\s*(?:#|No\.?)?\s*:?\s*"
    r"\(?(\d{1,3}(?:\.\d{1,3})+)\b"
    r"|\b(?:Local\s+Coverage\s+Determination|LCD)(?:\s*\(LCD\))?\s*(?:#|No\.?)?\s*:?\s*"
    r"\(?(L\d{5})\b"
)
"""An NCD or LCD named by its number in a notice ('NCD 20.32', 'National Coverage Determination
(NCD) 20.34', 'LCD L33690')."""
_LIST_START_RE = re.compile(r":\s+-\s")
"""Where a rule's sentence opens its list of conditions ('... are met: - The procedure ...')."""
_COVERED_RE = re.compile(r"\bcover(?:ed|age) (?:indications|conditions)\b", re.IGNORECASE)
_NOT_COVERED_RE = re.compile(r"\bnon-?\s?covered\b|\bnot covered\b", re.IGNORECASE)


def medicare_rule(passage: Passage) -> bool:
    """The passage is one of Medicare's own coverage rules (an NCD, an LCD, a Medicare
    benefit policy), issued by CMS or its contractors."""
    return passage.kind == "coverage_policy" and bool(
        _MEDICARE_BODY_RE.search(f"{passage.issuing_body} {passage.short_body}")
    )


def rule_number(passage: Passage) -> str | None:
    """'NCD 20.32' or 'LCD L33718' for a passage of a national or local coverage
    determination (read from its title); None for any other passage."""
    found = _RULE_TITLE_RE.match(passage.title) if medicare_rule(passage) else None
    if found is None:
        return None
    return f"{'NCD' if found.group(1) else 'LCD'} {found.group(2)}"


def rule_name(passage: Passage) -> str | None:
    """The rule by its number and title, as a letter names it: 'NCD 20.32, “Transcatheter
    Aortic Valve Replacement (TAVR)”'; None for a passage of no numbered NCD or LCD."""
    number = rule_number(passage)
    found = _RULE_TITLE_RE.match(passage.title)
    if number is None or found is None:
        return None
    return f"{number}, “{found.group('title').strip()}”"


def named_rules(text: str) -> list[str]:
    """The NCDs and LCDs a text names by number ('NCD 20.32', 'LCD L33690'), in order."""
    found = [
        f"NCD {m.group(1)}" if m.group(1) else f"LCD {m.group(2)}"
        for m in _RULE_NAMED_RE.finditer(text)
    ]
    return list(dict.fromkeys(found))


def governing_rule(
    passages: Iterable[RetrievedPassage], plan_type: PlanType, notice: str = ""
) -> Passage | None:
    """Under Medicare or Medicare Advantage, the passage of the NCD or LCD that governs the
    requested service, to be named and cited as binding: of the retrieved passages (which fit
    the case), those of a numbered NCD or LCD; the rule the notice names by number first, else
    the best-ranked rule; of that rule, a part stating its covered indications (not its
    non-covered ones) with a position, else its best-ranked part with one. None under any
    other plan type (a benchmark there, never the governing rule) or when none was retrieved."""
    if plan_type not in MEDICARE_PLANS:
        return None
    rules = [
        rp
        for rp in sorted(passages, key=lambda rp: rp.rank)
        if rule_number(rp.passage) is not None and position(rp.passage) is not None
    ]
    if not rules:
        return None
    named = named_rules(notice)
    chosen = next(
        (n for n in named if any(rule_number(rp.passage) == n for rp in rules)),
        rule_number(rules[0].passage),
    )
    parts = [rp.passage for rp in rules if rule_number(rp.passage) == chosen]

    def covered(p: Passage) -> bool:
        about = f"{p.section} {position(p) or ''}"
        return bool(_COVERED_RE.search(p.section)) and not _NOT_COVERED_RE.search(about)

    return next((p for p in parts if covered(p)), parts[0])


def governing_paragraph(
    passages: list[RetrievedPassage],
    plan_type: PlanType,
    notice: str,
    written: str,
    case: CaseFacts | None = None,
) -> str:
    """The sentence naming the Medicare rule that governs the service (:func:`governing_rule`)
    by its number and title, with what it covers, cited (left out when the letter ``written``
    so far already cites one of its passages), then, for each threshold of the rule the notice
    makes stricter, that (:func:`stricter_sentences`). '' when no rule governs."""
    passage = governing_rule(passages, plan_type, notice)
    number = rule_number(passage) if passage is not None else None
    if passage is None or number is None:
        return ""
    parts = [rp.passage for rp in passages if rule_number(rp.passage) == number]
    stricter = stricter_sentences(parts, number, notice, case, plan_type, written)
    # an argument above already cites the rule (a heading naming the notice's source is no
    # citation of it)
    if any(cite(p.id) in written for p in parts):
        return stricter
    said = (position(passage) or passage.text).rstrip(".")
    said = _LIST_START_RE.split(said, maxsplit=1)[0].rstrip(" :")  # the list: the criteria below
    label = source_label(passage, plan_type)
    named = f"The rule that governs this service is {label}: {said} {cite(passage.id)}."
    return f"{named} {stricter}".strip()


def stricter_sentences(
    parts: list[Passage],
    number: str,
    notice: str,
    case: CaseFacts | None,
    plan_type: PlanType,
    written: str = "",
) -> str:
    """For each threshold of the binding rule's ``parts`` that the ``notice`` (or one of its
    criteria) states stricter (:func:`rule_terms.stricter_terms`: the notice applies 40% where
    the current NCD sets 60%): both figures with their words, the rule cited, that the rule's
    figure governs, and the patient's value when one finding alone answers it and meets the
    rule's figure; said once: not when the letter ``written`` so far says it (under the
    criterion that states the figure). '' when the notice states each of the rule's
    thresholds as the rule does, or when the rule does not bind the ``plan_type``'s criteria
    (its spec's ``binding_rule``)."""
    binding = plan_spec(plan_type).binding_rule
    if binding is None:
        return ""
    binding = " ".join(binding.split())
    out: list[str] = []
    for part in parts:
        for d in stricter_terms(part.text, notice, case):
            if _rule_figure(number, d) in written:
                continue
            said = (
                f"The notice applies {d.notice.shown} (“{d.notice.clause}”), but "
                f"{_rule_figure(number, d)} (“{d.rule.clause}”) {cite(part.id)}. "
                f"{binding}, so {d.rule.shown} is the threshold that governs this request."
            )
            if d.patient is not None and d.patient_meets_rule:
                said += f" The patient's result, {d.patient}, meets it."
            out.append(said)
    return " ".join(out)


def _rule_figure(number: str, difference: Difference) -> str:
    """'the current NCD 50.3 sets 60%': how a letter names the rule's own figure."""
    return f"the current {number} sets {difference.rule.shown}"


GUIDELINE_LEAD = "Guideline"
MEDICARE_RULE_LEAD = "Medicare coverage rule"
LABEL_LEAD = "FDA-approved labeling"
STATED_PASSAGE_RE = re.compile(
    rf"^(?:{GUIDELINE_LEAD} \(|{LABEL_LEAD} \(|{MEDICARE_RULE_LEAD}\b).*$", re.M
)
"""A passage as a letter states it under a criterion (:func:`source_label`'s leads): what the
guideline says, not the patient's record."""


def source_label(passage: Passage, plan_type: PlanType | None = None) -> str:
    """How the letter introduces a passage it states: 'Guideline (AAN 2018, ...)', or for
    Medicare's own coverage rule (an NCD or LCD, named by its number and title) what it is to
    this plan: binding on Medicare and Medicare Advantage, a benchmark only for any other plan
    (an FEHB or employer plan is not bound by a national coverage determination)."""
    where = passage.in_text()
    if is_label(passage):
        return label_lead(passage)
    if not medicare_rule(passage) or plan_type is None or plan_type is PlanType.unknown:
        return f"{GUIDELINE_LEAD} ({where})"
    name = rule_name(passage)
    rule = f"{MEDICARE_RULE_LEAD} {name}," if name else f"{MEDICARE_RULE_LEAD},"
    if plan_type in MEDICARE_PLANS:
        return f"{rule} which binds this plan ({where})"
    return f"{rule} cited as a benchmark only; it does not bind this plan ({where})"
