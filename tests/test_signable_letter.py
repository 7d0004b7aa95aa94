"""The letter as the signing physician reads it: an opening that says what is asked and which
criteria are met with their figures, one date style, no stock sentences, short whole table cells,
and no failure, intolerance or contraindication the case does not state (``claim.unsupported``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from pipeline import letter_format as lf
from pipeline.casefile import load_case
from pipeline.ingest import ingest
from pipeline.models import Draft
from pipeline.run import draft_letter
from pipeline.validate import FindingCode, validate_markdown

from .conftest import ROOT


def _draft(name: str) -> Draft:
    example = ROOT / "examples" / name
    return draft_letter(
        ingest(example / "letter.txt"),
        load_case(example / "case.yaml"),
        today=dt.date(2026, 12, 5),
        allow_gaps=True,
    )


@pytest.fixture(scope="module")
def tka() -> Draft:
    return _draft("tka-aca")


def _body(md: str) -> str:
    return md.split(lf.heading(lf.REFERENCES))[0]


def _opening(md: str) -> str:
    return lf.split_sections(md)[lf.IDENTIFICATION].split("\n\n")[0]


@pytest.mark.parametrize(
    ("found_met", "said"),
    [
        # each figure named with the criterion it meets ('criterion 2: ...')
        ({0}, ". He meets all four criteria your denial rests on (criterion 2: "),
        ({0, 1, 2, 3}, ". He meets criterion 5, the one your denial rests on:"),
    ],
)
def test_the_opening_counts_only_the_criteria_the_denial_rests_on(
    tka: Draft, found_met: set[int], said: str
) -> None:
    from pipeline.draft import compose
    from pipeline.engines.offline import OfflineEngine

    # criteria the notice found met are not counted among those the record meets: 'all five
    # criteria your notice cited' of a notice that found one met miscounts what is in dispute
    criteria = [
        c.model_copy(update={"payer_status": "met"}) if i in found_met else c
        for i, c in enumerate(tka.analysis.criteria)
    ]
    analysis = tka.analysis.model_copy(update={"criteria": criteria})
    draft = compose(tka.letter_text, analysis, tka.case, tka.passages, OfflineEngine(),
                    today=dt.date(2026, 12, 5), allow_gaps=True)  # fmt: skip
    opening = _opening(draft.markdown)
    assert said in opening
    assert "your notice cited" not in opening


def test_the_opening_says_what_is_asked_and_which_criteria_are_met_with_figures(
    tka: Draft,
) -> None:
    opening = _opening(tka.markdown)
    assert opening.startswith("I am Harold B. Lindqvist's treating physician")
    # what is asked, whole: the code, the diagnosis by name and code
    assert (
        "reverse your November 4, 2026 denial and approve CPT 27447 for unilateral primary "
        "osteoarthritis, right knee (ICD-10-CM M17.11)." in opening
    )
    # named once, then by the pronoun the physician's own text uses ('his right knee')
    assert ". He meets all five criteria your notice cited" in opening
    # the figures are the computed verdicts'; their thresholds are the table's, just below
    assert "8.4 months of nonoperative management;" in opening
    assert "required)" not in opening
    # the consequences of denial are stated once, in their own section, not also in the
    # opening as a label ('If the denial stands: ...')
    assert "If the denial stands" not in opening
    assert "progressive loss of mobility" not in opening
    # the chart's list of harms, as the physician's sentence about the patient
    consequences = lf.split_sections(tka.markdown)[lf.CONSEQUENCES]
    assert consequences.startswith(
        "If this denial stands, he faces progressive loss of mobility and inability to work"
    )
    # (a name's middle initial, 'Harold B. Lindqvist', ends no sentence)
    assert 2 <= len(re.findall(r"(?<!\b[A-Z])[.!?](?:\s|$)", opening)) <= 4


def test_the_request_asks_for_every_code_with_its_units_and_the_period_once() -> None:
    md = _draft("tms-erisa").markdown
    opening = _opening(md)
    # the Request states the whole ask, for the patient and diagnosis, without a run of 'for'
    assert (
        "CPT 90867 × 1 and CPT 90868 × 35 (36 sessions) for Marisol T. Okafor, diagnosis F33.2, "
        "for dates of service October 26, 2026 to December 31, 2026."
        in lf.split_sections(md)[lf.REQUEST]
    )
    # the opening names every code denied; their units and period are not stated a second time
    asked = "approve CPT 90867 and CPT 90868 for major depressive disorder (ICD-10-CM F33.2)."
    assert asked in opening
    assert "36 sessions" not in opening and "October 26, 2026" not in opening


def test_the_clinical_summary_opens_with_a_sentence_about_the_patient(tka: Draft) -> None:
    summary = lf.split_sections(tka.markdown)[lf.CLINICAL_SUMMARY]
    assert summary.startswith("Mr. Lindqvist is a 63-year-old self-employed electrician")


def test_the_patient_is_named_again_when_the_physicians_text_uses_both_pronouns() -> None:
    from pipeline.draft import _Letter

    case = load_case(ROOT / "examples" / "tka-aca" / "case.yaml")
    letter = _Letter.__new__(_Letter)
    object.__setattr__(letter, "case", case)
    object.__setattr__(letter, "gaps", {})
    assert letter.again() == "he"
    both = case.model_copy(update={"clinical_summary": f"{case.clinical_summary} She drives him."})
    object.__setattr__(letter, "case", both)
    assert letter.pronoun is None and letter.again() == "Harold B. Lindqvist"


def test_a_consequences_sentence_is_left_as_the_physician_wrote_it() -> None:
    consequences = lf.split_sections(_draft("mri-lumbar-erisa").markdown)[lf.CONSEQUENCES]
    assert consequences.startswith("Without MRI the planned transforaminal")


def test_an_urgent_reason_is_given_once_and_expedited_review_asked_once() -> None:
    """The opening gives the case's urgency reason; the Request asks for expedited review in
    the law's words; the clinical summary does not say either a third time."""
    md = _draft("residential-psych-erisa").markdown
    sections = lf.split_sections(md)
    reason = "It is needed now: "
    assert reason in _opening(md)
    assert "expedit" in sections[lf.REQUEST].lower()
    assert "This request is urgent" not in sections[lf.CLINICAL_SUMMARY]


def test_the_opening_of_a_partly_conceded_appeal_says_so() -> None:
    opening = _opening(_draft("cpap-medicaid").markdown)
    # The notice labels its criteria A-C; the letter names them as the payer does.
    assert "I do not dispute criterion A and ask for an exception there." in opening
    assert "all three criteria" not in opening


def test_an_opening_with_open_criteria_names_the_met_ones_without_counting_against_itself() -> None:
    """'meets 3 of the 4 criteria' tells the reviewer the physician concedes the fourth; the
    opening names the criteria met by number and sets out the others below."""
    example = ROOT / "examples" / "adalimumab-state-employee"
    case = load_case(example / "case.yaml")
    # without its hydroxychloroquine and sulfasalazine trials, criterion 2 is open (the bundled
    # case answers it since the verdicts read 'used alone or in combination with methotrexate'
    # as no condition)
    kept = [t for t in case.prior_treatments if not t.name.startswith(("Hydroxy", "Sulfa"))]
    case = case.model_copy(update={"prior_treatments": kept})
    draft = draft_letter(
        ingest(example / "letter.txt"), case, today=dt.date(2026, 12, 5), allow_gaps=True
    )
    opening = _opening(draft.markdown)
    # each figure with the criterion it meets, never one figure after several criteria
    assert re.search(r"meets criteria 1, 3 and 4 \(criterion 1: [^;]+; criterion 3: ", opening), (
        opening
    )
    assert " of the 4 criteria" not in opening
    assert re.search(
        r"For criterion 2, I ask that you review the enclosed medication records? "
        r"\(Enclosures? [\d, and]+\) and the record set out below\.",
        opening,
    ), opening


def test_one_date_style_and_no_stock_sentences(tka: Draft) -> None:
    body = _body(tka.markdown)
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{4}\b", body)
    assert "December 8, 2026" in body  # the planned date of the service details, restyled
    for stock in ("Treatments that answer a criterion", "the record above", "otherwise"):
        assert stock not in body
    # every treatment is stated under its criterion: no Prior treatment section at all
    assert lf.heading(lf.PRIOR_TREATMENT) not in body


def test_the_patient_is_named_in_full_once_then_as_a_physician_writes_of_them(tka: Draft) -> None:
    """The full name heads the letter (the Re line, the identification table) and opens its
    prose once; after that the patient is 'Mr. Lindqvist' (the physician's own text says 'he'),
    not the full name in every sentence. No summary table restates the criteria up front."""
    body = _body(tka.markdown)
    prose = [ln for ln in body.splitlines() if not ln.startswith(("|", "Re:"))]
    assert sum(ln.count("Harold B. Lindqvist") for ln in prose) == 1
    assert "I am Harold B. Lindqvist's treating physician" in body
    assert "Mr. Lindqvist" in lf.split_sections(body)[lf.REQUEST]
    assert "| Plan requirement |" not in body


def test_a_reason_written_to_the_member_is_answered_not_quoted(tka: Draft) -> None:
    assert "Your reviewer noted" not in tka.markdown
    # the enclosure is named with what it documents, not as 'the records ... are enclosed'
    # (numbered first among the records: the one the reviewer did not have, session 36)
    assert (
        "KOOS JR and WOMAC are documented in the enclosed clinic note of October 22, 2026 "
        "(Enclosure 2), which your reviewer did not have." in tka.markdown
    )
    assert re.search(r"^2\. Clinic note of October 22, 2026: .* — criterion", tka.markdown, re.M)


def test_us_and_iso_dates_take_the_letter_style() -> None:
    text = "visits 11/02/2026-12/11/2026, started 2026-09-30, ref 13/45/2026"
    assert lf.one_date_style(text) == (
        "visits November 2, 2026 to December 11, 2026, started September 30, 2026, "
        "ref 13/45/2026"
    )
    # an ISO month is a month; an identifier or a range of years holding the digits is not
    text = "log (2025-08 to 2026-08), ref UM-2025-08-114, 2001-2016, FY2025-26, 2025-13"
    assert lf.one_date_style(text) == (
        "log (August 2025 to August 2026), ref UM-2025-08-114, 2001-2016, FY2025-26, 2025-13"
    )


# --------------------------------------------------------------------------- claim.unsupported


def _claims(draft: Draft, markdown: str) -> list[str]:
    report = validate_markdown(markdown, draft)
    return [f.excerpt or "" for f in report.findings if f.code == FindingCode.CLAIM_UNSUPPORTED]


def test_the_drafted_letter_asserts_nothing_the_case_does_not_state(tka: Draft) -> None:
    assert _claims(tka, tka.markdown) == []


def _add_to_consequences(md: str, sentence: str) -> str:
    head = lf.heading(lf.CONSEQUENCES) + "\n\n"
    return md.replace(head, head + sentence + " ", 1)


@pytest.mark.parametrize(
    "sentence",
    [
        # the case says naproxen caused dyspepsia and a creatinine rise, never 'contraindicated'
        "Hyaluronic acid injections are contraindicated for him.",
        "He could not tolerate the knee brace.",
        "The step is expected to be ineffective or harmful for this patient.",
    ],
)
def test_a_claim_no_case_fact_states_is_flagged(tka: Draft, sentence: str) -> None:
    assert _claims(tka, _add_to_consequences(tka.markdown, sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "There is no contraindication to surgery.",  # negated: asserts no contraindication
        "Triamcinolone injections failed to give lasting relief.",  # pain returned to NRS 8
        "Triamcinolone injections failed or were not tolerated.",  # one of the two holds
        # the case's own words
        "Continued reliance on NSAIDs that have already caused dyspepsia and a rise in creatinine.",
    ],
)
def test_a_claim_the_case_states_or_a_negation_passes(tka: Draft, sentence: str) -> None:
    assert _claims(tka, _add_to_consequences(tka.markdown, sentence)) == []


# --------------------------------------------------------------------------- guideline position


def test_a_passage_advising_how_to_write_a_request_or_only_defining_states_no_position() -> None:
    from pipeline.models import Passage
    from pipeline.reasoning.fit import position

    from .test_validate import _passages

    def passage(text: str) -> Passage:  # a guideline passage with only its words changed
        return _passages()[0].model_copy(update={"text": text})

    assert (
        position(passage("A letter should name the specific criterion the patient meets.")) is None
    )
    assert position(passage("CPAP is a technique that delivers air pressure by mask.")) is None
    said = position(
        passage(
            "The guideline advises against routine hyaluronic acid injection. A payer criterion "
            "that requires it should not be treated as a required step."
        )
    )
    assert said == "The guideline advises against routine hyaluronic acid injection."


def test_each_criterion_states_a_position_on_care_or_none(tka: Draft) -> None:
    criteria = lf.split_sections(tka.markdown)[lf.CRITERIA]
    lines = [ln for ln in criteria.splitlines() if ln.startswith("Guideline (")]
    assert lines and not any("letter should" in ln or "payer criterion" in ln for ln in lines)
    # the injection criterion cites what the guideline says of the injection the patient had,
    # never its recommendation against another injection (no support for the request)
    assert "advises against" not in criteria
    assert "intra-articular corticosteroid injection can provide short-term pain relief" in criteria


# --------------------------------------------------------------------------- voice and repetition


def test_the_signing_physician_is_named_in_the_first_person_in_case_text() -> None:
    draft = _draft("pt-visits-aca")
    body = _body(draft.markdown)
    signature = lf.split_sections(body)[lf.SIGNATURE]
    rest = body.replace(signature, "")
    assert "Dr. McAllister" not in rest  # the case's 'Signed 2026-10-29 by Dr. McAllister'
    assert "Signed October 29, 2026 by me" in rest
    assert "McAllister" in signature


def test_a_preferred_alternative_stated_under_a_criterion_is_not_repeated() -> None:
    md = _draft("semaglutide-aca").markdown
    sections = lf.split_sections(md)
    criteria = sections[lf.CRITERIA]
    # dulaglutide is stated in full under criterion 2, once, and not again in the table
    assert criteria.count("March 16, 2026 – October 19, 2026") == 1
    assert "Dulaglutide" not in sections[lf.PRIOR_TREATMENT]
    # criterion 1 is met by the contraindication route (eGFR 26), so metformin's course stays in
    # the table and the alternatives line points to it instead of stating it again
    alternatives = criteria.split("### Preferred alternatives your notice names", 1)[1]
    assert "Metformin" in alternatives and "prior-treatment table" in alternatives
    assert "June 1, 2015" not in alternatives and "Dulaglutide" not in alternatives


def test_the_peer_to_peer_line_and_my_number_are_not_run_together(tka: Draft) -> None:
    p2p = lf.split_sections(tka.markdown)[lf.PEER_TO_PEER]
    assert "1-800-555-0121" in p2p and "(970) 555-0131" in p2p
    # the sentence before offers the discussion: this one gives my number, not the offer again
    assert "can reach me at (970) 555-0131." in p2p
    assert p2p.count("peer-to-peer") == 1
    assert p2p.index("1-800-555-0121") < p2p.index("(970) 555-0131")


def test_the_opening_names_the_criteria_it_cannot_yet_show_in_words() -> None:
    from pipeline.models import Criterion

    numbered = [Criterion(text="abc") for _ in range(4)]
    names = lf.criterion_names(numbered)
    assert lf.named_list([names[1]]) == "criterion 2"
    assert lf.named_list([names[0], names[1]]) == "criteria 1 and 2"
    assert lf.named_list([names[0], names[2], names[3]]) == "criteria 1, 3 and 4"
    labelled = [Criterion(text="abc", label=x) for x in ("4.1", "4.2", "4.3")]
    assert lf.named_list(lf.criterion_names(labelled)[::2]) == "criteria 4.1 and 4.3"


def test_a_guideline_that_advises_against_the_plans_rule_is_said_to_be_less_strict() -> None:
    from pipeline.models import Criterion, CriterionVerdict
    from pipeline.reasoning.argument import stricter_sentence

    from .test_validate import _passages

    passage = _passages()[0].model_copy(
        update={
            "text": "The guideline finds that surgery relieves symptoms; it advises against "
            "requiring a long trial of conservative measures before surgery."
        }
    )
    criterion = Criterion(text="Conservative treatment for at least 3 months without relief")
    verdict = CriterionVerdict(index=0, criterion=criterion, status="not_met")
    assert stricter_sentence(verdict, passage) == "The plan's rule is stricter than this guideline."
    unrelated = CriterionVerdict(
        index=0, criterion=Criterion(text="Body mass index below 35"), status="met"
    )
    assert stricter_sentence(unrelated, passage) is None


def test_a_passage_without_the_words_of_a_looser_rule_is_not_scanned_sentence_by_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The sentence pattern (``[^.]*`` tried from every start, ~2 ms a passage) runs only on a
    passage that has one of its words; the sentence found is the same."""
    from pipeline.models import Criterion, CriterionVerdict
    from pipeline.reasoning import argument

    from .test_validate import _passages

    scanned: list[str] = []
    pattern = argument._NOT_REQUIRED_RE

    class Counting:
        def finditer(self, text: str) -> Any:
            scanned.append(text)
            return pattern.finditer(text)

    monkeypatch.setattr(argument, "_NOT_REQUIRED_RE", Counting())
    criterion = Criterion(text="Conservative treatment for at least 3 months without relief")
    verdict = CriterionVerdict(index=0, criterion=criterion, status="not_met")
    quiet = _passages()[0].model_copy(update={"text": "Surgery relieves symptoms. " * 40})
    assert argument.stricter_sentence(verdict, quiet) is None and scanned == []
    looser = quiet.model_copy(
        update={
            "text": "Surgery is recommended for severe disease. The guideline does not require "
            "conservative treatment."
        }
    )
    assert argument.stricter_sentence(verdict, looser) == (
        "The plan's rule is stricter than the guideline: the guideline does not require "
        "conservative treatment."
    )
    assert len(scanned) == 1


def test_a_provision_is_cited_where_the_letter_already_names_its_law(tka: Draft) -> None:
    """The retrieved provision's citation sits on the sentence that names its law, not in a
    sentence of its own saying the law again ('The provisions that govern this review
    include ...'); the reference is still listed."""
    legal = lf.split_sections(tka.markdown)[lf.LEGAL_BASIS]
    assert "The provisions that govern this review include" not in legal
    assert re.search(r"\(42 U\.S\.C\. 300gg-19[^)]*\) \[\d\]", legal), legal
    assert "usc-42-300gg-19" in tka.markdown.split(lf.heading(lf.REFERENCES))[1]


def test_the_request_names_a_long_described_service_by_its_code(tka: Draft) -> None:
    request = lf.split_sections(tka.markdown)[lf.REQUEST]
    assert request.startswith("I ask that you reverse the denial and approve CPT 27447 for ")
    assert "patella resurfacing" not in request  # stated once, under Requested service
    assert "patella resurfacing" in lf.split_sections(tka.markdown)[lf.REQUESTED_SERVICE]


def test_an_ongoing_treatment_says_ongoing_once() -> None:
    from pipeline.draft import _duration_cell
    from pipeline.models import PriorTreatment

    t = PriorTreatment(
        name="Metformin", kind="medication", start=dt.date(2018, 2, 1), duration="ongoing",
    )  # fmt: skip
    letter: Any = type("L", (), {"fill": lambda self, f, v: "", "gaps": {}})()
    assert _duration_cell(letter, 0, t) == "ongoing (since February 1, 2018)"
    t = t.model_copy(update={"duration": "ongoing since February 1, 2018"})
    assert _duration_cell(letter, 0, t) == "ongoing since February 1, 2018"


def test_an_enclosed_records_name_keeps_its_capitals() -> None:
    from pipeline.draft import _enclosure_phrase
    from pipeline.reasoning.enclosures import Enclosure

    def phrase(title: str) -> str:
        letter: Any = type(
            "L",
            (),
            {"enclosed": [Enclosure(title, frozenset(), frozenset())], "first_enclosure": 2},
        )()
        return _enclosure_phrase(letter, [2])

    assert phrase("Clinic note of October 22, 2026") == (
        "the enclosed clinic note of October 22, 2026 (Enclosure 2)"
    )
    assert phrase("Wound Healing Institute physician notes, October 27, 2026").startswith(
        "the enclosed Wound Healing Institute physician notes"
    )
    # the body names an enclosure by what it is and its number; the list gives its contents
    # and dates (said once)
    assert phrase(
        "Pain clinic office notes (meloxicam, injections, brace), June 1, 2023 – November 4, 2026"
    ) == "the enclosed pain clinic office notes (Enclosure 2)"
    assert phrase("Wound notes (including off-loading), October 27, 2026 – December 1, 2026") == (
        "the enclosed wound notes (Enclosure 2)"
    )


def test_a_record_the_notice_lists_as_reviewed_is_not_said_to_be_missing(tmp_path) -> None:
    # The same denial, saying its reviewer had the clinic note: the letter still names the
    # enclosure, but never says the reviewer did not have it (the blind judge's kind).
    from pipeline.payer_findings import reviewed_by_payer

    text = (ROOT / "examples" / "tka-aca" / "letter.txt").read_text(encoding="utf-8")
    said = text.replace(
        "Decision: DENIED\n",
        "Decision: DENIED\n\nWe reviewed: the clinic note of October 22, 2026 and the knee "
        "X-ray report.\n",
        1,
    )
    assert said != text
    path = tmp_path / "letter.txt"
    path.write_text(said, encoding="utf-8")
    draft = draft_letter(
        ingest(path),
        load_case(ROOT / "examples" / "tka-aca" / "case.yaml"),
        today=dt.date(2026, 12, 5),
        allow_gaps=True,
    )
    assert any("clinic note" in r for r in draft.analysis.records_reviewed)
    assert "which your reviewer did not have" not in draft.markdown
    assert "(Enclosure 6)" in draft.markdown
    assert reviewed_by_payer("Clinic note, October 22, 2026", ["the clinic note of 10/22/2026"])
    assert not reviewed_by_payer("Cardiac MRI report", ["the echocardiogram report"])
