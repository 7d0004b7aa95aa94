"""Coverage-conditions lists (NCD / LCD) read as the payer's criteria, and the records the
notice says its reviewer had (issue 17, reading). Letters here are written for these tests."""

from __future__ import annotations

import datetime as dt

from pipeline.criteria_rules import read_criteria
from pipeline.extract import extract_facts
from pipeline.payer_findings import opens_records_reviewed, records_reviewed, status_from_narrative

NCD_NOTICE = """\
Why did we deny your request?

Medicare covers this device under National Coverage Determination (NCD) 160.18, Vagus
Nerve Stimulation. As a Medicare Advantage plan we follow the NCD. The NCD's coverage
conditions are:

  *  Partial-onset seizures that persist despite treatment
  *  Failure of drug therapy, defined as:
       o  at least 2 antiseizure medications tried at adequate doses, and
       o  seizures continuing for at least 12 months
  *  No prior resective surgery that is still expected to control the seizures

We reviewed: the neurology consultation of 08/04/2026, the EEG report of 07/22/2026, and
the seizure diary for 05/2026 through 07/2026.

What we found: The partial-onset seizures are documented. Only one antiseizure medication is
listed, so the drug therapy condition is not met. There is no prior resective surgery, so that
condition is met.
"""


def test_a_coverage_conditions_list_is_read_as_criteria_with_their_source() -> None:
    criteria = read_criteria(NCD_NOTICE)
    assert [c.text.split(",")[0][:30] for c in criteria] == [
        "Partial-onset seizures that pe",
        "Failure of drug therapy",
        "No prior resective surgery tha",
    ]
    # the sub-bullets are the criterion's own requirements
    drug = criteria[1]
    assert "at least 2 antiseizure medications" in drug.text and "12 months" in drug.text
    # the NCD is carried as each criterion's source, so the letter names it
    assert all(c.source and "160.18" in c.source for c in criteria)
    # the findings paragraph after the 'We reviewed: ...' paragraph gives each its status
    assert [c.payer_status for c in criteria] == ["met", "not_met", "met"]


def test_conditions_of_coverage_heading_introduces_the_list() -> None:
    text = (
        "Conditions of coverage under LCD L33718:\n\n"
        "  1. The wound has been treated for at least 30 days.\n"
        "  2. The wound is measured weekly.\n"
    )
    criteria = read_criteria(text)
    assert [c.text for c in criteria] == [
        "The wound has been treated for at least 30 days",
        "The wound is measured weekly",
    ]
    assert all(c.source and "L33718" in c.source for c in criteria)


def test_records_reviewed_are_read_in_each_form() -> None:
    assert records_reviewed(NCD_NOTICE) == [
        "the neurology consultation of 08/04/2026",
        "the EEG report of 07/22/2026",
        "the seizure diary for 05/2026 through 07/2026",
    ]
    listed = (
        "Information used in this decision:\n"
        "  1. Cardiology note dated 03/02/2026\n"
        "  2. Holter monitor report dated 02/20/2026\n"
        "\nReviewer: A. Person, MD\n"
    )
    assert records_reviewed(listed) == [
        "Cardiology note dated 03/02/2026",
        "Holter monitor report dated 02/20/2026",
    ]
    paren = (
        "We reviewed the records your doctor sent (clinic notes dated 01/05/2026 and "
        "02/09/2026 and the lab results of 02/01/2026) against the policy."
    )
    # a date after 'and' stays with its record
    assert records_reviewed(paren) == [
        "clinic notes dated 01/05/2026 and 02/09/2026",
        "the lab results of 02/01/2026",
    ]
    inline = "Records reviewed: operative report dated 04/11/2026; pathology report (04/13/2026)."
    assert records_reviewed(inline) == [
        "operative report dated 04/11/2026",
        "pathology report (04/13/2026)",
    ]
    sentence = (
        "We reviewed the office note of 05/01/2026 and the MRI report of 04/20/2026 using "
        "our Medical Policy MP-100."
    )
    assert records_reviewed(sentence) == [
        "the office note of 05/01/2026",
        "the MRI report of 04/20/2026",
    ]
    # records in general are not a record the letter could name
    assert records_reviewed("We reviewed your records against these conditions:\n") == []
    assert records_reviewed("We reviewed the request and the policy criteria below.") == []


def test_records_reviewed_reach_the_analysis_and_open_their_paragraph() -> None:
    assert extract_facts(NCD_NOTICE).records_reviewed[1] == "the EEG report of 07/22/2026"
    assert opens_records_reviewed("We reviewed: the note of 01/02/2026.")
    assert opens_records_reviewed("Documents considered:\n - Note")
    assert not opens_records_reviewed("What we found: the note shows ...")


def test_a_negation_before_a_so_clause_does_not_undo_its_verdict() -> None:
    assert status_from_narrative("There is no active infection, so that condition is met.") == "met"
    assert status_from_narrative("No trial was documented, so it is not met.") is not None
    assert status_from_narrative("The condition is not met.") is None


INDICATIONS = """\
We reviewed the request under Medical Policy ORT-22. The brace is covered when the member has
at least ONE of the following indications, and the Additional Requirements (A) and (B) below:

  1. Instability of the knee after a ligament injury
  2. A planned return to a sport that loads the knee
  3. Recovery after a ligament reconstruction

  Additional Requirements:
  (A) The brace is fitted by a certified orthotist.
  (B) The member takes part in a supervised exercise program.

Our review: the ligament injury with instability meets indication 1. Requirement (A) is not
documented: we did not receive a fitting note. Requirement (B) is met.
"""


def test_additional_requirements_are_required_beside_the_one_of_indications() -> None:
    criteria = read_criteria(INDICATIONS)
    assert [c.alternative for c in criteria] == [True, True, True, False, False]
    # 'Requirement (A)' is the criterion listed as (A), not the first indication
    assert [c.payer_status for c in criteria] == ["met", "not_met", "not_met", "not_documented",
                                                  "met"]  # fmt: skip


def test_the_strategy_leaves_required_criteria_out_of_the_alternatives() -> None:
    from pipeline.models import CaseFacts, Criterion, CriterionVerdict, DenialAnalysis
    from pipeline.reasoning.strategy import settle, strategy

    criteria = [
        Criterion(text="Instability of the knee", alternative=True),
        Criterion(text="A planned return to sport", alternative=True),
        Criterion(text="The brace is fitted by a certified orthotist"),
    ]
    analysis = DenialAnalysis(criteria=criteria)
    verdicts = [
        CriterionVerdict(index=i, criterion=c, status=s)
        for i, (c, s) in enumerate(zip(criteria, ["met", "unknown", "unknown"], strict=True))
    ]
    plan = strategy(analysis, CaseFacts(), "", dt.date(2026, 12, 6))
    settled = settle(verdicts, plan)
    assert [v.alternative for v in settled] == [False, True, False]
    # without the reading's marks, a one-of lead-in still makes every unmet one an alternative
    plain = [Criterion(text=c.text) for c in criteria]
    lead = "Covered when at least one of the following is met: " + " ".join(c.text for c in plain)
    unmarked = [v.model_copy(update={"criterion": c}) for v, c in zip(verdicts, plain, strict=True)]
    settled = settle(unmarked, strategy(DenialAnalysis(criteria=plain), CaseFacts(), lead,
                                        dt.date(2026, 12, 6)))  # fmt: skip
    assert [v.alternative for v in settled] == [False, True, True]


LETTERED = """\
The device is covered when all of the following criteria are met:

  1. A diagnosis of heart failure. - MET.
  2. LVEF 35% or less, AND ONE of the following:
       a. a myocardial infarction within the past 40 days; or
       b. coronary revascularization within the past 90 days.
     - PARTIALLY MET. The LVEF of 30% is documented, but no infarction date was given.
"""


def test_lettered_sub_criteria_keep_their_windows_and_the_finding_stays_out() -> None:
    first, second = read_criteria(LETTERED)
    # the lead-in's 'when all of the following criteria are met' is a condition, not a verdict
    assert (first.payer_status, second.payer_status) == ("met", "not_met")
    # the payer's 'PARTIALLY MET' finding is its reason, not words of the criterion
    assert "PARTIALLY" not in second.text and second.text.endswith("within the past 90 days")
    assert second.payer_reason and second.payer_reason.startswith("The LVEF of 30% is documented")
    assert second.logic == "any"
    by_branch = {
        (r.branch, r.kind.value): r for r in second.requirements if r.kind.value != "other"
    }
    # the LVEF bar holds in both branches, with no window of a sub-item on it
    assert by_branch[(0, "threshold")].window is None and by_branch[(1, "threshold")].window is None
    windows = {
        b: (r.value, r.unit, r.subject) for (b, k), r in by_branch.items() if k == "time_window"
    }
    assert windows == {
        0: (40, "days", "a myocardial infarction"),
        1: (90, "days", "coronary revascularization"),
    }


def test_a_heading_under_the_items_leads_a_list_of_its_own() -> None:
    # no blank line parts the 'Additional Requirements:' list from the indications
    text = INDICATIONS.replace("\n\n  1.", "\n  1.")
    text = text.replace("reconstruction\n\n  Additional", "reconstruction\nAdditional")
    assert "reconstruction\nAdditional Requirements:\n  (A)" in text
    criteria = read_criteria(text)
    assert [c.alternative for c in criteria] == [True, True, True, False, False]
    assert [c.payer_status for c in criteria][3:] == ["not_documented", "met"]
    # a wrapped line of an item that ends in a colon leads no list of its own
    wrapped = (
        "Coverage requires all of the following:\n"
        "  1. Hearing loss with limited benefit from hearing aids,\n"
        "     defined by ONE of the following:\n"
        "       a. a score of 60% or less; or\n"
        "       b. a score of 40% or less in the other ear.\n"
        "  2. A trial of hearing aids for at least 3 months.\n"
    )
    assert len(read_criteria(wrapped)) == 2


def test_a_rule_naming_criteria_by_label_is_no_verdict() -> None:
    text = (
        "The policy covers the device when the member meets criterion A or criterion B, and "
        "criterion C:\n\n"
        "   A. An index of 15 or more events per hour. --> Not met.\n"
        "   B. An index of 5 to 14 events per hour with sleepiness. --> Not met.\n"
        "   C. A visit before the sleep test. --> Not met.\n"
    )
    assert [c.payer_status for c in read_criteria(text)] == ["not_met"] * 3


GROUPED = """\
Medicare covers this implant only when the conditions of NCD 160.24 are met. We reviewed your
records against these conditions:

  *  Patient selection:
       o A diagnosis confirmed by a movement disorder neurologist - MET
       o Symptoms that persist despite optimal medical therapy for at least 5 years
         - NOT MET. The records show 3 years of treatment.
  *  Facility requirements:
       o A neurosurgery program with stereotactic capability - MET
  *  Plan Coverage Criteria NS-210, Section 4:
       o A neuropsychological evaluation within the past 12 months - NOT DOCUMENTED.
         No evaluation was included.
"""


def test_group_headings_over_sub_items_with_findings_make_each_sub_item_a_criterion() -> None:
    criteria = read_criteria(GROUPED)
    assert [c.text.split(" ")[1] for c in criteria] == [
        "diagnosis", "that", "neurosurgery", "neuropsychological"
    ]  # fmt: skip
    assert [c.payer_status for c in criteria] == ["met", "not_met", "met", "not_documented"]
    assert criteria[1].payer_reason == "The records show 3 years of treatment"
    # the NCD governs the list; the group that names the plan's own criteria is their source
    assert criteria[0].source and "160.24" in criteria[0].source
    assert criteria[3].source == "Coverage Criteria NS-210"
    # sub-items with no finding of their own stay parts of their criterion
    parts = "Coverage requires all of the following:\n  *  Severe obesity, defined as:\n" + (
        "       o BMI of 40 or more, or\n       o BMI of 35 or more with a comorbidity\n"
    )
    assert len(read_criteria(parts)) == 1


def test_o_sub_items_in_a_tables_first_cell_stay_with_their_criterion() -> None:
    table = (
        "Coverage requires each condition below.\n\n"
        "| Condition                                       | Finding                  |\n"
        "|-------------------------------------------------|--------------------------|\n"
        "| Response to the test injection, with:           | Not met: the note shows  |\n"
        "|   o at least 60% pain relief, and               | 30% relief.              |\n"
        "|   o relief lasting at least 4 hours             |                          |\n"
        "| No prior fusion at the level                    | Met                      |\n"
    )
    first, second = read_criteria(table)
    assert first.text.startswith("Response to the test injection, with: o at least 60%")
    assert "lasting at least 4 hours" in first.text and first.payer_status == "not_met"
    assert first.payer_reason == "the note shows 30% relief."
    kinds = {(r.kind.value, r.value, r.unit) for r in first.requirements}
    assert ("threshold", 60, "%") in kinds and ("duration", 4, "hours") in kinds
    assert (second.text, second.payer_status) == ("No prior fusion at the level", "met")


def test_required_labels_in_the_same_list_are_not_alternatives() -> None:
    text = (
        "The brace is covered when the member has at least ONE of the following indications, "
        "and the\nAdditional Requirements (A) and (B):\n\n"
        "  1. Instability of the knee after a ligament injury\n"
        "  2. A planned return to a sport that loads the knee\n"
        "  (A) The brace is fitted by a certified orthotist.\n"
        "  (B) The member takes part in a supervised exercise program.\n"
    )
    assert [c.alternative for c in read_criteria(text)] == [True, True, False, False]
