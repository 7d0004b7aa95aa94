"""ICD-10-CM blocks read from the CMS code list (pipeline.codes.icd10_block) are the ones
simple-icd-10-cm's parsed hierarchy gives, for every code it knows and for codes it does not."""

from __future__ import annotations

import pytest

from pipeline.codes import icd10_block


def test_the_block_of_every_code_is_the_one_the_parsed_hierarchy_gives() -> None:
    icd = pytest.importorskip("simple_icd_10_cm")  # its import parses the XML (seconds)

    def parsed(code: str) -> str:
        try:
            ancestors = icd.get_ancestors(code)
        except ValueError:
            return code[:3]
        return str(ancestors[-2]) if len(ancestors) >= 2 else code[:3]

    codes = icd.get_all_codes(True)
    assert len(codes) > 90_000
    odd = ["M17.", "M1.711", "m1711", "ZZZ9", "", "B10", "B10.0", "C4A0", "I63512", "13"]
    checked = [*codes, *(c.replace(".", "") for c in codes), *odd]
    wrong = [(c, icd10_block(c), parsed(c)) for c in checked if icd10_block(c) != parsed(c)]
    assert not wrong, wrong[:10]


def test_examples_of_blocks() -> None:
    assert icd10_block("M1711") == icd10_block("M17.11") == "M15-M19"
    assert icd10_block("B100") == "B10"  # a block made of one category
    assert icd10_block("C4A0") == "C43-C44"
    assert icd10_block("XYZ1") == "XYZ"  # not a code: its first three characters
