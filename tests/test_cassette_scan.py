"""The recorded LLM cassettes hold no credential and nothing but synthetic patient data.

Every ``tests/cassettes/*.yaml`` (and its ``.inputs.json``) is scanned for: credential headers
(authorization, API keys, cookies) in requests or responses; OpenAI-style keys and bearer tokens
anywhere; social security numbers; e-mail addresses outside the reserved example domains. Each
request that embeds a denial letter must embed exactly the letter of the cassette's example, each
case fact it lists must be that example's, and every identifier, date, phone number or
initialled name it sends must occur in the project's synthetic text (examples/, corpus/,
prompts/). CI runs this with the rest of the tests; a fake cassette shows the scanner flags.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
import yaml

from pipeline.casefile import load_case
from pipeline.engines.openai.sections import case_fact_lines

from .conftest import ROOT

CASSETTES = ROOT / "tests" / "cassettes"
SYNTHETIC_DIRS = ("examples", "corpus", "prompts")

SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "api-key",
        "x-api-key",
        "openai-organization",
        "openai-project",
        "cookie",
        "set-cookie",
    }
)
KEY_RE = re.compile(r"\bsk-[A-Za-z0-9_-]{6,}|\bBearer\s+[A-Za-z0-9._~+/-]{6,}", re.I)
SSN_RE = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
RESERVED_DOMAINS = ("example.com", "example.org", "example.net")
RESERVED_TLDS = (".test", ".invalid", ".example")
TOKEN_RES = {
    "identifier": re.compile(r"\b(?=[A-Z0-9-]*\d)[A-Z][A-Z0-9-]{5,}\b"),
    "date": re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"),
    "phone": re.compile(r"\(\d{3}\) ?\d{3}-\d{4}|\b\d{3}[-.]\d{3}[-.]\d{4}\b"),
    "name": re.compile(r"\b[A-Z][a-z]+ [A-Z]\. [A-Z][a-z'-]+\b"),
}
"""Tokens that would identify a person; each one a request sends must be synthetic text."""
LETTER_RE = re.compile(r"<<<\n(.*?)\n>>>", re.S)
FACTS_HEADING = "(id: fact):\n"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@cache
def synthetic_text() -> str:
    """All text of the examples, the corpus and the prompts: what a request may quote."""
    parts = []
    for folder in SYNTHETIC_DIRS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in {".txt", ".md", ".yaml", ".yml", ".json"}:
                parts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


@cache
def example_letters() -> dict[str, str]:
    """Each example's letter, whitespace collapsed, by slug."""
    return {
        p.parent.name: _squash(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "examples").glob("*/letter.txt"))
    }


@cache
def example_facts(slug: str) -> frozenset[str]:
    """The fact lines a drafting prompt lists for an example's case."""
    case = load_case(ROOT / "examples" / slug / "case.yaml")
    return frozenset(f"{key}: {value}" for key, value in case_fact_lines(case).items())


@dataclass
class Scan:
    """What a cassette holds: problems found, and the examples whose letters it sends."""

    problems: list[str] = field(default_factory=list)
    letters: list[str] = field(default_factory=list)
    facts: int = 0


def scan_text(text: str, where: str) -> list[str]:
    """Keys, bearer tokens, SSNs and real e-mail addresses in any text."""
    found = [f"{where}: an API key or bearer token" for _ in KEY_RE.finditer(text)]
    found += [f"{where}: an SSN-like number" for _ in SSN_RE.finditer(text)]
    for match in EMAIL_RE.finditer(text):
        domain = match.group(1).lower()
        if domain not in RESERVED_DOMAINS and not domain.endswith(RESERVED_TLDS):
            found.append(f"{where}: an e-mail address at {domain}")
    return found


def _headers(message: dict) -> list[str]:
    return [str(k).lower() for k in (message.get("headers") or {})]


def _message_texts(body: str) -> list[str]:
    """The texts a request sends (the model's own earlier replies left out)."""
    try:
        data = json.loads(body)
    except (TypeError, json.JSONDecodeError):
        return [str(body)]
    return [
        str(m.get("content") or "")
        for m in data.get("messages", [])
        if isinstance(m, dict) and m.get("role") != "assistant"
    ]


def scan_cassette(cassette: dict, slug: str | None = None) -> Scan:
    """Everything wrong with one cassette (``slug``: the example it must have been recorded on)."""
    scan = Scan()
    known = synthetic_text()
    letters = example_letters()
    for number, interaction in enumerate(cassette.get("interactions") or [], 1):
        where = f"interaction {number}"
        request, response = interaction.get("request") or {}, interaction.get("response") or {}
        for side, message in (("request", request), ("response", response)):
            scan.problems += [
                f"{where}: {side} header {name!r}"
                for name in _headers(message)
                if name in SECRET_HEADERS
            ]
        body = request.get("body") or ""
        for text in _message_texts(body):
            for letter in LETTER_RE.findall(text):
                matches = [
                    s for s, known_letter in letters.items() if known_letter == _squash(letter)
                ]
                if not matches:
                    scan.problems.append(f"{where}: a letter that is none of the examples'")
                elif slug is not None and slug not in matches:
                    scan.problems.append(f"{where}: the letter of {matches[0]}, not of {slug}")
                scan.letters += matches[:1]
            if FACTS_HEADING in text:
                allowed = (
                    example_facts(slug)
                    if slug in letters
                    else frozenset().union(*map(example_facts, letters))
                )
                lines = text.split(FACTS_HEADING, 1)[1].split("\n\n", 1)[0].splitlines()
                for line in lines:
                    scan.facts += 1
                    if line not in allowed:
                        scan.problems.append(
                            f"{where}: a case fact not in the example: {line[:40]}"
                        )
            for kind, pattern in TOKEN_RES.items():
                for token in sorted(set(pattern.findall(text))):
                    if token not in known:
                        scan.problems.append(f"{where}: {kind} {token!r} is in no example")
    raw = json.dumps(cassette, ensure_ascii=False, default=str)
    scan.problems += scan_text(raw, "cassette")
    return scan


# --------------------------------------------------------------------------- the real cassettes


CASSETTE_FILES = sorted(CASSETTES.glob("*.yaml"))


def test_there_are_cassettes_to_scan() -> None:
    assert len(CASSETTE_FILES) >= 4


@pytest.mark.parametrize("path", CASSETTE_FILES, ids=lambda p: p.stem)
def test_cassette_holds_no_credential_and_only_synthetic_data(path: Path) -> None:
    cassette = yaml.safe_load(path.read_text(encoding="utf-8"))
    scan = scan_cassette(cassette, path.stem)
    assert scan.problems == []
    assert scan.letters and set(scan.letters) == {path.stem}  # the letter check did run
    assert scan.facts > 0  # and so did the case-fact check


@pytest.mark.parametrize("path", sorted(CASSETTES.glob("*.inputs.json")), ids=lambda p: p.name)
def test_recorded_inputs_hold_no_credential(path: Path) -> None:
    """The stored analysis and passages: dates are left out (they are normalized to ISO and
    include computed deadlines), identifiers, phone numbers and names are checked."""
    text = path.read_text(encoding="utf-8")
    assert scan_text(text, path.name) == []
    for kind, pattern in TOKEN_RES.items():
        if kind == "date":
            continue
        unknown = {t for t in pattern.findall(text) if t not in synthetic_text()}
        assert unknown == set(), kind


# --------------------------------------------------------------------------- the scanner flags


def fake_cassette(letter: str, headers: dict | None = None, facts: str = "") -> dict:
    """A one-interaction cassette as vcrpy writes them."""
    messages = [{"role": "user", "content": f"Denial letter:\n<<<\n{letter}\n>>>\n"}]
    if facts:
        messages.append({"role": "user", "content": f"Facts (id: fact):\n{facts}\n\nPassages"})
    return {
        "interactions": [
            {
                "request": {
                    "body": json.dumps({"messages": messages}),
                    "headers": headers or {},
                    "method": "POST",
                    "uri": "http://127.0.0.1:8765/v1/chat/completions",
                },
                "response": {"body": {"string": "{}"}, "headers": {}, "status": {"code": 200}},
            }
        ],
        "version": 1,
    }


def test_the_scanner_flags_a_real_looking_cassette() -> None:
    letter = (
        "Dear John Q. Public, member ID ZZQ918273645, SSN 219-09-9999, born 02/30/1961. "
        "Write to claims@realinsurer.com."
    )
    cassette = fake_cassette(
        letter,
        {"Authorization": ["Bearer sk-proj-abcdefghijklmnop"], "Cookie": ["session=1"]},
        facts='prior_treatments[0]: {"name": "Invented drug"}',
    )
    problems = "\n".join(scan_cassette(cassette, "tms-erisa").problems)
    for expected in (
        "request header 'authorization'",
        "request header 'cookie'",
        "an API key or bearer token",
        "an SSN-like number",
        "an e-mail address at realinsurer.com",
        "a letter that is none of the examples'",
        "a case fact not in the example",
        "identifier 'ZZQ918273645' is in no example",
        "date '02/30/1961' is in no example",
        "name 'John Q. Public' is in no example",
    ):
        assert expected in problems


def test_the_scanner_passes_an_examples_letter_and_reserved_addresses() -> None:
    letter = (ROOT / "examples" / "tka-aca" / "letter.txt").read_text(encoding="utf-8")
    cassette = fake_cassette(letter, {"content-type": ["application/json"]})
    assert scan_cassette(cassette, "tka-aca").problems == []
    assert "not of tms-erisa" in "\n".join(scan_cassette(cassette, "tms-erisa").problems)
    assert scan_text("write to appeals@example.org or a@b.test", "x") == []


def test_a_recorded_letter_with_a_changed_member_id_is_flagged() -> None:
    path = CASSETTES / "tms-erisa.yaml"
    edited = path.read_text(encoding="utf-8").replace("CMH774019226", "CMH774019999")
    problems = "\n".join(scan_cassette(yaml.safe_load(edited), "tms-erisa").problems)
    assert "a letter that is none of the examples'" in problems
    assert "identifier 'CMH774019999' is in no example" in problems
