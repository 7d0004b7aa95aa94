"""Citations that fit the patient (issue 16, round 11): a passage written for a population
(infants, children, adults, pregnancy) fits only a patient inside it, by the age on the
letter's date; the population is data or read from the passage's own title, section, issuing
body or indication statement (pipeline/populations.yaml)."""

from __future__ import annotations

import datetime as dt

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
