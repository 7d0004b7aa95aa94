"""Citations that fit the patient (issue 16, round 11): a passage written for a population
(infants, children, adults, pregnancy) fits only a patient inside it, by the age on the
letter's date; the population is data or read from the passage's own title, section, issuing
body or indication statement (pipeline/populations.yaml)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.corpus import load_corpus
from pipeline.models import Passage, PlanType, Population
from pipeline.populations import derive, population_reason
from pipeline.relevance import fits, off_topic
from tests.test_relevance import passage, scope

TODAY = dt.date(2026, 12, 5)
ADULT = dt.date(1951, 10, 30)
CHILD = dt.date(2021, 4, 2)


def hearing(**fields: object) -> Passage:
    return passage(
        "hearing",
        conditions=["H90"],
        services=["69930"],
        treatments=["cochlear implant"],
        **fields,
    )


def test_an_infant_hearing_statement_does_not_fit_an_adult() -> None:
    """The issuing body names its population ('Joint Committee on Infant Hearing'): the
    statement fits a 5-year-old's cochlear implant, not a 75-year-old's."""
    jcih = derive(hearing(issuing_body="Joint Committee on Infant Hearing"))
    assert jcih.population == [Population.infants]
    adult = scope(["H90.3"], "69930", born=ADULT)
    assert off_topic(jcih, adult) == "its population is infants up to age 2; the patient is 75"
    assert fits(jcih, scope(["H90.3"], "69930", born=dt.date(2025, 1, 2)))
    assert fits(jcih, scope(["H90.3"], "69930"))  # no birth date: unknown is no reason


def test_a_title_naming_children_and_adolescents_bounds_the_age() -> None:
    kids = derive(hearing(title="Screening in Children and Adolescents"))
    assert kids.population == [Population.children, Population.adolescents]
    assert fits(kids, scope(["H90.3"], "69930", born=CHILD))
    assert fits(kids, scope(["H90.3"], "69930", born=dt.date(2006, 1, 1)))  # 20: adolescent
    assert not fits(kids, scope(["H90.3"], "69930", born=ADULT))


def test_adults_and_children_named_together_restrict_no_one() -> None:
    both = derive(hearing(title="Hearing loss in adults and children"))
    assert fits(both, scope(["H90.3"], "69930", born=ADULT))
    assert fits(both, scope(["H90.3"], "69930", born=CHILD))


def test_an_adult_guideline_does_not_fit_a_child() -> None:
    adults = derive(hearing(section="Implantation in adults with bilateral loss"))
    assert off_topic(adults, scope(["H90.3"], "69930", born=CHILD)) == (
        "its population is adults 18 and older; the patient is 5"
    )


def test_a_pregnancy_guideline_fits_only_a_pregnant_patient() -> None:
    preg = derive(passage("preg", conditions=["O13", "I10"], title="Hypertension in Pregnancy"))
    assert preg.population == [Population.pregnancy]
    assert not fits(preg, scope(["I10"], born=dt.date(1990, 1, 1)))
    assert fits(preg, scope(["O13.3", "Z3A.30"], born=dt.date(1990, 1, 1)))


def test_an_indication_statement_gives_its_population_and_age_range() -> None:
    """'pediatric patients 6 to 17 years of age': no reference for a 40-year-old; a label's
    'prevention of pregnancy' or 'the elderly' names no population."""
    adhd = derive(
        passage(
            "adhd",
            kind="coverage_policy",
            conditions=["F90"],
            treatments=["methylphenidate"],
            indication=True,
            text="It is indicated for ADHD in pediatric patients 6 to 17 years of age.",
        )
    )
    assert (adhd.population, adhd.max_age) == ([Population.pediatric], 17)
    assert population_reason(adhd, 40, ["F900"]) == (
        "its population is pediatric up to age 17; the patient is 40"
    )
    assert population_reason(adhd, 9, ["F900"]) is None
    pill = derive(
        passage(
            "pill",
            kind="coverage_policy",
            conditions=["Z30"],
            treatments=["norethindrone"],
            indication=True,
            text="It is indicated for the prevention of pregnancy in women who elect oral "
            "contraceptives.",
        )
    )
    assert pill.population == []


def test_population_all_in_the_data_keeps_a_passage_for_everyone() -> None:
    kept = derive(hearing(title="Cochlear implants in children", population=[Population.all]))
    assert fits(kept, scope(["H90.3"], "69930", born=ADULT))


def test_the_corpus_jcih_statements_do_not_fit_an_adult_cochlear_implant() -> None:
    corpus = [p for p in load_corpus() if p.id.startswith("jcih-")]
    assert corpus
    adult = scope(
        ["H90.3"],
        "69930",
        plan=PlanType.medicare_advantage,
        born=ADULT,
        service="Cochlear implantation",
    )
    assert [p.id for p in corpus if fits(p, adult)] == []


# --------------------------------------------------------------------------- subtypes


def test_a_reduced_ejection_fraction_passage_does_not_fit_preserved_ejection_fraction() -> None:
    """Mapped to I50.2 (systolic): no reference for an HFpEF patient (I50.33), even beside
    hypertensive heart disease with failure (I11.0, which the passage also names)."""
    hfref = passage("hfref", conditions=["I502", "I504", "I110"])
    assert off_topic(hfref, scope(["I50.33", "I11.0"])) == (
        "it is about heart failure with reduced ejection fraction; the patient has heart "
        "failure with preserved ejection fraction"
    )
    assert fits(hfref, scope(["I50.22"]))
    assert fits(hfref, scope(["I50.43"]))  # combined systolic and diastolic: both
    assert fits(hfref, scope(["I11.0"]))  # no subtype stated: unknown is no reason


def test_a_type_2_diabetes_passage_does_not_fit_type_1() -> None:
    t2 = passage("t2", conditions=["E11"])
    both = passage("both", conditions=["E10", "E11"])
    assert not fits(t2, scope(["E10.65"]))
    assert fits(both, scope(["E10.65"]))


def test_the_corpus_check_names_a_prefix_that_reaches_another_subtype(tmp_path: Path) -> None:
    from pipeline.corpus import check_corpus
    from tests.test_corpus_loader import SOURCE, write
    from tests.test_corpus_loader import passage as entry

    hfref = entry("hfref")
    hfref.update(
        text="ARNI therapy is recommended in heart failure with reduced ejection fraction."
    )
    hfref["conditions"] = ["I50"]
    write(tmp_path, "a.yaml", SOURCE, [hfref])
    assert check_corpus(tmp_path) == [
        "a.yaml: passage 'hfref': conditions: I50 reaches heart failure with preserved "
        "ejection fraction, but the passage names only heart failure with reduced ejection "
        "fraction: map it to I50.2, I50.4"
    ]
    hfref["conditions"] = ["I50.2", "I50.4"]
    write(tmp_path, "a.yaml", SOURCE, [hfref])
    assert check_corpus(tmp_path) == []


def test_the_shipped_corpus_maps_no_subtype_passage_to_another_subtype() -> None:
    from pipeline.condition_subtypes import subtype_problems

    assert [(p.id, subtype_problems(p)) for p in load_corpus() if subtype_problems(p)] == []


# --------------------------------------------------------------------------- positions


def test_a_label_approval_states_a_position() -> None:
    """'is FDA-approved for' is the label's position (it was none: the drafter never cited
    such a passage); a recommending sentence still comes first."""
    from pipeline.reasoning.fit import position

    label = passage(
        "xolair",
        text="Omalizumab is FDA-approved for chronic spontaneous urticaria. Dosing is monthly.",
    )
    assert position(label) == "Omalizumab is FDA-approved for chronic spontaneous urticaria."
    both = passage(
        "both", text="The device was cleared in 2018. The society recommends it after surgery."
    )
    assert position(both) == "The society recommends it after surgery."
    assert position(passage("def", text="IMRT modulates beam intensity.")) is None


def test_every_approval_or_clearance_in_the_corpus_is_a_position() -> None:
    import re

    from pipeline.reasoning.fit import unstated

    worded = re.compile(r"\b(?:FDA-approved|approved for|cleared|authorization)\b", re.I)
    assert [p.id for p in unstated(load_corpus()) if worded.search(p.text)] == []


def test_lmn_corpus_check_lists_the_passages_stating_no_position(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main
    from tests.test_corpus_loader import SOURCE, write
    from tests.test_corpus_loader import passage as entry

    definition = entry("definition")
    definition["text"] = "IMRT modulates the intensity of each beam."
    stated = entry("stated")
    stated["text"] = "The label is FDA-approved for adults with migraine."
    write(tmp_path, "a.yaml", SOURCE, [definition, stated])
    monkeypatch.setenv("LMN_CORPUS_DIR", str(tmp_path))
    assert main(["corpus", "check", "--positions"]) == 0
    err = capsys.readouterr().err
    assert "a.yaml: definition: no sentence states a position on care" in err
    assert "a.yaml: stated:" not in err
    assert "1 clinical passages state no position" in err


# --------------------------------------------------------------------------- generic names


def test_a_generic_treatment_name_fits_only_the_condition_the_request_treats() -> None:
    """A thyroid-nodule ultrasound guideline, the patient's comorbidity, is no reference for
    a gallbladder ultrasound; the same passage fits a thyroid ultrasound, and a passage naming
    its own service (a specific name) still fits by a comorbidity as before."""
    thyroid = passage("thyroid-us", conditions=["E04"], treatments=["ultrasound"])
    gallbladder = scope(["K80.20", "E04.1"], service="Abdominal ultrasound of the gallbladder")
    assert off_topic(thyroid, gallbladder) == (
        "it is about E04, a comorbidity: the request treats K8020, and it names the "
        "requested service only by its kind of care"
    )
    assert fits(thyroid, scope(["E04.1"], service="Thyroid ultrasound"))
    cpap = passage("cpap", conditions=["G4733"], treatments=["cpap"])
    assert fits(cpap, scope(["E66.01", "G47.33"], service="CPAP device"))


def test_a_generic_name_without_a_condition_fits_nothing_by_that_name() -> None:
    surgery = passage("surgery", treatments=["surgery"])
    assert off_topic(surgery, scope(["M17.11"], service="Knee replacement surgery")) == (
        "it names the requested service only by its kind of care, and no condition"
    )
    coded = passage("coded", treatments=["surgery"], services=["27447"])
    assert fits(coded, scope(["M17.11"], "27447", service="Knee replacement surgery"))


def test_the_generic_names_are_data() -> None:
    from pipeline.service_kinds import generic_name

    assert generic_name("MRI") and generic_name("screening") and generic_name("surgery")
    assert not generic_name("bariatric surgery") and not generic_name("cpap")


# --------------------------------------------------------------------------- grounds


def test_a_fitting_guideline_is_available_to_a_ground_with_its_position() -> None:
    """A network-gap notice lists no clinical criterion; the NCCN high-volume-center passage
    is still offered to the ground's argument, with the sentence that bears on it; a passage
    whose position says nothing of it is not."""
    from pipeline.models import RetrievedPassage
    from pipeline.reasoning.fit import bearing

    nccn = next(p for p in load_corpus() if p.id == "nccn-pancreatic-resection-high-volume-center")
    other = passage("other", text="Adjuvant chemotherapy is recommended for six months.")
    retrieved = [
        RetrievedPassage(passage=other, score=0.9, rank=1),
        RetrievedPassage(passage=nccn, score=0.8, rank=2),
    ]
    found = bearing(retrieved, r"high-volume|experienced")
    assert [(p.id, "high-volume center" in said) for p, said in found] == [(nccn.id, True)]
    assert not found[0][1].startswith("A request should")


def test_a_medicare_coverage_rule_is_said_to_bind_only_a_medicare_plan() -> None:
    """An NCD binds Medicare and Medicare Advantage; to an FEHB or employer plan it is a
    benchmark only, and the letter says so rather than presenting it as a guideline."""
    from pipeline.models import PlanType
    from pipeline.reasoning.fit import source_label

    ncd = next(p for p in load_corpus() if p.id.startswith("cms-ncd-160-24"))
    named = "Medicare coverage rule NCD 160.24, “Deep Brain Stimulation for Essential Tremor"
    assert source_label(ncd, PlanType.medicare_advantage).startswith(named)
    assert "”, which binds this plan (CMS" in source_label(ncd, PlanType.medicare_advantage)
    fehb = source_label(ncd, PlanType.government_or_church)
    assert fehb.startswith(named)
    assert "”, cited as a benchmark only; it does not bind" in fehb
    nccn = "nccn-pancreatic-resection-high-volume-center"
    guideline = next(p for p in load_corpus() if p.id == nccn)
    assert source_label(guideline, PlanType.erisa) == f"Guideline ({guideline.in_text()})"


def test_how_a_guideline_grades_its_recommendations_is_no_position() -> None:
    """'The ADA Standards of Care grade each recommendation A, B, C, or E' describes a method:
    placed under a hyperbaric oxygen criterion it said nothing of the patient's care."""
    from pipeline.reasoning.fit import position

    grading = passage(
        "grades",
        text="The ADA Standards of Care grade each recommendation A, B, C, or E. Letters citing "
        "the Standards should quote the recommendation number.",
    )
    assert position(grading) is None
    defined = passage("defined", text="A strong recommendation means benefits outweigh harms.")
    assert position(defined) is None
    stated = passage("stated", text="The ADA recommends an A1C goal of less than 7% (A).")
    assert position(stated) == "The ADA recommends an A1C goal of less than 7% (A)."
