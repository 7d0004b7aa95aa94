"""`lmn batch --835`: synthetic X12 835 files read by pyx12, denied lines routed by their codes."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from pipeline.batch import adjustment_codes, intake_835, read_835, route_lines
from pipeline.casefile import load_case
from pipeline.cli import main
from pipeline.errors import InputError


def x12_835(claims: list[list[str]], payer: str = "CASCADE MUTUAL HEALTH PLAN") -> str:
    """A 5010 835 around the claims' segments (each claim: CLP, NM1, DTM..., SVC, CAS, LQ)."""
    body = [
        "ST*835*0001",
        "BPR*H*0*C*NON************20261201",
        "TRN*1*12345*1512345678",
        "DTM*405*20261201",
        f"N1*PR*{payer}",
        "N3*PO BOX 1",
        "N4*SEATTLE*WA*98101",
        "PER*BL*APPEALS*TE*8005551212",
        "N1*PE*NORTHWEST NEUROMODULATION*XX*1234567893",
        "LX*1",
    ]
    for claim in claims:
        body += claim
    body.append(f"SE*{len(body) + 1}*0001")
    head = [
        "ISA*00*          *00*          *ZZ*PAYERID        *ZZ*PAYEEID        *261201*1200*^*"
        "00501*000000001*0*P*:",
        "GS*HP*PAYERID*PAYEEID*20261201*1200*1*X*005010X221A1",
    ]
    return "~\n".join([*head, *body, "GE*1*1", "IEA*1*000000001"]) + "~\n"


def claim(
    number: str,
    lines: list[list[str]],
    *,
    status: str = "4",
    cas: tuple[str, ...] = (),
    rendering: str | None = None,
) -> list[str]:
    out = [
        f"CLP*{number}*{status}*1200*0**12*PCN{number}",
        *(f"CAS*{a}" for a in cas),
        f"NM1*QC*1*DOE*JANE****MI*MBR{number}",
        *([f"NM1*82*{rendering}"] if rendering else []),
        "DTM*232*20261015",
        "DTM*233*20261020",
    ]
    for line in lines:
        out += line
    return out


def line(code: str, *adjustments: str, paid: str = "0", remarks: tuple[str, ...] = ()) -> list[str]:
    out = [f"SVC*HC:{code}*1200*{paid}**2", "DTM*472*20261015"]
    out += [f"CAS*{a}" for a in adjustments]
    out += [f"LQ*HE*{r}" for r in remarks]
    return out


def write(tmp_path: Path, text: str, name: str = "remit.835") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="ascii")
    return path


MIXED = [
    claim("A1", [line("90867", "CO*50*1200", remarks=("N115",))]),
    claim("A2", [line("J9271", "CO*55*1200")]),
    claim("A3", [line("E0601", "CO*197*1200")]),
    claim("A4", [line("99213", "PR*1*20", paid="1180"), line("97110", "CO*97*150")], status="1"),
    claim("A5", [line("81162", "CO*96*1200")]),
    claim("A6", [line("81162", "CO*96*1200", remarks=("N386",))]),
    claim("A7", [line("70553", "CO*15*1200")]),
    claim("A8", [line("70553", "CO*45*300**999*900")]),
]


def test_pyx12_reads_claims_lines_dates_and_every_adjustment_triplet(tmp_path):
    text = x12_835([claim("C1", [line("90867", "CO*45*100**50*1100", remarks=("N115", "M25"))])])
    remittance = read_835(write(tmp_path, text))
    assert remittance.payer == "CASCADE MUTUAL HEALTH PLAN" and remittance.date == dt.date(
        2026, 12, 1
    )
    (c,) = remittance.claims
    assert (c.claim_id, c.payer_claim, c.patient, c.member_id) == (
        "C1",
        "PCNC1",
        "Jane Doe",
        "MBRC1",
    )
    assert (c.start, c.end) == (dt.date(2026, 10, 15), dt.date(2026, 10, 20))
    (svc,) = c.lines
    assert (svc.code, svc.units, svc.date) == ("90867", "2", dt.date(2026, 10, 15))
    assert [(a.group, a.code, str(a.amount)) for a in svc.adjustments] == [
        ("CO", "45", "100"),
        ("CO", "50", "1100"),
    ]
    assert svc.remarks == ["N115", "M25"]


def test_denied_lines_are_routed_by_their_codes(tmp_path):
    lines = route_lines(read_835(write(tmp_path, x12_835(MIXED))))
    routed = {(d.claim.claim_id, d.line.code): d for d in lines}
    assert ("A4", "99213") not in routed  # the patient's deductible is not a denial
    assert routed[("A1", "90867")].route == "appeal"
    assert routed[("A1", "90867")].category == "medical_necessity"
    assert routed[("A1", "90867")].rarcs == ["N115"]
    assert routed[("A2", "J9271")].category == "experimental"
    assert routed[("A3", "E0601")].category == "prior_authorization"
    assert routed[("A4", "97110")].route == "not_lmn" and "bundl" in routed[("A4", "97110")].reason
    assert (
        routed[("A5", "81162")].route == "not_lmn" and "exclusion" in routed[("A5", "81162")].reason
    )
    assert routed[("A6", "81162")].route == "appeal"  # 96 under a national coverage determination
    assert routed[("A7", "70553")].route == "not_lmn"
    assert "corrected claim" in routed[("A7", "70553")].reason
    unknown = routed[("A8", "70553")]
    assert unknown.route == "not_lmn" and unknown.carcs == ["CO-999"]
    assert "999 is not one lmn routes" in unknown.reason


def test_a_claim_without_service_lines_is_routed_by_its_claim_adjustments(tmp_path):
    text = x12_835([claim("B1", [], cas=("CO*50*1200",))])
    (denied,) = route_lines(read_835(write(tmp_path, text)))
    assert denied.route == "appeal" and denied.line.code is None


def test_intake_starts_a_case_file_per_claim_to_appeal_and_lists_the_rest(tmp_path):
    given = write(tmp_path, x12_835(MIXED))
    before = given.read_bytes()
    out = tmp_path / "out"
    intake = intake_835(given, out)
    assert sorted(intake.queue) == ["A1", "A2", "A3", "A6"]
    folder = intake.queue["A1"]
    assert folder == out / "queue" / "PCNA1"
    case = load_case(folder / "case.yaml")  # loads as written
    assert case.patient.name == "Jane Doe" and case.patient.member_id == "MBRA1"
    assert case.claim_reference == "PCNA1" and case.service.code == "90867"
    assert case.insurer and "Cascade Mutual" in case.insurer
    notice = (folder / "remittance.txt").read_text()
    assert "October 15, 2026 to October 20, 2026" in notice
    assert "CARC 50 (contractual obligation)" in notice and "RARC N115" in notice
    rows = list(csv.DictReader((out / "remittance.csv").read_text().splitlines()))
    assert len(rows) == len(intake.lines) == 8
    assert {r["route"] for r in rows if r["claim_id"] in ("A4", "A5", "A7", "A8")} == {"not_lmn"}
    assert next(r for r in rows if r["claim_id"] == "A1")["folder"] == "queue/PCNA1"
    page = (out / "summary.html").read_text()
    assert "Not an LMN case: 4 line(s)" in page and "Appeal queue: 4 line(s)" in page
    assert "<script" not in page
    assert given.read_bytes() == before


def test_the_queue_folder_is_a_batch_that_lists_the_facts_to_fill(tmp_path, capsys):
    out = tmp_path / "out"
    given = write(tmp_path, x12_835([claim("A1", [line("90867", "CO*50*1200")])]))
    assert main(["batch", "--835", str(given), "-o", str(out)]) == 0
    printed = capsys.readouterr()
    assert "1 claim(s) queued" in printed.err
    assert printed.out.splitlines() == [
        "PCNA1\t90867\tCO-50\tappeal (medical_necessity): the payer judged the service not "
        "medically necessary"
    ]
    drafted = tmp_path / "drafted"
    code = main(["batch", str(out / "queue"), "-o", str(drafted), "-j", "1"])
    assert code == 3  # drafts with the physician's facts to fill
    row = next(csv.DictReader((drafted / "summary.csv").read_text().splitlines()))
    assert row["status"] == "gaps" and "physician" in row["gaps_to_fill"]


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("not an x12 file at all", "does not start with an ISA"),
        ("ISA*00*garbage~", "not a readable X12 835"),
    ],
)
def test_a_file_that_is_not_an_835_gets_one_line(tmp_path, capsys, content, needle):
    given = write(tmp_path, content)
    assert main(["batch", "--835", str(given), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and needle in err[0]


def test_an_837_is_not_a_remittance(tmp_path):
    text = x12_835(MIXED).replace("ST*835*0001", "ST*837*0001").replace("X221A1", "X222A1")
    with pytest.raises(InputError):
        read_835(write(tmp_path, text))


def test_intake_never_writes_into_a_folder_that_holds_something(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(InputError, match="not empty"):
        intake_835(write(tmp_path, x12_835(MIXED)), out)
    assert (out / "keep.txt").read_text() == "mine"


def test_every_code_has_a_paraphrase_and_an_appeal_has_a_category():
    codes = adjustment_codes()
    for code, spec in codes.carc.items():
        assert spec.text and spec.text[0].islower(), code
        assert (spec.category is not None) == (spec.route == "appeal"), code
        assert spec.route != "not_lmn" or spec.reason, code
        assert set(spec.appeal_with) <= set(codes.rarc), code
    for code in ("50", "55", "56", "197"):
        assert codes.carc[code].route == "appeal"


def test_the_rendering_provider_is_written_into_the_case_file_as_its_physician(tmp_path):
    text = x12_835(
        [
            claim("R1", [line("90867", "CO*50*1200")], rendering="1*OSEI*AMA*K***XX*1245319599"),
            claim("R2", [line("90867", "CO*50*1200")], rendering="2*PUGET SOUND TMS*****XX*1"),
            claim("R3", [line("90867", "CO*50*1200")]),
        ]
    )
    intake = intake_835(write(tmp_path, text), tmp_path / "out")
    person = intake.queue["R1"] / "case.yaml"
    case = load_case(person)
    assert (case.physician.name, case.physician.npi) == ("Ama K Osei", "1245319599")
    assert case.physician.practice_name is None
    marked = [line for line in person.read_text().splitlines() if "1245319599" in line]
    assert len(marked) == 1 and "rendering provider: check" in marked[0]
    assert "TODO" in next(
        line for line in person.read_text().splitlines() if line.startswith("  license:")
    )
    # An organization is the practice, not the signer: its NPI is not the physician's.
    organization = load_case(intake.queue["R2"] / "case.yaml").physician
    assert organization.practice_name == "Puget Sound Tms"
    assert (organization.name, organization.npi) == (None, None)
    assert load_case(intake.queue["R3"] / "case.yaml").physician.name is None
