"""The IMR coverage eval (evals/imr_coverage.py): a decision is covered only by a passage that
fits its diagnosis and is about its service."""

from __future__ import annotations

from typing import Any

from evals.imr_coverage import (
    Coverage,
    load_rule_governed,
    load_terms,
    load_unnamed_members,
    lookup,
    measure,
    tally,
    unclassified,
)
from pipeline.models import Passage


def passage(pid: str, **fields: Any) -> Passage:
    base: dict[str, Any] = dict(
        id=pid, kind="guideline", issuing_body="Body", short_body="B", title="T", year=2020,
        section="S", text="text", specialty="x", url="https://example.org", license="l",
    )
    return Passage(**{**base, **fields})


TERMS = (
    {"Digestive|Ulcerative Colitis": ["K51"], "Digestive|Crohn's": ["K50"], "Digestive|*": ["K"]},
    {"Drugs|Biologics": ["biologic", "vedolizumab"], "Drugs|*": ["medication"]},
)
UC = ("Digestive", "Ulcerative Colitis", "Drugs", "Biologics")
CROHNS = ("Digestive", "Crohn's", "Drugs", "Biologics")


def test_lookup_falls_back_to_the_category_for_other_blank_and_unlisted() -> None:
    dx = TERMS[0]
    assert lookup(dx, "Digestive", "Ulcerative Colitis") == ["K51"]
    assert lookup(dx, "Digestive", "Other") == ["K"] == lookup(dx, "Digestive", "")
    assert lookup(dx, "Digestive", "Gallstones") == ["K"]
    assert lookup(dx, "Skin", "Acne") == []


def test_a_decision_is_covered_by_a_fitting_passage_about_its_service() -> None:
    uc = passage("uc", conditions=["K51"], text="Vedolizumab induces remission.")
    cov = Coverage([uc], TERMS)
    assert cov.covered(UC)
    assert not cov.covered(CROHNS)  # another disease, whatever the drug
    assert not Coverage([passage("x", conditions=["K51"], text="Colectomy.")], TERMS).covered(UC)
    label = passage("lbl", kind="coverage_policy", conditions=["K51"], treatments=["infliximab"],
                    text="Infliximab is a biologic indicated for ulcerative colitis.")
    assert not Coverage([label], TERMS).covered(UC)  # a label fits only its own drug requested
    assert not Coverage([passage("law", kind="regulation", conditions=["K51"], text="biologic")],
                        TERMS).covered(UC)


def test_coverage_is_weighted_by_decisions_and_lists_what_is_missed() -> None:
    cov = Coverage([passage("uc", conditions=["K51"], text="biologic therapy")], TERMS)

    def row(key: tuple[str, str, str, str]) -> dict[str, str]:
        names = ["Diagnosis Category", "Diagnosis Sub Category", "Treatment Category",
                 "Treatment Sub Category"]
        return dict(zip(names, key, strict=True))

    share, missed = measure([row(UC)] * 3 + [row(CROHNS)], cov)
    assert share == 0.75 and missed == {CROHNS: 1}


def test_the_shipped_table_maps_the_largest_imr_categories() -> None:
    dx, tx = load_terms()
    assert lookup(dx, "Mental", "Eating Disorder") == ["F50"]
    assert lookup(dx, "Vision", "Eyelid Droop") == ["H024", "H0283"]
    # a named sub-category is mapped to its own codes, not left to the whole chapter
    assert lookup(dx, "Orthopedic/ Musculoskeletal", "TMJ - Temporal Mandibular Joint") == ["M266"]
    assert "speech therapy" in lookup(tx, "Rehabilitation Services - Outpatient", "Speech Therapy")


DISC = ("Orthopedic/ Musculoskeletal", "Vertebral Disc Problem", "Orthopedic",
        "Artificial Disk Replacement")
MS_DME = ("Central Nervous System/ Neuromuscular", "Multiple Sclerosis",
          "Durable Medical Equipment", "Other")


def test_a_named_sub_category_is_not_covered_by_another_service_of_its_category() -> None:
    terms = load_terms()
    knee = passage("tka", conditions=["M51.36"], text="Total knee arthroplasty relieves pain.")
    disc = passage("adr", conditions=["M51.36"], text="A lumbar artificial disc is approved.")
    assert not Coverage([knee], terms).covered(DISC)  # 'arthroplasty' is no artificial disc
    assert Coverage([disc], terms).covered(DISC)
    idet = lookup(terms[1], "Electrical/ Thermal/ Radiofreq. Interventions", "IDET")
    assert "thermal intradiscal" in idet


def test_an_unnamed_dme_item_needs_a_passage_about_home_equipment() -> None:
    terms = load_terms()
    implant = passage("imp", conditions=["G35"], text="An implanted pump device gives baclofen.")
    chair = passage("pwc", conditions=["G35"], text="A power wheelchair restores mobility.")
    assert not Coverage([implant], terms).covered(MS_DME)
    assert Coverage([chair], terms).covered(MS_DME)


ER_TERMS = (
    {"ENT|Throat Infection": ["J02"], "ENT|*": ["J3"]},
    {"Outpatient|Emergency Room": ["emergency"],
     "Outpatient|Physical Therapy": ["physical therapy"]},
)
ER = ("ENT", "Throat Infection", "Outpatient", "Emergency Room")
RULED = frozenset({"Outpatient|Emergency Room"})


def test_a_rule_governed_treatment_is_covered_by_a_regulation_that_fits_a_california_plan() -> None:
    state = passage("ca", kind="regulation", applies_if=["california", "emergency"],
                    text="A plan pays for emergency services and care.")
    cov = Coverage([state], ER_TERMS, RULED)
    assert not cov.covered(ER) and cov.covered_by_rule(ER)  # a law is no clinical passage
    # the diagnosis is not needed: the rule holds under any, an unmapped one included
    assert cov.covered_by_rule(("Not Applicable", "", "Outpatient", "Emergency Room"))
    # not a rule-governed treatment, or a rule that does not fit a California plan
    therapy = passage("pt", kind="regulation", applies_if=["california"], text="physical therapy")
    assert not Coverage([therapy], ER_TERMS, RULED).covered_by_rule(
        ("ENT", "Other", "Outpatient", "Physical Therapy"))
    erisa = passage("erisa", kind="regulation", plan_types=["erisa"], applies_if=["emergency"],
                    text="emergency services")
    assert not Coverage([erisa], ER_TERMS, RULED).covered_by_rule(ER)
    assert not Coverage([state], ER_TERMS).covered_by_rule(ER)  # not listed as rule-governed


def test_the_tally_counts_unclassified_apart_and_rule_coverage_in_its_own_column() -> None:
    state = passage("ca", kind="regulation", applies_if=["california", "emergency"],
                    text="emergency services")
    sore = passage("st", conditions=["J02"], text="physical therapy after tonsillitis")
    cov = Coverage([state, sore], ER_TERMS, RULED)
    names = ["Diagnosis Category", "Diagnosis Sub Category", "Treatment Category",
             "Treatment Sub Category"]
    keys = [ER, ER, ("ENT", "Throat Infection", "Outpatient", "Physical Therapy"),
            ("ENT", "Other", "Outpatient", "Physical Therapy"), ("", "", "", ""),
            ("ENT", "Other", "", "")]
    t = tally([dict(zip(names, k, strict=True)) for k in keys], cov)
    assert (t.decisions, t.unclassified, t.clinical, t.rule) == (6, 2, 1, 2)
    assert t.uncovered == {("ENT", "Other", "Outpatient", "Physical Therapy"): 1}
    assert t.clinical_share == 1 / 6 and t.with_rules == 3 / 6 and t.of_classified == 3 / 4
    assert unclassified(("Autism Spectrum", "", "", "")) and unclassified(("", "", "MRI", ""))
    assert not unclassified(("Autism Spectrum", "", "", "ABA-Applied Behavioral Analysis"))
    assert unclassified(("Not Applicable", "", "Outpatient", "Emergency Room"))
    assert unclassified(("Skin", "Acne", "Not Applicable", ""))


def test_the_shipped_table_lists_emergency_room_visits_as_rule_governed() -> None:
    ruled = load_rule_governed()
    assert "Acute Medical Services - Outpatient|Emergency Room" in ruled
    assert not any("Physical Therapy" in k for k in ruled)


def test_the_shipped_corpus_answers_an_emergency_room_denial_by_californias_rule() -> None:
    from pipeline.corpus import load_corpus

    cov = Coverage(load_corpus(), load_terms(), load_rule_governed())
    er = ("Digestive System/ Gastrointestinal", "Other", "Acute Medical Services - Outpatient",
          "Emergency Room")
    assert cov.covered_by_rule(er)
    assert not cov.covered_by_rule(("Digestive System/ Gastrointestinal", "Other",
                                    "Acute Medical Services - Outpatient", "Physical Therapy"))


def test_an_unnamed_drug_is_stood_for_by_a_drug_passage_never_a_named_one() -> None:
    from pipeline.models import ServiceKind

    anti_tnf = passage("tnf", conditions=["K50"], treatments=["adalimumab"], purpose=["drug"],
                       text="Adalimumab, a biologic, induces remission.")
    unnamed = {"Drugs": ServiceKind.drug}
    other = ("Digestive", "Crohn's", "Drugs", "Other")
    assert Coverage([anti_tnf], TERMS, unnamed_members=unnamed).covered(other)
    assert not Coverage([anti_tnf], TERMS).covered(other)  # the table does not say so
    # a named sub-category needs its own drug; another disease's drug never stands for it
    assert not Coverage([anti_tnf], TERMS, unnamed_members=unnamed).covered(CROHNS)
    assert not Coverage([anti_tnf], TERMS, unnamed_members=unnamed).covered(
        ("Digestive", "Ulcerative Colitis", "Drugs", "Other"))
    surgery = passage("ileo", conditions=["K50"], treatments=["ileocecal resection"],
                      purpose=["procedure"], text="Resection for stricturing disease.")
    assert not Coverage([surgery], TERMS, unnamed_members=unnamed).covered(other)
    assert load_unnamed_members() == {"Pharmacy/Prescription Drugs": ServiceKind.drug}


ENDOMETRIOSIS_LAPAROSCOPY = ("OB-Gyn/ Pregnancy", "Endometriosis", "OB/GYN Procedures",
                             "Laparoscopy")


def test_a_stem_in_the_shipped_table_lets_a_passage_naming_the_whole_word_count() -> None:
    # the table lists "laparoscop" to find the topic's inflections in a passage's text; a
    # passage names its treatment as a whole word, which a stem alone never equals
    lap = passage("lap", conditions=["N80"], treatments=["laparoscopy"], purpose=["procedure"],
                  text="Laparoscopy confirms and treats endometriosis.")
    cov = Coverage([lap], load_terms())
    assert cov.covered(ENDOMETRIOSIS_LAPAROSCOPY)
    assert not cov.covered(("OB-Gyn/ Pregnancy", "Endometriosis", "OB/GYN Procedures",
                            "Hysterectomy"))
    _, tx = load_terms()
    for stem, word in [("prosthe", "prosthesis"), ("colonoscop", "colonoscopy")]:
        entries = [words for words in tx.values() if stem in words]
        assert entries and all(word in words for words in entries)


def test_the_shipped_table_lists_a_drug_class_by_the_members_passages_name() -> None:
    _, tx = load_terms()
    hypnotics = lookup(tx, "Pharmacy/Prescription Drugs", "Sedatives/ Hypnotics")
    assert {"zolpidem", "suvorexant", "eszopiclone"} <= set(hypnotics)
    assert "rifaximin" in lookup(tx, "Pharmacy/Prescription Drugs", "Antibiotics")
    insomnia_hypnotic = ("Central Nervous System/ Neuromuscular", "Insomnia",
                         "Pharmacy/Prescription Drugs", "Sedatives/ Hypnotics")
    aasm = passage("aasm", conditions=["G470"], treatments=["zolpidem"], purpose=["drug"],
                   text="Zolpidem is suggested for sleep onset and maintenance insomnia.")
    assert Coverage([aasm], load_terms()).covered(insomnia_hypnotic)
