"""Issue 14, defect 3: a case file about another patient, claim or service is refused before
drafting, with one line naming both values; the validator reports the same (see the
hand-edit suite for letters)."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from pipeline.casefile import load_case
from pipeline.errors import InputError
from pipeline.extract import extract
from pipeline.identity import mismatches, same_person
from pipeline.ingest import ingest
from pipeline.models import CaseFacts, DenialAnalysis
from pipeline.run import draft_letter

from .conftest import EXAMPLES, ROOT

TKA = ROOT / "examples" / "tka-aca"


def _case(**changes: object) -> CaseFacts:
    data = yaml.safe_load((TKA / "case.yaml").read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = data
        for part in parents:
            node = node[part]
        node[last] = value
    return CaseFacts.model_validate(data)


WRONG = [
    ("patient__name", "Margaret A. Oyelaran", "patient name", "Harold B. Lindqvist"),
    ("patient__name", "Margaret Lindqvist", "patient name", "Harold B. Lindqvist"),
    ("patient__member_id", "PSH-55555-1111-01", "member id", "PSH-90331-7742-01"),
    ("claim_reference", "PA26-9999999", "claim number", "PA26-3318872"),
    ("insurer", "Blue Harbor Health Plan", "insurer", "Prairie Star"),
    ("service__code", "27130", "service code", "27447"),
]


@pytest.mark.parametrize(
    ("key", "value", "field", "denial"), WRONG, ids=[w[0] + w[1] for w in WRONG]
)
def test_another_patients_case_file_is_refused_naming_both_values(
    key: str, value: str, field: str, denial: str
) -> None:
    with pytest.raises(InputError) as err:
        draft_letter(ingest(TKA / "letter.txt"), _case(**{key: value}), today=dt.date(2026, 12, 5))
    message = str(err.value)
    assert field in message and value in message and denial in message, message
    assert "\n" not in message


def test_a_birth_date_that_differs_from_the_denials_is_named() -> None:
    letter = ingest(ROOT / "examples" / "tms-erisa" / "letter.txt")
    case = load_case(ROOT / "examples" / "tms-erisa" / "case.yaml")
    wrong = case.model_copy(
        update={"patient": case.patient.model_copy(update={"date_of_birth": dt.date(1980, 6, 22)})}
    )
    found = mismatches(letter.text, extract(letter), wrong)
    assert [(m.field, m.case_value, m.denial_value) for m in found] == [
        ("date of birth", "1980-06-22", "1979-06-22")
    ]


def test_a_diagnosis_from_another_condition_is_named() -> None:
    case = _case(diagnoses=[{"code": "F33.2", "description": "Major depressive disorder"}])
    letter = ingest(TKA / "letter.txt")
    found = mismatches(letter.text, extract(letter), case)
    assert [m.field for m in found] == ["diagnosis code"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_bundled_example_matches_its_own_denial(example) -> None:
    letter = ingest(example / "letter.txt")
    assert mismatches(letter.text, extract(letter), load_case(example / "case.yaml")) == []


@pytest.mark.parametrize(
    ("case_name", "denial_name", "same"),
    [
        ("Marisol T. Okafor", "Ms. Okafor", True),
        ("Marisol T. Okafor", "OKAFOR, MARISOL", True),
        ("Naomi R. Bergstrom-Adeyemi", "Naomi Adeyemi", True),
        ("Kevin P. Marchetti", "K. Marchetti", True),
        ("Renée Dubois", "Renee Dubois", True),
        ("Harold Lindqvist", "Margaret Lindqvist", False),
        ("Harold Lindqvist", "Harold Lindgren", False),
    ],
)
def test_same_person(case_name: str, denial_name: str, same: bool) -> None:
    assert same_person(case_name, denial_name) is same


def test_a_salutation_to_the_physician_is_not_the_patients_name() -> None:
    """A denial sent to the attending ("Dear Dr. Ellery:") names the patient on its labelled
    member line; the salutation is not read as another patient's name."""
    text = (
        "RE: Request for admission - ADVERSE DETERMINATION\n"
        "Member: Gerald P. Nakamura      Member ID: SVH0092217-02\n\n"
        "Dear Dr. Ellery:\n\nThe request was reviewed.\n"
    )
    analysis = DenialAnalysis()
    case = CaseFacts.model_validate({"patient": {"name": "Gerald P. Nakamura"}})
    assert mismatches(text, analysis, case) == []
    other = CaseFacts.model_validate({"patient": {"name": "Margaret A. Oyelaran"}})
    assert [m.field for m in mismatches(text, analysis, other)] == ["patient name"]


def test_a_dependants_notice_names_the_subscriber_beside_the_member() -> None:
    """A notice to a dependant names the policyholder ("Subscriber: CAROL BRANDT", a parent)
    beside the member; the member line names the patient, so the subscriber is no mismatch.
    With no member or patient line, the subscriber line is still read (and compared)."""
    text = (
        "EXPLANATION OF BENEFITS\n"
        "Member:          JONAH T. VELLACOTT         Member ID:     QX-20018-02\n"
        "Subscriber:      RUTH VELLACOTT             Group:         IND-OR (Individual)\n\n"
        "Line 01 was denied.\n"
    )
    analysis = DenialAnalysis()
    patient = CaseFacts.model_validate({"patient": {"name": "Jonah T. Vellacott"}})
    assert mismatches(text, analysis, patient) == []
    other = CaseFacts.model_validate({"patient": {"name": "Ruth Vellacott"}})
    assert [m.field for m in mismatches(text, analysis, other)] == ["patient name"]
    holder_only = "Subscriber: RUTH VELLACOTT     Group: IND-OR\n\nThe claim was denied.\n"
    assert mismatches(holder_only, analysis, patient)[0].denial_value == "RUTH VELLACOTT"
    assert mismatches(holder_only, analysis, other) == []


def test_a_case_id_field_listing_two_ids_agrees_when_the_letter_has_one_of_them() -> None:
    # Offices often write the plan's id and the state's Medicaid id in one field.
    letter = ingest(TKA / "letter.txt")
    analysis = extract(letter)
    assert analysis.member_id
    both = _case(patient__member_id=f"XQ-000111 (state Medicaid ID {analysis.member_id})")
    assert not [m for m in mismatches(letter.text, analysis, both) if m.field == "member id"]
    neither = _case(patient__member_id="XQ-000111 (state Medicaid ID 99887766)")
    assert [m.field for m in mismatches(letter.text, analysis, neither)] == ["member id"]


def test_an_insurer_line_naming_plan_and_administrator_agrees_when_the_letter_names_one() -> None:
    letter = ingest(TKA / "letter.txt")
    analysis = extract(letter).model_copy(update={"insurer": "Utilization Review Unit"})
    named = _case(
        insurer="Acme Widgets Employee Plan (self-funded; claims administrator Prairie Star)"
    )
    assert "prairie" in letter.text.casefold()
    assert not mismatches(letter.text, analysis, named)
    other = _case(
        insurer="Acme Widgets Employee Plan (self-funded; claims administrator Blue Harbor)"
    )
    assert [m.field for m in mismatches(letter.text, analysis, other)] == ["insurer"]


@pytest.mark.parametrize(
    ("written", "code", "additional", "details"),
    [
        ("CPT 27130", "27130", [], None),
        ("HCPCS S0013; G2082; G2083", "S0013", ["G2082", "G2083"], None),
        ("0128", "0128", [], None),
        ("Pharmacy benefit (no HCPCS) - Dupixent pen", None, [], "Pharmacy benefit (no HCPCS)"),
        ("knee thing", "knee thing", [], None),
    ],
)
def test_service_codes_are_read_as_offices_write_them(
    written: str, code: str | None, additional: list[str], details: str | None
) -> None:
    service = _case(service__code=written).service
    assert (service.code, service.additional_codes) == (code, additional)
    assert (details is None) or (service.details or "").startswith(details)


def test_a_second_code_the_denial_names_is_not_a_mismatch() -> None:
    letter = ingest(TKA / "letter.txt")
    found = mismatches(letter.text, extract(letter), _case(service__code="CPT 99999; 27447"))
    assert not [m for m in found if m.field == "service code"]


def test_a_date_of_birth_is_read_by_the_shared_date_parser() -> None:
    """The denial's date of birth is read by pipeline.text.dates (one date parser): every way a
    letter writes it, abbreviated months included; an impossible date is no date."""
    import datetime as dt

    from pipeline.identity import denial_birth_dates

    born = dt.date(1961, 3, 4)
    for line in ("DOB: 03/04/1961", "Date of birth: 1961-03-04", "Date of Birth | March 4, 1961"):
        assert denial_birth_dates(line) == [born]
    assert denial_birth_dates("Date of birth: Mar. 4, 1961") == [born]
    assert denial_birth_dates("Date of birth: 02/30/1961") == []


def _without_suffix(member_id: str) -> str:
    return member_id.rsplit("-", 1)[0]


def test_a_dependants_member_suffix_agrees_with_the_subscribers_id() -> None:
    # An EOB to the employee names the subscriber's id; the case holds the child's, which is
    # that id with a person number ('-02'). Another subscriber's id with a suffix still differs.
    letter = ingest(TKA / "letter.txt")
    analysis = extract(letter)
    assert analysis.member_id
    base = analysis.member_id
    for dependant in (f"{base}-02", f"{base} 01", f"{base}*03"):
        case = _case(patient__member_id=dependant)
        assert not [m for m in mismatches(letter.text, analysis, case) if m.field == "member id"]
    sibling = _case(patient__member_id=f"{_without_suffix(base)}-07")
    assert [m.field for m in mismatches(letter.text, analysis, sibling)] == ["member id"]
    other = _case(patient__member_id="QQ-4410022-02")
    assert [m.field for m in mismatches(letter.text, analysis, other)] == ["member id"]
