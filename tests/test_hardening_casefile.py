"""Issue 14, defects 4 and 13: hostile case files (aliases, sizes, list lengths, duplicate keys,
tags) are refused with one line that names the line, never the text."""

from __future__ import annotations

import json
import tracemalloc

import pytest

from pipeline.casefile import MAX_LIST_ITEMS, parse_case
from pipeline.errors import InputError

BILLION_LAUGHS = "\n".join(
    [
        "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']",
        *(f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)),
        "patient: {name: *i}",
    ]
)


def test_yaml_aliases_are_refused_before_they_expand() -> None:
    assert len(BILLION_LAUGHS) < 1000
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match=r"line 1: YAML anchors and aliases"):
            parse_case(BILLION_LAUGHS, "case.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_a_single_alias_of_a_scalar_is_refused_too() -> None:
    with pytest.raises(InputError, match="aliases"):
        parse_case("insurer: &i Acme\nclinical_summary: *i\n")


def test_case_text_over_2_mb_is_refused_from_the_web_path_too() -> None:
    with pytest.raises(InputError, match="larger than 2 MB"):
        parse_case("clinical_summary: " + "x" * (2 * 1024 * 1024 + 1))


@pytest.mark.parametrize("as_json", [False, True])
def test_over_long_lists_are_refused(as_json: bool) -> None:
    items = [{"code": "M17.11"}] * (MAX_LIST_ITEMS + 1)
    text = json.dumps({"diagnoses": items})
    with pytest.raises(InputError, match=f"more than {MAX_LIST_ITEMS} items"):
        parse_case(text, as_json=as_json)


@pytest.mark.parametrize(
    ("text", "as_json"),
    [
        ("insurer: Acme\ninsurer: Other\n", False),
        ("patient:\n  name: A\n  name: B\n", False),
        ('{"insurer": "Acme", "insurer": "Other"}', True),
    ],
)
def test_duplicate_keys_are_refused_not_last_wins(text: str, as_json: bool) -> None:
    with pytest.raises(InputError, match="appears twice"):
        parse_case(text, as_json=as_json)


def test_a_duplicate_key_that_is_not_a_field_name_is_not_echoed() -> None:
    with pytest.raises(InputError) as err:
        parse_case("patient:\n  Harold Lindqvist: 1\n  Harold Lindqvist: 2\n")
    assert "Harold" not in str(err.value) and "line 3" in str(err.value)


@pytest.mark.parametrize(
    "text",
    [
        "insurer: !!python/object/apply:os.system ['SECRET-TAG-TEXT']\n",
        "insurer: !SECRET-TAG-TEXT x\n",
        "patient: !<tag:SECRET-TAG-TEXT> {name: x}\n",
    ],
)
def test_a_tags_text_is_never_echoed(text: str) -> None:
    with pytest.raises(InputError) as err:
        parse_case(text)
    message = str(err.value)
    assert "SECRET" not in message and "python" not in message and "\n" not in message
    assert "tag" in message


def test_a_syntax_error_does_not_quote_the_input() -> None:
    with pytest.raises(InputError) as err:
        parse_case("insurer: x\n!%SECRET-HANDLE%! y: z\n")
    assert "SECRET" not in str(err.value)


def test_an_ordinary_case_file_still_loads() -> None:
    case = parse_case("patient:\n  name: A B\ndiagnoses:\n  - code: M17.11\n  - code: E11.9\n")
    assert case.patient.name == "A B" and len(case.diagnoses) == 2
