"""One reader of acronyms (review36 F9): the verdicts' 'CST' spelled out in a finding, the
enclosures' 'CRST worksheet' for a record's full name, the modalities' 'CTA' in a test's name."""

from pipeline.criteria_rules import labels_named
from pipeline.reasoning.enclosures import _abbreviates
from pipeline.text.acronyms import acronyms, initials, spells


def test_an_acronym_is_spelled_by_consecutive_initials() -> None:
    assert spells("CST", "Central subfield thickness 412 um on OCT")
    assert not spells("CST", "Central retinal thickness")  # 'CRT', not 'CST'
    assert not spells("", "Central subfield thickness")


def test_small_words_are_skipped_only_when_asked() -> None:
    name = "Clinical Rating Scale for Tremor (Fahn-Tolosa-Marin)"
    assert spells("CRST", name, skip_small=True)
    assert not spells("CRST", name)  # 'CRSFT' with 'for'
    assert _abbreviates("CRST examination worksheet", name)
    assert not _abbreviates("PHQ-9 score sheet", name)


def test_a_word_in_capitals_is_kept_whole_when_asked() -> None:
    assert initials("CT angiography of the neck", whole_acronyms=True) == "CTAOTN"
    assert initials("CT angiography of the neck") == "CAOTN"
    assert acronyms("CRST and MRA, not Ct or CT") == ["CRST", "MRA"]


def test_a_number_and_a_word_as_written_are_kept_when_asked() -> None:
    # review37 F3: the prior-treatment table's reader of a diagnosis's acronym ('T2DM')
    assert initials("Type 2 diabetes mellitus", keep_digits=True) == "T2DM"
    assert initials("Type 2 diabetes mellitus") == "TDM"
    assert initials("Crohn's non-stricturing disease", keep_digits=True) == "CNSD"
    assert initials("Crohn's disease") == "CSD"


def test_a_label_named_holds_a_digit() -> None:
    assert labels_named("Section 3.3 ... no note. Section 3.5 ... no CT.") == ["3.3", "3.5"]
    assert labels_named("See criterion 1 above; indication 2 and item A4b") == ["1", "2", "A4b"]
    assert labels_named("the criteria a patient must meet") == []
    assert labels_named("No PT notes; see also § 3.5 (no imaging) and §4") == ["3.5", "4"]
