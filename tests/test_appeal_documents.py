"""Request letters (and escalation packets) for every bundled example, validated, and the
appeal checks catching what they must."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pytest

from pipeline.appeal import schedule
from pipeline.appeal._contact import appeal_contact
from pipeline.appeal._documents import foreign_law, validate_document
from pipeline.appeal._request import CLOCK_STATEMENT, request_letter
from pipeline.appeal._specs import plan_spec
from pipeline.casefile import load_case
from pipeline.cli import main
from pipeline.extract import extract
from pipeline.ingest import ingest
from pipeline.letter_format import fmt_date
from pipeline.models import DenialAnalysis, PlanType

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(
    p
    for p in (ROOT / "examples").iterdir()
    if (p / "case.yaml").exists() and p.name not in {"incomplete", "injection"}
)
TODAY = dt.date(2026, 12, 5)


@cache
def inputs(name: str):
    ex = ROOT / "examples" / name
    denial = ingest(str(ex / "letter.txt"))
    return denial.text, extract(denial), load_case(ex / "case.yaml")


def request_for(name: str):
    text, analysis, case = inputs(name)
    markdown, facts = request_letter(analysis, case, text, TODAY)
    return markdown, facts, analysis, case, text


def codes(markdown, facts, analysis, case, text) -> set[str]:
    report = validate_document(markdown, facts, analysis, case, text, TODAY)
    return {f.code for f in report.errors}


@pytest.mark.parametrize("example", [p.name for p in EXAMPLES])
def test_every_example_yields_a_request_letter_that_validates(example: str) -> None:
    markdown, facts, analysis, case, text = request_for(example)
    assert codes(markdown, facts, analysis, case, text) == set()
    spec = plan_spec(analysis.plan_type).for_letter(text)
    assert any(a.citation.split(";")[0] in markdown for a in spec.records_law)
    assert CLOCK_STATEMENT in markdown
    due = schedule(analysis, text).deadline("internal_appeal.filing")
    if due and due.due:
        assert fmt_date(due.due) in markdown
    contact = appeal_contact(text, analysis)
    assert contact.address and contact.address in markdown
    assert case.patient.member_id in markdown


def test_request_cites_the_law_of_its_plan_type() -> None:
    erisa, *_ = request_for("tms-erisa")
    assert "29 CFR 2560.503-1(h)(2)(iii)" in erisa and "29 CFR 2560.503-1(m)(8)" in erisa
    aca, *_ = request_for("tka-aca")
    assert "42 U.S.C. 300gg-19" in aca
    medicaid, *_ = request_for("cpap-medicaid")
    assert "42 CFR 438.406(b)(5)" in medicaid and "2560.503-1" not in medicaid
    ma, *_ = request_for("cgm-medicare-advantage")
    assert "42 CFR 422.101(b)(6)" in ma and "438." not in ma
    fehb, *_ = request_for("brca-fehb")
    assert "5 CFR 890.105" in fehb and "300gg-19" not in fehb


def test_the_checks_catch_a_wrong_law_a_wrong_deadline_and_a_missing_statement() -> None:
    markdown, facts, analysis, case, text = request_for("tms-erisa")
    medicaid = markdown.replace("29 CFR 2560.503-1(m)(8)", "42 CFR 438.406(b)(5)")
    assert "appeal.law_foreign" in codes(medicaid, facts, analysis, case, text)
    no_law = "\n".join(line for line in markdown.splitlines() if "CFR" not in line)
    assert "appeal.law_missing" in codes(no_law, facts, analysis, case, text)
    late = markdown.replace("April 19, 2027", "April 26, 2027")
    assert codes(late, facts, analysis, case, text) == {
        "appeal.deadline_missing",
        "appeal.deadline_mismatch",
    }
    silent = markdown.replace(CLOCK_STATEMENT, "pauses the appeal")
    assert "appeal.clock_missing" in codes(silent, facts, analysis, case, text)
    anonymous = markdown.replace("CMH774019226", "the member")
    assert "appeal.identifier_missing" in codes(anonymous, facts, analysis, case, text)


def test_foreign_law_never_includes_the_plan_types_own_sections() -> None:
    for plan in PlanType:
        spec = plan_spec(plan)
        own = " ".join(spec.cites())
        assert not any(f in own for f in foreign_law(spec)), plan
    assert "29 CFR 2560.503-1" in foreign_law(plan_spec(PlanType.medicaid))
    assert foreign_law(plan_spec(PlanType.unknown)) == []


def test_appeal_contact_reads_the_appeal_address_not_the_letterhead() -> None:
    text, *_ = inputs("tms-erisa")
    contact = appeal_contact(text)
    assert contact.address == (
        "Cascade Mutual Health Plan - Appeals Unit, PO Box 34790, Bellevue, WA 98009-4790"
    )
    assert contact.fax == "(800) 555-0113"  # not the UM fax of the letterhead
    assert appeal_contact("No appeal words here. PO Box 1, Town, WA 98000").address is None
    # The extraction's fields come first, without a label run in before the address.
    found = DenialAnalysis(appeal_address="6 p.m. Mail: X Plan, PO Box 1, Town, WA 98000")
    assert appeal_contact(text, found).address == "X Plan, PO Box 1, Town, WA 98000"
    assert appeal_contact(text, found).fax == "(800) 555-0113"  # read here when it has none


def test_lmn_request_writes_the_letter(tmp_path, capsys) -> None:
    ex = ROOT / "examples" / "tka-aca"
    out = tmp_path / "request.md"
    args = ["request", str(ex / "letter.txt"), "--case", str(ex / "case.yaml")]
    assert main([*args, "-o", str(out), "--date", "2026-12-05"]) == 0
    assert "Request for the claim file" in out.read_text()
    assert main([*args, "-o", str(out), "--date", "2026-12-05"]) == 2  # no clobbering
    assert "already exists" in capsys.readouterr().err


FINAL = dt.date(2027, 1, 15)
SENT = dt.date(2027, 1, 20)
APPEAL = "# Letter of Medical Necessity\n\nThe appeal letter as sent.\n"
NEXT_LEVEL = {
    PlanType.erisa: "external_review",
    PlanType.aca_individual: "external_review",
    PlanType.medicare_advantage: "ire_review",
    PlanType.medicaid: "fair_hearing",
}


def packet_for(name: str):
    from pipeline.appeal._escalate import escalation_packet

    text, analysis, case = inputs(name)
    packet, facts = escalation_packet(analysis, case, text, APPEAL, FINAL, SENT)
    return packet, facts, analysis, case, text


@pytest.mark.parametrize("example", [p.name for p in EXAMPLES])
def test_every_example_yields_an_escalation_packet_that_validates(example: str) -> None:
    packet, facts, analysis, case, text = packet_for(example)
    cover = packet.parts[0].markdown
    report = validate_document(cover, facts, analysis, case, text, SENT)
    assert report.ok, [f.code for f in report.errors]
    assert [p.title.split(":")[0] for p in packet.parts] == [
        "Cover letter",
        "Enclosure 1",
        "Enclosure 2",
        "Enclosure 3",
    ]
    whole = packet.markdown()
    assert APPEAL.strip() in whole and fmt_date(FINAL) in cover
    assert case.patient.member_id in cover
    plan = schedule(analysis, text)
    assert packet.level == plan.next_level.name
    if analysis.plan_type in NEXT_LEVEL:
        assert plan.next_level.key == NEXT_LEVEL[analysis.plan_type]
    if not plan.next_level.automatic:
        assert packet.due is not None and fmt_date(packet.due) in cover


def test_packet_dates_by_plan_type() -> None:
    tka, *_ = packet_for("tka-aca")
    assert tka.level == "External review" and tka.due == dt.date(2027, 5, 17)  # 15 May: Saturday
    assert "Colorado Division of Insurance" in tka.parts[0].markdown
    fehb, *_ = packet_for("brca-fehb")
    assert fehb.level.startswith("Review by the Office of Personnel Management")
    assert fehb.due == dt.date(2027, 4, 15)  # 90 days
    ma, *_ = packet_for("cgm-medicare-advantage")
    assert ma.due is None and "No request is needed" in ma.parts[0].markdown
    medicaid, *_ = packet_for("cpap-medicaid")
    assert medicaid.due == dt.date(2027, 5, 15)  # 120 days
    assert "Illinois Department of Healthcare and Family Services" in medicaid.parts[0].markdown


def test_a_packet_stating_another_deadline_or_missing_an_enclosure_fails() -> None:
    packet, facts, analysis, case, text = packet_for("tms-erisa")
    cover = packet.parts[0].markdown
    assert packet.due is not None
    wrong = cover.replace(fmt_date(packet.due), fmt_date(packet.due + dt.timedelta(days=1)))
    assert "appeal.deadline_mismatch" in codes(wrong, facts, analysis, case, text)
    no_final = cover.replace("3. The final denial dated", "3. A letter dated")
    assert "appeal.enclosure_missing" in codes(no_final, facts, analysis, case, text)


def test_lmn_escalate_writes_each_format(tmp_path) -> None:
    ex = ROOT / "examples" / "mri-lumbar-erisa"
    appeal = tmp_path / "appeal.md"
    appeal.write_text(APPEAL)
    args = ["escalate", str(ex / "letter.txt"), "--case", str(ex / "case.yaml")]
    args += ["--appeal", str(appeal), "--final-date", "2027-01-15", "--date", "2027-01-20"]
    for suffix in (".md", ".json", ".docx", ".pdf"):
        out = tmp_path / f"packet{suffix}"
        assert main([*args, "-o", str(out)]) == 0, suffix
        assert out.stat().st_size > 500
    assert "Request for external review" in (tmp_path / "packet.md").read_text()
    assert (tmp_path / "packet.pdf").read_bytes().startswith(b"%PDF")
    assert main([*args[:-4], "--final-date", "15/01/2027"]) == 2
    missing = [*args[:4], "--appeal", str(tmp_path / "nope.md"), *args[6:]]
    assert main(missing) == 2


def test_fax_exporter_puts_a_cover_sheet_to_the_payers_appeal_fax_first(tmp_path) -> None:
    import io

    from pypdf import PdfReader

    ex = ROOT / "examples" / "tms-erisa"
    out = tmp_path / "request.pdf"
    args = ["request", str(ex / "letter.txt"), "--case", str(ex / "case.yaml")]
    assert main([*args, "--format", "fax", "-o", str(out), "--date", "2026-12-05"]) == 0
    pdf = PdfReader(io.BytesIO(out.read_bytes()))
    cover, first = pdf.pages[0].extract_text(), pdf.pages[1].extract_text()
    assert "(800) 555-0113" in cover and "CMH774019226" in cover  # the appeals fax, not UM's
    assert f"{len(pdf.pages)} (this page included)" in cover
    assert "Request for the claim file" in cover and "Request for the claim file" in first
    assert "Fax" not in first.splitlines()[0]


def test_fax_exporter_refuses_a_denial_without_an_appeal_fax() -> None:
    from pipeline.appeal._documents import document_draft
    from pipeline.errors import InputError
    from pipeline.exporters import Export, get_exporter

    markdown, _, analysis, case, text = request_for("cpap-medicaid")  # gives no appeal fax
    draft = document_draft(markdown, analysis, case, text, TODAY)
    with pytest.raises(InputError, match="no appeal fax number"):
        get_exporter("fax").render(Export(markdown=markdown, draft=draft))
    with pytest.raises(InputError, match="needs the draft"):
        get_exporter("fax").render(Export(markdown=markdown))


def test_the_packet_goes_where_the_law_or_the_letter_sends_it() -> None:
    def to(name: str) -> str:
        packet, *_ = packet_for(name)
        return next(line for line in packet.parts[0].markdown.splitlines() if "**To:**" in line)

    # A self-funded ERISA plan: the request goes to the plan, which assigns an IRO.
    assert "Appeals Unit" in to("tms-erisa") and "PO Box 34790" in to("tms-erisa")
    # FEHB: OPM at the address the letter gives.
    assert "Office of Personnel Management" in to("brca-fehb") and "20415-3610" in to("brca-fehb")
    # The state body the letter names.
    assert "New Hampshire Insurance Department" in to("adalimumab-state-employee")
    assert "Michigan Office of Administrative Hearings and Rules" in to("lumbar-fusion-medicaid")
    # Medicare Advantage: the plan forwards the case to the IRE.
    assert "Evergold Health" in to("cgm-medicare-advantage")


def test_lmn_draft_faxes_the_letter_of_medical_necessity(tmp_path) -> None:
    import io

    from pypdf import PdfReader

    ex = ROOT / "examples" / "tka-aca"
    out = tmp_path / "letter.pdf"
    args = [
        "draft",
        str(ex / "letter.txt"),
        "--case",
        str(ex / "case.yaml"),
        "--date",
        "2026-12-05",
    ]
    assert main([*args, "--format", "fax", "-o", str(out)]) == 0
    pdf = PdfReader(io.BytesIO(out.read_bytes()))
    cover = pdf.pages[0].extract_text()
    assert "1-800-555-0122" in cover and "Re Letter of Medical Necessity" in cover
    assert f"Pages {len(pdf.pages)} (this page included)" in cover


def test_lmn_request_reads_the_denial_through_the_pipeline(tmp_path, monkeypatch) -> None:
    """Issue 13: the appeal commands read the denial as every command does (Pipeline, until
    extraction), not by wiring ingest and extract themselves."""
    from pipeline.pipeline import Pipeline

    calls: list[str] = []
    run = Pipeline.run

    def recorded(self, letter, case, **kwargs):
        calls.append(kwargs.get("until", "validate"))
        return run(self, letter, case, **kwargs)

    monkeypatch.setattr(Pipeline, "run", recorded)
    ex = ROOT / "examples" / "tka-aca"
    out = tmp_path / "request.md"
    args = ["request", str(ex / "letter.txt"), "--case", str(ex / "case.yaml")]
    assert main([*args, "-o", str(out), "--date", "2026-12-05"]) == 0
    assert calls == ["extract"]


_RECORDS = {
    "objective_findings": [
        {"name": "MRI right foot", "kind": "imaging", "value": "Osteomyelitis",
         "date": "2026-07-16"},
        {"name": "Ankle-brachial index", "value": "1.05", "date": "2026-08-26"},
        {"name": "TcPO2", "value": "46 mmHg", "date": "2026-08-26"},
        {"name": "Undated exam", "value": "normal"},
    ],
    "prior_treatments": [
        {"name": "Total contact cast", "kind": "procedure", "start": "2026-08-26",
         "end": "2026-10-12", "outcome": "No reduction in wound size"},
    ],
}  # fmt: skip
_MRI = "Imaging report: MRI right foot (July 16, 2026)"
_CAST = "Treatment notes: Total contact cast (August 26, 2026 – October 12, 2026)"
_NOTE = "Clinic note of August 26, 2026: Ankle-brachial index, TcPO2"


@pytest.mark.parametrize(
    ("criterion_facts", "shown", "titles"),
    [
        # the letter's sections give every dated record (the default): each is enclosed, an
        # undated exam has no record to name, two findings of one day are one clinic note
        ([], None, [_CAST, _MRI, _NOTE]),
        # what the letter shows outside the criteria, and only that
        ([], ["objective_findings[1]", "objective_findings[2]", "prior_treatments[0]"],
         [_CAST, _NOTE]),
        # a criterion's facts first, tied to it; the rest of what is shown after
        (["objective_findings[0]"], ["objective_findings[2]", "prior_treatments[0]"],
         [_MRI, _CAST, "Clinic note of August 26, 2026: TcPO2"]),
        # a letter that states no record encloses none
        ([], [], []),
    ],
)  # fmt: skip
def test_enclosures_are_the_records_of_what_the_letter_states(
    criterion_facts: list[str], shown: list[str] | None, titles: list[str]
) -> None:
    # one rule (7dae28a and a38ba52 folded): the record of every fact the letter states, the
    # criteria's first, and nothing it does not state
    from pipeline.models import CaseFacts, Criterion
    from pipeline.reasoning.enclosures import enclosures
    from pipeline.reasoning.verdicts import CriterionVerdict

    case = CaseFacts.model_validate(_RECORDS)
    verdicts = [
        CriterionVerdict(
            index=0, criterion=Criterion(text="Imaging shows it."), status="met",
            evidence=criterion_facts,
        )
    ]  # fmt: skip
    found = enclosures(case, verdicts, shown=shown)
    assert [e.title for e in found] == titles
    assert all(e.criteria == ({0} if e.paths & set(criterion_facts) else set()) for e in found)
