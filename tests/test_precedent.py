"""IMR precedent: counts from the shipped table, stated with source and years."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from pipeline import precedent
from pipeline.paths import corpus_dir

DATA = (
    Path(__file__).resolve().parents[3] / "shared/data/imr/ca_dmhc_imr_2001_2016_metadata_only.csv"
)


def test_table_totals_match_the_source_counts() -> None:
    table = json.loads((corpus_dir() / precedent.TABLE).read_text())
    assert table["source"]["records"] == sum(r["decisions"] for r in table["rows"]) == 19228
    assert sum(r["overturned"] for r in table["rows"]) == 8452  # the file's overturned rows


@pytest.mark.skipif(not DATA.exists(), reason="shared IMR data not present")
def test_a_subcategory_counts_its_own_rows() -> None:
    with DATA.open(encoding="utf-8") as handle:
        rows = [
            r
            for r in csv.DictReader(handle, delimiter=";")
            if r["Treatment Sub Category"] == "Residential Treatment Center - Admission"
        ]
    found = precedent.find("Residential Treatment Center - Admission")
    assert found is not None and found.decisions == len(rows)
    assert found.overturned == sum(r["Determination"].startswith("Overturned") for r in rows)


def test_sentence_states_rate_count_source_and_years() -> None:
    found = precedent.find("Residential Treatment Center - Admission")
    assert found is not None
    text = found.sentence()
    assert f"{round(100 * found.rate)}% of {found.decisions:,}" in text
    assert "2001 to 2016" in text and "Independent Medical Review" in text


def test_catch_all_and_rare_subcategories_give_no_figure() -> None:
    assert precedent.find("no such treatment") is None
    assert precedent.for_text("a request for nothing the reviewers name") is None
    whole = precedent.find("Pharmacy/Prescription Drugs")
    assert whole is not None and whole.decisions > 4000
