"""Grid tables, dotted-leader headers, department letterheads and two ids on one line."""

from __future__ import annotations

from pipeline.criteria_rules import read_criteria
from pipeline.extract import (
    extract_facts,
    find_insurer,
    find_member_id,
    find_requested,
    without_leaders,
)

GRID = """\
ACME HEALTH PLAN, INC.
Pharmacy Clinical Review

We reviewed the request. Our finding on each criterion:

+----+----------------------+-------------------------------+----------------------------+
| #  | Criterion            | Requirement                   | Finding                    |
+====+======================+===============================+============================+
| 1  | Prescriber specialty | Prescribed by or in           | MET. Prescriber is a       |
|    |                      | consultation with a           | pulmonologist.             |
|    |                      | pulmonologist or allergist    |                            |
+----+----------------------+-------------------------------+----------------------------+
| 2  | Exacerbation history | At least 2 asthma             | NOT MET. One exacerbation  |
|    |                      | exacerbations requiring       | requiring prednisone is    |
|    |                      | systemic corticosteroids in   | documented.                |
|    |                      | the past 12 months            |                            |
+----+----------------------+-------------------------------+----------------------------+
| 3  | Controller therapy   | High-dose inhaled             | NOT DOCUMENTED. Pharmacy   |
|    |                      | corticosteroid for at least 3 | claims were not submitted. |
|    |                      | months                        |                            |
+----+----------------------+-------------------------------+----------------------------+
| 4  | Concurrent biologics | Not used with another         | Attested on request form.  |
|    |                      | monoclonal antibody           |                            |
+----+----------------------+-------------------------------+----------------------------+

Preferred alternatives on formulary: FASENRA (benralizumab) 30 mg pen; NUCALA (mepolizumab)
100 mg pen
"""


def test_grid_table_reads_name_and_requirement_as_the_criterion_and_finding_as_status() -> None:
    criteria = read_criteria(GRID)
    assert [c.text for c in criteria] == [
        "Prescriber specialty Prescribed by or in consultation with a pulmonologist or allergist",
        "Exacerbation history At least 2 asthma exacerbations requiring systemic "
        "corticosteroids in the past 12 months",
        "Controller therapy High-dose inhaled corticosteroid for at least 3 months",
        "Concurrent biologics Not used with another monoclonal antibody",
    ]
    assert [c.payer_status for c in criteria] == ["met", "not_met", "not_documented", "met"]
    assert criteria[0].payer_reason == "Prescriber is a pulmonologist."
    assert criteria[1].payer_reason == "One exacerbation requiring prednisone is documented."
    assert criteria[3].payer_reason == "Attested on request form."
    months = [r for r in criteria[2].requirements if r.value == 3]
    assert months and months[0].unit == "months"  # the requirement's threshold is kept
    assert not any("FASENRA" in c.text or "NUCALA" in c.text for c in criteria)


def test_indented_grid_table_without_header_rule_reads_rows() -> None:
    text = (
        "The criteria and our determination:\n\n"
        "  +-------------------+------------------------+-----------------+\n"
        "  | Criterion         | Requirement            | Determination   |\n"
        "  +-------------------+------------------------+-----------------+\n"
        "  | Face-to-face      | A visit within 6       | NOT MET. Last   |\n"
        "  | visit             | months of the order    | visit 03/2026.  |\n"
        "  +-------------------+------------------------+-----------------+\n"
    )
    [criterion] = read_criteria(text)
    assert criterion.text == "Face-to-face visit A visit within 6 months of the order"
    assert criterion.payer_status == "not_met"
    assert criterion.payer_reason == "Last visit 03/2026."


LEADERS = """\
ACME BENEFIT ADMINISTRATORS, INC.
Behavioral Health Utilization Review

Claims administrator for: Prairie Rail Workers Health and Welfare Plan

Member ID ............... HFS-44019372-00   Group HFS-001
Reference number ........ UR-2611-88314
Services requested ...... S0013  Esketamine, nasal spray, 1 mg                    980 units
                          G2082  Office visit with esketamine, up to 56 mg         x 1
                          G2083  Office visit with esketamine, greater than 56 mg  x 11
"""


def test_dotted_leader_header_reads_labels_and_every_code_with_units() -> None:
    facts = extract_facts(LEADERS)
    assert facts.member_id == "HFS-44019372-00"
    assert facts.claim_number == "UR-2611-88314"
    assert [(s.code, s.units) for s in facts.requested] == [
        ("S0013", 980),
        ("G2082", 1),
        ("G2083", 11),
    ]


def test_cpt_codes_on_continuation_lines_aligned_under_a_leader_value() -> None:
    text = (
        "Services requested ...... 90867  TMS, initial                 x 1\n"
        "                          90868  TMS, subsequent delivery     x 29\n"
    )
    assert [(s.code, s.units) for s in find_requested(without_leaders(text))] == [
        ("90867", 1),
        ("90868", 29),
    ]


def test_letterhead_department_line_is_not_the_insurer() -> None:
    assert find_insurer(LEADERS) == "ACME BENEFIT ADMINISTRATORS, INC"
    assert extract_facts(LEADERS).plan_sponsor == "Prairie Rail Workers Health and Welfare Plan"
    text = "SUMMIT RIDGE BENEFIT SERVICES LLC\nUtilization Management Department\n\nDear Dr. X:"
    assert find_insurer(text) == "SUMMIT RIDGE BENEFIT SERVICES LLC"
    # a payer named on line 1 still wins over a department with payer words under it
    text = "Willow Bend Health Plan\nBehavioral Health Review Unit\n\nDear Dr. X:"
    assert find_insurer(text) == "Willow Bend Health Plan"


def test_two_ids_on_one_line_plan_member_id_is_the_member_id() -> None:
    text = "Member: Ann Lee\nMedicaid ID: 7012846631   Plan member ID: CHK00418853\n"
    facts = extract_facts(text)
    assert facts.member_id == "CHK00418853"
    assert facts.program_member_id == "7012846631"
    alone = extract_facts("Member: Ann Lee\nMedicaid ID: 7012846631\n")
    assert (alone.member_id, alone.program_member_id) == ("7012846631", None)
    assert find_member_id("Member ID: ABC12345\n") == "ABC12345"


def test_verdict_by_number_not_documented() -> None:
    text = (
        "Coverage requires:\n\n"
        "1. Age 18 years or older with a confirmed diagnosis of major depressive disorder.\n"
        "2. Failure of at least 4 antidepressant trials from at least 2 different classes.\n"
        "3. A trial of evidence-based psychotherapy of at least 8 weeks.\n\n"
        "Criterion 1 is met. Criterion 2 is not met: two trials are documented.\n"
        "Criterion 3 is not documented: no psychotherapy notes were received.\n"
    )
    assert [c.payer_status for c in read_criteria(text)] == ["met", "not_met", "not_documented"]


def test_leaders_after_a_second_label_and_a_code_under_a_diagnosis_line() -> None:
    text = (
        "Medicare ID ...... 3QX7-TR2-MK84   Plan member ID ... TRH-55109286\n"
        "Authorization no. ....... PA-26-310557\n"
        "Diagnosis ............... G61.81  Chronic inflammatory demyelinating polyneuritis\n"
        "Drug requested .......... J1569  Injection, immune globulin, 500 mg   280 units\n"
    )
    facts = extract_facts(text)
    assert (facts.member_id, facts.program_member_id) == ("TRH-55109286", "3QX7-TR2-MK84")
    assert facts.claim_number == "PA-26-310557"
    assert [(s.code, s.units) for s in facts.requested] == [("J1569", 280)]
