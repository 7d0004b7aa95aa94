"""An FDA label text the upstream extract begins mid-sentence (list items, or a cut sentence's
end, stranded before the sentence that introduces them) is imported starting at its sentence
saying what the drug is indicated for: the letter's guideline line then reads from its first
word (the lead's blind shape: 'who have intolerance to oral iron ...')."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from import_fda_labels import lead_first


def test_list_items_follow_their_lead_in() -> None:
    line = (
        "who have intolerance to oral iron who have chronic kidney disease (NDD-CKD) "
        "Ferrodex is indicated for the treatment of iron deficiency anemia in adult patients:"
    )
    assert lead_first(line) == (
        "Ferrodex is indicated for the treatment of iron deficiency anemia in adult patients: "
        "who have intolerance to oral iron who have chronic kidney disease (NDD-CKD)"
    )


def test_a_dangling_conjunction_is_dropped() -> None:
    line = (
        "hemophilia A without inhibitors, or Clotvex is indicated for routine prophylaxis in "
        "patients 12 years of age and older with:"
    )
    assert lead_first(line).startswith("Clotvex is indicated for routine prophylaxis")
    assert lead_first(line).endswith("with: hemophilia A without inhibitors")


def test_a_cut_sentence_end_becomes_a_clause_after_the_lead() -> None:
    line = (
        "for relief of the signs and symptoms of osteoarthritis Painex Potassium Capsules are "
        "indicated for relief of mild to moderate acute pain in adults."
    )
    assert lead_first(line) == (
        "Painex Potassium Capsules are indicated for relief of mild to moderate acute pain in "
        "adults; for relief of the signs and symptoms of osteoarthritis"
    )


def test_a_line_that_starts_well_or_has_no_subject_is_kept() -> None:
    kept = [
        "Drugex is indicated for the treatment of hypertension.",
        "is indicated for the topical control of acne vulgaris and rosacea",
        "for the relief of pain in adults with osteoarthritis",
    ]
    for line in kept:
        assert lead_first(line) == line
