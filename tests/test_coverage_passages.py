"""The passages written for IMR coverage (emergency care, breast MRI and reconstruction,
bariatric comorbidities, imaging in pregnancy, ...) fit the requests they are about and no
others, by the relevance contract on the shipped corpus."""

from __future__ import annotations

import dataclasses
import datetime as dt

from pipeline.models import PlanType
from pipeline.reasoning.fit import position
from pipeline.relevance import Scope
from tests.passage_cases import corpus, fit
from tests.test_relevance import scope


def in_california(case: Scope) -> Scope:
    return dataclasses.replace(case, california=True)


def test_californias_emergency_rule_fits_emergency_care_in_california_only() -> None:
    rule = "california-emergency-services-1371-4"
    er = scope(["R10.9"], "99284", PlanType.aca_individual, service="Emergency room visit")
    assert fit(rule, in_california(er))
    assert not fit(rule, er)  # a plan elsewhere
    elective = scope(["N40.1"], "55866", categories=["out_of_network"])
    assert not fit(rule, in_california(elective))  # out of network, but no emergency
    federal = "aca-nsa-emergency-services-prudent-layperson"
    assert fit(federal, er) and not fit(federal, scope(["R10.9"], "99284", PlanType.medicare))
    medicaid = "medicaid-managed-care-emergency-438-114"
    assert fit(medicaid, scope(["R10.9"], "99284", PlanType.medicaid))
    assert not fit(medicaid, er)


def test_breast_mri_guidance_fits_an_mri_for_breast_cancer_not_its_chemotherapy() -> None:
    for pid in ("acr-pp-breast-mri-known-cancer", "acr-2018-higher-risk-personal-history-mri"):
        assert fit(pid, scope(["C50.911"], "77049", service="MRI of both breasts"))
        assert not fit(pid, scope(["C50.911"], "J9355", service="trastuzumab"))
        assert not fit(pid, scope(["M17.11"], "73721", service="MRI of the knee"))


def test_bariatric_comorbidities_fit_bariatric_surgery_not_the_comorbidity_treated_alone() -> None:
    pid = "aace-tos-asmbs-2013-obesity-related-complications"
    assert fit(pid, scope(["I10", "E66.01", "Z68.38"], "43644", service="Gastric bypass"))
    assert not fit(pid, scope(["I10"], "93784", service="Ambulatory blood pressure monitoring"))


def test_breast_reconstruction_law_fits_reconstruction_after_mastectomy() -> None:
    whcra = "whcra-breast-reconstruction-after-mastectomy"
    case = scope(["Z90.11", "C50.912"], "19357", service="Breast reconstruction with expander")
    assert fit(whcra, case)
    assert not fit(whcra, scope(["C50.912"], "J9355", service="trastuzumab"))
    assert not fit(whcra, scope(["Z90.11"], "19357", PlanType.medicare,
                                service="Breast reconstruction"))
    state = "california-mastectomy-reconstruction-1367-6"
    assert fit(state, in_california(case)) and not fit(state, case)


def test_imaging_in_pregnancy_and_tonsillectomy_fit_their_own_requests() -> None:
    acog = "acog-co-723-imaging-in-pregnancy"
    assert fit(acog, scope(["O26.892", "Z3A.24"], "74181", service="MRI of the abdomen"))
    assert not fit(acog, scope(["O24.414"], "95251", service="Continuous glucose monitoring"))
    tonsils = "aao-hns-2019-tonsillectomy-recurrent-throat-infection"
    assert fit(tonsils, scope(["J35.01"], "42826", service="Tonsillectomy"))
    assert not fit(tonsils, scope(["J35.01"], "87880", service="Rapid strep test"))


def test_thyroid_laboratory_guidance_fits_thyroid_tests_not_the_thyroid_drug() -> None:
    hypo = "aace-ata-2012-hypothyroidism-laboratory-testing"
    assert fit(hypo, scope(["E03.9"], "84443", service="TSH"))
    assert not fit(hypo, scope(["E03.9"], "J3490", service="levothyroxine"))
    assert not fit(hypo, scope(["E05.00"], "84443", service="TSH"))  # another thyroid disease
    hyper = "ata-2016-thyrotoxicosis-laboratory-testing"
    assert fit(hyper, scope(["E05.00"], "84445", service="Thyroid stimulating immunoglobulin"))
    assert not fit(hyper, scope(["E05.00"], "60240", service="Total thyroidectomy"))
    assert not fit(hyper, scope(["E03.9"], "84443", service="TSH"))


def test_endoscopy_sedation_guidance_fits_the_anesthesia_not_the_colonoscopy() -> None:
    asge = "asge-2018-anesthesia-provider-sedation-endoscopy"
    screening = ["Z12.11", "G47.33"]
    assert fit(asge, scope(screening, "00812", service="Monitored anesthesia care for colonoscopy"))
    assert not fit(asge, scope(screening, "45378", service="Diagnostic colonoscopy"))
    assert not fit(asge, scope(["K02.9"], "00170", service="General anesthesia for dental care"))


def test_tens_assessment_fits_a_tens_unit_for_neuropathy_only() -> None:
    # for chronic low back pain it recommends against TENS (Level A): no support for a request
    back = "aan-2010-tens-chronic-low-back-pain"
    assert not fit(back, scope(["M54.50"], "E0730", service="TENS unit"))
    assert not fit(back, scope(["M54.50"], "63650", service="Spinal cord stimulator trial"))
    assert not fit(back, scope(["M54.50"], "L0637", service="Lumbar-sacral orthosis"))
    neuropathy = "aan-2010-tens-diabetic-neuropathy"
    assert fit(neuropathy, scope(["E11.42"], "E0730", service="TENS unit"))
    assert not fit(neuropathy, scope(["E11.42"], "J3490", service="pregabalin"))
    assert not fit(neuropathy, scope(["G56.00"], "E0730", service="TENS unit"))  # carpal tunnel


def test_adhd_behavioral_treatment_fits_parent_training_not_psychotherapy_or_biofeedback() -> None:
    pid = "aap-adhd-2019-behavioral-treatment"
    assert fit(pid, scope(["F90.2"], "90846", service="Parent training in behavior management"))
    assert not fit(pid, scope(["F90.2"], "90834", service="Individual psychotherapy"))
    assert not fit(pid, scope(["F90.2"], "90901", service="Neurofeedback (biofeedback)"))
    assert not fit(pid, scope(["F84.0"], "97153", service="Behavioral therapy (ABA)"))


def test_prostate_staging_imaging_fits_ct_or_bone_scan_for_prostate_cancer_only() -> None:
    pid = "aua-astro-suo-2017-prostate-staging-imaging"
    assert fit(pid, scope(["C61"], "78306", service="Whole-body bone scan"))
    assert fit(pid, scope(["C61"], "74177", service="CT abdomen and pelvis with contrast"))
    assert not fit(pid, scope(["C61"], "55866", service="Robotic radical prostatectomy"))
    assert not fit(pid, scope(["C67.9"], "74177", service="CT abdomen and pelvis"))  # bladder


def test_palivizumab_guidance_fits_rsv_prophylaxis_not_other_care_of_a_preterm_infant() -> None:
    pid = "aap-2014-palivizumab-rsv-prophylaxis"
    preterm = ["P07.32", "Z29.11"]
    assert fit(pid, scope(preterm, "90378", service="Synagis (palivizumab) monthly injection"))
    assert not fit(pid, scope(preterm, "92587", service="Newborn hearing screen"))
    assert not fit(pid, scope(["J45.40"], "90378", service="palivizumab"))  # asthma


def test_food_allergy_testing_guidance_fits_allergy_tests_for_food_allergy_only() -> None:
    pid = "niaid-2010-food-allergy-diagnostic-testing"
    assert fit(pid, scope(["Z91.010"], "86008", service="Peanut component specific IgE"))
    assert not fit(pid, scope(["Z91.010"], "J0171", service="Epinephrine auto-injector"))
    assert not fit(pid, scope(["J30.1"], "95004", service="Skin prick tests"))  # pollen


def test_californias_dental_anesthesia_rule_fits_the_anesthesia_in_california_only() -> None:
    ga = scope(["K02.52"], "00170", service="General anesthesia for dental rehabilitation")
    for rule in ("california-dental-general-anesthesia-1367-71",
                 "california-dental-general-anesthesia-insurance-10119-9"):
        assert fit(rule, in_california(ga))
        assert not fit(rule, ga)  # a plan elsewhere
        assert not fit(rule, in_california(scope(["K02.52"], "D2391", service="Resin filling")))
        endoscopy = scope(["K63.5"], "00812", service="Anesthesia for colonoscopy")
        assert not fit(rule, in_california(endoscopy))


def test_osa_surgery_parameters_fit_their_own_operations_for_sleep_apnea_only() -> None:
    mma = "aasm-2010-maxillomandibular-advancement"
    assert fit(mma, scope(["G47.33"], "21196", service="Maxillomandibular advancement"))
    assert not fit(mma, scope(["G47.33"], "E0601", service="CPAP device"))
    assert not fit(mma, scope(["M26.212"], "21196", service="Orthognathic surgery"))  # no OSA
    palate = "aasm-2010-palatal-surgery-radiofrequency"
    assert fit(palate, scope(["G47.33"], "41530", service="Radiofrequency ablation of tongue base"))
    assert not fit(palate, scope(["G47.33"], "21196", service="Maxillomandibular advancement"))
    assert not fit(palate, scope(["M47.816"], "64635", service="Radiofrequency ablation"))


def test_psoriasis_phototherapy_fits_light_treatment_for_psoriasis_not_its_biologic() -> None:
    pid = "aad-npf-2019-psoriasis-phototherapy"
    assert fit(pid, scope(["L40.0"], "E0694", service="Home narrowband UVB phototherapy unit"))
    assert fit(pid, scope(["L40.0"], "96920", service="Excimer laser treatment"))
    assert not fit(pid, scope(["L40.0"], "J3490", service="adalimumab"))
    assert not fit(pid, scope(["L80"], "96910", service="Narrowband UVB phototherapy"))  # vitiligo


def test_head_and_neck_proton_passages_fit_proton_for_head_and_neck_cancer_only() -> None:
    for pid in ("astro-pbt-group-1-head-neck-reirradiation",
                "nccn-head-neck-recurrent-previously-irradiated"):
        assert fit(pid, scope(["C01", "Z92.3"], "77525", service="Proton beam re-irradiation"))
        assert fit(pid, scope(["C32.9"], None, service="Proton therapy"))
        assert not fit(pid, scope(["C01"], "J9271", service="pembrolizumab"))  # same patient
        assert not fit(pid, scope(["C61"], "77525", service="Proton beam therapy"))  # prostate
    # the NCCN passage is about re-irradiation, also with photons; ASTRO's only about protons
    imrt = scope(["C10.9"], "77385", service="IMRT re-irradiation")
    assert fit("nccn-head-neck-recurrent-previously-irradiated", imrt)
    assert not fit("astro-pbt-group-1-head-neck-reirradiation", imrt)


def test_hidradenitis_labels_fit_their_own_biologic_for_hidradenitis_only() -> None:
    hs = ["L73.2"]
    assert fit("fda-secukinumab-hidradenitis-suppurativa",
               scope(hs, None, service="Cosentyx (secukinumab) 300 mg"))
    assert not fit("fda-secukinumab-hidradenitis-suppurativa",
                   scope(hs, "J0135", service="adalimumab"))
    assert not fit("fda-secukinumab-hidradenitis-suppurativa",
                   scope(["L40.0"], None, service="secukinumab"))  # psoriasis: another label
    assert fit("fda-bimekizumab-hidradenitis-suppurativa",
               scope(hs, None, service="Bimzelx (bimekizumab-bkzx)"))
    assert not fit("fda-bimekizumab-hidradenitis-suppurativa",
                   scope(hs, "11451", service="Wide excision of axillary hidradenitis"))
    adalimumab = "fda-adalimumab-hidradenitis-suppurativa"
    assert fit(adalimumab, scope(hs, "J0135", service="Humira", born=dt.date(2012, 1, 1)))
    assert not fit(adalimumab, scope(hs, "J0135", service="Humira", born=dt.date(2016, 1, 1)))


def test_moyamoya_statement_fits_revascularization_for_moyamoya_not_its_other_care() -> None:
    pid = "aha-2008-pediatric-moyamoya-revascularization"
    assert fit(pid, scope(["I67.5"], "61711", service="Encephaloduroarteriosynangiosis (EDAS)"))
    assert fit(pid, scope(["I67.5"], None, service="Pial synangiosis"))
    assert not fit(pid, scope(["I67.5"], "70544", service="MR angiography of the head"))
    assert not fit(pid, scope(["I67.5"], None, service="aspirin 81 mg"))
    assert not fit(pid, scope(["I65.21"], "61711", service="EC-IC bypass"))  # carotid stenosis


def test_septoplasty_statement_fits_septal_surgery_for_nasal_obstruction_only() -> None:
    pid = "aao-hnsf-2015-septoplasty-nasal-obstruction"
    assert fit(pid, scope(["J34.2"], "30520", service="Septoplasty"))
    assert fit(pid, scope(["J34.2", "J34.3"], "30140", service="Inferior turbinate reduction"))
    assert not fit(pid, scope(["J34.2"], "31267", service="Endoscopic maxillary antrostomy"))
    assert not fit(pid, scope(["J34.2"], "70486", service="CT of the sinuses"))
    assert not fit(pid, scope(["J32.9"], "30520", service="Septoplasty"))  # sinusitis alone


def test_orthognathic_parameters_fit_jaw_surgery_for_a_jaw_deformity_only() -> None:
    pid = "aaoms-parcare-2017-orthognathic-surgery"
    assert fit(pid, scope(["M26.212"], "21196", service="Bilateral sagittal split osteotomy"))
    assert fit(pid, scope(["M26.04"], None, service="Orthognathic surgery"))
    assert not fit(pid, scope(["M26.212"], "D8080", service="Comprehensive orthodontic treatment"))
    assert not fit(pid, scope(["G47.33"], "21196", service="Maxillomandibular advancement"))


def test_wpath_criteria_fit_gender_affirming_care_not_other_surgery_of_a_transgender_patient(
) -> None:
    surgery, hormones = "wpath-soc7-surgery-criteria", "wpath-soc7-hormone-therapy-criteria"
    assert fit(surgery, scope(["F64.0"], "55980", service="Phalloplasty"))
    assert fit(surgery, scope(["F64.0"], None, service="Chest reconstruction (top surgery)"))
    assert not fit(surgery, scope(["F64.0"], None, service="Estradiol valerate injection"))
    # a comorbid gender dysphoria does not make a knee or cancer operation gender-affirming
    assert not fit(surgery, scope(["M23.211", "F64.0"], "29881",
                                  service="Knee arthroscopy with ACL reconstruction"))
    assert not fit(surgery, scope(["C50.911", "F64.0"], "19303", service="Mastectomy"))
    assert fit(hormones, scope(["F64.0"], "J1380", service="Estradiol valerate injection"))
    assert not fit(hormones, scope(["E29.1"], "J1071", service="Testosterone cypionate"))


def test_ms_transplant_statement_fits_stem_cell_transplant_for_ms_only() -> None:
    pid = "asbmt-2019-ahct-relapsing-ms"
    assert fit(pid, scope(["G35"], "38241",
                          service="Autologous hematopoietic stem cell transplant"))
    assert not fit(pid, scope(["G35"], "J2350", service="ocrelizumab"))
    assert not fit(pid, scope(["C90.00"], "38241", service="Autologous stem cell transplant"))


def test_sudden_hearing_loss_passages_fit_their_own_treatment_each() -> None:
    ssnhl = ["H91.21"]
    hbo = "aao-hnsf-2019-ssnhl-hyperbaric-oxygen"
    steroid = "aao-hnsf-2019-ssnhl-corticosteroids"
    mri = "aao-hnsf-2019-ssnhl-retrocochlear-evaluation"
    assert fit(hbo, scope(ssnhl, "99183", service="Hyperbaric oxygen therapy"))
    assert not fit(hbo, scope(ssnhl, "69801", service="Intratympanic dexamethasone"))
    assert not fit(hbo, scope(["H90.3"], "99183", service="Hyperbaric oxygen"))  # not sudden
    assert fit(steroid, scope(ssnhl, "69801", service="Intratympanic dexamethasone injection"))
    assert not fit(steroid, scope(ssnhl, "99183", service="Hyperbaric oxygen therapy"))
    assert fit(mri, scope(ssnhl, None, service="MRI of the internal auditory canals"))
    assert not fit(mri, scope(["M17.11", "H91.21"], "73721", service="MRI of the knee"))


def test_palpable_mass_criteria_fit_breast_imaging_for_a_breast_lump_only() -> None:
    pid = "acr-ac-palpable-breast-mass-imaging"
    assert fit(pid, scope(["N63.10"], "76641", service="Breast ultrasound, complete"))
    assert fit(pid, scope(["N63.10"], None, service="Diagnostic mammography"))
    assert not fit(pid, scope(["N63.10"], "19083", service="Ultrasound-guided core biopsy"))
    assert not fit(pid, scope(["Z12.31"], "77067", service="Screening mammography"))


def test_endometriosis_bulletin_fits_laparoscopy_for_endometriosis_not_its_drugs() -> None:
    pid = "acog-pb114-endometriosis-laparoscopy"
    assert fit(pid, scope(["N80.3"], "58662", service="Laparoscopic excision of endometriosis"))
    assert not fit(pid, scope(["N80.3"], None, service="Elagolix (Orilissa) 150 mg"))
    assert not fit(pid, scope(["K35.80"], "44970", service="Laparoscopy, appendectomy"))


def test_airway_clearance_guideline_fits_a_vest_for_cystic_fibrosis_only() -> None:
    pid = "cff-2009-airway-clearance-therapies"
    assert fit(pid, scope(["E84.0"], "E0483", service="High-frequency chest wall oscillation"))
    assert not fit(pid, scope(["E84.0"], None, service="Trikafta (elexacaftor/tezacaftor)"))
    assert not fit(pid, scope(["J44.9"], "E0483", service="Chest wall oscillation vest"))
    assert not fit(pid, scope(["I46.9", "E84.0"], "K0606",
                              service="Wearable cardioverter defibrillator vest"))


def test_ambulatory_monitoring_fits_a_monitor_for_palpitations_not_an_ablation() -> None:
    pid = "aha-acc-hrs-2017-va-ambulatory-monitoring"
    assert fit(pid, scope(["R00.2"], "93245", service="14-day patch ECG monitor"))
    assert fit(pid, scope(["I49.3"], None, service="Holter monitor, 48 hours"))
    assert not fit(pid, scope(["I49.3"], "93653", service="Catheter ablation of PVCs"))
    assert not fit(pid, scope(["G47.33"], "95806", service="Home sleep apnea test"))


def test_headache_consortium_fits_biofeedback_for_migraine_only() -> None:
    pid = "ushc-2000-migraine-biofeedback-behavioral"
    assert fit(pid, scope(["G43.709"], "90901", service="Biofeedback training"))
    assert not fit(pid, scope(["G43.709"], "64615", service="onabotulinumtoxinA"))
    assert not fit(pid, scope(["F90.0"], "90901", service="EEG biofeedback (neurofeedback)"))


def test_canmat_complementary_passage_fits_light_therapy_for_depression_only() -> None:
    pid = "canmat-2016-mdd-light-therapy-yoga"
    assert fit(pid, scope(["F33.1"], "E0203", service="Bright light therapy box"))
    assert not fit(pid, scope(["F33.1"], None, service="sertraline 100 mg"))
    assert not fit(pid, scope(["F33.1"], "90837", service="Psychotherapy, 60 minutes"))
    assert not fit(pid, scope(["L40.0"], None, service="Narrowband UVB light therapy"))


def test_lung_ablation_passage_fits_thermal_ablation_for_lung_cancer_only() -> None:
    pid = "nccn-nsclc-image-guided-thermal-ablation"
    assert fit(pid, scope(["C34.11"], "32998", service="CT-guided radiofrequency ablation"))
    assert not fit(pid, scope(["C34.11"], "77373", service="Stereotactic body radiotherapy"))
    assert not fit(pid, scope(["C22.0"], "47382", service="Radiofrequency ablation of liver"))


def test_bronchiectasis_guideline_fits_airway_clearance_for_bronchiectasis_only() -> None:
    pid = "ers-2017-bronchiectasis-airway-clearance-rehabilitation"
    assert fit(pid, scope(["J47.9"], "E0483", service="High-frequency chest wall oscillation"))
    assert not fit(pid, scope(["J47.9"], None, service="azithromycin 250 mg three times weekly"))
    assert not fit(pid, scope(["E84.0"], "E0483", service="Chest wall oscillation vest"))


def test_eoe_guideline_fits_the_elemental_formula_not_the_eoe_drug() -> None:
    pid = "aga-jtf-2020-eoe-elemental-diet"
    assert fit(pid, scope(["K20.0"], "B4161", service="Amino acid-based formula (Neocate)"))
    assert not fit(pid, scope(["K20.0"], None, service="Dupixent (dupilumab) 300 mg weekly"))
    assert not fit(pid, scope(["K50.00"], "B4161", service="Elemental formula"))  # Crohn's


def test_hormonal_contraceptive_bulletin_fits_them_for_menstrual_disorders_only() -> None:
    pid = "acog-pb110-hormonal-contraceptives-menstrual-disorders"
    assert fit(pid, scope(["N92.0"], "J7298", service="Levonorgestrel intrauterine system"))
    assert fit(pid, scope(["N94.6"], None, service="Continuous combined oral contraceptive"))
    assert not fit(pid, scope(["N92.0"], "58353", service="Endometrial ablation"))
    assert not fit(pid, scope(["L70.0"], None, service="Combined oral contraceptive"))  # acne


def test_eating_disorder_guideline_fits_psychotherapy_for_an_eating_disorder_only() -> None:
    pid = "apa-2023-eating-disorders-psychotherapy"
    assert fit(pid, scope(["F50.01"], "90847", service="Family-based treatment"))
    assert fit(pid, scope(["F50.81"], "90837", service="Cognitive behavioral therapy"))
    assert not fit(pid, scope(["F50.81"], None, service="Vyvanse (lisdexamfetamine) 50 mg"))
    assert not fit(pid, scope(["F33.1"], "90837", service="Psychotherapy"))  # depression


THIS_ROUND = (
    "aha-acc-hrs-2017-va-ambulatory-monitoring",
    "fda-adalimumab-hidradenitis-suppurativa",
    "fda-secukinumab-hidradenitis-suppurativa",
    "fda-bimekizumab-hidradenitis-suppurativa",
    "aga-jtf-2020-eoe-elemental-diet",
    "aha-2008-pediatric-moyamoya-revascularization",
    "asbmt-2019-ahct-relapsing-ms",
    "ushc-2000-migraine-biofeedback-behavioral",
    "acog-pb114-endometriosis-laparoscopy",
    "acog-pb110-hormonal-contraceptives-menstrual-disorders",
    "nccn-head-neck-recurrent-previously-irradiated",
    "nccn-nsclc-image-guided-thermal-ablation",
    "aao-hnsf-2015-septoplasty-nasal-obstruction",
    "aao-hnsf-2019-ssnhl-hyperbaric-oxygen",
    "aao-hnsf-2019-ssnhl-corticosteroids",
    "aao-hnsf-2019-ssnhl-retrocochlear-evaluation",
    "aaoms-parcare-2017-orthognathic-surgery",
    "apa-2023-eating-disorders-psychotherapy",
    "canmat-2016-mdd-light-therapy-yoga",
    "wpath-soc7-surgery-criteria",
    "wpath-soc7-hormone-therapy-criteria",
    "cff-2009-airway-clearance-therapies",
    "ers-2017-bronchiectasis-airway-clearance-rehabilitation",
    "astro-pbt-group-1-head-neck-reirradiation",
    "acr-ac-palpable-breast-mass-imaging",
    "aao-hnsf-2015-allergic-rhinitis-turbinate-reduction",
    "aao-hnsf-2015-allergic-rhinitis-allergy-testing",
    "fda-bimekizumab-plaque-psoriasis",
    "fda-bimekizumab-psoriatic-arthritis",
    "aan-2013-vagus-nerve-stimulation-epilepsy",
    "acmg-2021-exome-genome-first-or-second-tier",
    "nccn-pancreatic-resection-high-volume-center",
)
"""Passages written this round for IMR coverage and the blind-set topics."""


def test_each_passage_of_this_round_states_a_position_the_drafter_can_cite() -> None:
    # the drafter places a passage under a criterion only when one of its sentences takes a
    # position on care (recommends, rates, is indicated ...), not a definition or advice on
    # writing the request
    for pid in THIS_ROUND:
        assert position(corpus()[pid]) is not None, pid


def test_allergic_rhinitis_passages_fit_turbinate_surgery_and_allergy_tests_only() -> None:
    surgery = "aao-hnsf-2015-allergic-rhinitis-turbinate-reduction"
    testing = "aao-hnsf-2015-allergic-rhinitis-allergy-testing"
    rhinitis = ["J30.2", "J34.3"]
    assert fit(surgery, scope(rhinitis, "30140",
                              service="Submucous resection of the inferior turbinates"))
    assert not fit(surgery, scope(rhinitis, "95004", service="Allergy skin prick testing"))
    assert not fit(surgery, scope(["J34.3"], "30140", service="Inferior turbinate reduction"))
    assert fit(testing, scope(rhinitis, "95004", service="Allergy skin prick testing"))
    assert not fit(testing, scope(rhinitis, "95165", service="Allergen immunotherapy"))


def test_bimekizumab_labels_fit_bimekizumab_for_the_indication_each_states() -> None:
    psoriasis, arthritis = "fda-bimekizumab-plaque-psoriasis", "fda-bimekizumab-psoriatic-arthritis"
    assert fit(psoriasis, scope(["L40.0"], None, service="Bimzelx (bimekizumab-bkzx) 320 mg"))
    assert not fit(psoriasis, scope(["L40.0"], None, service="Cosentyx (secukinumab) 300 mg"))
    assert not fit(psoriasis, scope(["L40.50"], None, service="Bimzelx 160 mg"))
    assert fit(arthritis, scope(["L40.50"], None, service="Bimzelx 160 mg every 4 weeks"))
    assert not fit(arthritis, scope(["L73.2"], None, service="bimekizumab"))  # its HS label


def test_vns_guideline_fits_a_vagus_nerve_stimulator_for_epilepsy_only() -> None:
    pid = "aan-2013-vagus-nerve-stimulation-epilepsy"
    assert fit(pid, scope(["G40.812"], "64568", service="Vagus nerve stimulator implantation"))
    assert not fit(pid, scope(["G40.812"], None, service="Epidiolex (cannabidiol)"))
    assert not fit(pid, scope(["G40.812"], "61534", service="Anterior temporal lobectomy"))
    assert not fit(pid, scope(["F33.2"], "64568", service="Vagus nerve stimulation"))  # depression


def test_exome_guideline_fits_exome_sequencing_for_a_child_with_delay_only() -> None:
    pid = "acmg-2021-exome-genome-first-or-second-tier"
    delay = ["F88", "Q02"]
    assert fit(pid, scope(delay, "81415", service="Trio whole exome sequencing"))
    assert not fit(pid, scope(delay, "81228", service="Chromosomal microarray"))
    assert not fit(pid, scope(delay, "92507", service="Speech therapy"))
    assert not fit(pid, scope(["C50.911"], "81415", service="Exome sequencing"))


def test_pancreatic_guideline_fits_a_whipple_for_pancreatic_cancer_only() -> None:
    pid = "nccn-pancreatic-resection-high-volume-center"
    assert fit(pid, scope(["C25.0"], "48150", service="Pancreaticoduodenectomy (Whipple)"))
    assert not fit(pid, scope(["C25.0"], "J9201", service="gemcitabine"))
    assert not fit(pid, scope(["K86.1"], "48150", service="Whipple procedure"))  # pancreatitis
