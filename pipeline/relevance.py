"""The relevance contract: which passages fit a case, enforced by retrieval and the validator.

Retrieval never offers, and the validator rejects (``citation.off_topic``), a passage for
which :func:`off_topic` gives a reason. The rules, in order:

* **argument notes** (kind ``argument``, the project's own notes on how to argue) may shape
  the wording of a letter but are never a reference: :func:`citable` is False for them;
* **the passage's stance** (:mod:`pipeline.stances`): a passage whose position is against
  the care it is about (``stance: against``: it recommends against an injection for the
  indication, rates imaging Usually Not Appropriate, is a USPSTF Grade D) is never support,
  and a passage recommending other care is none for the care it advises against
  (``not_for``);
* **clinical passages** (guidelines and coverage policies) fit by what they are about: a
  passage that names ICD-10 conditions fits only when one of them is a prefix of one of the
  case's diagnoses (or the other way round); a passage that names no condition fits only
  when one of its service codes is requested. A passage written for one population
  (infants, children, adolescents, adults, pregnancy: :mod:`pipeline.populations`) fits only
  a patient inside it, by the age on the letter's date from the birth date; one mapped to a
  condition subtype (heart failure with reduced ejection fraction, type 2 diabetes:
  :mod:`pipeline.condition_subtypes`) fits no patient with another subtype. A passage about
  one step of treatment (starting a drug, intensifying its dose, a switch, continuation:
  ``steps``, :mod:`pipeline.therapy_steps`) fits only a request at a step it answers: an
  adult guideline on starting anti-TNF therapy is no support for a child's dose
  intensification, by population and by step. A shared service
  code never makes a passage about another disease fit. A clinical passage that names
  neither is not shown to fit. A guideline recommending an item (a device, a test, an imaging
  study) whose codes name none of the requested ones is about another item, whatever
  condition it shares (an insulin-pump guideline for a stimulator, a 21-gene assay for BRCA
  testing), unless it names the requested treatment;
* **the condition the request treats**: a passage fits by its conditions only when they
  match the treated condition (the case's first diagnosis, with the diagnoses of its
  ICD-10-CM block; a status or aftercare code first brings in the first disease code after
  it), unless the passage is about the requested service itself (one of its codes
  requested or its treatment named). A comorbidity's guideline is no support for a service
  it is not about: a knee-osteoarthritis guideline for a bariatric operation, a statin
  guideline for a hip arthroplasty;
* **coverage policies about services** (an FDA clearance, an NCD or LCD for a device or
  procedure) are about those services: they fit only when one of them is requested or
  their treatment is named, whatever condition they share with the case (a TMS device
  clearance is no reference for an esketamine request);
* **passages about one treatment** (a drug's label, a device's or procedure's coverage
  policy: ``treatments`` names it) fit only when that treatment is the requested service
  (named in the case's or the letter's service description, a procedure's or device's name
  with at most one word between its words, 'cochlear device implantation' for cochlear
  implantation; or one of the passage's codes requested) and, like any clinical passage,
  its conditions match a diagnosis: a weight-loss drug's label is no reference for a stroke
  patient's rehabilitation, nor a vagus nerve stimulation policy for a depressed patient's
  residential stay;
* **plan types** bound every passage, clinical ones included: Medicare's payment and
  coverage rules (the KX-modifier threshold, the Jimmo settlement, LCDs) only for Medicare
  and Medicare Advantage plans;
* **regulations** fit by plan type and by the patient: a regulation naming plan types
  applies only under one of them (ERISA rules only for ERISA plans, Medicare Advantage
  rules only for MA; the ACA's group-plan rules not for a Federal Employees Health
  Benefits plan, which OPM's rules govern), and every ``applies_if`` fact must hold:
  parity law only with a mental-health or substance-use diagnosis (not a speech or motor
  delay, F80-F82, treated under the rehabilitative benefit), EPSDT only under 21 (and, by
  its plan type, on Medicaid), the No Surprises Act only for emergency or out-of-network
  care. A
  regulation that names conditions or services (a coverage rule for one benefit, such as
  cardiac rehabilitation) must also fit the case as a clinical passage would.

What is unknown is never taken to hold, with one exception: when the case states no
diagnosis (a letter read without a case file), conditions cannot be compared and a clinical
passage fits by its service codes; when it states no diagnosis and no code either, there is
nothing to compare and every clinical passage is left to the ranking.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .codes import icd10_block, is_unlisted
from .condition_subtypes import subtype_reason
from .corpus import normalize_condition, normalize_service
from .letter_format import PLACEHOLDER
from .models import (
    Applicability,
    CaseCitation,
    CaseFacts,
    DenialAnalysis,
    DenialCategory,
    Gap,
    GroundKind,
    Passage,
    PlanType,
    RetrievedPassage,
    ServiceKind,
    TherapyStep,
)
from .populations import population_reason
from .positions import with_reading
from .service_kinds import ancillary, family_name, generic_name, request_kinds
from .stances import against
from .text.dates import years_between
from .therapy_steps import request_step, step_reason

CLINICAL_KINDS = frozenset({"guideline", "coverage_policy"})
"""Passages that are about a condition or a service."""
BEHAVIORAL_HEALTH_PREFIXES = ("F",)
"""ICD-10-CM chapter 5, mental, behavioral and neurodevelopmental disorders (F01-F99),
substance use included (F10-F19)."""
MALIGNANCY_PREFIXES = ("C", "D0", "Z85", "Z510", "Z511")
"""ICD-10-CM malignant neoplasms (C00-C96), carcinoma in situ (D00-D09), a personal history of
cancer (Z85) and an encounter for radiotherapy or chemotherapy (Z51.0, Z51.1): a patient with
cancer, for a passage about cancer in general (``Applicability.malignancy``)."""
REHABILITATIVE_F_PREFIXES = ("F80", "F81", "F82")
"""Specific developmental disorders of speech and language, scholastic skills and motor
function: treated by speech, occupational and physical therapists under the rehabilitative
and habilitative benefit, not a mental-health benefit, so parity law does not reach them."""
EPSDT_AGE_LIMIT = 21
EMERGENCY_CODES = frozenset({"99281", "99282", "99283", "99284", "99285", "99288", "99291"})
"""CPT emergency department visits and critical care: the care No Surprises protects."""
EMERGENCY_WORDS = ("emergency", "emergent", "ambulance")
"""Words of the case's service that say the care was emergency care."""
PREVENTIVE_WORDS = re.compile(
    r"\b(?:screening|preventive|prevention|immuni[sz]ation|vaccin\w*|contracepti\w*|"
    r"prophylaxis)\b|\bbrca"
)
"""Words of the requested service that say it is a preventive service (42 U.S.C. 300gg-13)."""
OBGYN_PREFIXES = ("O", "Z30", "Z31", "Z32", "Z33", "Z34", "Z36", "Z39", "N7", "N8", "N9")
"""ICD-10-CM pregnancy (O), contraception and prenatal care (Z30-Z39) and diseases of the
female pelvic organs (N70-N98): obstetric or gynecological care (42 U.S.C. 300gg-19a(d))."""
TRIAL_WORDS = re.compile(
    r"\b(?:clinical trial|trial protocol|study protocol|registry|irb[- ]approved"
    r"|enrol(?:l|led|ling|ment) (?:in|on) (?:an? |the )?(?:[\w-]+ ){0,3}(?:trial|study|registry)"
    r"|nct\d{8})\b"
)
"""Words of the requested service saying it is given within a clinical trial or a registry."""
OBGYN_WORDS = re.compile(r"\b(?:obstetric\w*|gyn[ae]?colog\w*|pregnan\w*|prenatal)\b")
STATUS_CHAPTER = "Z"
"""ICD-10-CM chapter 21 (Z00-Z99): status, aftercare, history and screening encounters, not a
disease; when one comes first, the first disease code after it is treated too."""
FEHB_PROGRAM = "fehb"
"""The government plan program (``plan_types/government_or_church.yaml``) for FEHB plans."""
FEHB = re.compile(
    r"\bFederal Employees(?:'|\s)*Health Benefits\b|\bFEHBP?\b|\bOffice of Personnel Management\b"
)
"""The phrases that name an FEHB plan (the program's ``when`` phrases in its plan spec, which
this module cannot import: the appeal package imports the validator, which imports this)."""
TRICARE_PROGRAM = "tricare"
"""The government plan program for TRICARE, whose appeals follow 32 CFR 199.10."""
TRICARE = re.compile(r"\bTRICARE\b")


@dataclass(frozen=True)
class Scope:
    """What a case is about, as the contract compares it: read once per case."""

    diagnoses: tuple[str, ...]
    """The case's and the letter's ICD-10-CM codes, dotless upper case."""
    services: frozenset[str]
    """Every requested CPT/HCPCS code (letter, requested lines and case file)."""
    plan_type: PlanType
    age: int | None
    """The patient's age on the letter's date; None when the birth date is not known."""
    emergency: bool
    out_of_network: bool
    california: bool = False
    """The plan, the appeal address or the physician's practice is in California."""
    service_text: str = ""
    """The requested service as described (case and letter), lower case: drug names."""
    named_text: str | None = None
    """``service_text`` without its clauses naming what the patient cannot take, failed or
    would take instead ('for a patient who cannot take warfarin'): the text a treatment must
    be named in to be the requested one (None: ``service_text``)."""
    treated: tuple[str, ...] = ()
    """The diagnoses the request treats (see :func:`treated_diagnoses`); the others are
    comorbidities. Empty: all of ``diagnoses``."""
    program: str = "default"
    """The plan type's program the letter names (``fehb``), from its spec's phrases."""
    kinds: frozenset[ServiceKind] = frozenset()
    """What kind of care is requested (:mod:`pipeline.service_kinds`); empty when neither
    its codes nor its description tell."""
    step: TherapyStep | None = None
    """Where in a course of treatment the request stands (:mod:`pipeline.therapy_steps`:
    starting, intensifying, switching, continuing); None when its words do not say."""
    telling: frozenset[str] = field(init=False, repr=False, compare=False)
    """The requested codes that tell which treatment a passage is about (:func:`shared_codes`):
    ``services`` without the ancillary ones, or all of them when every one is. Read with the
    scope, not again for each of the ~360 passages a retrieval compares with it."""
    named_words: tuple[str, ...] = field(init=False, repr=False, compare=False)
    """The words (a-z, 0-9) of the text a treatment must be named in (``named_text``, else
    ``service_text``): read with the scope for :func:`treatment_requested`, not again for each
    name of each passage compared."""

    def __post_init__(self) -> None:
        told = frozenset(c for c in self.services if not ancillary(c))
        object.__setattr__(self, "telling", told or self.services)
        named = self.service_text if self.named_text is None else self.named_text
        object.__setattr__(self, "named_words", tuple(_TOKEN_RE.findall(named)))

    @classmethod
    def of(
        cls,
        analysis: DenialAnalysis,
        case: CaseFacts | None,
        today: dt.date | None = None,
        *,
        letter_request: str = "",
        letter_text: str = "",
    ) -> Scope:
        """The scope of a denial and, when given, its case file; ``today`` dates the age
        (default: the letter's date, else today). ``letter_request`` (the letter's sentences
        naming the request, for a letter read without a case file) describes the service
        when nothing else does; ``letter_text`` (the whole denial letter) is read only for
        the plan's program (an FEHB plan names the program in its letter, rarely in the
        payer fields)."""
        diagnoses = list(analysis.icd10_codes)
        primary = list(analysis.icd10_codes)
        codes = [*analysis.cpt_codes, *analysis.hcpcs_codes, *(r.code for r in analysis.requested)]
        words = ""
        described = [r.description or "" for r in analysis.requested]
        described += [analysis.level_of_care or "", letter_request]
        age = None
        named = [*described]  # what names the request: the descriptions, not the details
        if case is not None:
            diagnoses += [d.code for d in case.diagnoses]
            primary = [d.code for d in case.diagnoses] or primary
            if case.service.code:
                codes.append(case.service.code)
            words = f"{case.service.description or ''} {case.service.details or ''}".lower()
            named.append(case.service.description or "")
            born = case.patient.date_of_birth
            if born is not None:
                age = years_between(born, today or analysis.letter_date or dt.date.today())
        all_dx = tuple(dict.fromkeys(normalize_condition(d) for d in diagnoses if d.strip()))
        return cls(
            diagnoses=all_dx,
            treated=treated_diagnoses(
                [normalize_condition(d) for d in primary if d.strip()], all_dx
            ),
            program=_program(analysis, case, f"{letter_request} {letter_text}"),
            plan_type=analysis.plan_type,
            age=age,
            out_of_network=DenialCategory.out_of_network in analysis.denial_categories,
            california=_in_california(analysis, case),
            step=request_step(" ".join([words, *described])),
            **_service_fields(codes, words, [words, *described], named=named),
        )

    @classmethod
    def of_service(
        cls,
        diagnoses: Iterable[str],
        named: str,
        descriptions: Iterable[str],
        *,
        plan_type: PlanType = PlanType.unknown,
    ) -> Scope:
        """The scope of a request known only by its diagnoses and its service as words, with
        no letter or case file (an IMR decision's categories, ``evals/imr_coverage.py``):
        ``named`` is the text a treatment must be named in, ``descriptions`` describe the
        service. Its kind of care, emergency and treatments are read as :meth:`of` reads a
        case's service (:func:`_service_fields`)."""
        all_dx = tuple(dict.fromkeys(normalize_condition(d) for d in diagnoses if d.strip()))
        return cls(
            diagnoses=all_dx,
            plan_type=plan_type,
            age=None,
            out_of_network=False,
            **_service_fields([], named, [named], kinds_from=list(descriptions)),
        )

    @property
    def treated_conditions(self) -> tuple[str, ...]:
        """The diagnoses the request treats (all of them when none is singled out)."""
        return self.treated or self.diagnoses

    @property
    def behavioral_health(self) -> bool:
        """The request treats a mental-health or substance-use diagnosis (a comorbid one, such
        as depression beside a knee replacement, makes no behavioral-health benefit of it)."""
        return any(
            d.startswith(BEHAVIORAL_HEALTH_PREFIXES) and not d.startswith(REHABILITATIVE_F_PREFIXES)
            for d in self.treated_conditions
        )


def _service_fields(
    codes: list[str],
    words: str,
    described: list[str],
    *,
    kinds_from: list[str] | None = None,
    named: list[str] | None = None,
) -> dict[str, Any]:
    """What a scope reads from the requested service, the one definition for a letter's case
    (:meth:`Scope.of`) and a request known only by words (:meth:`Scope.of_service`): the
    codes, emergency care (an emergency code, or an emergency word of ``words``, the case's
    own description), the service's text and the part of it naming the requested treatment,
    and the kinds of care (:func:`pipeline.service_kinds.request_kinds` of the codes and
    ``kinds_from``, default the descriptions). The requested treatment is read from ``named``
    (default the descriptions): the texts that name the request, not the clinical details
    beside it, whose other drugs (a current or earlier medication) are not the one requested."""
    # an unclassified drug or unlisted procedure code names no treatment to match a passage by
    services = frozenset(normalize_service(c) for c in codes if c.strip() and not is_unlisted(c))
    text = " ".join(" ".join(described).lower().split())
    naming = text if named is None else " ".join(" ".join(named).lower().split())
    return {
        "services": services,
        "emergency": bool(services & EMERGENCY_CODES) or any(w in words for w in EMERGENCY_WORDS),
        "service_text": text,
        "named_text": NOT_REQUESTED.sub(" ", naming),
        "kinds": request_kinds(codes, described if kinds_from is None else kinds_from),
    }


NOT_REQUESTED = re.compile(
    r"\b(?:cannot|can ?not|can't|unable to|could not|did not) (?:take|tolerate|use|receive)\b"
    r"[^.;:()]*|\b(?:contraindicat\w*|intoleran(?:ce|t) (?:to|of)|allerg(?:y|ic) to"
    r"|failed(?! back surgery)|failure of|failing|after (?:a )?trials? of)\b[^.;:()]*"
    r"|\b(?:instead of|in place of|rather than|alternative to|alternatives? such as)\b[^.;:()]*"
)
"""A clause of the service's description naming a treatment that is not the one requested:
one the patient cannot take, failed, or that the request replaces (up to the sentence's or
clause's end). A condition's name is no such clause ('heart failure', 'failed back surgery
syndrome')."""

CALIFORNIA = re.compile(r"\bCalifornia\b|\bDMHC\b|,\s*CA\s+9\d{4}\b|\bCovered California\b")
"""A California address (ZIP codes 90000-96199), the state's name or its managed-care
regulator."""


def _in_california(analysis: DenialAnalysis, case: CaseFacts | None) -> bool:
    """The letter's payer or appeal address, or the case's insurer or practice, is in
    California."""
    places = [analysis.insurer, analysis.appeal_address, analysis.plan_sponsor]
    if case is not None:
        places += [case.insurer, case.physician.address, case.physician.license]
    return any(CALIFORNIA.search(p) for p in places if p)


def _program(analysis: DenialAnalysis, case: CaseFacts | None, letter_request: str) -> str:
    """``fehb`` (or ``tricare``) when a government plan's letter (payer fields, request
    sentences) or the case's insurer names the FEHB program (or TRICARE); ``default``
    otherwise."""
    if analysis.plan_type not in (PlanType.government_or_church, PlanType.unknown):
        return "default"
    places = [
        analysis.insurer,
        analysis.plan_sponsor,
        analysis.policy,
        analysis.appeal_address,
        analysis.reviewer,
        letter_request,
    ]
    if case is not None:
        places.append(case.insurer)
    if any(FEHB.search(p) for p in places if p):
        return FEHB_PROGRAM
    return TRICARE_PROGRAM if any(TRICARE.search(p) for p in places if p) else "default"


def treated_diagnoses(ordered: list[str], diagnoses: Iterable[str]) -> tuple[str, ...]:
    """The diagnoses the request treats: those in the ICD-10-CM block of the first of
    ``ordered`` (the case's primary diagnosis) and, when that is a status code (chapter Z),
    in the block of the first disease code after it. The other diagnoses are comorbidities."""
    if not ordered:
        return ()
    heads = [ordered[0]]
    if ordered[0].startswith(STATUS_CHAPTER):
        heads += [d for d in ordered if not d.startswith(STATUS_CHAPTER)][:1]
    blocks = {icd10_block(h) for h in heads}
    return tuple(d for d in diagnoses if icd10_block(d) in blocks)


# --------------------------------------------------------------------------- the rules

_FACTS: dict[Applicability, tuple[Callable[[Scope], bool], str]] = {
    Applicability.behavioral_health: (
        lambda s: s.behavioral_health,
        "parity law applies only with a mental-health or substance-use diagnosis",
    ),
    Applicability.malignancy: (
        lambda s: any(d.startswith(MALIGNANCY_PREFIXES) for d in s.diagnoses),
        "it is about cancer in general, and the patient has no cancer diagnosis",
    ),
    Applicability.under_21: (
        lambda s: s.age is not None and s.age < EPSDT_AGE_LIMIT,
        f"EPSDT applies only to patients under {EPSDT_AGE_LIMIT} (the birth date must show it)",
    ),
    Applicability.emergency_or_out_of_network: (
        lambda s: s.emergency or s.out_of_network,
        "it applies only to emergency or out-of-network care",
    ),
    Applicability.emergency: (
        lambda s: s.emergency,
        "the emergency-coverage rule applies only to emergency care",
    ),
    Applicability.fehb: (
        lambda s: s.program == FEHB_PROGRAM,
        "it applies only to a Federal Employees Health Benefits plan",
    ),
    Applicability.not_fehb: (
        lambda s: s.program not in (FEHB_PROGRAM, TRICARE_PROGRAM),
        "an FEHB plan follows OPM's disputed claims rules (5 CFR 890.105) and TRICARE its own "
        "appeal procedures (32 CFR 199.10), not the ACA's or ERISA's appeal rules",
    ),
    Applicability.california: (
        lambda s: s.california,
        "California law applies only to a California plan, patient or practice",
    ),
    Applicability.preventive_service: (
        lambda s: bool(PREVENTIVE_WORDS.search(s.service_text)),
        "the preventive-services rule applies only when the service requested is preventive",
    ),
    Applicability.obstetric_gynecological: (
        lambda s: (
            any(d.startswith(OBGYN_PREFIXES) for d in s.diagnoses)
            or bool(OBGYN_WORDS.search(s.service_text))
        ),
        "direct access to OB/GYN care applies only to obstetric or gynecological care",
    ),
    Applicability.clinical_trial: (
        lambda s: bool(TRIAL_WORDS.search(s.service_text)),
        "it supports coverage only within a clinical trial or registry, and the request is not "
        "for care given in one",
    ),
}
"""Each applicability fact: whether the scope meets it, and what to say when it does not."""


def citable(passage: Passage) -> bool:
    """Whether a passage may be listed as a reference at all (argument notes may not)."""
    return passage.kind != "argument"


CHAPTER_REACH: dict[Applicability, tuple[str, ...]] = {
    Applicability.malignancy: MALIGNANCY_PREFIXES,
    Applicability.behavioral_health: BEHAVIORAL_HEALTH_PREFIXES,
}
"""The diagnoses a fact about a whole chapter's patients reaches (a passage about cancer in
general names no prefix but ``malignancy``)."""


def reach(passage: Passage) -> tuple[str, ...]:
    """The ICD-10 prefixes a passage is about: its conditions and, for a fact about a whole
    chapter's patients (any malignancy), the chapter's prefixes. Retrieval finds and boosts a
    passage by these; whether it fits is :func:`off_topic`'s."""
    facts = [p for f in passage.applies_if for p in CHAPTER_REACH.get(f, ())]
    return (*passage.conditions, *facts)


def condition_fits(conditions: Iterable[str], diagnoses: Iterable[str]) -> bool:
    """One ICD-10 prefix is a prefix of one diagnosis, or the other way round."""
    dx = list(diagnoses)
    return any(d.startswith(c) or c.startswith(d) for c in conditions for d in dx)


def off_topic(passage: Passage, scope: Scope) -> str | None:
    """Why the passage does not fit the case, or None when it fits."""
    if passage.kind not in CLINICAL_KINDS and passage.kind != "regulation":
        return None
    if passage.plan_types and scope.plan_type not in passage.plan_types:
        plans = ", ".join(p.value for p in passage.plan_types)
        return f"it applies to {plans} plans, not {scope.plan_type.value}"
    for fact in passage.applies_if:
        holds, reason = _FACTS[fact]
        if not holds(scope):
            return reason
    if passage.kind in CLINICAL_KINDS or passage.conditions or passage.services:
        return _clinical_reason(passage, scope)
    return _clinical_reason(passage, scope) if passage.treatments else None


def shared_codes(passage: Passage, scope: Scope) -> frozenset[str]:
    """The requested codes the passage lists, leaving out the ancillary ones (radiation
    planning, physics, image guidance: :func:`pipeline.service_kinds.ancillary`) unless every
    requested code is one: a code billed beside many treatments says nothing of which one the
    passage is about (an SBRT trial listing IMRT planning is no reference for whole-brain
    IMRT billed with the same planning code)."""
    return scope.telling.intersection(passage.services)


def treatment_requested(passage: Passage, scope: Scope, *, generic: bool = True) -> bool:
    """The passage's treatment is the requested service: one of its names occurs (as whole
    words) in the service's description, or one of its codes is requested. ``generic=False``
    leaves out the names of a kind of care ('surgery', 'MRI': :func:`generic_name`)."""
    if shared_codes(passage, scope):
        return True
    text = scope.service_text if scope.named_text is None else scope.named_text
    # a procedure or device is named with a word between its name's words ('cochlear device
    # implantation' is cochlear implantation); a drug is named exactly
    spaced = not (passage.indication or ServiceKind.drug in passage.purpose)
    return any(
        _whole_words(name.lower(), text)
        or (spaced and _spaced_words(name.lower(), text, scope.named_words))
        for name in drug_names(passage)
        if name.strip() and (generic or not generic_name(name))
    )


def about_the_request(passage: Passage, scope: Scope) -> bool:
    """The passage is about the requested service itself, not only its condition: one of its
    codes is requested or one of its own names (not a kind of care's) names the request."""
    return treatment_requested(passage, scope, generic=False)


def drug_names(passage: Passage) -> list[str]:
    """The names a passage's treatment is requested by: its ``treatments``; for a label's
    indication (``indication``: one drug, named first) only the drug's own names, never its
    family's or a kind of care ('insulin' of insulin lispro's label, 'biologic'), so a label
    fits only its own drug, not another drug of its class."""
    if not passage.indication or not passage.treatments:
        return passage.treatments
    drug = passage.treatments[0]
    return [n for n in passage.treatments if not family_name(n, drug) and not generic_name(n)]


def about_a_service(passage: Passage) -> bool:
    """The passage is about one treatment or service rather than a condition: it names its
    treatment, or it is a coverage policy (a clearance, an NCD, an LCD) naming service codes."""
    return bool(passage.treatments) or (
        passage.kind == "coverage_policy" and bool(passage.services)
    )


_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _whole_words(needle: str, text: str) -> bool:
    """``needle`` occurs in ``text`` with no letter a-z or digit right before or after it (as
    the pattern ``(?<![a-z0-9])needle(?![a-z0-9])`` would find it, without compiling one per
    name: a corpus's treatment names overflow the regex cache)."""
    at = text.find(needle)
    while at >= 0:
        end = at + len(needle)
        if (at == 0 or text[at - 1] not in _WORD_CHARS) and (
            end == len(text) or text[end] not in _WORD_CHARS
        ):
            return True
        at = text.find(needle, at + 1)
    return False


_TOKEN_RE = re.compile(r"[a-z0-9]+")
_NOT_BETWEEN = frozenset({"and", "or", "not", "no", "nor", "without", "versus", "vs", "than"})
"""Words that, between two words of a name, join or oppose two things rather than qualify one
('cochlear or vestibular implantation', 'hip and knee replacement' name no one service)."""


def _spaced_words(needle: str, text: str, found: Sequence[str] | None = None) -> bool:
    """The words of a name of two or more plain words (a-z, 0-9) occur in ``text`` in order,
    with at most one other word between two of them ('cochlear device implantation' names
    cochlear implantation), that word not a conjunction or negation (:data:`_NOT_BETWEEN`).
    ``found``: the text's words (a-z, 0-9) when already read (``Scope.named_words``)."""
    words = needle.split()
    if len(words) < 2 or any(not _TOKEN_RE.fullmatch(w) for w in words):
        return False
    if not all(w in text for w in words):  # cheap test before the token scan
        return False
    if found is None:
        found = _TOKEN_RE.findall(text)
    for start, token in enumerate(found):
        if token != words[0]:
            continue
        at = start
        for word in words[1:]:
            if at + 1 < len(found) and found[at + 1] == word:
                at += 1
            elif (
                at + 2 < len(found) and found[at + 2] == word and found[at + 1] not in _NOT_BETWEEN
            ):
                at += 2
            else:
                break
        else:
            return True
    return False


def purpose_reason(passage: Passage, scope: Scope) -> str | None:
    """Why the passage's purpose does not fit the requested kind of care, or None: a passage
    recommending one kind (referral for surgery) is no support for another (a stimulator
    trial); unknown on either side is no reason."""
    if not passage.purpose or not scope.kinds or scope.kinds.intersection(passage.purpose):
        return None
    recommends = " or ".join(KIND_WORDS[k] for k in passage.purpose)
    requested = " or ".join(KIND_WORDS[k] for k in sorted(scope.kinds))
    return f"it recommends {recommends}, and the request is for {requested}"


KIND_WORDS: dict[ServiceKind, str] = {
    ServiceKind.drug: "a drug",
    ServiceKind.procedure: "a procedure",
    ServiceKind.device: "a device",
    ServiceKind.imaging: "imaging",
    ServiceKind.test: "a test",
    ServiceKind.level_of_care: "a level of care",
    ServiceKind.therapy: "a therapy",
}


def _drug_for_no_drug(passage: Passage, scope: Scope) -> str | None:
    """Why a drug's label or recommendation is no support for a request that is not for a drug
    (a device the patient needs because the drug is contraindicated), or None. Unknown kinds
    are no reason."""
    if ServiceKind.drug not in passage.purpose or not scope.kinds:
        return None
    if scope.kinds.intersection(passage.purpose):
        return None
    # a drug given by a procedure the passage itself names (intratympanic dexamethasone, 69801):
    # its recommendation is about the requested procedure
    if scope.services.intersection(passage.services):
        return None
    what = passage.treatments[0] if passage.treatments else "a drug"
    requested = " or ".join(KIND_WORDS[k] for k in sorted(scope.kinds))
    return f"it is about {what}, a drug, and the request is for {requested}"


def by_its_condition(passage: Passage) -> bool:
    """The passage fits only by the condition the request treats, even when it names the
    requested service: an indication (a drug is approved for each indication apart) or a
    drug recommendation (drug A for a comorbidity is no support for drug A here)."""
    return passage.indication or ServiceKind.drug in passage.purpose


def stance_reason(passage: Passage, scope: Scope) -> str | None:
    """Why the passage's position is no support for the request, or None: it recommends
    against the care it is about (:mod:`pipeline.stances`), or against the requested service
    while recommending other care (``not_for``, by code or by name as the request names it)."""
    if against(passage):
        what = passage.treatments[0] if passage.treatments else "the care it is about"
        return f"it recommends against {what}, so it is no support for a request"
    text = scope.service_text if scope.named_text is None else scope.named_text
    for care in passage.not_for:
        if normalize_service(care) in scope.services or _whole_words(care.lower(), text):
            return f"it advises against {care}, the requested service"
    return None


def _clinical_reason(passage: Passage, scope: Scope) -> str | None:
    if reason := stance_reason(passage, scope):
        return reason
    if reason := step_reason(passage, scope.step):
        return reason
    requested = treatment_requested(passage, scope)
    if requested and (reason := _drug_for_no_drug(passage, scope)):
        return reason
    if about_a_service(passage) and not requested:
        what = passage.treatments[0] if passage.treatments else ", ".join(passage.services[:3])
        return f"it is about {what}, which is not the requested service"
    # named only by a kind of care ('surgery', 'MRI'): about the requested service only when
    # its condition is the one the request treats
    # its own name, not a kind of care's (a subset of ``requested``: read only when requested)
    specific = requested and treatment_requested(passage, scope, generic=False)
    generic_only = requested and not specific
    if reason := _other_services(passage, scope, specific):
        return reason
    requested = requested and not generic_only
    if not requested and (reason := purpose_reason(passage, scope)):
        return reason
    if not scope.diagnoses and not scope.services:
        return None
    if reason := population_reason(passage, scope.age, scope.diagnoses):
        return reason
    if passage.conditions and scope.diagnoses:
        if not condition_fits(passage.conditions, scope.diagnoses):
            conditions = ", ".join(passage.conditions)
            return f"it is about {conditions}, none of the patient's diagnoses"
        if reason := subtype_reason(passage, scope.diagnoses):
            return reason
        if condition_fits(passage.conditions, scope.treated_conditions):
            return None
        treated = ", ".join(scope.treated_conditions[:2])
        if passage.indication:
            return (
                f"it states the indication {', '.join(passage.conditions)}, not the condition "
                f"the request treats ({treated})"
            )
        if requested and not by_its_condition(passage):
            return None
        conditions = ", ".join(passage.conditions)
        why = (
            "it recommends the drug only for the condition it names"
            if requested
            else "it names the requested service only by its kind of care"
            if generic_only
            else "the passage is not about the requested service"
        )
        return f"it is about {conditions}, a comorbidity: the request treats {treated}, and {why}"
    if requested and not passage.conditions:  # about the requested item, for any condition
        return None
    if generic_only and not passage.conditions:
        return "it names the requested service only by its kind of care, and no condition"
    if passage.services:
        if shared_codes(passage, scope):
            return None
        return f"it covers {', '.join(passage.services[:6])}, none of them requested"
    if passage.conditions:  # the case states no diagnosis, and the passage no service
        return None if not scope.services else "it names no requested service"
    return "it names no condition or service it covers"


ITEM_KINDS = frozenset({ServiceKind.device, ServiceKind.test, ServiceKind.imaging})
"""Kinds of care a guideline recommends as one item: a device, a test, an imaging study."""


def _other_services(passage: Passage, scope: Scope, specific: bool) -> str | None:
    """Why a guideline recommending an item (a device, a test or an imaging study: its
    ``purpose``) is about another item than the request, or None: its codes name the items, none
    of them requested, and it names the requested treatment by none of its own names
    (``specific``). A guideline on insulin pumps is no support for a stimulator or an eye
    injection for the same diabetes, one on the 21-gene assay none for BRCA testing of the same
    breast cancer. A therapy's or procedure's guideline is left to the other rules: it may be
    about the step a payer asks for first (psychotherapy before TMS, a lifestyle programme
    before bariatric surgery). Unknown codes are no reason."""
    if passage.kind not in CLINICAL_KINDS or not passage.services or not scope.services:
        return None
    if not ITEM_KINDS.intersection(passage.purpose):
        return None
    if specific or shared_codes(passage, scope):
        return None
    return f"it is about {', '.join(passage.services[:4])}, none of them requested"


def fits(passage: Passage, scope: Scope) -> bool:
    """The passage fits the case (no reason against it)."""
    return off_topic(passage, scope) is None


def fitting(passages: Iterable[RetrievedPassage], scope: Scope) -> list[RetrievedPassage]:
    """The passages that fit the case, in their order."""
    return [rp for rp in passages if fits(rp.passage, scope)]


# --------------------------------------------------------------------------- for the drafter


def clinical_passages(
    passages: Iterable[RetrievedPassage], criterion: int | None = None
) -> list[Passage]:
    """The clinical passages (guidelines, coverage policies) a letter may state as what the
    evidence recommends, best first: the physician's own sources, then those retrieved for
    ``criterion`` (None: for the denial as a whole), then the rest by rank. Regulations and
    argument notes are never among them: a law is not a guideline.

    ``passages`` are retrieved ones, so they already fit the case (``retrieve`` offers
    nothing else, the physician's sources included).
    """
    pool = [rp for rp in passages if rp.passage.kind in CLINICAL_KINDS]

    def key(rp: RetrievedPassage) -> tuple[bool, bool, int]:
        tagged = criterion is not None and criterion in rp.criteria
        return (not rp.passage.supplied_by_physician, not tagged, rp.rank)

    return [rp.passage for rp in sorted(pool, key=key)]


CITATION_GAP_FIELD = "citations"


def citation_gap(
    scope: Scope,
    passages: Iterable[RetrievedPassage],
    *,
    cited: Iterable[str] | None = None,
    question: GroundKind | None = None,
) -> Gap | None:
    """When no clinical passage fits the case (or, given the ids the letter ``cited``, when
    it cites none of those that fit: none states a position bearing on the criteria): a gap
    naming its diagnosis and service and the two ways to fill it (the physician's
    ``citations:`` or a corpus passage). Under a notice disputing a ``question`` (where the
    treatment is given) the source asked for answers that question, not the drug's use."""
    clinical = [rp.passage.id for rp in passages if rp.passage.kind in CLINICAL_KINDS]
    if clinical and (cited is None or set(cited).intersection(clinical)):
        return None
    dx = ", ".join(scope.diagnoses[:3]) or "the diagnosis"
    codes = ", ".join(sorted(scope.services)[:3]) or "the requested service"
    covers = f"{dx} with {codes}"
    if question is GroundKind.site_of_care:
        covers = f"where and how {codes} for {dx} is safely given (the site of care)"
    elif clinical:  # retrieved and fitting, but none bears on the criteria
        covers += " and bears on the criteria"
    label = ""
    if question is GroundKind.site_of_care:
        label = (
            "; a society's position on the site of infusion, or the label's administration "
            "and monitoring requirements (questions: [site_of_care] in the corpus)"
        )
    elif ServiceKind.drug in scope.kinds:
        treated = ", ".join(scope.treated_conditions[:2]) or "the diagnosis"
        label = (
            f"; for a drug, the current FDA label's indication for {treated} (issuing_body: "
            "FDA, title: the drug's prescribing information, year: its revision, section: "
            "Indications and Usage), since no label passage in the corpus states it"
        )
    return Gap(
        field=CITATION_GAP_FIELD,
        message=(
            f"no guideline in the corpus covers {covers}; add the physician's source under "
            "citations: in the case file (issuing_body, title, year, recommendation; "
            f"optional section, quote, url){label}, or add a corpus passage whose conditions "
            "and services name them (corpus/guidelines/)"
        ),
        placeholder=PLACEHOLDER.format(what=f"a guideline that covers {covers}"),
    )


PHYSICIAN_SPECIALTY = "physician_supplied"


def physician_passages(case: CaseFacts | None, scope: Scope) -> list[Passage]:
    """The case file's ``citations`` as passages about this patient's diagnoses and service
    (the physician chose them for this patient), in the physician's order."""
    if case is None:
        return []
    return [_physician_passage(i, c, scope) for i, c in enumerate(case.citations, start=1)]


def _physician_passage(number: int, cite: CaseCitation, scope: Scope) -> Passage:
    year_match = re.search(r"\b(19|20)\d{2}\b", cite.year)
    year = int(year_match.group(0)) if year_match else 0
    text = cite.recommendation if not cite.quote else f'{cite.recommendation} "{cite.quote}"'
    passage = Passage(
        id=f"case-citation-{number}",
        kind="guideline",
        issuing_body=cite.issuing_body,
        short_body=cite.issuing_body,
        title=cite.title,
        version=None if cite.year.strip() == str(year) else cite.year.strip(),
        year=year,
        section=cite.section or "",  # none named: the letter names the source by body and year
        text=text,
        specialty=PHYSICIAN_SPECIALTY,
        services=sorted(scope.services),
        conditions=list(scope.diagnoses),
        url=cite.url or "supplied by the treating physician",
        license="cited by the treating physician",
        verified=False,
        supplied_by_physician=True,
    )
    return with_reading(passage)  # read once, where it is made (as the corpus loader does)


_TITLE_WORD_RE = re.compile(r"[a-z0-9][a-z0-9'/-]{3,}")
SAME_TITLE_SHARE = 0.75
"""The share of a corpus passage's title words a physician's source must hold (same year) for
the two to be one guideline: the corpus's summary of a guideline the physician already cites
is not cited again beside it."""


def _title_words(text: str) -> set[str]:
    """A title's words of four or more characters, lower case, British spelling and plurals
    folded ('Paediatric' and 'pediatric', 'Guidelines' and 'guideline')."""
    folded = text.lower().replace("paed", "ped").replace("haem", "hem").replace("oe", "e")
    return {w.removesuffix("s") for w in _TITLE_WORD_RE.findall(folded)}


def same_source(passage: Passage, own: Passage) -> bool:
    """The corpus ``passage`` is of the guideline the physician's source ``own`` cites: the
    same year (one apart: a guideline published online the year before its issue) and at
    least :data:`SAME_TITLE_SHARE` of the passage's title words in the source's title and
    issuing body."""
    if passage.supplied_by_physician or not own.year or abs(passage.year - own.year) > 1:
        return False
    words = _title_words(passage.title)
    if not words:
        return False
    held = words & _title_words(f"{own.title} {own.issuing_body}")
    return len(held) >= SAME_TITLE_SHARE * len(words)
