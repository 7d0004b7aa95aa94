"""A typed requirement in the words a physician writes: 'at least 3 months of nonoperative
management', 'DAS28-CRP above 3.2 within the past 90 days', 'at least 4 antidepressant medication
trials', never the label soup 'at least 3 months (nonoperative management)'.

The requirement's subject is the reader's span of the notice; a span cut before its verb ('disease
activity must') or shouted in capitals is put right here, once, for every sentence that names it.
"""

from __future__ import annotations

import re

from ..models import Requirement, RequirementKind

_CMP_WORDS = {
    ">=": "at least", ">": "more than", "<=": "at most", "<": "less than", "==": "exactly",
}  # fmt: skip
_LEVEL_WORDS = {
    ">=": "of at least", ">": "above", "<=": "of at most", "<": "below", "==": "of",
}  # fmt: skip
"""A measurement against its threshold: 'DAS28-CRP above 3.2', 'glucose below 54 mg/dL'."""
_TRAILING_VERB_RE = re.compile(
    r"(?:\s+(?:must|should|shall|will|may|can|is|are|was|were|be|been|being|has|have|had|"
    r"documented|required|needed))+\s*$",
    re.IGNORECASE,
)
_COUNT_NOUNS = frozenset(
    {
        "agents", "drugs", "medications", "medicines", "therapies", "treatments", "trials",
        "classes", "injections", "courses", "sessions", "visits", "preventives", "antidepressants",
    }
)  # fmt: skip
"""A subject ending in one of these is itself what is counted ('2 preventive agents')."""
_LIST_NUMBER_RE = re.compile(r"^\(?(?:\d{1,2}|[a-z])[.)]\s+")
_GENERIC_SUBJECTS = frozenset({"duration", "time window", "time", "window", "length"})
"""Subjects that name no thing: the requirement is stated by its amount alone."""


_SENTENCE_END_RE = re.compile(r"(?:(?<=[a-z0-9)])\.\s+(?:(?:o|•|-|\*)\s+)?|\s+[a-z]\.\s+)(?=[A-Z])")
"""A sentence's end inside a span, the notice's own list mark after it included ('is not
available. o No in-network ...'): the subject is its first sentence."""
_DANGLING_END = frozenset(
    {
        "a", "an", "the", "of", "to", "by", "for", "with", "and", "or", "in", "on", "at", "from",
        "as", "that", "which", "who", "whom", "whose", "than", "per", "including", "into",
        "different", "other", "additional", "such", "each", "any", "both",
    }
)  # fmt: skip
"""Words a phrase cannot end on: a span that ends on one was cut mid-clause ('a serious adverse
reaction to an infusion that')."""
_CLAUSE_VERB_RE = re.compile(
    r"^(?:(?!(?:that|which|who|whose|when|where|if)\b)\S+\s+){1,8}?"
    r"(?:is|are|was|were|has|have|had|will|can|cannot|does|do)\s",
    re.IGNORECASE,
)
"""A subject that is a clause with its own verb ('the member has had ...', 'a home infusion
option is not available'): it is what the plan requires *that* be so."""


def subject_words(subject: str) -> str:
    """The subject as a noun phrase: its first sentence only (a span running into the notice's
    next sentence or list item is cut there), without the verb the reader's span ended on
    ('disease activity must' -> 'disease activity') or a word a phrase cannot end on ('... an
    infusion that' -> '... an infusion'), and in sentence case when the notice shouted it
    ('PREFERRED FORMULARY GLP-1 RECEPTOR AGONIST' -> 'preferred formulary GLP-1 receptor
    agonist'; acronyms of four letters or fewer and tokens with digits keep their capitals)."""
    text = " ".join(subject.split())
    text = _LIST_NUMBER_RE.sub("", text) or text  # '3. For preventive use' -> 'For preventive use'
    text = _SENTENCE_END_RE.split(text)[0].rstrip(".") or text
    text = _TRAILING_VERB_RE.sub("", text) or text
    words = text.split(" ")
    while len(words) > 1 and words[-1].lower().strip(",;:") in _DANGLING_END:
        words.pop()
    text = " ".join(words).rstrip(",;:")
    text = unshout(text, first=False)
    words = text.split(" ")
    # a common word capitalized at the head of the span ('Negative screening for ...'), not a
    # name ('Crohn's disease', 'Hepatitis B', 'Epworth Sleepiness Scale')
    common = words[0] in ("A", "An", "The") or (words[0][1:].isalpha() and words[0][1:].islower())
    if len(words) > 1 and words[1][:1].islower() and common:
        text = words[0].lower() + text[len(words[0]) :]
    return text


_PLAIN_SHORT = frozenset(
    {
        "a", "an", "the", "of", "to", "by", "for", "in", "on", "at", "or", "and", "as", "is", "are",
        "be", "has", "had", "have", "was", "not", "no", "any", "all", "its", "it", "if", "per",
        "use", "used", "with", "from", "than", "that", "this", "who", "will", "may", "must", "both",
        "each", "one", "two", "six", "ten", "dose", "days", "week", "weeks", "year", "years",
        "past", "last", "least", "more", "less", "most", "been", "such", "also", "only", "when",
        "what", "then", "into", "over", "mg", "ml", "kg", "day", "dl", "mcg"
    }
)  # fmt: skip
"""Short words of a shouted text that are words, not acronyms ('THE', 'HAS', 'DAYS')."""


def unshout(text: str, first: bool = True) -> str:
    """A text the notice wrote in capitals, in sentence case: acronyms (four letters or fewer
    and not a common word) and tokens with digits keep their capitals ('HEMOGLOBIN A1C OF 7.0%'
    -> 'Hemoglobin A1C of 7.0%'); a text not shouted is returned as it is."""
    letters = [c for c in text if c.isalpha()]
    if len(text.split()) < 2 or len(letters) <= 4 or not all(c.isupper() for c in letters):
        return text  # one token in capitals is an acronym ('SES-CD', 'EGFR'), not shouting
    words = [_sentence_case(w) for w in text.split(" ")]
    out = " ".join(words)
    return out[:1].upper() + out[1:] if first else out


def _sentence_case(word: str) -> str:
    head = re.sub(r"[^A-Za-z]", "", word)
    if any(c.isdigit() for c in word):
        return word
    if len(head) <= 4 and head.lower() not in _PLAIN_SHORT:
        return word
    return word.lower()


def _window(req: Requirement, phrase: str) -> str:
    if not req.window:
        return ""
    window = subject_words(req.window)
    return "" if window.lower() in phrase.lower() else f" {window}"


def _amount(value: float, unit: str | None) -> str:
    number = f"{value:g}"
    unit = (unit or "").strip()
    if unit.lower() == "grade":  # 'Kellgren-Lawrence grade of at least 3', not '3 grade'
        unit = ""
    if unit and value == 1 and unit.endswith("s") and not unit.endswith("ss"):
        unit = unit[:-1]
    if not unit:
        return number
    return f"{number}{unit}" if unit in ("%",) else f"{number} {unit}"


def _singular(word: str) -> str:
    low = word.lower()
    if low.endswith("ies"):
        return word[:-3] + "y"
    if low.endswith("sses") or low.endswith("ches"):
        return word[:-2]
    return word[:-1] if low.endswith("s") and not low.endswith("ss") else word


def _counted(req: Requirement, subject: str) -> str:
    """'at least 4 antidepressant medication trials', 'at least 1 intra-articular injection',
    'at least 1 trial of nonoperative management', 'at least 2 classes'."""
    assert req.value is not None and req.comparator is not None
    cmp, number = _CMP_WORDS[req.comparator], f"{req.value:g}"
    unit = (req.unit or "trials").strip()
    words = subject.split()
    last = words[-1] if words else ""
    counted_noun = last.lower() in _COUNT_NOUNS  # 'formulary oral preventive agents'
    if last and (_singular(last).lower() == _singular(unit).lower() or counted_noun):
        noun = " ".join([*words[:-1], _singular(last) if req.value == 1 else last])
        if not noun.lower().endswith("s") and req.value != 1:
            noun += "s"
        return f"{cmp} {number} {noun}"
    if subject.lower() in ("classes", "trials", "", unit.lower()):
        return f"{cmp} {_amount(req.value, unit)}"
    return f"{cmp} {_amount(req.value, unit)} of {subject}"


def requirement_words(req: Requirement, window: bool = True) -> str:
    """The requirement as a physician states it (with its time window unless ``window`` is
    False): the subject, the comparison and the amount in one noun phrase."""
    subject = subject_words(req.subject)
    phrase = _bare(req, subject)
    return phrase + (_window(req, phrase) if window else "")


_NAMED_THINGS = frozenset(
    {
        RequirementKind.test_done, RequirementKind.document, RequirementKind.statement,
        RequirementKind.specialist, RequirementKind.dose_adequacy,
    }
)  # fmt: skip
"""Kinds whose subject is one thing the record must contain ('a validated instrument')."""
_SINGULAR_S = ("ss", "is", "us", "sis")
_DETERMINERS = frozenset(
    {
        "a", "an", "the", "one", "no", "any", "each", "every", "all", "both", "this", "that", "his",
        "her", "their"
    }
)  # fmt: skip


def _with_article(subject: str) -> str:
    """'validated instrument' -> 'a validated instrument'; a plural, a name in capitals or a
    phrase with its own determiner is left as it is."""
    words = subject.split()
    if not words or not words[0][:1].islower() or words[0].lower() in _DETERMINERS:
        return subject
    # the phrase's head noun: its last word before a preposition ('findings on examination')
    before = re.split(r"\s(?:of|on|for|by|with|from|in|to|at|that|which|who)\s", subject)[0]
    before = before.split()  # ('hours that do not duplicate ...': the head is 'hours')
    noun = before[-1].lower() if before else ""
    if noun.endswith(("ing", "data")) or (noun.endswith("s") and not noun.endswith(_SINGULAR_S)):
        return subject
    head = words[0]
    article = "an" if head[0] in "aeio" or head.startswith(("hour", "honest")) else "a"
    return f"{article} {subject}"


def _bare(req: Requirement, subject: str) -> str:
    kind = req.kind
    if kind == RequirementKind.concurrency:
        return f"treatment alongside {subject}"
    if kind == RequirementKind.absence:
        # an absence named by its own word ('abstinence from tobacco', 'freedom from seizures')
        # is stated as it is, never 'no abstinence'
        if subject.lower().startswith(("abstinen", "abstain", "freedom")):
            return subject[:1].lower() + subject[1:]
        return subject if subject.lower().startswith("no ") else f"no {subject}"
    if req.value is None or req.comparator is None:
        # a label before a colon ('quantity limit exception: requested amount is ...') is no
        # clause of its own
        clause = _CLAUSE_VERB_RE.match(subject) and ":" not in subject
        if clause and not subject.lower().startswith("that "):
            return f"that {subject}"
        return _with_article(subject) if kind in _NAMED_THINGS else subject
    generic = subject.lower() in _GENERIC_SUBJECTS
    if kind in (RequirementKind.trial_count, RequirementKind.class_count):
        return _counted(req, "" if generic else subject)
    amount = _amount(req.value, req.unit)
    cmp = _CMP_WORDS[req.comparator]
    if kind == RequirementKind.duration:
        if generic:
            return f"a duration of {cmp} {amount}"
        if req.each:
            words = subject.split()
            each = " ".join([*words[:-1], _singular(words[-1])]) if words else subject
            return f"{cmp} {amount} for each {each}"
        return f"{cmp} {amount} of {subject}"
    if kind == RequirementKind.time_window:
        within = "within" if req.comparator in ("<=", "<") else cmp
        return f"a record dated {within} {amount}" if generic else f"{subject} {within} {amount}"
    if kind == RequirementKind.dose_adequacy:
        if subject.lower() == "daily dose":  # the criterion names the drug
            return f"a daily dose of {cmp} {amount}"
        return f"{subject} at a dose of {cmp} {amount}"
    if generic:
        return f"{cmp} {amount}"
    return f"{subject} {_LEVEL_WORDS[req.comparator]} {amount}"


def within_words(req: Requirement) -> str:
    """A time window's own words ('within 90 days'), for the sentence of what it governs."""
    if req.value is None:
        return subject_words(req.window or "")
    within = "within" if req.comparator in ("<=", "<", None) else _CMP_WORDS[req.comparator]
    return f"{within} {_amount(req.value, req.unit)}"


def standard_words(req: Requirement, window: bool = True) -> str:
    """What the plan asks of the patient's value, without the subject, for a figure's
    parenthesis: 'above 3.2 within the past 90 days', 'at least 3 months', 'at least 1'
    ('' when the requirement has no amount)."""
    if req.value is None or req.comparator is None:
        return ""
    if req.kind == RequirementKind.threshold:
        words = f"{_LEVEL_WORDS[req.comparator].removeprefix('of ')} {_amount(req.value, req.unit)}"
    elif req.kind == RequirementKind.time_window:
        words = within_words(req)
    elif req.kind in (RequirementKind.trial_count, RequirementKind.class_count):
        words = f"{_CMP_WORDS[req.comparator]} {req.value:g}"
    else:
        words = f"{_CMP_WORDS[req.comparator]} {_amount(req.value, req.unit)}"
    said = subject_words(req.window) if req.window and window else ""
    return f"{words} {said}" if said and said.lower() not in words.lower() else words


def counted_words(req: Requirement, count: int, state: str = "") -> str:
    """'2 failed intra-articular injections', '3 failed trials of pharmacologic therapy': a
    count of what the requirement counts."""
    subject = subject_words(req.subject)
    generic = subject.lower() in _GENERIC_SUBJECTS | {"classes", "trials"}
    counted = req.model_copy(update={"value": float(count), "comparator": "=="})
    phrase = _counted(counted, "" if generic else subject).removeprefix("exactly ")
    if state:
        number, _, rest = phrase.partition(" ")
        phrase = f"{number} {state} {rest}"
    return phrase


def as_sentences(sentences: list[str] | tuple[str, ...]) -> str:
    """The case's sentences as sentences, each with its capital and full stop ('On May 2 she
    reacted. Since then she has been premedicated.'), never chained into one by semicolons
    ('on May 2 she reacted; since then ...'), which reads as a list of quote fragments."""
    out = []
    for sentence in sentences:
        text = " ".join(sentence.split()).rstrip(" .;,")
        if text:
            out.append(f"{text[:1].upper()}{text[1:]}.")
    return " ".join(out)
