"""What the import scripts derive from public-domain records: the names of the treatment a
coverage document is about, and an FDA label's passage with its drug's names."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from corpus_import import treatment_names
from import_fda_labels import drug_names, passages_for


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
    def conditions(self, text: str) -> list[str]:
        return ["K51"] if "ulcerative colitis" in text else []


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
