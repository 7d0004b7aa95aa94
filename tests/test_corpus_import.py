"""What the import scripts derive from public-domain records: the names of the treatment a
coverage document is about, and an FDA label's passage with its drug's names."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from corpus_import import treatment_names
from import_fda_labels import drug_names, indications, passages_for


def test_treatment_names_come_from_the_head_of_a_title() -> None:
    cpap = "Continuous Positive Airway Pressure (CPAP) Therapy For Obstructive Sleep Apnea (OSA)"
    assert treatment_names(cpap) == [
        "continuous positive airway pressure therapy",
        "continuous positive airway pressure",
        "cpap",
    ]  # OSA is the condition, after 'for'
    assert treatment_names("Cardiac Pacemakers") == ["cardiac pacemakers", "cardiac pacemaker"]
    assert treatment_names("Bone (Mineral) Density Studies") == [
        "bone density studies",
        "bone density",
    ]
    assert treatment_names("Acupuncture for Osteoarthritis") == ["acupuncture"]
    assert treatment_names("Interventions") == []  # too vague to name a service
    assert treatment_names("Preexposure Prophylaxis") == ["preexposure prophylaxis"]


class Matcher:
    """Names K51 for 'ulcerative colitis', L40 for 'psoriasis', E66 for 'obesity', I25 for
    'cardiovascular disease' (what the real matcher finds, without its code set)."""

    TERMS: ClassVar[dict[str, str]] = {
        "ulcerative colitis": "K51",
        "psoriasis": "L40",
        "obesity": "E66",
        "cardiovascular disease": "I25",
    }

    def conditions(self, text: str, *, longest: bool = False) -> list[str]:
        return sorted(code for term, code in self.TERMS.items() if term in text)


def test_an_fda_label_passage_names_its_drug_and_the_conditions_it_is_indicated_for() -> None:
    rec = {
        "ingredient": "Mesalamine",
        "unii": "4Q81I59GXC",
        "product_names": ["LIALDA", "Asacol HD", "5"],
        "indication_text": "LIALDA is indicated for the induction of remission in adults with "
        "active, mild to moderate ulcerative colitis.",
    }
    assert drug_names(rec) == ["mesalamine", "lialda", "asacol hd"]
    (p,) = passages_for(rec, Matcher())  # type: ignore[arg-type]
    assert p["id"] == "fda-label-mesalamine-4q81i59gxc-p1"
    assert p["conditions"] == ["K51"] and p["treatments"] == ["mesalamine", "lialda", "asacol hd"]
    assert p["source_id"].endswith("(UNII 4Q81I59GXC)") and p["upstream_source"]
    unrelated = {**rec, "indication_text": "indicated for the relief of mild pain"}
    assert passages_for(unrelated, Matcher()) == []  # could never fit a case  # type: ignore[arg-type]


def test_a_label_passage_states_one_indication() -> None:
    """A label naming several indications gives one passage each, with only its own
    condition: the psoriasis indication is not a reference for ulcerative colitis."""
    rec = {
        "ingredient": "Adalimumab",
        "unii": "FYS6T7F842",
        "product_names": ["HYRIMOZ"],
        "indication_text": "HYRIMOZ is indicated for the treatment of adult patients with "
        "moderate to severe chronic plaque psoriasis.\nHYRIMOZ is indicated for the treatment "
        "of moderately to severely active ulcerative colitis in adult patients.\nTherefore, "
        "when used in patients with ulcerative colitis, monitor closely.",
    }
    passages = passages_for(rec, Matcher())  # type: ignore[arg-type]
    assert [p["conditions"] for p in passages] == [["L40"], ["K51"]]  # the stray sentence: none
    assert passages[1]["text"].endswith("ulcerative colitis in adult patients.")
    assert passages[1]["section"].startswith("Indications and Usage: ")


def test_a_condition_in_an_indications_population_is_not_its_indication() -> None:
    """Wegovy's cardiovascular indication is for adults with cardiovascular disease 'and
    obesity': the obesity is the weight indication's, not this one's."""
    text = (
        "WEGOVY is indicated to reduce excess body weight in adults with obesity "
        "to reduce the risk of major adverse cardiovascular events in adults with established "
        "cardiovascular disease and either obesity or overweight."
    )
    found = indications(text, Matcher())  # type: ignore[arg-type]
    assert [c for _, c in found] == [["E66"], ["I25"]]
    assert all(statement.startswith("WEGOVY is indicated to reduce") for statement, _ in found)
    limitation = (
        "Limitations of Use: the safety in pediatric patients with obesity has not been "
        "established."
    )
    assert indications(limitation, Matcher()) == []  # type: ignore[arg-type]


def test_a_whole_chapter_is_never_a_condition_a_named_cancer_is() -> None:
    """'cancer' maps to chapter C, which would fit every cancer: a text naming lung cancer is
    about C34 (and its screening code) only, and one naming cancer only in general gets no
    prefix but the malignancy fact (any cancer patient)."""
    from corpus_import import ConditionMatcher

    matcher = ConditionMatcher()
    screening = "Lung Cancer: Screening. Annual screening for lung cancer reduces cancer deaths."
    assert matcher.conditions(screening) == ["C34", "Z122"]
    assert matcher.applies_if(screening, matcher.conditions(screening)) == []
    general = "Next generation sequencing for patients with advanced cancer"
    assert matcher.conditions(general) == []
    assert matcher.applies_if(general, []) == ["malignancy"]
    pregnancy = "Screening for syphilis in pregnant women"
    assert "O" not in matcher.conditions(pregnancy)
    assert {"Z33", "Z3A"} <= set(matcher.conditions(pregnancy))
