"""The IMR coverage eval (evals/imr_coverage.py): a decision is covered only by a passage that
fits its diagnosis and is about its service."""

from __future__ import annotations

from typing import Any

from evals.imr_coverage import Coverage, load_terms, lookup, measure
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
