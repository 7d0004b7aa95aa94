"""Own-words passages added for the IMR decisions the kind-of-care check left uncovered, and for
the devset10 topics with no fitting guideline (buprenorphine dosing for opioid use disorder,
dupilumab for atopic dermatitis): each fits a request for its own kind of care for its
condition, and no other request."""

from __future__ import annotations

import functools

import pytest

from pipeline.corpus import load_corpus
from pipeline.models import Passage, PlanType
from pipeline.relevance import fits
from tests.test_relevance import scope


@functools.cache
def _corpus() -> dict[str, Passage]:
    return {p.id: p for p in load_corpus()}


FITS = [
    ("acr-af-2019-oa-nsaids", ["M17.11"], None, "Celecoxib 200 mg capsules daily"),
    ("acr-af-2019-oa-other-analgesics", ["M16.11"], None, "Duloxetine 60 mg capsules"),
    ("cdc-2022-opioid-initiation-and-dosage", ["G89.4"], None, "Oxycodone 10 mg tablets"),
    ("acg-gerd-2022-ppi-therapy", ["K21.9"], None, "Esomeprazole 40 mg capsules twice daily"),
    (
        "aan-2007-epidural-steroids-radicular-pain",
        ["M54.16"],
        "64483",
        "Lumbar epidural steroid injection",
    ),
    ("svs-avf-2011-compression-therapy", ["I83.811"], "A6531", "Compression stockings 30-40 mm Hg"),
    ("asam-2020-oud-buprenorphine-dosing", ["F11.20"], None, "Buprenorphine-naloxone 8 mg film"),
    ("jtf-2023-atopic-dermatitis-dupilumab", ["L20.89"], None, "Dupilumab 300 mg injection"),
    ("aasm-2021-osa-nasal-surgery-pap", ["G47.33", "J34.2"], "30520", "Septoplasty"),
    ("acg-2018-crohns-small-bowel-imaging", ["K50.00"], "74183", "MR enterography"),
]
NOT_FITS = [
    # a recommendation against the requested drug for the condition is no support for it
    ("acr-af-2019-oa-disease-modifying-drugs-against", ["M17.0"], "J0135", "Adalimumab 40 mg"),
    # another kind of care for the same condition
    ("acr-af-2019-oa-nsaids", ["M17.11"], "27447", "Total knee arthroplasty"),
    ("aan-2007-epidural-steroids-radicular-pain", ["M54.16"], "22612", "Posterior lumbar fusion"),
    (
        "svs-avf-2011-compression-therapy",
        ["I83.811"],
        "36475",
        "Endovenous radiofrequency ablation",
    ),
    # a stimulator trial whose electrodes go in the epidural space is no epidural injection
    (
        "aan-2007-epidural-steroids-radicular-pain",
        ["M54.16"],
        "63650",
        "Spinal cord stimulator trial, percutaneous epidural electrodes",
    ),
    # another drug than the passage's
    ("acg-gerd-2022-ppi-therapy", ["K21.9"], None, "Famotidine 20 mg tablets"),
    ("cdc-2022-opioid-initiation-and-dosage", ["G89.4"], None, "Pregabalin 75 mg capsules"),
    ("asam-2020-oud-buprenorphine-dosing", ["F11.20"], None, "Methadone 80 mg oral solution"),
    ("jtf-2023-atopic-dermatitis-dupilumab", ["L20.89"], None, "Tralokinumab 150 mg injection"),
    ("aasm-2021-osa-nasal-surgery-pap", ["G47.33"], "42145", "Uvulopalatopharyngoplasty"),
    ("acg-2018-crohns-small-bowel-imaging", ["K50.00"], "45378", "Colonoscopy"),
    # the same kind of care for another condition
    ("acg-2018-crohns-small-bowel-imaging", ["K51.90"], "74183", "MR enterography"),
    ("aasm-2021-osa-nasal-surgery-pap", ["J34.2"], "30520", "Septoplasty"),
    ("jtf-2023-atopic-dermatitis-dupilumab", ["J45.50"], None, "Dupilumab 300 mg injection"),
    ("acr-af-2019-oa-nsaids", ["M05.79"], None, "Celecoxib 200 mg capsules daily"),
    ("acg-gerd-2022-ppi-therapy", ["K25.9"], None, "Esomeprazole 40 mg capsules"),
]


@pytest.mark.parametrize(("pid", "dx", "code", "service"), FITS)
def test_a_new_passage_fits_its_own_request(
    pid: str, dx: list[str], code: str | None, service: str
) -> None:
    assert fits(_corpus()[pid], scope(dx, code, PlanType.erisa, service=service))


@pytest.mark.parametrize(("pid", "dx", "code", "service"), NOT_FITS)
def test_a_new_passage_fits_no_other_request(
    pid: str, dx: list[str], code: str | None, service: str
) -> None:
    assert not fits(_corpus()[pid], scope(dx, code, PlanType.erisa, service=service))
