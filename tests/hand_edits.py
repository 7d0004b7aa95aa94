"""Hand edits of a passing letter that a validator must catch (issue 14, defect 5).

Each edit is what a person (or a tool) might do to a letter before signing it: another
patient's name, a look-alike letter, a drug the patient never took, a dose in words or in
another unit, a credential the physician does not hold, a section emptied or swapped, a request
that no longer asks for the service, the wrong appeal law, the payer's phone as the
physician's, an event dated on the letter's own date. They are written against the meaning of
the tka-aca letter (values and section headings), not its sentences, so that they still apply
when the drafter's wording changes; an edit that no longer changes the letter fails its test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.models import Draft


@dataclass(frozen=True)
class Edit:
    name: str
    apply: Callable[[str], str]


def _sub(pattern: str, repl: str, count: int = 0, flags: int = 0) -> Callable[[str], str]:
    return lambda md: re.sub(pattern, repl, md, count=count, flags=flags)


def _in_section(heading: str, change: Callable[[str], str]) -> Callable[[str], str]:
    """Apply ``change`` to the body of the first section whose heading starts with
    ``heading`` (## or ###)."""

    def apply(md: str) -> str:
        m = re.search(rf"^#{{2,3}} {re.escape(heading)}(?=[ \n])[^\n]*\n", md, re.M)
        if not m:
            return md
        nxt = re.search(r"^#{2,3} ", md[m.end() :], re.M)
        end = m.end() + nxt.start() if nxt else len(md)
        return md[: m.end()] + change(md[m.end() : end]) + md[end:]

    return apply


def _add_to(heading: str, sentence: str) -> Callable[[str], str]:
    return _in_section(heading, lambda body: "\n" + sentence + "\n" + body)


def _replace_body(heading: str, text: str) -> Callable[[str], str]:
    return _in_section(heading, lambda body: "\n" + text + "\n\n")


def _in_treatment(name: str, change: Callable[[str], str]) -> Callable[[str], str]:
    """Apply ``change`` where the letter states the treatment ``name``: its row of the
    prior-treatment table if the letter has one, else its line under a criterion (a treatment
    stated under a criterion is not repeated in the table)."""

    def apply(md: str) -> str:
        short = re.sub(r"\s*\([^)]*\)", "", name).strip()
        lines = md.split("\n")
        table = [i for i, line in enumerate(lines) if line.startswith(f"| {name}")]
        bullets = [i for i, line in enumerate(lines) if line.startswith(f"- {short}")]
        for i in (table or bullets)[:1]:
            lines[i] = change(lines[i])
        return "\n".join(lines)

    return apply


def _swap_criteria(a: int, b: int) -> Callable[[str], str]:
    """Swap the bodies of two criterion sections, headings kept."""

    def apply(md: str) -> str:
        spans = {}
        for n in (a, b):
            m = re.search(rf"^### Criterion {n}\b[^\n]*\n", md, re.M)
            if not m:
                return md
            nxt = re.search(r"^#{2,3} ", md[m.end() :], re.M)
            spans[n] = (m.end(), m.end() + nxt.start() if nxt else len(md))
        (s1, e1), (s2, e2) = sorted(spans.values())
        return md[:s1] + md[s2:e2] + md[e1:s2] + md[s1:e1] + md[e2:]

    return apply


def _swap_bullets(a: int, b: int) -> Callable[[str], str]:
    """Swap the evidence (the bullet lines and the comparison paragraph) of two criteria, their
    quotes kept."""

    def apply(md: str) -> str:
        lines = md.split("\n")
        blocks: dict[int, list[int]] = {}
        current = None
        for i, line in enumerate(lines):
            if m := re.match(r"### Criterion (\d+)", line):
                current = int(m.group(1))
            elif line.startswith("## "):
                current = None
            elif current in (a, b) and line.startswith(("- ", "The plan requires ")):
                blocks.setdefault(current, []).append(i)
        if a not in blocks or b not in blocks:
            return md
        first = [lines[i] for i in blocks[a]]
        second = [lines[i] for i in blocks[b]]
        out = list(lines)
        for i in blocks[a]:
            out[i] = ""
        for i in blocks[b]:
            out[i] = ""
        out[blocks[a][0]] = "\n".join(second)
        out[blocks[b][0]] = "\n".join(first)
        return "\n".join(out)

    return apply


CYR_A, CYR_O, CYR_I, CYR_E = "\u0430", "\u043e", "\u0456", "\u0435"

EDITS: tuple[Edit, ...] = (
    # --- the patient and the claim
    Edit("another patient's name", _sub(r"Harold B\. Lindqvist", "Margaret A. Oyelaran")),
    Edit(
        "another surname once, in the request",
        _in_section("Request", lambda b: b.replace("Lindqvist", "Lindgren")),
    ),
    Edit("a sibling's first name everywhere", _sub(r"Harold B\.", "Walter B.")),
    Edit("homoglyph a in the name", _sub(r"Harold", f"H{CYR_A}rold")),
    Edit("homoglyph i in the surname", _sub(r"Lindqvist", f"Lindqv{CYR_I}st")),
    Edit("homoglyph o in the insurer", _sub(r"Prairie Star", f"Prairie St{CYR_A}r")),
    Edit("another insurer", _sub(r"Prairie Star Health Insurance Company", "Blue Harbor Health")),
    Edit("birth date changed", _sub(r"September 3, 1963", "September 3, 1964")),
    Edit(
        "member id in the Re line changed",
        _sub(r"Member ID PSH-90331-7742-01", "Member ID PSH-90331-7742-02", count=1),
    ),
    Edit(
        "claim number in the Re line changed",
        _sub(r"Claim PA26-3318872", "Claim PA26-3318873", count=1),
    ),
    Edit("Cyrillic letter inside the CPT code", _sub(r"CPT 27447", "CPT 2744\u0417")),
    Edit("patient's age changed", _sub(r"63-year-old", "73-year-old")),
    Edit("right knee changed to left knee", _sub(r"right knee", "left knee")),
    # --- drugs and doses
    Edit(
        "wrong drug name in a criterion",
        _in_section("Criterion 2", lambda b: b.replace("Naproxen", "Ibuprofen")),
    ),
    Edit(
        "wrong drug where a treatment is stated",
        _in_treatment("Acetaminophen", lambda line: line.replace("Acetaminophen", "Celecoxib", 1)),
    ),
    Edit(
        "an added drug never taken",
        _add_to("Clinical summary", "He also failed a trial of duloxetine without benefit."),
    ),
    Edit(
        "an added drug with a grounded dose",
        _add_to("Clinical summary", "Gabapentin 500 mg three times daily gave no relief."),
    ),
    Edit(
        "injected steroid renamed",
        _sub(r"triamcinolone acetonide", "methylprednisolone acetate", flags=re.I),
    ),
    Edit(
        "dose in words",
        _in_section(
            "Criterion 2", lambda b: b.replace("Naproxen 500 mg", "Naproxen seven hundred fifty mg")
        ),
    ),
    Edit(
        "dose in words with unit in words",
        _in_section("Criterion 3", lambda b: b.replace("40 mg", "eighty milligrams")),
    ),
    Edit(
        "unit changed mg to g",
        _in_section("Criterion 2", lambda b: b.replace("Naproxen 500 mg", "Naproxen 500 g")),
    ),
    Edit(
        "unit changed where a treatment is stated",
        _in_treatment("Intra-articular triamcinolone", lambda line: line.replace("40 mg", "40 g")),
    ),
    Edit(
        "dose swapped to another drug's dose",
        _in_section(
            "Criterion 2", lambda b: b.replace("Acetaminophen 1000 mg", "Acetaminophen 500 mg")
        ),
    ),
    Edit("gel dose g to mg", _sub(r"gel 4 g", "gel 4 mg")),
    Edit(
        "duration in words changed",
        # the table's Duration cell, or the period on the treatment's line under a criterion
        _in_treatment(
            "Supervised physical therapy",
            lambda line: re.sub(
                r"12 weeks(?=, 22 sessions)|February 9, 2026 – April 30, 2026", "twenty weeks", line
            ),
        ),
    ),
    # --- numbers and dates
    Edit("6-minute walk distance changed", _sub(r"290 m", "490 m")),
    Edit("HbA1c changed", _sub(r"6\.6%", "8.6%")),
    Edit(
        "an event on the letter's own date",
        _add_to(
            "Consequences of denial", "On December 5, 2026 he fell at work and fractured his wrist."
        ),
    ),
    Edit(
        "a treatment end moved to the letter date",
        _in_section("Criterion 5", lambda b: b.replace("October 22, 2026", "December 5, 2026", 1)),
    ),
    Edit(
        "peer-to-peer phone changed",
        _in_section("Peer-to-peer", lambda b: b.replace("(970) 555-0131", "(970) 555-0199")),
    ),
    # --- the physician
    Edit(
        "the payer's phone as the physician's",
        _in_section("Peer-to-peer", lambda b: b.replace("(970) 555-0131", "1-800-555-0121")),
    ),
    Edit(
        "the payer's phone in the signature",
        _in_section(
            "Signature", lambda b: b.replace("Phone: (970) 555-0131", "Phone: 1-800-555-0120")
        ),
    ),
    Edit(
        "physician's surname changed in the signature",
        _in_section("Signature", lambda b: b.replace("Ramanathan", "Raman")),
    ),
    Edit("credentials MD to DO", _sub(r"Ramanathan, MD", "Ramanathan, DO")),
    Edit("credentials MD to MD, PhD", _sub(r"Ramanathan, MD", "Ramanathan, MD, PhD")),
    Edit(
        "a false board certification",
        _in_section(
            "Signature",
            lambda b: b.replace(
                "Orthopaedic Surgery (Adult Reconstruction)",
                "Board Certified, American Board of Orthopaedic Surgery",
            ),
        ),
    ),
    Edit(
        "a false fellowship",
        _add_to(
            "Identification",
            "As a Fellow of the American Academy of Orthopaedic Surgeons, I have "
            "treated this patient.",
        ),
    ),
    Edit(
        "a false board claim in prose",
        _add_to(
            "Clinical summary", "I am board-certified in orthopaedic surgery and sports medicine."
        ),
    ),
    Edit("NPI changed", _sub(r"1263670980", "1263670998")),
    # --- the argument
    Edit(
        "evidence emptied under a kept heading",
        _in_section(
            "Criterion 3",
            lambda b: (
                re.sub(r"Specifically:.*?(?=This meets|$)", "", b, flags=re.S)
                if "Specifically:" in b
                else re.sub(r"^- .*\n", "", b, flags=re.M)
            ),
        ),
    ),
    Edit(
        "criterion body replaced by a bare claim",
        _replace_body("Criterion 1", "The patient meets this criterion."),
    ),
    Edit("criterion bodies swapped", _swap_criteria(1, 5)),
    Edit("evidence bullets swapped between criteria", _swap_bullets(1, 5)),
    Edit(
        "request to uphold the denial",
        _in_section(
            "Request",
            lambda b: re.sub(r"reverse the denial and approve", "uphold the denial of", b),
        ),
    ),
    Edit(
        "request withdrawn",
        _replace_body(
            "Request", "I agree with the denial and withdraw the request for this service."
        ),
    ),
    Edit(
        "request emptied to a courtesy",
        _replace_body("Request", "Thank you for your time and attention to this matter."),
    ),
    Edit(
        "request for another code",
        _in_section("Request", lambda b: b.replace("CPT 27447", "CPT 27486")),
    ),
    # --- the law
    Edit(
        "ERISA regime for an ACA plan",
        _in_section(
            "Legal basis",
            lambda b: b.replace(
                "the Public Health Service Act as amended by the Affordable Care Act",
                "the Employee Retirement Income Security Act of 1974 (ERISA)",
            ),
        ),
    ),
    Edit(
        "Medicare Advantage regime for an ACA plan",
        _add_to(
            "Legal basis",
            "This plan is a Medicare Advantage plan, and 42 CFR 422.566 governs "
            "this reconsideration.",
        ),
    ),
    Edit(
        "Medicaid fair hearing for an ACA plan",
        _add_to("Legal basis", "If the denial is upheld, I will request a Medicaid fair hearing."),
    ),
)


# --------------------------------------------------------------------------- held out
# The same kinds of edit, written from a draft's own facts, for letters the checks were not
# tuned on (every bundled example but tka-aca).


def generic_edits(draft: Draft) -> list[Edit]:
    """Edits of ``draft``'s letter built from its case and denial (not from tka-aca's text)."""
    case, md = draft.case, draft.markdown
    out: list[Edit] = []
    name = case.patient.name or ""
    if name:
        out.append(Edit("another patient's name", _sub(re.escape(name), "Margaret A. Oyelaran")))
        surname = name.split()[-1]
        for plain, cyr in (("a", CYR_A), ("o", CYR_O), ("e", CYR_E), ("i", CYR_I)):
            if plain in surname:
                out.append(
                    Edit(
                        "homoglyph in the surname",
                        _sub(re.escape(surname), surname.replace(plain, cyr, 1)),
                    )
                )
                break
    meds = [t for t in case.prior_treatments if t.kind == "medication" and t.dose]
    if meds:
        first = re.findall(r"[A-Za-z][A-Za-z-]{3,}", meds[0].name)[0]
        out.append(Edit("a drug never taken", _sub(rf"\b{re.escape(first)}\b", "Celecoxib")))
        dose = re.match(r"\s*([0-9.]+)\s*mg\b", meds[0].dose or "")
        if dose and f"{dose.group(1)} mg" in md:
            amount = dose.group(1)
            out.append(Edit("unit mg to g", _sub(rf"\b{re.escape(amount)} mg\b", f"{amount} g")))
            out.append(
                Edit(
                    "dose in words", _sub(rf"\b{re.escape(amount)} mg\b", "nine hundred ninety mg")
                )
            )
    out.append(
        Edit(
            "request to uphold",
            _replace_body("Request", "I agree with the denial and ask that you uphold it."),
        )
    )
    plan = draft.analysis.plan_type.value
    other = "a Medicaid fair hearing" if plan != "medicaid" else "ERISA (29 U.S.C. 1133)"
    if plan != "unknown":
        out.append(
            Edit(
                "wrong appeal law",
                _add_to("Legal basis", f"I will pursue {other} if this appeal fails."),
            )
        )
    physician = case.physician.name or ""
    if physician and case.physician.credentials and "PhD" not in case.physician.credentials:
        out.append(
            Edit(
                "a degree not held",
                _sub(
                    rf"{re.escape(physician)}, {re.escape(case.physician.credentials)}",
                    f"{physician}, {case.physician.credentials}, PhD",
                ),
            )
        )
    if "board" not in f"{case.physician.credentials} {case.physician.specialty}".lower():
        out.append(
            Edit(
                "a board claim",
                _add_to("Clinical summary", "I am board-certified in this specialty."),
            )
        )
    out.append(
        Edit(
            "an event on the letter's date",
            _add_to(
                "Consequences of denial",
                f"On {draft.run.created:%B} {draft.run.created.day}, {draft.run.created.year} the "
                "patient was admitted to hospital.",
            ),
        )
    )
    payer_match = re.search(r"\b1-8\d\d-\d{3}-\d{4}\b", draft.letter_text)
    payer = payer_match.group() if payer_match else ""
    phone = case.physician.phone or ""
    if payer and phone and phone in md:
        out.append(
            Edit(
                "the payer's phone as the physician's",
                _in_section("Peer-to-peer", lambda b: b.replace(phone, payer)),
            )
        )
    if m := re.search(r"\bright (knee|hip|shoulder|breast|eye|leg|arm)\b", md):
        out.append(Edit("side changed", _sub(rf"\bright {m.group(1)}\b", f"left {m.group(1)}")))
    return out
