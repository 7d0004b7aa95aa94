"""Hot paths of a warm draft made faster keep exactly what they found before."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.reasoning.classes import book

ROOT = Path(__file__).resolve().parent.parent


def _whole(text: str) -> list[str]:
    """What the whole ingredient pattern (every name) finds, in order."""
    return [m.group(1) for m in book()._ingredient_re.finditer(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Trial of MTX 20 mg weekly, then Plaquenil; sulfasalazine stopped for hepatotoxicity.",
        "Insulin glargine U-100, insulin lispro; metformin HYDROCHLORIDE ER; no DPP-4 inhibitor.",
        "Cardiology advises that ibrutinib be avoided; zanubrutinib requested.",
        "Abacavir sulfate; .alpha.1-proteinase inhibitor human; acetazolamide sodium.",
        "Dates, updates and candidates name no drug; neither does 'metformins'.",
        "",
    ],
)
def test_ingredients_in_finds_what_the_whole_pattern_finds(text: str) -> None:
    names = [m.group(1) for m in book()._names_in_re(text).finditer(text)]
    assert names == _whole(text)
    assert book().ingredients_in(text) == list(
        dict.fromkeys(book().aliases.get(n.lower(), n.lower()) for n in _whole(text))
    )


def test_ingredients_in_tries_only_the_names_a_text_could_hold() -> None:
    text = "Methotrexate 20 mg weekly failed; hydroxychloroquine continued."
    pattern = book()._names_in_re(text).pattern
    assert "methotrexate" in pattern and "hydroxychloroquine" in pattern
    assert "adalimumab" not in pattern
    assert len(pattern) < len(book()._ingredient_re.pattern) / 50


def test_ingredients_in_matches_the_whole_pattern_on_every_example_notice() -> None:
    letters = sorted(ROOT.glob("examples/*/letter.txt"))
    assert letters
    for path in letters:
        text = path.read_text()
        assert [m.group(1) for m in book()._names_in_re(text).finditer(text)] == _whole(text)


def test_code_kinds_by_shape_reads_what_every_range_reads() -> None:
    from pipeline.service_kinds import code_kinds, table

    def every_range(code: str) -> tuple[object, ...]:
        holding = [r for r in table().codes if r.holds(code)]
        return min(holding, key=lambda r: r.width).kinds if holding else ()

    codes = {c for r in table().codes for c in (r.first, r.last)}
    codes |= {"27447", "J0135", "E0601", "97110", "0001U", "Z00", "A4239", "99213", "L8614"}
    assert sum(bool(every_range(c)) for c in codes) > 20
    for code in sorted(codes):
        assert code_kinds(code) == every_range(code), code
    assert set(table().by_shape) == {
        "".join("L" if ch.isalpha() else "D" for ch in r.first) for r in table().codes
    }


def test_fold_of_plain_ascii_and_of_accented_names() -> None:
    from pipeline.identity import _fold, name_words

    assert _fold("Dr. María-José Núñez") == "dr. maria-jose nunez"
    assert _fold("Dr. MARIA-JOSE NUNEZ") == "dr. maria-jose nunez"
    assert name_words("Núñez, Dr. María") == name_words("NUNEZ, Dr. Maria")
