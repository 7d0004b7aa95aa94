"""The page end to end in headless Chromium (Debian's chromium + chromedriver, via Selenium):
paste a denial, analyze it from the keyboard, load the case file, draft, edit and validate
again, download the DOCX and the PDF, and check what was downloaded."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")

from docx import Document  # noqa: E402
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from pipeline.web.app import create_app, warm_up  # noqa: E402
from pipeline.web.serve import bind, make_server  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="needs Chromium and chromedriver (apt-get install chromium chromium-driver)",
)

EXAMPLE = ROOT / "examples" / "tms-erisa"
WAIT_S = 90
OCR_WAIT_S = 300
"""Tesseract reads a page in 5-20 s on two busy cores."""
SHOTS = ROOT / "screenshots" / "web"
"""Where the tests save the page's screenshots (git-ignored)."""
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1300,1000",
)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread of this process."""
    app = create_app()
    warm_up(app)
    sock = bind("127.0.0.1", 0)
    server = make_server(app)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture
def browser(tmp_path: Path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "download.directory_upgrade": True,
        },
    )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(
        service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options
    )
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(driver, condition, message: str):
    return WebDriverWait(driver, WAIT_S).until(lambda d: condition(d), message)


def open_page(driver, base_url: str) -> None:
    """Load the page and wait until its script has started."""
    driver.get(base_url + "/")
    wait_for(
        driver,
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"),
        "ready",
    )


def set_value(driver, element, value: str) -> None:
    """Put text into a field as pasting does (the page listens for 'input')."""
    driver.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))",
        element,
        value,
    )


def text_of(driver, element_id: str) -> str:
    return driver.find_element(By.ID, element_id).text


def shoot(driver, name: str) -> Path:
    """A screenshot of the whole page under SHOTS, its path printed."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = driver.get_window_size()["width"]
    driver.set_window_size(width, driver.execute_script("return document.body.scrollHeight") + 40)
    path = SHOTS / name
    assert driver.save_screenshot(str(path))
    driver.set_window_size(width, 1000)
    print(f"web page screenshot: {path}")
    return path


def downloaded(folder: Path, name: str) -> Path:
    path = folder / name
    deadline = time.monotonic() + WAIT_S
    while not (path.is_file() and path.stat().st_size and not list(folder.glob("*.crdownload"))):
        assert time.monotonic() < deadline, f"{name} was not downloaded"
        time.sleep(0.1)
    return path


def test_paste_analyze_load_case_draft_validate_and_download(
    base_url: str, browser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = browser
    open_page(d, base_url)

    # Paste the denial, then reach "Analyze" with the keyboard and press Enter.
    letter = d.find_element(By.ID, "letter")
    set_value(d, letter, (EXAMPLE / "letter.txt").read_text(encoding="utf-8"))
    letter.click()
    ActionChains(d).send_keys(Keys.TAB).perform()  # the upload control
    assert d.switch_to.active_element.get_attribute("id") == "letter-file"
    ActionChains(d).send_keys(Keys.TAB).perform()
    assert d.switch_to.active_element.get_attribute("id") == "analyze"
    ActionChains(d).send_keys(Keys.ENTER).perform()
    wait_for(d, lambda d: d.find_element(By.ID, "analysis-body").is_displayed(), "analysis")
    assert len(d.find_elements(By.CSS_SELECTOR, "#criteria > li")) == 4
    assert not d.find_element(By.ID, "alternatives-box").is_displayed()  # the notice names none
    assert "days left" in text_of(d, "deadline") or "passed" in text_of(d, "deadline")
    assert "Expedited appeal available" in text_of(d, "deadline")
    assert "Employer plan (ERISA)" in text_of(d, "facts")
    shoot(d, "01-paste-and-analyze.png")

    # Load the case file: the form fills in, rows included, every control labelled.
    d.find_element(By.ID, "case-file").send_keys(str(EXAMPLE / "case.yaml"))
    wait_for(d, lambda d: "Loaded case.yaml" in text_of(d, "case-msg"), "case loaded")
    assert d.find_element(By.ID, "f-patient-name").get_attribute("value") == "Marisol T. Okafor"
    assert len(d.find_elements(By.CSS_SELECTOR, "#list-prior_treatments > fieldset")) == 8
    unlabelled = d.execute_script(
        "return [...document.querySelectorAll('input, select, textarea')]"
        ".filter(e => e.type !== 'hidden' && !e.labels.length).map(e => e.id)"
    )
    assert unlabelled == []

    # Draft: it passes, the gap map has a row per criterion, citations link to passages.
    d.find_element(By.ID, "draft").click()
    wait_for(d, lambda d: text_of(d, "draft-msg"), "draft message")
    assert "passed validation" in text_of(d, "draft-msg"), text_of(d, "draft-msg")
    assert "Passed validation" in text_of(d, "status")
    assert len(d.find_elements(By.CSS_SELECTOR, "#gap-table tbody tr")) == 4
    cites = d.find_elements(By.CSS_SELECTOR, "#review a.cite")
    assert cites
    target = cites[0].get_attribute("href").split("#")[1]
    assert d.find_element(By.ID, target).find_element(By.TAG_NAME, "blockquote").text

    # Edit a digit of the NPI: validating again highlights it; undoing passes again.
    editor = d.find_element(By.ID, "editor")
    original = editor.get_attribute("value")
    set_value(d, editor, original.replace("1478359437", "1478359438"))
    assert d.find_element(By.ID, "stale").is_displayed()
    d.find_element(By.ID, "validate").click()
    wait_for(d, lambda d: "Rejected" in text_of(d, "status"), "rejected after the edit")
    marks = d.find_elements(By.CSS_SELECTOR, "#review mark.finding.error")
    assert "1478359438" in {m.text for m in marks}
    npi_finding = next(
        b for b in d.find_elements(By.CSS_SELECTOR, "#findings button") if "npi.invalid" in b.text
    )
    npi_finding.click()  # selects the offending text in the editor
    selected = d.execute_script(
        "const e = arguments[0]; return e.value.slice(e.selectionStart, e.selectionEnd)", editor
    )
    assert selected == "1478359438"
    set_value(d, editor, original)
    d.find_element(By.ID, "validate").click()
    wait_for(d, lambda d: "Passed validation" in text_of(d, "status"), "passes again")

    # Download both formats and read them.
    assert (
        d.find_element(By.ID, "lh-name").get_attribute("value")
        == "Puget Sound Neuromodulation Clinic"
    )
    d.find_element(By.ID, "dl-docx").click()
    docx_path = downloaded(d.downloads, "letter-of-medical-necessity.docx")
    wait_for(d, lambda d: "Downloaded" in text_of(d, "export-msg"), "docx message")
    doc = Document(str(docx_path))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == "Puget Sound Neuromodulation Clinic"
    assert "Letter of Medical Necessity" in paragraphs
    body = "\n".join(paragraphs)
    assert "Treatment resistance, defined as failure of 4 or more antidepressant" in body
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert "Marisol T. Okafor" in cells
    d.find_element(By.ID, "dl-pdf").click()
    pdf_path = downloaded(d.downloads, "letter-of-medical-necessity.pdf")
    assert pdf_path.read_bytes().startswith(b"%PDF-")

    # No script errors and no blocked resources (a CSP violation is logged as SEVERE).
    severe = [e["message"] for e in d.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []

    d.set_window_size(1300, d.execute_script("return document.body.scrollHeight") + 40)
    shot = tmp_path / "lmn-web-page.png"
    assert d.save_screenshot(str(shot))
    with capsys.disabled():
        print(f"\nweb page screenshot: {shot}")


def test_the_preferred_alternatives_show_beside_the_criteria(base_url: str, browser) -> None:
    d = browser
    open_page(d, base_url)
    letter = ROOT / "examples" / "adalimumab-state-employee" / "letter.txt"
    set_value(d, d.find_element(By.ID, "letter"), letter.read_text(encoding="utf-8"))
    d.find_element(By.ID, "analyze").click()
    wait_for(d, lambda d: d.find_element(By.ID, "analysis-body").is_displayed(), "analysis")
    assert d.find_element(By.ID, "alternatives-box").is_displayed()
    names = [li.text for li in d.find_elements(By.CSS_SELECTOR, "#alternatives > li")]
    assert names == ["methotrexate", "leflunomide", "sulfasalazine", "hydroxychloroquine"]
    assert d.find_elements(By.CSS_SELECTOR, "#criteria > li")  # both lists, side by side


def test_the_physicians_own_source_is_loaded_added_in_the_form_and_cited(
    base_url: str, browser, tmp_path: Path
) -> None:
    """The case file's citations: fill rows of their own, a source added in the form is sent
    with the case, and the letter cites it."""
    case = yaml.safe_load((EXAMPLE / "case.yaml").read_text(encoding="utf-8"))
    loaded = {
        "issuing_body": "Clinical TMS Society",
        "title": "Consensus recommendations for the clinical application of rTMS",
        "year": "2016",
        "recommendation": "rTMS for a patient whose depression did not respond to antidepressants",
        "section": "Indications",
    }
    case_path = tmp_path / "case.yaml"
    case_path.write_text(yaml.safe_dump({**case, "citations": [loaded]}), encoding="utf-8")
    d = browser
    open_page(d, base_url)
    letter = d.find_element(By.ID, "letter")
    set_value(d, letter, (EXAMPLE / "letter.txt").read_text(encoding="utf-8"))
    d.find_element(By.ID, "case-file").send_keys(str(case_path))
    wait_for(d, lambda d: "Loaded case.yaml" in text_of(d, "case-msg"), "case loaded")
    rows = d.find_elements(By.CSS_SELECTOR, "#list-citations > fieldset")
    assert len(rows) == 1 and rows[0].find_element(By.TAG_NAME, "legend").text == "Source 1"
    field = lambda row, key: row.find_element(By.CSS_SELECTOR, f'[data-key="{key}"]')  # noqa: E731
    assert field(rows[0], "title").get_attribute("value") == loaded["title"]

    added = {
        "issuing_body": "American Psychiatric Association",
        "year": "2010",
        "title": "Practice guideline for the treatment of patients with major depressive disorder",
        "recommendation": "Consider rTMS after failed trials of antidepressant medication",
    }
    d.find_element(By.CSS_SELECTOR, '[data-add="citations"]').click()
    row = d.find_elements(By.CSS_SELECTOR, "#list-citations > fieldset")[1]
    assert d.switch_to.active_element == field(row, "issuing_body")
    for key, value in added.items():
        field(row, key).send_keys(value)
    sent = d.execute_script("return collectCase().citations")
    assert sent == [loaded, added]
    unlabelled = d.execute_script(
        "return [...document.querySelectorAll('#list-citations input')]"
        ".filter(e => !e.labels.length).map(e => e.id)"
    )
    assert unlabelled == []

    d.find_element(By.ID, "draft").click()
    wait_for(d, lambda d: text_of(d, "draft-msg"), "draft message")
    review = text_of(d, "review")
    assert "Clinical TMS Society" in review and "American Psychiatric Association" in review
    severe = [e["message"] for e in d.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []


def test_upload_a_scan_start_the_case_fix_a_gap_and_download(
    base_url: str, browser, tmp_path
) -> None:
    """A scanned denial (an image-only PDF, read by OCR), the case started from it, a gap shown
    with a link to the field that fills it, fixed there, and the letter, rendered as it will
    read, ready to sign and downloaded. Screenshots of each step go to SHOTS."""
    if shutil.which("tesseract") is None:
        pytest.skip("needs Tesseract (apt-get install tesseract-ocr)")
    from .scans import pages_of, render, to_pdf

    example = ROOT / "examples" / "cpap-medicaid"
    text = (example / "letter.txt").read_text(encoding="utf-8")
    scan = tmp_path / "denial-scan.pdf"
    scan.write_bytes(
        to_pdf(
            [render(lines, skew=-1.2, noise=15, seed=i) for i, lines in enumerate(pages_of(text))]
        )
    )
    d = browser
    open_page(d, base_url)
    assert "no AI" in d.find_element(By.ID, "engine").text  # the engine in plain words

    # Upload the scan: OCR reads it, the text fills the box and the denial is analyzed.
    d.find_element(By.ID, "letter-file").send_keys(str(scan))
    # The reading note stays in view once the analysis is done (it used to be replaced by
    # "Analyzed: ...", which made this wait miss it whenever the analysis was quick).
    try:
        WebDriverWait(d, OCR_WAIT_S).until(
            lambda d: (
                "Analyzed" in text_of(d, "letter-msg")
                or "error" in (d.find_element(By.ID, "letter-msg").get_attribute("class") or "")
            )
        )
    except TimeoutException:
        pytest.fail(f"scan not read in {OCR_WAIT_S} s: {text_of(d, 'letter-msg')!r}")
    message = text_of(d, "letter-msg")
    assert "from the scan (OCR)" in message and "Analyzed: 3 criteria cited." in message, message
    wait_for(d, lambda d: d.find_element(By.ID, "analysis-body").is_displayed(), "analysis")
    assert "LPC-DME-26-60417" in d.find_element(By.ID, "letter").get_attribute("value")
    assert len(d.find_elements(By.CSS_SELECTOR, "#criteria > li")) == 3
    shoot(d, "02-upload-scan.png")

    # Start the case from the denial: what it says is filled in, the rest marked TODO.
    d.find_element(By.ID, "start-case").click()
    wait_for(d, lambda d: "Filled in what the denial says" in text_of(d, "case-msg"), "started")
    assert d.find_element(By.ID, "f-patient-member").get_attribute("value") == "512884307"
    assert "todo" in d.find_element(By.ID, "f-phys-npi").get_attribute("class")
    assert len(d.find_elements(By.CSS_SELECTOR, "#guide-list > li")) == 3
    shoot(d, "03-case-started.png")

    # Load the physician's case file, but leave the NPI out: the draft names the gap.
    d.find_element(By.ID, "case-file").send_keys(str(example / "case.yaml"))
    wait_for(d, lambda d: "Loaded case.yaml" in text_of(d, "case-msg"), "case loaded")
    npi_input = d.find_element(By.ID, "f-phys-npi")
    npi = npi_input.get_attribute("value")
    npi_input.clear()
    d.find_element(By.ID, "draft").click()
    wait_for(d, lambda d: "DRAFT" in text_of(d, "status"), "a draft with a gap")
    assert "Not ready to sign" in text_of(d, "status")
    link = next(
        b
        for b in d.find_elements(By.CSS_SELECTOR, "#issues button.field-link")
        if b.get_attribute("data-path") == "physician.npi"
    )
    shoot(d, "04-draft-with-a-gap.png")

    # The link goes to the form field; fill it and draft again: ready to sign.
    link.click()
    assert d.switch_to.active_element.get_attribute("id") == "f-phys-npi"
    d.switch_to.active_element.send_keys(npi)
    d.find_element(By.ID, "draft").click()
    wait_for(d, lambda d: "Passed validation" in text_of(d, "status"), "passes")
    # Nothing blocks it any more; what still weakens it (if anything) is listed with its link.
    assert not d.find_elements(By.CSS_SELECTOR, "#issues li.blocks")
    ready = "Ready for the physician to check and sign" in text_of(d, "status")
    assert ready or d.find_elements(By.CSS_SELECTOR, "#issues li.weakens")
    assert "a call at" in text_of(d, "p2p-status")
    # The letter reads as rendered text: headings and tables, no Markdown syntax.
    review = d.find_element(By.ID, "review")
    assert review.find_elements(By.CSS_SELECTOR, "table.letter-table td")
    assert review.find_elements(By.CSS_SELECTOR, "[role=heading]")
    lines = review.text.splitlines()
    assert not [line for line in lines if line.startswith(("#", "|", "**"))]
    shoot(d, "05-gap-fixed-ready.png")

    d.find_element(By.ID, "dl-docx").click()
    docx_path = downloaded(d.downloads, "letter-of-medical-necessity.docx")
    wait_for(d, lambda d: "Downloaded" in text_of(d, "export-msg"), "docx message")
    body = "\n".join(p.text for p in Document(str(docx_path)).paragraphs)
    assert "The plan requires: “The apnea-hypopnea index (AHI)" in body  # read from the scan
    shoot(d, "06-downloaded.png")
    severe = [e["message"] for e in d.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []
