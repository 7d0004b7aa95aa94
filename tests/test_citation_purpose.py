"""Citations that fit by indication and purpose (issue 16): a drug label passage fits only the
indication the request treats; a clinical passage only the kind of care requested; the kinds
of care come from a data table (pipeline/service_kinds.yaml)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.corpus import load_corpus
from pipeline.models import (
    CaseFacts,
    DenialAnalysis,
    Diagnosis,
    Passage,
    Patient,
    PlanType,
    RetrievedPassage,
    Service,
    ServiceKind,
)
from pipeline.relevance import Scope, citation_gap, fits, off_topic
from pipeline.service_kinds import code_kinds, request_kinds, text_kind
from tests.test_relevance import passage

TODAY = dt.date(2026, 12, 5)


def scope(dx: list[str], code: str | None = None, service: str | None = None) -> Scope:
    analysis = DenialAnalysis(plan_type=PlanType.aca_individual)
    case = CaseFacts(
        diagnoses=[Diagnosis(code=d) for d in dx], service=Service(code=code, description=service)
    )
    return Scope.of(analysis, case, TODAY)


def label(pid: str, conditions: list[str], *names: str) -> Passage:
    return passage(
        pid,
        kind="coverage_policy",
        conditions=conditions,
        treatments=list(names),
        indication=True,
        purpose=[ServiceKind.drug],
    )


TIRZEPATIDE = "Tirzepatide (Zepbound) 5 mg weekly injection for obstructive sleep apnea"


# --------------------------------------------------------------------------- indication


def test_a_label_fits_only_the_indication_the_request_treats() -> None:
    """Tirzepatide requested for sleep apnea in a patient with obesity: the label's weight
    management and type 2 diabetes indications are no reference, though the drug is the one
    requested and the patient has obesity."""
    weight = label("weight", ["E66", "Z683"], "tirzepatide", "zepbound")
    diabetes = label("t2d", ["E11"], "tirzepatide", "mounjaro")
    osa = scope(["G47.33", "E66.01", "Z68.38"], service=TIRZEPATIDE)
    reason = off_topic(weight, osa)
    assert reason is not None and "indication E66" in reason and "G4733" in reason
    assert not fits(diabetes, osa)
    # the same passages fit the requests they are the indication of
    assert fits(weight, scope(["E66.01", "Z68.38", "I10"], service="Zepbound 10 mg weekly"))
    assert fits(diabetes, scope(["E11.65"], service="Mounjaro 5 mg weekly"))
    assert not fits(weight, scope(["E11.65", "E66.01"], service="Mounjaro 5 mg weekly"))


def test_a_drug_recommendation_supports_its_drug_only_for_the_condition_it_names() -> None:
    """A guideline recommending the drug for obesity is no support for the drug for sleep
    apnea; a procedure passage naming the requested operation still fits with a comorbidity."""
    obesity_drugs = passage(
        conditions=["E66"], treatments=["tirzepatide"], purpose=[ServiceKind.drug]
    )
    reason = off_topic(obesity_drugs, scope(["G47.33", "E66.01"], service=TIRZEPATIDE))
    assert reason is not None and "comorbidity" in reason and "only for the condition" in reason
    assert fits(obesity_drugs, scope(["E66.01"], service=TIRZEPATIDE))
    sleeve = passage(conditions=["E11"], services=["43775"], purpose=[ServiceKind.procedure])
    assert fits(sleeve, scope(["E66.01", "E11.9"], "43775"))


def test_a_drug_passage_naming_one_class_does_not_support_another() -> None:
    """An anti-TNF recommendation (its drugs named in ``treatments``) is no support for
    ustekinumab, an interleukin blocker, for the same disease."""
    anti_tnf = passage(
        conditions=["K50"],
        treatments=["anti-tnf", "adalimumab", "infliximab", "certolizumab"],
        purpose=[ServiceKind.drug],
    )
    assert fits(anti_tnf, scope(["K50.112"], "J0135", "Adalimumab 40 mg every other week"))
    reason = off_topic(anti_tnf, scope(["K50.112"], "J3357", "Ustekinumab 90 mg"))
    assert reason == "it is about anti-tnf, which is not the requested service"


# --------------------------------------------------------------------------- purpose


def test_a_surgical_referral_does_not_support_a_stimulator_trial() -> None:
    referral = passage(conditions=["M54", "M96"], purpose=[ServiceKind.procedure])
    trial = scope(["M96.1", "M54.16"], "63650", "Spinal cord stimulator trial")
    assert off_topic(referral, trial) == (
        "it recommends a procedure, and the request is for a device"
    )
    assert fits(referral, scope(["M54.16"], "63047", "Lumbar laminectomy"))
    # a passage with no purpose (diagnosis, severity) is not restricted
    assert fits(passage(conditions=["M54", "M96"]), trial)
    # nor is a request whose kind neither its code nor its words tell
    assert fits(referral, scope(["M96.1"], None, "the requested service"))


def test_a_passage_about_the_requested_service_fits_whatever_its_purpose_says() -> None:
    tms = passage(conditions=["F33"], services=["90867"], purpose=[ServiceKind.therapy])
    assert fits(tms, scope(["F33.2"], "90867"))  # 90867: therapy and device
    pap = passage(conditions=["G4733"], services=["E0601"], purpose=[ServiceKind.device])
    assert off_topic(pap, scope(["G47.33"], service=TIRZEPATIDE)) == (
        "it recommends a device, and the request is for a drug"
    )


def test_the_kinds_of_care_come_from_codes_then_the_descriptions_head() -> None:
    assert code_kinds("27447") == (ServiceKind.procedure,)
    assert code_kinds("63650") == (ServiceKind.device,)  # the narrowest range wins
    assert set(code_kinds("90867")) == {ServiceKind.therapy, ServiceKind.device}
    assert code_kinds("J3380") == (ServiceKind.drug,)
    assert code_kinds("0128") == (ServiceKind.level_of_care,)  # a revenue code
    assert code_kinds("G0399") == (ServiceKind.test,)
    assert code_kinds("99999X") == ()
    # the head of the description, before 'after' or 'for'
    assert text_kind("Physical therapy visits after rotator cuff repair") == ServiceKind.therapy
    assert text_kind(TIRZEPATIDE) == ServiceKind.drug
    assert text_kind("Acute inpatient rehabilitation facility admission") == (
        ServiceKind.level_of_care
    )
    assert text_kind("Right total knee arthroplasty") == ServiceKind.procedure
    assert text_kind("something else") is None
    # a code's kind wins over the words
    assert request_kinds(["97110"], ["Physical therapy after knee arthroplasty"]) == {
        ServiceKind.therapy
    }
    assert request_kinds([], ["", "MRI lumbar spine"]) == {ServiceKind.imaging}


def test_no_fitting_citation_for_a_drug_names_the_label_to_supply() -> None:
    law = RetrievedPassage(passage=passage("law", kind="regulation"), score=1, rank=1)
    gap = citation_gap(scope(["G47.33", "E66.01"], service=TIRZEPATIDE), [law])
    assert gap is not None and gap.field == "citations"
    assert "FDA label's indication for G4733" in gap.message
    assert "Indications and Usage" in gap.message
    surgery = citation_gap(scope(["M17.11"], "27447"), [law])
    assert surgery is not None and "FDA" not in surgery.message


# --------------------------------------------------------------------------- the corpus


@pytest.fixture(scope="module")
def corpus() -> list[Passage]:
    return load_corpus()


def test_every_label_passage_states_one_drugs_indication(corpus: list[Passage]) -> None:
    labels = [p for p in corpus if p.indication]
    assert len(labels) > 500
    for p in labels:
        assert p.conditions and p.treatments, p.id
        assert ServiceKind.drug in p.purpose or p.services, p.id
    imported = [p for p in labels if p.file == "coverage/fda_label_indications.yaml"]
    assert all(p.section.startswith("Indications and Usage: ") for p in imported)
    # one indication per passage: no two passages of one label share a condition
    by_label: dict[str, list[str]] = {}
    for p in imported:
        by_label.setdefault(p.title, []).extend(p.conditions)
    assert all(len(c) == len(set(c)) for c in by_label.values())


def test_no_tirzepatide_label_supports_sleep_apnea_and_weight_labels_fit_obesity(
    corpus: list[Passage],
) -> None:
    osa = scope(["G47.33", "E66.01", "Z68.38"], service=TIRZEPATIDE)
    about = [p for p in corpus if "tirzepatide" in p.treatments]
    assert about  # the corpus has the drug's labels
    assert [p.id for p in about if p.kind == "coverage_policy" and fits(p, osa)] == []
    obesity = scope(["E66.01", "Z68.36"], service="Zepbound (tirzepatide) 10 mg weekly")
    assert any(p.indication and fits(p, obesity) for p in about)


def test_drug_guidelines_declare_their_purpose(corpus: list[Passage]) -> None:
    """A hand-written guideline passage naming a labelled drug in its treatments says it
    recommends a drug, so a request of another kind does not cite it."""
    drugs = {
        t
        for p in corpus
        if p.indication and ServiceKind.drug in p.purpose
        for t in p.treatments
        if len(t) > 4
    }
    missing = [
        p.id
        for p in corpus
        if p.kind == "guideline"
        and p.file.startswith("guidelines/")
        and set(p.treatments) & drugs
        and ServiceKind.drug not in p.purpose
    ]
    assert missing == [], f"add 'purpose: [drug]' (and any other kind it recommends) to {missing}"


# --------------------------------------------------------------------------- specific


def test_the_in_text_citation_names_body_year_where_and_grade() -> None:
    canmat = passage(
        short_body="CANMAT",
        year=2016,
        version="2016 update",
        section="Section 4, Repetitive transcranial magnetic stimulation (rTMS)",
        recommendation="First-line; Level 1 evidence",
    )
    assert canmat.in_text() == "CANMAT 2016, Section 4, First-line; Level 1 evidence"
    apa = passage(
        short_body="APA",
        year=2010,
        version="3rd edition",
        section="Treatment of the acute phase: somatic therapies (ECT and TMS)",
    )
    # no numbered part and no grade: the section's head says where; the year is never lost
    assert apa.in_text() == "APA 2010 (3rd edition), Treatment of the acute phase"
    aasm = passage(short_body="AASM", section="Recommendations 2-3: oral appliances")
    assert aasm.locator() == "Recommendations 2-3"
    assert passage(section="Variant 2: Uncomplicated low back pain").locator() == "Variant 2"
    assert passage(section="Section 7.1.3 (wearable defibrillator)").locator() == "Section 7.1.3"
    assert passage(section="Section 8, Obesity and Weight Management").locator() == "Section 8"
    tirzepatide = label("t2d", ["E11"], "tirzepatide")
    tirzepatide = tirzepatide.model_copy(
        update={"section": "Indications and Usage: Type 2 diabetes mellitus (E11)"}
    )
    # the importer's code index is no place in the label, and a bare category beside the
    # patient's code read as another diagnosis to the validator (a blind letter was refused)
    assert tirzepatide.in_text() == "B 2020, Indications and Usage: Type 2 diabetes mellitus"
    several = tirzepatide.model_copy(
        update={"section": "Indications and Usage: Hypertension (I10, I11 or I12.9)"}
    )
    assert several.in_text() == "B 2020, Indications and Usage: Hypertension"
    acronym = tirzepatide.model_copy(
        update={"section": "Indications and Usage: Iron deficiency anemia (IDA)"}
    )
    assert acronym.in_text() == "B 2020, Indications and Usage: Iron deficiency anemia (IDA)"


def test_the_guideline_sentence_names_title_edition_with_year_and_where() -> None:
    from pipeline.evidence import source_name

    apa = passage(
        short_body="APA",
        title="Practice Guideline for Major Depressive Disorder",
        year=2010,
        version="3rd edition",
        section="Recommendation 4: rTMS",
        recommendation="[III]",
    )
    assert source_name(apa) == (
        "APA Practice Guideline for Major Depressive Disorder (3rd edition, 2010), "
        "Recommendation 4, recommendation: [III]"
    )


def test_nearly_every_clinical_citation_says_where_in_its_source(corpus: list[Passage]) -> None:
    clinical = [p for p in corpus if p.kind in ("guideline", "coverage_policy")]
    vague = [p.id for p in clinical if p.in_text() == f"{p.short_body} {p.year}"]
    assert len(vague) <= len(clinical) // 100, vague[:10]
    labels = [p for p in clinical if p.file == "coverage/fda_label_indications.yaml"]
    assert all(p.version and "as of" in p.version for p in labels)  # the label's date, not ours


def test_a_label_fits_only_the_population_its_indication_names() -> None:
    """An indication for adults is no reference for a 15-year-old; an unknown age is no
    reason against it."""
    adults = label("adults", ["F33"], "esketamine").model_copy(update={"min_age": 18})
    analysis = DenialAnalysis(plan_type=PlanType.erisa)

    def aged(born: dt.date | None) -> Scope:
        case = CaseFacts(
            patient=Patient(date_of_birth=born),
            diagnoses=[Diagnosis(code="F33.2")],
            service=Service(description="Esketamine (Spravato) 56 mg nasal spray"),
        )
        return Scope.of(analysis, case, TODAY)

    assert off_topic(adults, aged(dt.date(2011, 3, 1))) == (
        "its population is patients 18 and older; the patient is 15"
    )
    assert fits(adults, aged(dt.date(1980, 3, 1)))
    assert fits(adults, aged(None))


def test_the_label_importer_reads_the_youngest_age_of_one_indication() -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from import_fda_labels import min_age

    assert (
        min_age("X is indicated for asthma in adult and pediatric patients aged 5 years and older.")
        == 5
    )
    assert min_age("X is indicated for plaque psoriasis in adults.") == 18
    assert min_age("X is indicated for ADHD in pediatric patients and adults.") is None
    assert min_age("X is indicated for dermatitis in patients 3 months of age and older.") is None
    assert (
        min_age("X is indicated for: \u2022 MDD in adults \u2022 GAD in pediatric patients 7 years")
        is None
    )


def test_an_item_policy_without_conditions_fits_its_item_for_any_diagnosis() -> None:
    """NCD 280.3 (mobility assistive equipment) applies by the item: a power wheelchair for
    knee osteoarthritis fits it, by code or by name; a CPAP request does not."""
    mae = passage(
        kind="coverage_policy",
        services=["K0823", "E0100"],
        treatments=["mobility assistive equipment", "power wheelchair", "scooter"],
    )
    assert fits(mae, scope(["M17.0"], "K0823", "Group 2 power wheelchair"))
    assert fits(mae, scope(["M17.0"], None, "Power scooter, 4-wheel"))
    assert not fits(mae, scope(["G47.33"], "E0601", "CPAP device"))


def test_the_ncd_importer_makes_an_item_ncd_fit_by_its_items() -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from import_ncd import by_service

    names, codes = by_service()["280.3"]
    assert "power wheelchair" in names and "scooter" in names
    assert {"K0823", "K0800", "K0899", "E1130", "E0100"} <= set(codes)
    assert "K0900" not in codes
    names, codes = by_service()["160.7"]  # CPT ranges too
    assert {"63650", "63688", "64575"} <= set(codes) and "63690" not in codes
    assert "spinal cord stimulator" in names


def test_the_mobility_ncd_in_the_corpus_fits_a_wheelchair_for_any_diagnosis(
    corpus: list[Passage],
) -> None:
    mae = [p for p in corpus if p.id.startswith("cms-ncd-280-3-p")]
    assert mae and all(not p.conditions for p in mae)
    wheelchair = scope(["M17.0"], "K0823", "Group 2 power wheelchair")
    assert all(fits(p, wheelchair) for p in mae)
