"""Pydantic models: the contracts between the pipeline's stages.

ingest -> DenialLetter; extract -> DenialAnalysis; the advocate supplies CaseFacts;
retrieve -> RetrievedPassage; draft -> Draft; validate -> ValidationReport.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_serializer,
    model_validator,
)

from .text.clean import normalize_text
from .text.dates import written_date


class DenialCategory(StrEnum):
    """Why the payer denied; the first category of an analysis is the primary one."""

    not_medically_necessary = "not_medically_necessary"
    conservative_treatment_not_exhausted = "conservative_treatment_not_exhausted"
    step_therapy = "step_therapy"
    experimental_investigational = "experimental_investigational"
    frequency_limit = "frequency_limit"
    level_of_care = "level_of_care"
    insufficient_documentation = "insufficient_documentation"
    cosmetic = "cosmetic"
    not_covered_benefit = "not_covered_benefit"
    out_of_network = "out_of_network"
    administrative = "administrative"


class PlanType(StrEnum):
    """Which body of appeal law governs the plan."""

    erisa = "erisa"
    aca_individual = "aca_individual"
    medicare_advantage = "medicare_advantage"
    medicare = "medicare"
    medicaid = "medicaid"
    government_or_church = "government_or_church"
    unknown = "unknown"


class Strict(BaseModel):
    """Base for input that comes from users or models: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, coerce_numbers_to_str=True)


# --------------------------------------------------------------------------- ingest


class OcrPage(BaseModel):
    """How one scanned page was read by OCR."""

    number: int = Field(ge=1)
    confidence: float
    """Mean word confidence, 0-100 (0 when no word was found)."""
    skew: float
    """Degrees the page was turned to straighten it."""
    words: int


class DenialLetter(BaseModel):
    """A denial letter as normalized text, with where it came from."""

    text: str
    """Normalized text: NFC, LF line ends, no control characters, no trailing spaces."""
    source: str
    """The path the user gave, or '<stdin>' / '<text>'."""
    media_type: Literal[
        "text/plain", "text/markdown", "application/pdf", "image/png", "image/jpeg", "image/tiff"
    ] = "text/plain"
    """What the input was read as."""
    sha256: str
    """Hash of the normalized text (identifies the letter without repeating it in logs)."""
    pages: int | None = None
    """Page count for PDFs and scans."""
    ocr: list[OcrPage] | None = None
    """Pages read by OCR (a scan), with their confidence; None when the text was typed."""
    warnings: list[str] = Field(default_factory=list)
    """What the reader should check, e.g. pages OCR read with low confidence (never text)."""


# --------------------------------------------------------------------------- extract


class RequirementKind(StrEnum):
    """What a requirement inside a payer criterion asks for."""

    trial_count = "trial_count"
    """A number of trials of drugs or therapies ("4 or more antidepressant trials")."""
    class_count = "class_count"
    """A number of distinct drug or therapy classes ("from at least 2 classes")."""
    duration = "duration"
    """How long something lasted ("for 6 weeks or more", "at least 3 months of PT")."""
    dose_adequacy = "dose_adequacy"
    """An adequate, therapeutic or maximally tolerated dose."""
    threshold = "threshold"
    """A measurement against a threshold: a score, BMI, AHI, mm, degrees, percent, a lab value."""
    test_done = "test_done"
    """A test or evaluation was performed (imaging, genetic counselling, a sleep study)."""
    specialist = "specialist"
    """A specialist's involvement (ordered by, evaluated by, prescribed by)."""
    absence = "absence"
    """Something must be absent: no nicotine, no active substance use, no contraindication."""
    document = "document"
    """A document must exist: a plan of care, progress notes, a signed order."""
    statement = "statement"
    """A physician's statement or attestation."""
    time_window = "time_window"
    """Something must fall in a time window ("within the past 6 months")."""
    concurrency = "concurrency"
    """Two things at the same time ("delivered concurrently with pharmacotherapy")."""
    interval = "interval"
    """The least (or most) time between two events: since a prior treatment or an event ('no
    more often than once every 12 weeks', 'at least 6 months since the prior ablation', 'at least
    40 days after the infarction'); compared as the patient's interval against ``value``."""
    quantity = "quantity"
    """A quantity per period, a drug's quantity limit ("2 pens per 28 days"): answered with the
    units the regimen needs in each period, never with a duration."""
    other = "other"
    """A requirement of no typed kind; kept verbatim."""


Comparator = Literal[">=", ">", "<=", "<", "=="]


class Requirement(Strict):
    """One typed requirement inside a payer criterion, with the verbatim span it came from."""

    kind: RequirementKind
    subject: str = Field(min_length=1, max_length=200)
    """What is counted, measured or required, e.g. 'antidepressant trials', 'BMI', 'AHI'."""
    comparator: Comparator | None = None
    """How the patient's value must compare with ``value`` (None: presence is enough)."""
    value: float | None = None
    """The threshold as a number, e.g. 4, 6, 35.0."""
    unit: str | None = Field(default=None, max_length=40)
    """Unit of ``value``: 'trials', 'classes', 'weeks', 'months', 'kg/m2', 'mm', 'degrees', '%',
    'events/hour', 'visits'."""
    classes: list[str] = Field(default_factory=list)
    """Drug or therapy classes the requirement names, e.g. ['second-generation antipsychotic',
    'lithium', 'thyroid hormone'], as worded in the letter."""
    each: bool = False
    """True when it applies to each item ("each at an adequate dose for 6 weeks")."""
    window: str | None = Field(default=None, max_length=200)
    """A time window that governs it, verbatim: 'during the current depressive episode',
    'within the past 6 months'."""
    branch: int = Field(default=0, ge=0)
    """Alternative the requirement belongs to: requirements with the same branch must all hold;
    with ``Criterion.logic == 'any'`` one branch is enough."""
    span: str = Field(min_length=1, max_length=1000)
    """The verbatim text of the letter the requirement was read from (shared qualifiers
    included where they govern it)."""


PayerStatus = Literal["met", "not_met", "not_documented", "not_applicable", "not_stated"]
"""What the payer said of a criterion: met, not met, not documented (records missing), not
applicable to this request ('N/A': neither met nor unmet, nothing to argue), or nothing."""


class RequirementNode(Strict):
    """One node of a criterion's requirement tree, as the notice nests it: 'ALL of the following:
    1. ... AND 2. ... AND 3. EITHER ... OR ...', '(i) (ii) (iii)' under an 'ALL of' lead-in, 'one
    of the following: A. B. C.'. An inner node combines its children by ``logic``; a leaf is one
    requirement's words (the two sides of 'TLC >= 100% AND RV >= 175%' are two leaves)."""

    logic: Literal["all", "any", "leaf"] = "leaf"
    """How the children combine: all of them, at least ``at_least`` of them, or none (a leaf)."""
    at_least: int = Field(default=1, ge=1)
    """With ``logic == 'any'``: how many children must hold ('at least two of the following')."""
    label: str | None = Field(default=None, max_length=20)
    """The payer's marker of this item, bare ('B', 'ii', '3'); None for the root and for the
    unmarked sides of an EITHER/OR or of an 'and' between two measurements."""
    text: str = Field(min_length=1, max_length=1000)
    """The node's words, verbatim: an inner node's lead-in ('Inadequate response ..., defined
    as ALL of:'), a leaf's whole item."""
    requirements: list[Requirement] = Field(default_factory=list)
    """The typed requirements of this node's own words (``requirements.parse_requirements``):
    a leaf's; a list node's lead-in's, which govern every child ('within the past 6 months:
    a. ... b. ...'); none for a node split into sides (its sides hold them)."""
    children: list[RequirementNode] = Field(default_factory=list)
    finding: PayerStatus = "not_stated"
    """What the payer found of this node ('FINDING: MET (B)' marks route B met; the root carries
    the criterion's own status)."""

    def nodes(self) -> list[RequirementNode]:
        """This node and every node under it, depth first."""
        return [self, *(n for child in self.children for n in child.nodes())]

    def leaves(self) -> list[RequirementNode]:
        """The leaves under this node (itself when it is one), in the notice's order."""
        return [n for n in self.nodes() if not n.children]

    def find(self, label: str) -> RequirementNode | None:
        """The first node labelled ``label`` (case as printed), depth first."""
        return next((n for n in self.nodes() if n.label == label), None)

    def shape(self, *, top: bool = True) -> str:
        """The tree's shape in one line: 'any(A=met,B,C)', 'all(1,2,3:any(.,.))' (a label,
        then ':' and the children of an inner node; '.' for an unlabelled leaf; '=finding' when
        the payer gave one; the root's own finding left out)."""
        finding = "" if top or self.finding == "not_stated" else f"={self.finding}"
        if not self.children:
            return f"{self.label or '.'}{finding}"
        inner = ",".join(child.shape(top=False) for child in self.children)
        head = f"{self.label}:" if self.label and not top else ""
        return f"{head}{self.logic}({inner}){finding}"

    def outline(self, depth: int = 0) -> list[str]:
        """The tree as indented lines: 'ALL of: ...', '1. ... [met]', for a reader or a log."""
        mark = f"{self.label}. " if self.label else ""
        lead = {"all": "ALL of: ", "any": "ANY ONE of: ", "leaf": ""}[self.logic]
        if self.logic == "any" and self.at_least > 1:
            lead = f"AT LEAST {self.at_least} of: "
        finding = "" if self.finding == "not_stated" else f" [{self.finding}]"
        line = f"{'  ' * depth}{mark}{lead}{self.text}{finding}"
        return [line, *(ln for child in self.children for ln in child.outline(depth + 1))]


class Criterion(Strict):
    """One criterion the payer cited, as the letter states it."""

    text: str = Field(min_length=3, max_length=1000)
    """The criterion's wording, verbatim from the letter (without the payer's narrative)."""
    source: str | None = Field(default=None, max_length=300)
    """The guideline or policy it comes from (InterQual, MCG, a plan policy id), verbatim."""
    requirements: list[Requirement] = Field(default_factory=list)
    """The typed requirements inside the criterion."""
    logic: Literal["all", "any"] = "all"
    """How the requirements' branches combine: all must hold, or any one branch."""
    payer_status: PayerStatus = "not_stated"
    """What the payer said of this criterion."""
    payer_reason: str | None = Field(default=None, max_length=2000)
    """The payer's narrative about the submitted records for this criterion, verbatim."""
    payer_lacks: list[str] = Field(default_factory=list)
    """What the payer said the records lacked for this criterion, each verbatim from its
    narrative ('trial of azathioprine', 'a microarray report'): what the appeal must supply."""
    alternative: bool = False
    """One of the notice's alternative criteria: its list needs only one of them ('at least ONE
    of the following indications'). A criterion required beside the alternatives ('and the
    Additional Requirements (A) and (B)') is not one, nor is any criterion of an all-of list."""
    at_least: int = Field(default=1, ge=1)
    """With ``logic == 'any'``: how many of the requirements' branches must hold ('at least two
    of the following: a. ... b. ... c.' is 2, one branch per item). Ignored with 'all'."""
    label: str | None = Field(default=None, max_length=20)
    """The payer's own label of the criterion, verbatim as printed ('3.2.3', '4.1', 'B2',
    'II.c', '(iv)'), without the list mark's trailing '.' or ')'; None when the notice labels
    none. The letter names the criterion by it (``letter_format.criterion_names``)."""
    tree: RequirementNode | None = None
    """The requirements as the notice nests them (lists in lists, EITHER/OR, conjunct
    measurements), each leaf pointing at its typed requirements and each node carrying the
    payer's finding where the notice gives one; None until extraction reads it."""


class RequestedService(Strict):
    """One code the request covers, with units and modifiers as the letter gives them."""

    code: str
    """CPT, HCPCS, revenue or DRG code, as in the letter (no modifier)."""
    system: Literal["cpt", "hcpcs", "revenue", "drg", "ndc"] = "cpt"
    units: int | None = Field(default=None, ge=0)
    """Units, sessions, visits or days requested (None: not stated)."""
    modifiers: list[str] = Field(default_factory=list)
    """Modifiers such as '50', 'RT', 'KX'."""
    description: str | None = Field(default=None, max_length=300)
    """The letter's description of the code, verbatim."""
    per: str | None = Field(default=None, max_length=40)
    """What ``units`` are counted per, as the letter says ('infusion', 'session'), when the
    units are per administration; None when they are the total."""
    administrations: int | None = Field(default=None, ge=0)
    """How many administrations are requested ('6 infusions'), when units are per one."""
    start: dt.date | None = None
    """First day of the period the letter gives for this code."""
    end: dt.date | None = None
    """Last day of the period the letter gives for this code."""
    revenue: str | None = None
    """The revenue code a facility claim's line bills this code under ('0360' of '0360 /
    19371'): the facility's line for the procedure, a line of its own beside the surgeon's."""


class ServiceChange(Strict):
    """A service already authorized that the notice reduces or ends (concurrent review), as
    the notice states it."""

    ends: bool = False
    """The service is ended (a termination), not reduced."""
    before: float | None = Field(default=None, ge=0)
    """The amount authorized until now ('56' of '56 hours per week')."""
    after: float | None = Field(default=None, ge=0)
    """The amount from the effective date (0 when the service ends)."""
    unit: str | None = Field(default=None, max_length=40)
    """What the amounts count: 'hours', 'visits', 'days'."""
    per: str | None = Field(default=None, max_length=40)
    """The period each amount is per ('week'), None when it is a total."""
    effective: dt.date | None = None
    """The first day of the new amount, or the day coverage ends, as the notice gives it."""
    through: dt.date | None = None
    """The last day of the authorization period the change cuts into, when the notice gives it."""

    @property
    def cut(self) -> float | None:
        """How much the notice takes away (before - after)."""
        if self.before is None or self.after is None:
            return None
        return self.before - self.after


class ServiceIncrease(Strict):
    """A request to raise a service already authorized that the notice approved only in part
    (or not at all), as the notice states it: 'approved 20 hours per week; the requested 30 were
    not approved; this decision does not reduce current services'. It is an increase partly
    denied, never a reduction or termination (``DenialAnalysis.service_change`` stays None): the
    current level goes on, continuation pending appeal does not apply to the increase, and the
    appeal asks for the part not approved."""

    current: float | None = Field(default=None, ge=0)
    """The amount authorized until now ('40' of 'from 40 hours per week to 56'), when stated."""
    requested: float | None = Field(default=None, ge=0)
    """The amount the request asked for ('56')."""
    approved: float | None = Field(default=None, ge=0)
    """The amount the notice approved ('48'; the current amount when only it was kept)."""
    unit: str | None = Field(default=None, max_length=40)
    """What the amounts count: 'hours', 'visits', 'units'."""
    per: str | None = Field(default=None, max_length=40)
    """The period each amount is per ('week'), None when they are totals."""
    current_kept: bool = False
    """The notice says the decision does not reduce or stop what the member receives now."""
    statement: str | None = Field(default=None, max_length=600)
    """The notice's sentence that states the partial approval, verbatim."""

    @property
    def denied(self) -> float | None:
        """How much of the request was not approved (requested - approved)."""
        if self.requested is None or self.approved is None:
            return None
        return self.requested - self.approved


class GroundKind(StrEnum):
    """What a prose notice denies on when its ground is not a list of clinical criteria."""

    network_adequacy = "network_adequacy"
    """Care from a provider outside the network is not covered while a network one can give it."""
    site_of_care = "site_of_care"
    """The service is covered, but not at the requested place (hospital outpatient, facility)."""
    benefit_exclusion = "benefit_exclusion"
    """The plan's benefits exclude the service, whatever its necessity."""
    level_of_care = "level_of_care"
    """A lower level of care (SNF instead of IRF, outpatient instead of inpatient) is approved."""
    administrative = "administrative"
    """A rule of procedure: no prior authorization, a late request, a filing limit."""
    transport = "transport"
    """The transport used was more than the patient's condition needed: ground instead of
    air, a private vehicle instead of an ambulance."""


class DenialGround(Strict):
    """The reason a notice gives in prose when it is not a list of criteria, verbatim."""

    kind: GroundKind
    statement: str = Field(max_length=600)
    """The sentence(s) of the notice that state why it denies, verbatim."""
    necessity_conceded: bool = False
    """The notice grants that the service is medically necessary (or says need is not at issue)."""
    concession: str | None = Field(default=None, max_length=400)
    """The sentence that concedes it, verbatim."""
    alternative: str | None = Field(default=None, max_length=300)
    """What the plan offers instead, verbatim ('an in-network spine surgeon')."""
    provision: str | None = Field(default=None, max_length=300)
    """The plan document and section the notice cites, verbatim."""


class ItemDecision(StrEnum):
    """What a notice decided on one item it lists."""

    denied = "denied"
    approved = "approved"
    """Approved or paid as asked: no part of the appeal."""
    partial = "partial"
    """Approved in part: the appeal asks for the denied part."""
    limit = "limit"
    """Covered up to the plan's limit only ('limit applies'): the appeal asks for an exception."""


class ItemGround(StrEnum):
    """Why a notice denied one item (its part's ground)."""

    criteria = "criteria"
    """The policy's clinical or prior-authorization criteria were not met."""
    quantity_limit = "quantity_limit"
    benefit_exclusion = "benefit_exclusion"
    experimental = "experimental"
    not_medically_necessary = "not_medically_necessary"
    benefit = "benefit"
    """Covered under another benefit (medical, not pharmacy) or another plan."""
    administrative = "administrative"
    """No authorization on file, a late request or claim."""
    dependent = "dependent"
    """Denied only because another item was (a line needed only with the denied procedure)."""


class DenialItem(Strict):
    """One item a notice decides on its own: a row of its item table, a part headed for it
    ('Item B', 'Service 2 of 3', 'REQUEST #4'), a line of a claim. Every value is the notice's."""

    label: str | None = Field(default=None, max_length=40)
    """As the notice names it ('A', '2', '04'); None when it names none."""
    description: str | None = Field(default=None, max_length=300)
    """The notice's words for the item, verbatim (whitespace flattened)."""
    codes: list[str] = Field(default_factory=list)
    """Its CPT, HCPCS or NDC codes, in the notice's order (no modifier)."""
    quantity: int | None = Field(default=None, ge=0)
    """The quantity asked for, in ``unit`` (a claim line's units)."""
    unit: str | None = Field(default=None, max_length=40)
    """What ``quantity`` counts ('syringes', 'autoinjectors', 'units')."""
    per: str | None = Field(default=None, max_length=40)
    """The period the quantity is per ('30 days', 'month'); None for a total."""
    fills: int | None = Field(default=None, ge=0)
    """How many fills are asked for (a drug)."""
    limit: int | None = Field(default=None, ge=0)
    """The plan's limit in the same unit and period, when the notice states one."""
    approved: int | None = Field(default=None, ge=0)
    """Of a partial approval: the quantity approved."""
    period: str | None = Field(default=None, max_length=80)
    """The period the notice gives for the item, verbatim ('3 months (11/12/2026-02/11/2027)')."""
    line: bool = False
    """A row of a claim's or a request's line table (named by its code), not an item the
    notice names in words (an item table's row, a part headed for it)."""
    service_date: dt.date | None = None
    """A claim line's date of service."""
    start: dt.date | None = None
    """First day of the dates the notice gives the item (a requested-dates cell, a days
    table's row)."""
    end: dt.date | None = None
    """Last day of those dates."""
    span: bool = False
    """A row of a days table (a concurrent or continued-stay review): ``quantity`` days from
    ``start`` to ``end`` at the level of care its ``description`` names."""
    billed: str | None = Field(default=None, max_length=20)
    """A claim line's billed amount, as written."""
    remarks: list[str] = Field(default_factory=list)
    """A claim line's adjustment and remark codes ('CO-50', 'N130')."""
    modifiers: list[str] = Field(default_factory=list)
    """A claim or request line's modifiers ('JZ', 'LT'), as its code or modifier cell gives
    them."""
    decision: ItemDecision = ItemDecision.denied
    grounds: list[ItemGround] = Field(default_factory=list)
    """The grounds the notice gives for this item, in its order."""
    criteria: list[int] = Field(default_factory=list)
    """Indexes (0-based) into ``DenialAnalysis.criteria`` of the criteria read under this
    item's ground(s)."""

    @property
    def open(self) -> bool:
        """Part of the appeal: denied, approved in part, or held to a limit."""
        return self.decision is not ItemDecision.approved


class CriterionGroup(Strict):
    """Criteria of the notice of which only some need be met: 'any one of 4.1-4.6' (at least 1),
    'AT LEAST TWO of B1-B5' (at least 2). A criterion in no group is required."""

    members: list[int] = Field(min_length=2)
    """Indexes (0-based) into ``DenialAnalysis.criteria`` of the group's criteria."""
    at_least: int = Field(default=1, ge=1)
    """How many members must be met."""
    text: str = Field(default="", max_length=300)
    """The notice's words that make the group, verbatim ('AT LEAST TWO of B1-B5')."""


class AppealLevel(StrEnum):
    """Which decision a notice is, and so which review answers it."""

    initial = "initial"
    """A first decision (a denial of a request or claim): the plan's internal appeal answers it."""
    appeal = "appeal"
    """A decision on an internal appeal after which the plan offers another internal level
    ('you may ask for a second-level appeal')."""
    final_internal = "final_internal"
    """The plan's last internal decision ('This is our final decision', 'you have exhausted the
    internal appeals'): the next level (external review, OPM, the IRE, a fair hearing)
    answers it, not the plan again."""


class DenialAnalysis(Strict):
    """What a denial letter says, as structured data. Every value occurs in the letter."""

    insurer: str | None = None
    """The payer or plan that issued the denial."""
    plan_type: PlanType = PlanType.unknown
    """Which appeal rules apply."""
    member_id: str | None = None
    """The member or subscriber id (the plan's own id when a state id stands beside it)."""
    program_member_id: str | None = None
    """The public program's id (Medicaid, Medicare MBI) when the plan's member id is also given."""
    claim_number: str | None = None
    """The claim, case, authorization or reference number."""
    letter_date: dt.date | None = None
    """Date of the denial letter."""
    service_dates: list[dt.date] = Field(default_factory=list)
    """Dates of service or of the request."""
    cpt_codes: list[str] = Field(default_factory=list)
    """CPT codes named in the letter."""
    hcpcs_codes: list[str] = Field(default_factory=list)
    """HCPCS Level II codes named in the letter."""
    icd10_codes: list[str] = Field(default_factory=list)
    """ICD-10-CM codes named in the letter, dotted form."""
    denial_categories: list[DenialCategory] = Field(default_factory=list)
    """Denial reason categories, primary first."""
    criteria: list[Criterion] = Field(default_factory=list)
    """Each criterion the payer cited as not met."""
    groups: list[CriterionGroup] = Field(default_factory=list)
    """The notice's groups of alternative criteria (a criterion in none is required; with none,
    the criteria marked ``alternative`` are one group of which one is enough)."""
    appeal_deadline: dt.date | None = None
    """Last day to appeal: as stated, or the letter date plus the stated window."""
    expedited_available: bool = False
    """Whether the letter offers an expedited (urgent) appeal."""
    peer_to_peer_offered: bool = False
    """Whether the letter offers a peer-to-peer review with the reviewer."""
    reviewer: str | None = None
    """The reviewing clinician as named, with credentials."""
    requested: list[RequestedService] = Field(default_factory=list)
    """Every code the request covers, with units and modifiers, in the letter's order."""
    plan_sponsor: str | None = None
    """The employer or group plan the insurer administers, when the letter names one apart
    from the insurer (e.g. 'Larkspur Foods, Inc. Employee Health Plan')."""
    policy: str | None = Field(default=None, max_length=300)
    """The payer's policy or guideline id as cited, e.g. 'Medical Policy BH-311'."""
    policy_section: str | None = Field(default=None, max_length=100)
    """The section of that policy, e.g. '4.2'."""
    peer_to_peer_phone: str | None = None
    """The number the letter gives for a peer-to-peer review."""
    peer_to_peer_window: str | None = Field(default=None, max_length=200)
    """How long the peer-to-peer review is open, verbatim ('within 14 calendar days')."""
    appeal_address: str | None = Field(default=None, max_length=300)
    """Where a written appeal goes, verbatim."""
    appeal_fax: str | None = None
    """The fax number for appeals."""
    appeal_portal: str | None = Field(default=None, max_length=200)
    """Where an appeal may be filed online, verbatim ('www.plan.example/appeals', 'the provider
    portal')."""
    appeal_window: str | None = Field(default=None, max_length=200)
    """The notice's own appeal clock in its words ('within 180 days after you receive this
    notice', 'by December 3, 2026'): the sentence ``appeal_deadline`` was counted from."""
    expedited_route: str | None = Field(default=None, max_length=200)
    """The phone number the letter gives for an expedited appeal."""
    expedited_fax: str | None = None
    """The fax number the letter gives for an expedited appeal, when it is not the standard
    appeal's ('Fast appeal: Phone ... Fax ...')."""
    service_start: dt.date | None = None
    """First day of the requested service or authorization period."""
    service_end: dt.date | None = None
    """Last day of the requested service or authorization period."""
    level_of_care: str | None = Field(default=None, max_length=120)
    """The level of care requested, as the letter names it ('partial hospitalization')."""
    preferred_alternatives: list[str] = Field(default_factory=list)
    """The preferred (formulary) alternatives the payer names, each verbatim ('FASENRA
    (benralizumab)'); they are the payer's suggestions, not criteria."""
    records_reviewed: list[str] = Field(default_factory=list)
    """The records the notice says the reviewer had ('We reviewed: ...', 'Documents considered',
    'Information used in this decision'), each verbatim ('the echocardiogram report of
    09/12/2026'): the letter never says the reviewer lacked one of them, and encloses as new
    only records not among them."""
    records_through: dt.date | None = None
    """The last day the records the reviewer had reach ('therapy notes through 09/24/2026',
    'flowsheets 11/05-11/10'): what happened after it the reviewer could not weigh."""
    appeal_level: AppealLevel | None = None
    """Which decision the notice is (a first denial, an internal appeal's decision with another
    internal level offered, the plan's final internal decision); None when it does not say."""
    next_level_due: dt.date | None = None
    """For the plan's final internal decision, the last day to file the next level (external
    review, the IRE, OPM) counted from the notice by the plan type's rule: a date the letter
    may state though the notice gives only the window ('within 4 months')."""
    service_change: ServiceChange | None = None
    """The reduction or termination of a service already authorized, when the notice is one."""
    increase: ServiceIncrease | None = None
    """An increase of a service already authorized that the notice approved only in part: not
    a reduction (``service_change`` is None then)."""
    ground: DenialGround | None = None
    """The notice's ground when it is not a list of criteria (network adequacy, site of care,
    a benefit exclusion, a level of care, an administrative rule); criteria stay empty then."""
    items: list[DenialItem] = Field(default_factory=list)
    """The items a notice decides one by one (an item table, parts headed per item, a claim's
    lines), in its order, approved ones too; empty for a notice of one item."""
    warnings: list[str] = Field(default_factory=list)
    """What the reader should check in this reading, naming the place in the letter and never
    its text (e.g. 'line 14: text addressed to a model, in a table cell, was read as data')."""


class RulesReading(BaseModel):
    """What the deterministic rules read of the letter's categories and criteria
    (``criteria_rules``), from extraction's one reading of its text."""

    categories: list[DenialCategory] = Field(default_factory=list)
    """The denial categories, primary first (``criteria_rules.find_categories``)."""
    criteria: list[Criterion] = Field(default_factory=list)
    """The criteria the payer cites, without their requirement trees (extraction's provenance
    check reads every engine's) (``criteria_rules.read_criteria``)."""


# --------------------------------------------------------------------------- case facts


def _plausible_date(day: dt.date) -> dt.date:
    if not 1900 <= day.year <= 2199:
        raise ValueError("not a plausible date (a year between 1900 and 2199)")
    return day


_NOT_PLAIN = re.compile(r"[^\x20-\x7e\n]")
"""A character normalization may change (anything but printable ASCII and newlines)."""


def _written_date(value: object) -> object:
    """A date field written as physicians write dates ('11/02/2026', 'November 2, 2026',
    '2 Nov 2026'), read as that date once, here; anything else is left to the date parser
    (which refuses what is no date)."""
    if isinstance(value, str) and (day := written_date(value)) is not None:
        return day
    return value


CaseDate = Annotated[dt.date, BeforeValidator(_written_date), AfterValidator(_plausible_date)]
"""A date of the case file, in any written form (US month first): year 1 or 9999 is a typo."""


def _birth_date(day: dt.date | None) -> dt.date | None:
    if day is not None and day > dt.date.today():
        raise ValueError("the date of birth is in the future")
    return day


class Patient(Strict):
    """Who the letter is for."""

    name: str | None = None
    date_of_birth: Annotated[CaseDate | None, AfterValidator(_birth_date)] = None
    member_id: str | None = None


class Physician(Strict):
    """Who signs the letter."""

    name: str | None = None
    credentials: str | None = None
    """Degrees and board certification, e.g. 'MD, FAPA'."""
    specialty: str | None = None
    npi: str | None = None
    """National Provider Identifier: 10 digits with a Luhn check digit."""
    license: str | None = None
    """State licence, e.g. 'WA MD60412345'."""
    practice_name: str | None = None
    address: str | None = None
    phone: str | None = None
    """Direct number offered for the peer-to-peer review."""
    fax: str | None = None


class Diagnosis(Strict):
    code: str
    """ICD-10-CM code."""
    description: str | None = None


_SERVICE_CODE_RE = re.compile(
    r"(?<![0-9A-Za-z])(?:[A-Va-v]\d{4}|\d{4}[0-9FTUftu]|0\d{3})(?![0-9A-Za-z])"
)
_NO_CODE_RE = re.compile(r"\bpharmacy\b|\bno (?:cpt|hcpcs|code)\b|\bndc\b", re.IGNORECASE)
_NDC_RE = re.compile(r"(?<![\w-])\d{4,5}-\d{3,4}-\d{1,2}(?![\w-])")
"""A National Drug Code in its labeler-product-package form ('0002-2506-80', '00002-2506-80'):
its first part is not a revenue code."""


class Service(Strict):
    code: str | None = None
    """CPT, HCPCS or UB-04 revenue code (the first, when the office wrote several)."""
    additional_codes: list[str] = Field(default_factory=list)
    """Further codes requested with it (from 'HCPCS S0013; G2082; G2083')."""
    description: str | None = None
    details: str | None = None
    """Quantity, schedule or setting, e.g. '36 sessions over 6 weeks'."""

    @model_validator(mode="before")
    @classmethod
    def _codes_as_written(cls, data: object) -> object:
        """Offices write 'CPT 27130', 'HCPCS S0013; G2082; G2083' or 'Pharmacy benefit (no
        HCPCS) - Dupixent': the codes are read out of the field (the first is the code, the rest
        additional codes); a pharmacy-benefit note with no code moves to the details."""
        if not isinstance(data, dict) or not isinstance(data.get("code"), str):
            return data
        written = data["code"].strip()
        codes_only = _NDC_RE.sub(" ", written)
        found = list(dict.fromkeys(c.upper() for c in _SERVICE_CODE_RE.findall(codes_only)))
        if found and written.upper() != found[0]:
            extra = [c for c in data.get("additional_codes") or [] if c not in found]
            return {**data, "code": found[0], "additional_codes": [*found[1:], *extra]}
        if not found and _NO_CODE_RE.search(written):
            details = data.get("details")
            if not (isinstance(details, str) and written in details):
                details = f"{written}; {details}" if details else written
            return {**data, "code": None, "details": details}
        return data

    @property
    def codes(self) -> list[str]:
        """Every code the case requests: the code, then the additional codes."""
        return [c for c in (self.code, *self.additional_codes) if c]


_STOPPED_RE = re.compile(
    r"\b(?:stop|stopped|discontinu\w*|ceased|ended|completed|finished|switched|withdrawn)\b",
    re.IGNORECASE,
)

_ONGOING_RE = re.compile(
    r"\b(?:ongoing|continu\w*|current(?:ly)?|still|to date|to present|active)\b", re.IGNORECASE
)

TreatmentKind = Literal["medication", "therapy", "procedure", "device", "other"]


class PriorTreatment(Strict):
    """A treatment tried before the requested service."""

    name: str
    kind: TreatmentKind = "other"
    dose: str | None = None
    """Amount with unit, e.g. '200 mg'."""
    frequency: str | None = None
    start: CaseDate | None = None
    end: CaseDate | None = None
    duration: str | None = None
    """Free-text duration, e.g. '14 weeks', when start and end are not both known."""
    outcome: str | None = None
    outcome_measure: str | None = None
    """An objective measure of the outcome, e.g. 'PHQ-9 22 -> 19'."""

    @property
    def ongoing(self) -> bool:
        """Started, with no end date, and the outcome says it goes on ('Ongoing; ...', 'still
        taking'): the trial runs to the letter's date. A start alone is not enough (the end may
        simply be missing)."""
        if not self.start or self.end:
            return False
        said = f"{self.outcome or ''} {self.duration or ''}"
        return bool(_ONGOING_RE.search(said)) and not _STOPPED_RE.search(said)

    @model_validator(mode="after")
    def _ends_after_start(self) -> PriorTreatment:
        if self.start and self.end and self.end < self.start:
            raise ValueError("the treatment ends before it starts (end is before start)")
        return self


FindingKind = Literal["rating_scale", "lab", "imaging", "exam", "vital", "other"]


class Finding(Strict):
    """An objective finding: a rating scale score, a lab, an imaging result."""

    kind: FindingKind = "other"
    name: str
    value: str
    date: CaseDate | None = None
    interpretation: str | None = None


class CaseDocument(Strict):
    """A record enclosed with the appeal (listed under Enclosures)."""

    title: str = Field(min_length=1, max_length=300)
    """What the record is, e.g. 'Progress notes, five antidepressant trials'."""
    date: CaseDate | None = None
    """Its date, or the first date it covers."""
    end: CaseDate | None = None
    """The last date it covers, for a record spanning a period."""


class Concession(Strict):
    """A criterion (or one requirement of it) the physician does not dispute."""

    criterion: int = Field(ge=1)
    """Criterion number, from 1, in the denial's order."""
    requirement: int | None = Field(default=None, ge=1)
    """Requirement number within the criterion, from 1 (None: the whole criterion)."""
    reason: str | None = Field(default=None, max_length=500)


class CaseCitation(Strict):
    """A source the physician cites for this patient (cited before any corpus passage)."""

    issuing_body: str = Field(min_length=1, max_length=200)
    """Who issued it, e.g. 'American Gastroenterological Association'."""
    title: str = Field(min_length=1, max_length=300)
    year: str = Field(min_length=1, max_length=40)
    """Year or version, e.g. '2020' or 'version 2.2024'."""
    recommendation: str = Field(min_length=1, max_length=1500)
    """What the source recommends, in the physician's words."""
    section: str | None = Field(default=None, max_length=200)
    quote: str | None = Field(default=None, max_length=1500)
    """An exact quotation, when the physician gives one."""
    url: str | None = Field(default=None, max_length=500)


class CaseFacts(Strict):
    """What the advocate knows about the case, from the physician's records."""

    patient: Patient = Field(default_factory=Patient)
    claim_reference: str | None = None
    """The claim, case or authorization number of the denial."""
    insurer: str | None = None
    physician: Physician = Field(default_factory=Physician)
    diagnoses: list[Diagnosis] = Field(default_factory=list)
    """Primary first."""
    service: Service = Field(default_factory=Service)
    clinical_summary: str | None = None
    prior_treatments: list[PriorTreatment] = Field(default_factory=list)
    objective_findings: list[Finding] = Field(default_factory=list)
    consequences_of_denial: str | None = None
    urgency: Literal["standard", "expedited"] = "standard"
    urgency_reason: str | None = None
    documents: list[CaseDocument] = Field(default_factory=list)
    """Records enclosed with the appeal, in the order to list them."""
    conceded: list[Concession] = Field(default_factory=list)
    """Criteria or requirements the physician concedes (the letter asks for an exception)."""
    citations: list[CaseCitation] = Field(default_factory=list, max_length=10)
    """The physician's own sources, cited as supplied before any corpus passage."""

    @model_validator(mode="before")
    @classmethod
    def _normalized(cls, data: object) -> object:
        """Every string normalized once, here, at the boundary (file, web or JSON draft): no
        NUL, bidi override or zero-width character, restyled letters and digits folded
        (``pipeline.text.clean.normalize_text``); what the letter and the checks read is clean."""

        def clean(value: object) -> object:
            if isinstance(value, str):
                return normalize_text(value) if _NOT_PLAIN.search(value) else value
            if isinstance(value, dict):
                return {k: clean(v) for k, v in value.items()}
            if isinstance(value, list):
                return [clean(v) for v in value]
            return value

        return clean(data) if isinstance(data, dict) else data


# --------------------------------------------------------------------------- retrieve


PassageKind = Literal["guideline", "regulation", "coverage_policy", "argument"]


class Population(StrEnum):
    """The patients a guideline or an indication is written for (``pipeline/populations.yaml``
    gives each its ages and the words that name it)."""

    infants = "infants"
    children = "children"
    adolescents = "adolescents"
    pediatric = "pediatric"
    adults = "adults"
    older_adults = "older_adults"
    pregnancy = "pregnancy"
    all = "all"
    """Written for every patient: the passage's words name a population only in passing."""


class TherapyStep(StrEnum):
    """Where in a course of treatment a request or a recommendation stands
    (``pipeline/therapy_steps.yaml``): a guideline on starting a drug answers no request to
    intensify its dose."""

    initiation = "initiation"
    """Starting the treatment (induction, a first course, a new start)."""
    dose_intensification = "dose_intensification"
    """A higher dose or a shorter interval of a treatment already given."""
    switch = "switch"
    """Changing to another agent after the one given failed or was not tolerated."""
    continuation = "continuation"
    """Going on with a treatment already given at its dose (maintenance, re-authorization)."""


class ServiceKind(StrEnum):
    """What kind of care a service is: a passage recommending one kind (referral for surgery)
    is no support for a request of another (a stimulator trial, a drug)."""

    drug = "drug"
    procedure = "procedure"
    device = "device"
    imaging = "imaging"
    test = "test"
    level_of_care = "level_of_care"
    therapy = "therapy"


class Stance(StrEnum):
    """The direction of a passage's position on the care it is about (its services and
    treatments, for its population)."""

    for_ = "for"
    """It recommends, suggests, rates appropriate, covers or approves the care."""
    against = "against"
    """It recommends against the care, rates it not appropriate, finds it ineffective or does
    not cover it (a USPSTF Grade D, an ACR 'Usually Not Appropriate'): never support for a
    request, whatever its condition."""


class Applicability(StrEnum):
    """A fact about the patient or the care that a regulation needs before it applies
    (``pipeline.relevance`` decides each one)."""

    behavioral_health = "behavioral_health"
    """A mental-health or substance-use diagnosis (ICD-10-CM chapter F): parity law."""
    malignancy = "malignancy"
    """A cancer diagnosis (ICD-10-CM C00-C96, carcinoma in situ D00-D09, a history of cancer
    Z85, radiotherapy or chemotherapy Z51.0-Z51.1): a passage about cancer in general, which
    names no one cancer (a whole chapter is never a passage's condition)."""
    under_21 = "under_21"
    """A patient under 21 on the letter's date: Medicaid EPSDT."""
    emergency_or_out_of_network = "emergency_or_out_of_network"
    """Emergency care or care out of network: the No Surprises Act."""
    emergency = "emergency"
    """Emergency care (an emergency department visit or emergency services): the
    prudent-layperson emergency-coverage rules, which say nothing about elective care out of
    network."""
    preventive_service = "preventive_service"
    """The requested service is preventive (screening, immunization, preventive medication
    or counseling): the ACA's no-cost preventive services rule."""
    obstetric_gynecological = "obstetric_gynecological"
    """Obstetric or gynecological care: the ACA's direct access to OB/GYN care."""
    california = "california"
    """A California-regulated plan or a California patient or practice: Knox-Keene law."""
    fehb = "fehb"
    """A Federal Employees Health Benefits plan: OPM's disputed claims rules (5 CFR 890)."""
    not_fehb = "not_fehb"
    """Not an FEHB plan: the ACA's group-plan appeal rules (42 U.S.C. 300gg-19, 45 CFR
    147.136) reach non-federal governmental plans, never an FEHB plan."""
    clinical_trial = "clinical_trial"
    """The requested care is given within a clinical trial or a registry the patient is enrolled
    in: a guideline's coverage-with-evidence-development pathway (ASTRO's Group 2 for proton
    therapy: covered in an IRB-approved trial or registry) supports only such a request, and
    cited for a request the plan must cover on its standard criteria it undercuts the appeal."""


class PassageReading(BaseModel):
    """A passage as the drafter reads it (``pipeline.positions.read``): computed once when the
    corpus is loaded (stored with the index build) or a physician's source is made, and carried
    on the passage (:attr:`Passage.reading`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stated: tuple[str, ...] = ()
    """Its sentences that state a position on care, recommending ones first, then those stating
    the care's standing (``reasoning.fit.position`` states the first)."""
    words: frozenset[str] = frozenset()
    """The content words of its text and section (``text.tokens.content_words``): what a
    criterion's topic words are counted in (``reasoning.fit.overlap``)."""

    @field_serializer("words")
    def _sorted(self, words: frozenset[str]) -> list[str]:
        """In a stable order (a set's order changes from process to process)."""
        return sorted(words)


class Passage(BaseModel):
    """A citable passage of the corpus with its citation metadata."""

    model_config = ConfigDict(extra="forbid")

    id: str
    kind: PassageKind
    issuing_body: str
    short_body: str
    """Acronym used in citations: ACR, NCCN, ACC/AHA, CMS ..."""
    title: str
    version: str | None = None
    year: int
    section: str
    recommendation: str | None = None
    """Class, category, strength or rating exactly as the source grades it."""
    text: str
    specialty: str
    services: list[str] = Field(default_factory=list)
    """CPT/HCPCS codes the passage supports."""
    conditions: list[str] = Field(default_factory=list)
    """ICD-10-CM prefixes, dotless upper case."""
    treatments: list[str] = Field(default_factory=list)
    """Lower-case names of the treatment a passage is about (a drug's label, a device's or
    procedure's coverage policy): it fits only when the requested service is one of them
    (named in its description, or one of ``services`` requested)."""
    indication: bool = False
    """The passage states one approved indication of its treatment, with its population (an
    FDA label's "indicated for"): it fits only when the condition the request treats is that
    indication (``conditions``), never by a comorbidity or by another indication of the drug."""
    min_age: int | None = Field(default=None, ge=0)
    """The youngest age, in years, an indication's population covers ('adults': 18; 'pediatric
    patients 12 years and older': 12); None when the passage does not say."""
    max_age: int | None = Field(default=None, ge=0)
    """The oldest age, in years, the passage's population covers ('pediatric patients 6 to 17
    years of age': 17); None when the passage does not say."""
    population: list[Population] = Field(default_factory=list)
    """Whom the passage is written for (infants, children, adults, pregnancy ...): it fits a
    patient only inside one of them. Empty: derived from the passage's own words when they
    name one (``pipeline.populations``), else every patient."""
    steps: list[TherapyStep] = Field(default_factory=list)
    """The steps of treatment the passage's recommendation is about (starting a drug, its dose
    intensification, a switch, continuation): it fits only a request at a step one of them
    answers (``pipeline.therapy_steps``). Empty: not restricted."""
    purpose: list[ServiceKind] = Field(default_factory=list)
    """The kinds of care the passage recommends (drug, procedure, device ...): it fits only a
    request of one of these kinds. Empty: not restricted (a passage on diagnosis or severity)."""
    stance: Stance | None = None
    """The direction of the passage's position on the care it is about: ``against`` is never
    offered or cited as support (``pipeline.relevance``). None: not stated, taken as ``for``,
    or read from the source's grade (``pipeline/stances.yaml``) when the loader finds one."""
    not_for: list[str] = Field(default_factory=list)
    """Care a passage that recommends other care advises against (lower-case names, matched as
    whole words of the requested service like ``treatments``, or CPT/HCPCS codes): it is no
    support for a request of one of them (a sciatica guideline recommending NSAIDs and advising
    against gabapentinoids is no reference for pregabalin)."""
    categories: list[DenialCategory] = Field(default_factory=list)
    questions: list[GroundKind] = Field(default_factory=list)
    """The dispute the passage answers when it is not whether the care is indicated:
    ``site_of_care`` for where and how a treatment is safely given (a society's statement on
    home infusion, a label's supervision and monitoring requirements). Such a passage is
    offered only for a notice disputing that question, and under such a notice only such
    passages are cited (an efficacy guideline answers nothing of where a drug is given).
    Empty: the passage is about whether the care is indicated."""
    superseded_by: str | None = None
    """The id pattern (``fnmatch``) of the newer passages of the same body on the same topic
    that replace this one (the 2009 AASLD hepatitis C guideline by the AASLD/IDSA HCV
    guidance): it is never offered (``lmn corpus check`` holds the pattern to naming a passage
    of the corpus), so a letter cites the current guidance or none."""
    plan_types: list[PlanType] = Field(default_factory=list)
    """Plan types the passage applies to (a regulation, or a payer's own rule such as
    Medicare's KX-modifier threshold); empty means all."""
    applies_if: list[Applicability] = Field(default_factory=list)
    """Facts about the patient or care that must all hold before the passage applies."""
    keywords: list[str] = Field(default_factory=list)
    url: str
    license: str
    verified: bool = False
    verified_against: str | None = None
    supplied_by_physician: bool = False
    """A source from the case file's ``citations``, rendered as the physician supplied it."""
    file: str = ""
    """Corpus file the passage came from, relative to the corpus root."""
    reading: PassageReading | None = None
    """Its text and section as the drafter reads them, read once: by the corpus loader (and so
    stored with the index build) and for a physician's source where it is made
    (``pipeline.positions``); never written in a corpus file. None: a passage made elsewhere,
    read where it is asked (``reasoning.fit.reading``)."""

    def locator(self) -> str:
        """Where in its source the passage is, short enough for an in-text citation: the
        section's numbered part ('Section 4', 'Recommendations 2-3', 'Variant 2', 'Key action
        statement 1'), or a label's indication section whole; '' when neither."""
        if self.indication and self.kind == "coverage_policy":
            return _CODES_IN_PARENS.sub("", self.section).strip()
        found = _LOCATOR.match(self.section)
        return found.group(0).rstrip(" ,:;") if found else ""

    def in_text(self) -> str:
        """'CANMAT 2016, Section 4, First-line; Level 1 evidence': body, year (with a short
        version), where in the source, and the grade, for the sentence that cites it."""
        when = str(self.year)
        if self.version and len(self.version) <= 12 and when not in self.version:
            when = f"{when} ({self.version})"
        where = self.locator()
        if not where and not self.recommendation:  # the section's head names where it is
            head = re.split(r"[:;(,]", self.section, maxsplit=1)[0].strip(" ,.")
            where = head if len(head) <= SHORT_SECTION else ""
        parts = [f"{self.short_body} {when}", where, self.recommendation or ""]
        return ", ".join(p for p in parts if p)

    def reference(self) -> str:
        """The citation as rendered in a letter: body, title, version/year, section, class."""
        if not self.version:
            edition = str(self.year)
        elif not self.year or str(self.year) in self.version:
            edition = self.version
        else:
            edition = f"{self.version}, {self.year}"
        where = f" {self.section}." if self.section else ""
        parts = [f"{self.issuing_body}. {self.title}. {edition}.{where}"]
        if self.recommendation:
            parts.append(f"Recommendation: {self.recommendation}.")
        if self.supplied_by_physician:
            parts.append(f"{self.url}." if self.url.startswith("http") else "")
            parts.append("(Source supplied by the treating physician.)")
        return " ".join(p for p in parts if p)


_LOCATOR = re.compile(
    r"^(?:Section|Sections|Recommendations?|Variants?|Chapter|Key action statements?|"
    r"Action statements?|Statement|Table|Part|Question|Group|Level [ABC1-4]|NCD)\s+"
    r"(?:\d[\w.]*|[A-Z]\b|[IVX]+\b)(?:\s*(?:-|–|and|,)\s*(?:\d[\w.]*|[A-Z]\b|[IVX]+\b))*"
)
"""The numbered part at the head of a section: where a reader finds the passage."""
_CODES_IN_PARENS = re.compile(
    r"\s*\((?:[A-Z]\d[0-9A-Z]{1,2}(?:\.?[0-9A-Z]{1,4})?(?:,\s*|\s+or\s+)?)+\)"
)
"""ICD-10-CM codes a heading gives in parentheses ('Iron deficiency anemia (D50)'): the
importer's index, not a place in the source; a letter's sentence states the patient's codes
only, and a category set beside them reads as another diagnosis."""
SHORT_SECTION = 64
"""Longest section head an in-text citation gives when the section has no numbered part."""


class RetrievedPassage(BaseModel):
    """A passage retrieved for one letter, with its rank and score."""

    passage: Passage
    score: float
    """Higher is better: vector similarity plus metadata boosts."""
    rank: int
    criteria: list[int] = Field(default_factory=list)
    """Indices of the analysis's criteria this passage was retrieved for (empty: general)."""


# --------------------------------------------------------------------------- verdicts

VerdictStatus = Literal["met", "not_met", "unknown"]


class RequirementVerdict(BaseModel):
    """The computed answer to one requirement."""

    requirement: Requirement
    status: VerdictStatus
    required: str
    """The requirement in words: 'at least 4 antidepressant trials'."""
    found: str
    """The patient's value in words: '5 (sertraline, escitalopram, ...)'."""
    value: float | None = None
    """The patient's value as a number, when it has one."""
    evidence: list[str] = Field(default_factory=list)
    """Case-file paths of the facts the verdict rests on."""
    field: str | None = None
    """The case field that would answer it, when it is not met or unknown."""
    conceded: bool = False
    payer_met: bool = False
    """The payer's own finding grants this part ('a 4-month CPAP trial is documented'): it is
    met per the plan's finding, stated as such and not argued (``found`` quotes the finding)."""
    confirm: bool = False
    """Unknown to the code, but a sentence or record of the case plausibly answers it (``found``
    quotes it, ``evidence`` names it): the letter states it and the physician confirms it before
    signing, instead of calling the requirement not shown."""
    pending: bool = False
    """The test or record it asks for is ordered, scheduled or awaiting its result (``found``
    says so, ``evidence`` names the fact): not met, and never claimed; the letter says when it
    is due and asks for approval on condition of its result."""

    @property
    def numeric(self) -> bool:
        return self.requirement.value is not None and self.requirement.comparator is not None

    @property
    def comparison(self) -> str:
        """'The plan requires at least 4 antidepressant trials; the record shows 5 failed
        trials, which meets it.' (``comparison_sentence``)."""
        if self.payer_met:
            return (
                f"{COMPARISON_LEAD}{self.required}; your reviewer found this part met "
                f"({self.found}), and I do not argue it further."
            )
        if self.pending:
            return (
                f"{COMPARISON_LEAD}{self.required}; this is still pending ({self.found}), so I "
                "do not state its result: I will send it as soon as it is available, and I ask "
                "that you approve on condition of it rather than deny."
            )
        if self.confirm and self.status == "unknown":
            quoted = _SUMMARY_QUOTE_RE.match(self.found)
            if quoted:  # 'my clinical summary states “...”', not a 'clinical summary:' label
                return f"{COMPARISON_LEAD}{self.required}; my clinical summary states {quoted[1]}."
            return f"{COMPARISON_LEAD}{self.required}; the record states: {self.found}."
        return comparison_sentence(self.required, self.found, self.status, self.requirement.unit)


COMPARISON_LEAD = "The plan requires "
COMPARISON_RESULT = {
    "met": "which meets it",
    "not_met": "which does not meet it",
    "unknown": "the record does not show it",
}
"""How a comparison sentence states its verdict (the validator reads these words back)."""
_LONGEST_RE = re.compile(r"^longest (\d[\d.]* \w+)")
_SHORTEST_RE = re.compile(r"^all (\d+), shortest (\d[\d.]* \w+)")
_BARE_COUNT_RE = re.compile(r"^(\d+) (failed|not tolerated|failed or not tolerated)$")


_SUMMARY_QUOTE_RE = re.compile(r"^clinical summary: (“[^”]*”)$")
_ENCLOSED_RE = re.compile(
    r"^enclosed record: (?P<title>.+?)(?:, (?P<date>[A-Z][a-z]+ \d{1,2}, \d{4}))?$"
)
_SENTENCE_FOUND_RE = re.compile(r"^(?:The|A|An|His|Her|Their) [a-z]")
_SOURCE_QUOTE_RE = re.compile(r"\(clinical summary: “(?P<quote>[^”]*)”\)")
"""A value's source quoted from the summary: '52 mmHg (clinical summary: “47-year-old ...”)'."""
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
_NAME_AGAIN_RE = re.compile(r"^(?P<name>[A-Z][^()]{2,80}?) (?P<rest>[^()]*) \((?P=name)\)$")
"""A record named again as the source of its own value: 'Serum sodium 116 on November 12,
2026 (Serum sodium)'."""


def _source_quoted(m: re.Match[str]) -> str:
    """'(my clinical summary: “...”)' when the quoted words hold the value stated before them,
    else '(my clinical summary)': a clipped sentence that never reaches the value is no source
    a reviewer can check, only the record's opening words quoted again."""
    before = m.string[: m.start()]
    numbers = _NUMBER_RE.findall(before)
    if numbers and numbers[0] not in m["quote"]:
        return "(my clinical summary)"
    return f"(my clinical summary: “{m['quote']}”)"


def found_words(found: str) -> str:
    """The patient's value as the words after 'the record shows': a quoted summary sentence
    with its source after it ('“...” (my clinical summary)'), an enclosed record by its title
    and date ('the enclosed Psychological evaluation of September 15, 2026'), a sentence of the
    case as a clause ('that the plan of care was updated ...'), never a 'clinical summary:' or
    'enclosed record:' label or a sentence's capital and period inside the sentence."""
    quoted = _SUMMARY_QUOTE_RE.match(found)
    if quoted:
        return f"{quoted[1]} (my clinical summary)"
    enclosed = _ENCLOSED_RE.match(found)
    if enclosed:
        when = f" of {enclosed['date']}" if enclosed["date"] else ""
        return f"the enclosed {enclosed['title']}{when}"
    found = _SOURCE_QUOTE_RE.sub(_source_quoted, found)
    found = _NAME_AGAIN_RE.sub(r"\g<name> \g<rest>", found)
    if _SENTENCE_FOUND_RE.match(found):
        found = "that " + found[:1].lower() + found[1:].rstrip(".")
    return found.rstrip(".") if found.endswith(".") and not found.endswith("..") else found


def comparison_sentence(
    required: str, found: str, status: VerdictStatus, unit: str | None = None
) -> str:
    """One sentence naming the requirement in words, the patient's value with its date, and the
    result: 'The plan requires at least 3 months of nonoperative management; the record shows
    8.4 months continuous, February 9, 2026 to October 22, 2026 (255 days), which meets it.'
    An unknown one says the record does not show it (with what was looked for, when stated)."""
    bare = _BARE_COUNT_RE.match(found)
    if bare and unit:  # '3 failed' -> '3 failed trials'
        noun = unit if bare.group(1) != "1" or not unit.endswith("s") else unit[:-1]
        found = f"{bare.group(1)} {bare.group(2)} {noun}"
    found = _LONGEST_RE.sub(r"courses of up to \1", found)  # 'longest 11.6 months (...)'
    found = _SHORTEST_RE.sub(r"all \1 courses, the shortest \2", found)
    found = found.replace("all 2 courses", "both courses")
    found = found_words(found)
    if status == "unknown":
        said = "" if found.strip().lower() in ("", "not shown") else f" ({found})"
        return f"{COMPARISON_LEAD}{required}; {COMPARISON_RESULT['unknown']}{said}."
    return f"{COMPARISON_LEAD}{required}; the record shows {found}, {COMPARISON_RESULT[status]}."


class CriterionVerdict(BaseModel):
    """The computed answer to one criterion."""

    index: int
    criterion: Criterion
    status: VerdictStatus
    requirements: list[RequirementVerdict] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    """Every fact that bears on the criterion, in the case file's order."""
    payer_met: bool = False
    """The payer called it met: it is not argued."""
    conceded: bool = False
    """The physician concedes it (case file ``conceded``): the letter asks for an exception."""
    alternative: bool = False
    """The notice's criteria are alternatives and another one is met: this one is not relied
    on (not argued, no exception asked; the letter says in one line that it does not apply)."""
    group: CriterionGroup | None = None
    """The notice's group of alternatives this criterion belongs to, when enough of its members
    are met: a met member satisfies it (with the others met), an unmet one is not relied on."""
    not_applicable: str = ""
    """Why the criterion is for a population this patient is not in ('it is for continuation
    requests, and this is an initial request'): not met and not unmet; nothing is argued under
    it and the letter says why in one clause."""
    accepted: bool = False
    """The physician accepts it and revises the request to meet it (a conceded criterion whose
    reason says so): no exception is asked; the letter says the request is written to meet it."""


# --------------------------------------------------------------------------- draft & validate


_CASE_FIELD_RE = re.compile(
    r"^(?:patient|physician|service|prior_treatments|objective_findings|documents|diagnoses|"
    r"clinical_summary|consequences_of_denial|urgency_reason|claim_reference|insurer|citations)"
    r"\b"
)
"""A gap's field that is a path of the case file (not 'letter.<key>' nor 'criteria[n]')."""


class Gap(BaseModel):
    """A fact the letter needs that the inputs do not give."""

    field: str
    """Dotted path in the case file (or 'letter.<key>') that would fill it."""
    message: str
    placeholder: str
    """The bracketed text the draft shows in its place. A '[MISSING: ...]' marker for a case
    field names the field that fills it ('[MISSING: patient date of birth
    (patient.date_of_birth)]'), so whoever completes the draft knows where to add it."""

    @model_validator(mode="after")
    def _marker_names_its_field(self) -> Gap:
        marker = self.placeholder
        if (
            marker.startswith("[MISSING: ")
            and marker.endswith("]")
            and _CASE_FIELD_RE.match(self.field)
            and self.field not in marker
        ):
            self.placeholder = f"{marker[:-1]} ({self.field})]"
        return self


class CriterionArgument(Strict):
    """The answer to one cited criterion, as an engine writes it."""

    criterion_index: int = Field(ge=0)
    """Index into DenialAnalysis.criteria."""
    argument: str = Field(max_length=4000)
    """Markdown paragraph(s) with the case's evidence; cites passages as [n]."""
    passage_ids: list[str] = Field(default_factory=list, max_length=5)
    """Passages this argument cites, by id."""
    evidence: list[str] = Field(default_factory=list, max_length=20)
    """Case-file paths of the facts the argument relies on, e.g. 'prior_treatments[2]'."""


class Severity(StrEnum):
    error = "error"
    warning = "warning"


class ValidationFinding(BaseModel):
    """One problem the validator found."""

    code: str
    """Stable finding code, e.g. 'npi.invalid'."""
    severity: Severity
    message: str
    span: tuple[int, int] | None = None
    """Character offsets in the draft's Markdown, where one applies."""
    excerpt: str | None = None
    field: str | None = None
    """The case-file path that fixes it, e.g. 'prior_treatments[0].dose' (pipeline.fixes)."""
    section: str | None = None
    """The letter section its span falls in."""
    fix: str | None = None
    """What to write to fix it, addressed to the advocate."""


class ValidationReport(BaseModel):
    """The validator's verdict on a draft."""

    findings: list[ValidationFinding] = Field(default_factory=list)

    @property
    def errors(self) -> list[ValidationFinding]:
        return [f for f in self.findings if f.severity == Severity.error]

    @property
    def ok(self) -> bool:
        return not self.errors


NO_HOME = -1
"""The home of a passage most about a criterion the letter does not argue: no criterion."""


class Placement(BaseModel):
    """Where the template drafter states each retrieved clinical passage, worked out once per
    draft from the passages, the verdicts, the case and the plan type
    (``reasoning.argument.place``): the template drafter writes its sections on it (the offline
    engine's, and a model's sections that fall back to it), the draft carries it (sealed with
    its context) and the validator checks the letter's citations against it."""

    model_config = ConfigDict(extra="forbid")

    homes: dict[str, int] = Field(default_factory=dict)
    """Passage id -> the index of the argued criterion it is stated under, or :data:`NO_HOME`
    (stated under none: most about a criterion the letter does not argue); a fitting passage
    given no home may stand under any criterion it fits."""
    stated: dict[int, list[str]] = Field(default_factory=dict)
    """Criterion index -> the ids of the passages the template drafter states under it (at
    most one; none for a criterion it argues with no passage)."""
    fitting: dict[int, list[str]] = Field(default_factory=dict)
    """Criterion index -> the ids of the retrieved passages that fit it (``fit.fits``:
    retrieved for it and about what it asks, for this plan type): what a model's own section
    may cite."""


TEMPLATE_ENGINE = "offline"
"""The engine whose criteria sections are the template drafter's (``engines.offline``)."""


class RunInfo(BaseModel):
    """How a draft was made: engine, model, prompt versions."""

    engine: str
    model: str | None = None
    prompts: dict[str, str] = Field(default_factory=dict)
    """prompt id -> version@hash of what was sent."""
    created: dt.date
    """The date the draft was written (the letter's own date)."""
    fallback_sections: list[int] = Field(default_factory=list)
    """Criterion numbers (from 1) whose section the template drafter wrote because the model's
    sections still failed validation after the re-drafts (model engines only)."""
    criteria_source: Literal["model", "rules"] | None = None
    """Who found the criteria with a model engine: the model, or the offline rules when none of
    the model's criteria occur in the letter."""
    seal: str | None = None
    """HMAC of the draft's context (letter, case, analysis, passages, run) under this machine's
    key (``pipeline.seal``): a validator trusts a context only when the seal holds."""

    def templated(self, number: int) -> bool:
        """Criterion ``number``'s section (from 1) is the template drafter's: the offline
        engine wrote every section, a model engine those that fell back to it."""
        return self.engine == TEMPLATE_ENGINE or number in self.fallback_sections

    @property
    def any_templated(self) -> bool:
        """The template drafter wrote at least one criterion section of the letter."""
        return self.engine == TEMPLATE_ENGINE or bool(self.fallback_sections)


class Draft(BaseModel):
    """A drafted letter with everything needed to validate it again."""

    markdown: str
    analysis: DenialAnalysis
    case: CaseFacts
    passages: list[RetrievedPassage]
    """The passages retrieved for this draft; the only ones it may cite."""
    letter_text: str
    """The denial letter's normalized text (grounding source)."""
    gaps: list[Gap] = Field(default_factory=list)
    run: RunInfo
    verdicts: list[CriterionVerdict] | None = None
    """The verdicts the drafter computed from this context, sealed with it: the validator and
    the review reuse them only while the seal holds, else compute them from the analysis and
    the case (None: not recorded)."""
    placement: Placement | None = None
    """Where the template drafter states the passages (:class:`Placement`), computed with the
    verdicts and sealed with them: the validator checks the letter against it only while the
    seal holds, else works it out from the context (None: not recorded)."""
    validation: ValidationReport | None = None

    @property
    def is_draft(self) -> bool:
        """True when gaps are left and the letter is marked DRAFT."""
        return bool(self.gaps)


# --------------------------------------------------------------------------- appeal documents


class AppealFacts(BaseModel):
    """What an appeal document (request letter, escalation cover letter, fax cover sheet) must
    hold, worked out from the plan-type spec and the denial; the validator's appeal checks read
    it (``pipeline.validate.checks.appeal``)."""

    kind: Literal["request", "escalation", "fax_cover"]
    plan_type: PlanType
    identifiers: dict[str, str] = Field(default_factory=dict)
    """Label -> value the document must state ('Member ID' -> 'CMH774019226')."""
    law: list[str] = Field(default_factory=list)
    """Citations that fit the plan type; the document must cite at least one."""
    foreign_law: list[str] = Field(default_factory=list)
    """Citations of other plan types' law that the document must not cite."""
    deadlines: dict[str, dt.date] = Field(default_factory=dict)
    """Label -> the computed date the document must state."""
    dates: list[dt.date] = Field(default_factory=list)
    """Every other date the document may state (the notice, the final denial, its own date)."""
    phrases: dict[str, str] = Field(default_factory=dict)
    """Label -> a statement the document must make ('clock' -> 'does not stop')."""
    enclosures: list[str] = Field(default_factory=list)
    """What the enclosure list must name."""
