"""The Medicare coverage rule that governs a service (issue 16, round 27): every part of an NCD
is about the patients its opening names; the letter names the rule by its number and title;
under Medicare and Medicare Advantage the rule the notice applies is cited as binding."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from import_ncd import build_passages


class Matcher:
    """Names I35 for 'aortic stenosis' and I63 for 'stroke' (the real matcher's kind of
    answer, without its code set)."""

    TERMS: ClassVar[dict[str, str]] = {"aortic stenosis": "I35", "stroke": "I63"}

    def conditions(self, text: str, *, longest: bool = False) -> list[str]:
        return sorted(code for term, code in self.TERMS.items() if term in text.lower())

    def applies_if(self, text: str, conditions: list[str]) -> list[str]:
        return []


def _ncd(description: str, indications: str) -> dict[str, str]:
    return {
        "document_display_id": "20.99",
        "title": "Transcatheter Valve Replacement",
        "item_service_description": description,
        "indications_limitations": indications,
        "document_id": "999",
        "document_version": "2",
        "effective_date": "06/21/2019",
        "last_updated": "08/16/2023",
        "benefit_category": "Inpatient Hospital Services",
    }


def test_every_part_of_an_ncd_is_about_the_patients_its_opening_names() -> None:
    # the registry part names only the outcomes it tracks (stroke): it is still about the
    # aortic-stenosis patients of the opening, and an aortic-stenosis patient may cite it
    record = _ncd(
        "The procedure treats aortic stenosis.",
        "The hospital takes part in a registry that tracks stroke and death.",
    )
    passages, _ = build_passages([record], Matcher())  # type: ignore[arg-type]
    by_section = {p["section"]: p for p in passages}
    registry = by_section["Indications and Limitations of Coverage"]
    assert registry["conditions"] == ["I63", "I35"]
    assert by_section["Item/Service Description"]["conditions"] == ["I35"]


def test_a_part_naming_nothing_is_still_left_out_and_ids_stay_in_order() -> None:
    record = _ncd(
        "The procedure treats aortic stenosis.",
        "A. General\nThe study has a written protocol.\nB. Registry\nThe registry tracks stroke.",
    )
    passages, skipped = build_passages([record], Matcher())  # type: ignore[arg-type]
    assert [p["id"] for p in passages] == ["cms-ncd-20-99-p1", "cms-ncd-20-99-p2"]
    assert skipped["no_codes"] == 1  # the protocol part names no condition or code of its own
