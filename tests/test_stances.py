"""A passage's stance toward the care it is about (pipeline/stances.py, pipeline.relevance):
a passage against the requested service is never support, and a label fits only its own
drug, not another drug of its class. One rule per test."""

from __future__ import annotations

from pathlib import Path

from pipeline.corpus import check_corpus, load_corpus
from pipeline.models import Stance
from pipeline.reasoning.fit import position, stance_unstated
from pipeline.relevance import drug_names, fits, off_topic
from pipeline.service_kinds import family_name
from pipeline.stances import derive, unstated_against
from tests.test_relevance import passage, scope

INJECTION = dict(
    conditions=["M17"],
    services=["20610"],
    treatments=["hyaluronic acid", "viscosupplementation"],
    purpose=["procedure"],
    text="The guideline advises against routine hyaluronic acid injection for knee arthritis.",
)


def test_a_passage_against_its_service_is_no_support_for_it() -> None:
    request = scope(["M17.11"], "20610", service="Hyaluronic acid injection, right knee")
    assert fits(passage(**INJECTION), request)  # unstated: taken as for
    against = passage(stance="against", **INJECTION)
    assert off_topic(against, request) == (
        "it recommends against hyaluronic acid, so it is no support for a request"
    )


def test_a_passage_against_care_is_no_support_for_another_request_either() -> None:
    # its position (against the injection) says nothing for the knee replacement it names
    against = passage(stance="against", **{**INJECTION, "services": ["27447"]})
    assert not fits(against, scope(["M17.11"], "27447", service="Total knee arthroplasty"))


def test_a_passage_is_no_support_for_the_care_it_advises_against() -> None:
    nice = passage(
        conditions=["M541"],
        treatments=["nsaid", "naproxen"],
        purpose=["drug"],
        not_for=["gabapentin", "pregabalin", "J1234"],
    )
    assert fits(nice, scope(["M54.16"], service="Naproxen 500 mg twice daily"))
    assert off_topic(nice, scope(["M54.16"], service="Pregabalin 75 mg capsules")) == (
        "it advises against pregabalin, the requested service"
    )
    # by code as well as by name; a failed trial of it named beside the request is no request
    assert not fits(nice, scope(["M54.16"], "J1234", service="Injection"))
    assert fits(nice, scope(["M54.16"], service="Naproxen after failed gabapentin"))


def test_the_stance_is_read_from_a_grade_that_recommends_against() -> None:
    assert derive(passage(recommendation="Grade D")).stance is Stance.against
    assert derive(passage(recommendation="Usually Not Appropriate")).stance is Stance.against
    assert derive(passage(recommendation="Level A (not recommended)")).stance is Stance.against
    # a grade naming one recommendation and one against is the passage's not_for to state
    mixed = "Recommendation (saline irrigation); recommendation against (antifungal therapy)"
    assert derive(passage(recommendation=mixed)).stance is None
    assert derive(passage(recommendation="Grade B")).stance is None
    # the data's stance wins over the grade
    assert derive(passage(recommendation="Grade D", stance="for")).stance is Stance.for_


def test_an_imported_passage_is_read_by_its_first_sentence() -> None:
    ncd = "coverage/cms_ncd.yaml"
    text = (
        "TENS is not reasonable and necessary for the treatment of CLBP. It is covered otherwise."
    )
    assert derive(passage(kind="coverage_policy", file=ncd, text=text)).stance is Stance.against
    covered = "VNS is reasonable and necessary for seizures for whom surgery is not recommended."
    assert derive(passage(kind="coverage_policy", file=ncd, text=covered)).stance is None
    # a hand-written passage is never read by its words: its data says its stance
    assert (
        derive(passage(kind="coverage_policy", file="guidelines/x.yaml", text=text)).stance is None
    )


def test_a_position_against_care_must_say_so_in_the_data() -> None:
    worded = passage(text="The society recommends against routine CT for this.")
    assert unstated_against(worded, position(worded))
    assert not unstated_against(passage(**{**worded.model_dump(), "stance": "against"}), "x")
    assert not unstated_against(passage(**{**worded.model_dump(), "not_for": ["ct"]}), "x")
    assert not unstated_against(passage(text="It recommends PAP therapy."), "It recommends PAP.")


def test_the_corpus_states_the_stance_of_every_position_against_care() -> None:
    corpus = load_corpus()
    assert stance_unstated(corpus) == []
    by_id = {p.id: p for p in corpus}
    for pid in (
        "aaos-knee-oa-2021-hyaluronic-acid",
        "acr-ac-lbp-2021-variant-1-no-red-flags",
        "aan-2010-tens-chronic-low-back-pain",
        "uspstf-ovarian-cancer-screening-400",
    ):
        assert by_id[pid].stance is Stance.against, pid


def test_corpus_check_refuses_an_unknown_stance(tmp_path: Path) -> None:
    (tmp_path / "g.yaml").write_text(
        "source: {issuing_body: B, short_body: B, title: T, year: 2020, url: u, license: l,\n"
        "  specialty: x, kind: guideline, verified: false, verified_against: null}\n"
        "passages:\n  - {id: a, section: s, text: t, stance: maybe}\n",
        encoding="utf-8",
    )
    assert len(check_corpus(tmp_path)) == 1 and "stance" in check_corpus(tmp_path)[0]


def test_a_family_name_is_not_the_drug() -> None:
    assert family_name("insulin", "insulin lispro")
    assert family_name("interferon", "interferon beta-1a")
    assert not family_name("amantadine", "amantadine hydrochloride")  # its salt
    assert not family_name("ruxolitinib", "ruxolitinib cream")  # its dosage form
    assert not family_name("insulin lispro", "insulin lispro")
    assert not family_name("lispro", "insulin lispro")


def test_a_label_fits_its_own_drug_not_another_of_its_class() -> None:
    lispro = passage(
        kind="coverage_policy",
        conditions=["E10", "E11"],
        treatments=["insulin lispro", "humalog", "insulin"],
        indication=True,
        purpose=["drug"],
    )
    assert drug_names(lispro) == ["insulin lispro", "humalog"]
    assert fits(lispro, scope(["E11.65"], service="Humalog (insulin lispro) 100 units/mL"))
    degludec = scope(["E11.65"], service="Tresiba (insulin degludec) 100 units/mL")
    assert (
        off_topic(lispro, degludec)
        == "it is about insulin lispro, which is not the requested service"
    )
    # a guideline recommending the class still fits a member named by the class
    ada = passage(conditions=["E11"], treatments=["insulin"], purpose=["drug"])
    assert fits(ada, scope(["E11.65"], service="Basal insulin degludec"))


def test_a_weight_loss_label_fits_its_own_drug_only() -> None:
    by_id = {p.id: p for p in load_corpus()}
    wegovy = by_id["fda-wegovy-chronic-weight-management"]
    zepbound = by_id["fda-zepbound-chronic-weight-management"]
    request = scope(["E66.01", "Z68.36"], service="Tirzepatide (Zepbound) 5 mg weekly injection")
    assert fits(zepbound, request)
    assert not fits(wegovy, request)
    assert "tirzepatide" not in wegovy.text.lower()


def test_an_intravitreal_drug_is_no_request_for_a_diabetes_device() -> None:
    # a request described only in words ('Faricimab intravitreal') is a drug's: the diabetes
    # technology passage (insulin pumps) fits its E11 complication code, not its service
    pumps = passage(conditions=["E11"], purpose=["device"], text="It recommends insulin pumps.")
    for service in ("Faricimab intravitreal", "Intravitreal anti-VEGF injections, right eye"):
        request = scope(["E11.3513"], service=service)
        assert off_topic(pumps, request) == "it recommends a device, and the request is for a drug"


def test_a_recommendation_against_a_diagnostic_practice_is_no_support_for_the_drug() -> None:
    by_id = {p.id: p for p in load_corpus()}
    request = scope(["E23.0"], "J2941", service="Somatropin (Genotropin) daily injection")
    assert not fits(by_id["pes-2016-gh-provocative-testing"], request)
    # diagnosing the deficiency without a test is about the test, not the treatment: no answer
    # to a criterion asking for a second test, nor support for the drug
    without = by_id["pes-2016-ghd-without-testing"]
    assert not fits(without, request)
    assert fits(without, scope(["E23.0"], "80428", service="Growth hormone stimulation panel"))
