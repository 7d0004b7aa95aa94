"""Labelled synthetic denial notices for the letter around the argument (appeal rights, clocks,
continuation pending appeal, precedent): each notice with the words its legal paragraphs must
hold and the ones they must not (a citation of another plan type's law, a figure of another
state's review). Written for this eval in the project's own words; no notice is copied from a
development set.

The held-out slice was written before the changes it measures and is not tuned on; the tuned
slice holds the notices the rules were worked out on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LegalCase:
    id: str
    slice: str  # "tuned" or "heldout"
    letter: str
    case: dict[str, object]
    must: tuple[str, ...] = ()
    """Words the legal paragraphs (legal basis, timeline, continuation, precedent) must hold."""
    must_not: tuple[str, ...] = ()
    """Words they must not: another plan type's law, another state's review figure."""
    wrong_law: tuple[str, ...] = field(default=())
    """Of ``must_not``, the citations of law that does not govern this plan (counted apart)."""
    today: dt.date = dt.date(2026, 12, 6)


def _case(**kw: object) -> dict[str, object]:
    data: dict[str, object] = {
        "patient": {"name": "Jordan Vale", "date_of_birth": "1979-05-02"},
        "physician": {"name": "Dana Ruiz, MD", "specialty": "Internal Medicine"},
    }
    data.update(kw)
    return data


ERISA_LAW = ("2560.503-1", "ERISA", "2590.715-2719")
ACA_LAW = ("147.136", "300gg-19")
MA_LAW = ("422.590", "422.582")

CASES: tuple[LegalCase, ...] = (
    # ----------------------------------------------------------------- tuned
    LegalCase(
        id="marketplace-eob-recert",
        slice="tuned",
        letter=(
            "LONE PINE HEALTH - Individual Plans - Health Insurance Marketplace\n"
            "EXPLANATION OF BENEFITS - THIS IS NOT A BILL\nStatement date: 11/12/2026\n"
            "Dates of service 10/01/2026 - 10/30/2026. CARC CO-50. Plan paid $0.00.\n"
            "The continued-use request received 10/05/2026 lacked progress notes.\n"
        ),
        case=_case(service={"code": "E0748", "description": "Bone growth stimulator"}),
        must=("within 60 days of its receipt (45 CFR 147.136(b)(3)(i))",),
        must_not=("30 days of its receipt", *ERISA_LAW),
        wrong_law=ERISA_LAW,
    ),
    LegalCase(
        id="ohio-medicaid-septoplasty",
        slice="tuned",
        letter=(
            "Buckeye Health Partners, a Medicaid managed care plan, Columbus, OH 43215\n"
            "Notice of Adverse Benefit Determination. Date: 11/20/2026\n"
            "We denied the prior authorization request for septoplasty. You may ask for a "
            "state fair hearing after the plan appeal.\n"
        ),
        case=_case(service={"code": "30520", "description": "Septoplasty"}),
        must=("42 CFR 438.408(b)(2)", "state fair hearing"),
        must_not=("California", "Independent Medical Review", *ERISA_LAW, *ACA_LAW),
        wrong_law=ERISA_LAW + ACA_LAW,
    ),
    LegalCase(
        id="medicaid-table-cut",
        slice="tuned",
        letter=(
            "Keystone Community Plan - Medicaid managed care organization\n"
            "NOTICE OF ACTION. Date of notice: December 1, 2026\n"
            "We reviewed the attendant care services previously authorized for you for "
            "11/01/2026 through 04/30/2027. We are reducing the number of attendant care hours "
            "we will pay for. This change will take effect on December 20, 2026.\n"
            "| Service | Authorized | Approved |\n|---|---|---|\n"
            "| Attendant care | 30 hours/week | 18 hours/week |\n"
        ),
        case=_case(service={"code": "S5125", "description": "Attendant care"}),
        must=("42 CFR 438.420", "December 20, 2026", "Counting 10 days from the notice"),
        must_not=ERISA_LAW + ACA_LAW,
        wrong_law=ERISA_LAW + ACA_LAW,
    ),
    # ----------------------------------------------------------------- held out
    LegalCase(
        id="tricare-mri-child",
        slice="heldout",
        letter=(
            "TRICARE Prime - East Region\nInitial determination date: 11/16/2026\n"
            "Your request for prior authorization of MRI of the brain is denied as not "
            "medically necessary. You may request reconsideration in writing within 90 days "
            "of the date of this initial determination.\n"
        ),
        case=_case(service={"code": "70553", "description": "MRI brain with and without contrast"}),
        must=("32 CFR 199.10",),
        must_not=ERISA_LAW + ACA_LAW,
        wrong_law=ERISA_LAW + ACA_LAW,
    ),
    LegalCase(
        id="county-employee-residential-urgent",
        slice="heldout",
        letter=(
            "Marion County Employees Health Plan\nThis is a governmental plan and is not "
            "subject to ERISA.\nDate: 11/30/2026\nConcurrent review: continued residential "
            "treatment after 12/02/2026 is denied. You may ask for an expedited internal appeal "
            "and for external review through the HHS-administered process.\n"
        ),
        case=_case(
            service={"code": "H0019", "description": "Residential behavioral health treatment"},
            urgency="expedited",
            urgency_reason="Discharge now risks relapse.",
        ),
        must=("147.136(b)(2)", "72 hours", "same time"),
        must_not=("2560.503-1", "ERISA"),
        wrong_law=("2560.503-1", "ERISA"),
    ),
    LegalCase(
        id="marketplace-eob-labelled",
        slice="heldout",
        letter=(
            "Cedar Mutual Individual & Family Plan (Marketplace)\n"
            "Notice of Adverse Benefit Determination - Post-Service Claim\nDate: 11/25/2026\n"
            "Claim 4471. Prior authorization PA-1182 covered the first stage only. The second "
            "stage billed for 10/20/2026 is denied as not medically necessary.\n"
        ),
        case=_case(service={"code": "15275", "description": "Skin substitute application"}),
        must=("60 days of its receipt", "147.136(b)(3)(i)"),
        must_not=("30 days of its receipt", *ERISA_LAW),
        wrong_law=ERISA_LAW,
    ),
    LegalCase(
        id="medicaid-therapy-visits-cut",
        slice="heldout",
        letter=(
            "Great Lakes Family Care - Medicaid managed care plan\nDate: 11/28/2026\n"
            "Your physical therapy visits previously authorized for 10/15/2026 through "
            "03/15/2027 will be reduced from 3 visits per week to 1 visit per week effective "
            "12/15/2026. You may ask for a state fair hearing after your plan appeal.\n"
        ),
        case=_case(service={"code": "97110", "description": "Physical therapy"}),
        must=("42 CFR 438.420", "December 15, 2026", "state fair hearing"),
        must_not=ERISA_LAW + ACA_LAW,
        wrong_law=ERISA_LAW + ACA_LAW,
    ),
    LegalCase(
        id="ohio-medicaid-no-ca-figure",
        slice="heldout",
        letter=(
            "Scioto Valley Medicaid Plan, Dayton, OH 45402. Medicaid managed care.\n"
            "Date: 11/18/2026. We denied your request for partial hospitalization.\n"
        ),
        case=_case(service={"code": "H0035", "description": "Partial hospitalization program"}),
        must=("42 CFR 438",),
        must_not=("California", "Independent Medical Review"),
    ),
    LegalCase(
        id="fehb-post-service",
        slice="heldout",
        letter=(
            "Federal Employees Health Benefits Program - Service Benefit Plan\n"
            "Explanation of Benefits. Date: 11/10/2026. Claim for services on 09/14/2026 "
            "denied. Ask us to reconsider within 6 months; then you may ask OPM to review.\n"
        ),
        case=_case(service={"code": "95811", "description": "Polysomnography with CPAP titration"}),
        must=("5 CFR 890.105",),
        must_not=ERISA_LAW + ACA_LAW,
        wrong_law=ERISA_LAW + ACA_LAW,
    ),
    LegalCase(
        id="part-d-step",
        slice="heldout",
        letter=(
            "Summit Rx Medicare Part D plan. Coverage determination date: 11/22/2026.\n"
            "Your request for Ubrelvy is denied: step therapy applies. You may ask for a "
            "redetermination.\n"
        ),
        case=_case(service={"description": "Ubrelvy (ubrogepant) 100 mg tablet"}),
        must=("423.590",),
        must_not=MA_LAW + ERISA_LAW + ACA_LAW,
        wrong_law=MA_LAW + ERISA_LAW + ACA_LAW,
    ),
    LegalCase(
        id="fehb-surgery-planned",
        slice="heldout",
        letter=(
            "FEHB plan - Blue Ridge Benefit Plan (Office of Personnel Management contract)\n"
            "Date: 11/24/2026. We denied precertification of lumbar fusion.\n"
        ),
        case=_case(
            service={
                "code": "22633",
                "description": "Lumbar interbody fusion",
                "details": "Inpatient stay from 01/05/2027, 2 days; 22633 x1 with 22853 x1.",
            }
        ),
        must=("5 CFR 890.105", "January 5, 2027"),
        must_not=ERISA_LAW + ACA_LAW,
        wrong_law=ERISA_LAW + ACA_LAW,
    ),
    LegalCase(
        id="marketplace-urgent-preservice",
        slice="heldout",
        letter=(
            "Prairie Individual Health Plan - Health Insurance Marketplace\nDate: 12/01/2026\n"
            "We denied prior authorization of inpatient rehabilitation.\n"
        ),
        case=_case(
            service={"code": "0128", "description": "Inpatient rehabilitation"},
            urgency="expedited",
            urgency_reason="Discharge from acute care is due now.",
        ),
        must=("72 hours", "defer", "same time"),
        must_not=ERISA_LAW,
        wrong_law=ERISA_LAW,
    ),
    LegalCase(
        id="ca-hmo-employer",
        slice="heldout",
        letter=(
            "Golden Coast Health Plan, a California HMO (Knox-Keene health care service plan)\n"
            "Employer group plan. Date: 11/19/2026. We denied your request for septoplasty.\n"
            "You may apply to the Department of Managed Health Care for Independent Medical "
            "Review after our grievance process.\n"
        ),
        case=_case(service={"code": "30520", "description": "Septoplasty"}),
        must=("Department of Managed Health Care",),
        must_not=("assigned at random", "2590.715-2719"),
    ),
    # ------------------------------------------- state mandates, network, Part D (held out)
    # Written before the state-mandate, network-distance and plan-year rules were built.
    LegalCase(
        id="ca-hmo-fertility-preservation",
        slice="heldout",
        letter=(
            "REDWOOD VALLEY HEALTH PLAN\nA licensed health care service plan (HMO)\n"
            "200 J Street, Sacramento, CA 95814\nDate: 11/20/2026\n"
            "Your request for oocyte retrieval and freezing is denied. Your Evidence of Coverage "
            "excludes services for the treatment of infertility. The Department of Managed "
            "Health Care regulates health care service plans.\n"
        ),
        case=_case(
            service={"code": "89337", "description": "Oocyte cryopreservation before chemotherapy"},
            diagnoses=[{"code": "C81.10", "description": "Nodular sclerosis Hodgkin lymphoma"}],
            clinical_summary="ABVD chemotherapy is planned; alkylating agents may follow.",
        ),
        must=("1374.551",),
        must_not=("10119.61", "48.43.0128", *ERISA_LAW[2:]),
        wrong_law=("10119.61", "48.43.0128"),
    ),
    LegalCase(
        id="ca-insurer-sperm-banking",
        slice="heldout",
        letter=(
            "Harbor Mutual Life and Health Insurance Company\n900 Wilshire Blvd, Los Angeles, "
            "CA 90017\nGroup policy issued in California (fully insured PPO)\nDate: 11/25/2026\n"
            "Sperm cryopreservation is not covered: it is not medically necessary.\n"
        ),
        case=_case(
            service={"code": "89259", "description": "Cryopreservation of sperm"},
            diagnoses=[{"code": "C62.91", "description": "Malignant neoplasm of right testis"}],
            clinical_summary="He is to start BEP chemotherapy after orchiectomy.",
        ),
        must=("10119.61",),
        must_not=("1374.551",),
        wrong_law=("1374.551",),
    ),
    LegalCase(
        id="wa-insured-chest-surgery",
        slice="heldout",
        letter=(
            "EVERGREEN SOUND INSURANCE COMPANY\n500 Pine Street, Seattle, WA 98101\n"
            "Plan: Large group PPO (insured)\nDate: 11/18/2026\nWe denied chest "
            "reconstruction (19303). The certificate excludes cosmetic surgery.\n"
        ),
        case=_case(
            service={"code": "19303", "description": "Chest masculinization (mastectomy)"},
            diagnoses=[{"code": "F64.0", "description": "Gender dysphoria, adult"}],
        ),
        must=("RCW 48.43.0128", "284-43-5151"),
        must_not=("1365.5", "2561.2", "74.09.675"),
        wrong_law=("1365.5", "2561.2", "74.09.675"),
    ),
    LegalCase(
        id="wa-self-funded-chest-surgery",
        slice="heldout",
        letter=(
            "Cascade Benefits Administrators (third-party administrator)\n1200 Sixth Ave, "
            "Seattle, WA 98101\nThe Orca Freight Employee Health Plan is a self-funded group "
            "health plan governed by ERISA.\nDate: 11/18/2026\nChest surgery (19303) is "
            "denied as cosmetic.\n"
        ),
        case=_case(
            service={"code": "19303", "description": "Chest masculinization (mastectomy)"},
            diagnoses=[{"code": "F64.0", "description": "Gender dysphoria"}],
        ),
        must=("2560.503-1",),
        must_not=("48.43.0128", "284-43-5151"),
        wrong_law=("48.43.0128", "284-43-5151"),
    ),
    LegalCase(
        id="fehb-ca-fertility",
        slice="heldout",
        letter=(
            "Federal Employees Health Benefits Program - Golden State Federal Plan\n"
            "PO Box 100, Oakland, CA 94612\nDate: 11/22/2026\nOocyte cryopreservation is "
            "excluded as infertility treatment. Ask us to reconsider; then ask OPM to review.\n"
        ),
        case=_case(
            service={"code": "89337", "description": "Oocyte cryopreservation before chemotherapy"},
            diagnoses=[{"code": "C50.912", "description": "Breast cancer"}],
        ),
        must=("5 CFR 890.105",),
        must_not=("1374.551", "10119.61"),
        wrong_law=("1374.551", "10119.61"),
    ),
    LegalCase(
        id="medicaid-network-distance",
        slice="heldout",
        letter=(
            "Prairie Wind Health, a Medicaid managed care plan, Topeka, KS 66603\n"
            "Date: 11/30/2026\nWe denied your request to see an out-of-network pediatric "
            "neurologist. Our network meets the state standard of 75 miles or 90 minutes for "
            "pediatric specialists. Please use a participating pediatric neurologist.\n"
        ),
        case=_case(
            service={"code": "99204", "description": "Out-of-network pediatric neurology visits"},
            clinical_summary=(
                "The nearest participating pediatric neurologist is 142 miles away, about 2 "
                "hours 30 minutes each way."
            ),
        ),
        must=("438.68", "142 miles", "75 miles"),
        must_not=ERISA_LAW + ACA_LAW + ("422.116",),
        wrong_law=ERISA_LAW + ACA_LAW + ("422.116",),
    ),
    LegalCase(
        id="part-d-formulary-plan-year",
        slice="heldout",
        letter=(
            "Northstar Medicare Part D Prescription Drug Plan\nCoverage determination date: "
            "11/27/2026\nYour request for a formulary exception for Ofev is denied. The drug "
            "is not on our formulary. You may ask for a redetermination.\n"
        ),
        case=_case(service={"description": "Ofev (nintedanib) 150 mg capsule"}),
        must=("423.578(c)(4)", "423.590"),
        must_not=MA_LAW + ERISA_LAW + ACA_LAW,
        wrong_law=MA_LAW + ERISA_LAW + ACA_LAW,
    ),
    # ------------------------------------------- state mandates, network, Part D (tuned)
    LegalCase(
        id="ca-hmo-gender-surgery",
        slice="tuned",
        letter=(
            "Sierra Crest Health Plan, a California HMO (Knox-Keene licensed)\n"
            "1 Market Street, San Francisco, CA 94105\nDate: 11/21/2026\nWe denied "
            "vaginoplasty as cosmetic. The Department of Managed Health Care regulates us.\n"
        ),
        case=_case(
            service={"code": "55970", "description": "Gender-affirming vaginoplasty"},
            diagnoses=[{"code": "F64.0", "description": "Gender dysphoria"}],
        ),
        must=("1365.5",),
        must_not=("48.43.0128", "2561.2"),
        wrong_law=("48.43.0128", "2561.2"),
    ),
    LegalCase(
        id="wa-insured-fertility-none",
        slice="tuned",
        letter=(
            "Rainier Health Insurance Company\n700 Fifth Ave, Seattle, WA 98104\n"
            "Insured small group plan. Date: 11/19/2026\nOocyte cryopreservation is excluded "
            "as infertility treatment.\n"
        ),
        case=_case(
            service={"code": "89337", "description": "Oocyte cryopreservation before chemotherapy"},
            diagnoses=[{"code": "C50.912", "description": "Breast cancer"}],
            clinical_summary="Chemotherapy with cyclophosphamide is planned.",
        ),
        must_not=("1374.551", "10119.61", "48.43.0128"),
        wrong_law=("1374.551", "10119.61", "48.43.0128"),
    ),
    LegalCase(
        id="medicaid-network-notice-standard",
        slice="tuned",
        letter=(
            "Lakeland Community Care - Medicaid managed care organization, Lansing, MI 48933\n"
            "Date: 11/24/2026\nOut-of-network request denied. Our contract standard for "
            "this specialty is 30 miles or 45 minutes; in-network options are listed below.\n"
        ),
        case=_case(
            service={"code": "99204", "description": "Out-of-network maternal-fetal medicine"},
            objective_findings=[
                {
                    "kind": "other",
                    "name": "Distance to nearest in-network specialist",
                    "value": "61.5 miles, about 75 minutes each way",
                },
            ],
        ),
        must=("438.68", "61.5 miles", "30 miles"),
        must_not=ERISA_LAW + ACA_LAW,
        wrong_law=ERISA_LAW + ACA_LAW,
    ),
)
