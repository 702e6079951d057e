"""An organizer's own questions as the catalog sees them: checked by the same models and rules as the
banks (schema.OwnQuestionFile, QuizFiles.question), made into the same frozen Question, and kept as plain
JSON in a session row (snapshot), so a session plays on whatever happens to the quiz it came from.

Ids: a composed quiz is "own:<number>", its questions "own:<number>:q<n>". A bank id is a slug, which has
no colon, so the two never collide."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from pydantic import ValidationError

from .loader import _Loader
from .model import Question, Quiz, ScamType
from .quizfiles import QuizFiles
from .schema import OwnQuestionFile, QuestionFile, Text

QUIZ_PREFIX = "own:"


def quiz_id(number: int) -> str:
    return f"{QUIZ_PREFIX}{number}"


def quiz_number(raw) -> int | None:
    """The number of a composed quiz's id, or None for a bank id (or anything else)."""
    if not isinstance(raw, str) or not raw.startswith(QUIZ_PREFIX):
        return None
    digits = raw[len(QUIZ_PREFIX):]
    return int(digits) if digits.isdigit() and len(digits) < 12 else None


class _Checker(QuizFiles):
    """QuizFiles.question's checks with the problems collected as (field, message)."""

    text = staticmethod(_Loader.text)

    def __init__(self):
        self.problems: list[tuple[str, str]] = []

    def problem(self, _path, field: str, message: str) -> None:
        self.problems.append((field, message))


def _filled(text) -> dict | None:
    """An OwnText as the banks' AuthoredText: zh-Hans and en filled in from whatever was written."""
    if text is None:
        return None
    zh = text.zh_Hans or text.zh_Hant or text.en
    return {"zh-Hans": zh, "en": text.en or zh, **({"zh-Hant": text.zh_Hant} if text.zh_Hant else {})}


def _filled_list(choices) -> dict | None:
    if choices is None:
        return None
    zh = choices.zh_Hans or choices.zh_Hant or choices.en
    return {"zh-Hans": list(zh), "en": list(choices.en or zh), **({"zh-Hant": list(choices.zh_Hant)} if choices.zh_Hant else {})}


def check_question(raw, types: Mapping[str, ScamType], field: str = "") -> tuple[dict | None, list[tuple[str, str]]]:
    """Validate one question sent by an organizer: (its stored form, []) or (None, [(field, message), …])."""
    prefix = f"{field}." if field else ""
    try:
        own = OwnQuestionFile.model_validate(raw)
    except ValidationError as error:
        return None, [(prefix + ".".join(str(p) for p in e["loc"]) or field, e["msg"]) for e in error.errors()]
    stored = own.model_dump(by_alias=True, exclude_none=True, mode="json")
    checker = _Checker()
    if make(own, "own:0:q0", types, checker) is None:
        return None, [(prefix + f.split(".", 1)[-1] if f else field, m) for f, m in checker.problems] or [(field, "not valid")]
    stored.pop("id", None)
    return stored, []


def make(own: OwnQuestionFile, question_id: str, types: Mapping[str, ScamType], checker: _Checker | None = None) -> Question | None:
    """The catalog Question of a stored own question (None, with the problems in `checker`, if it is bad)."""
    checker = checker or _Checker()
    bank_form = QuestionFile.model_validate({
        "id": "own", "slug": own.slug, "kind": own.kind, "answer": own.answer,
        "prompt": _filled(own.prompt), "explanation": _filled(own.explanation),
        **({"scene": _filled(own.scene)} if own.scene else {}),
        **({"choices": _filled_list(own.choices)} if own.choices else {}),
    })
    question = checker.question(Path("own"), "question", bank_form, dict(types), own=True)
    if question is None:
        return None
    return Question(question_id, *[getattr(question, name) for name in
                                   ("slug", "kind", "prompt", "scene", "choices", "answer", "explanation", "own")])


def make_stored(stored: dict, question_id: str, types: Mapping[str, ScamType]) -> Question | None:
    try:
        return make(OwnQuestionFile.model_validate(stored), question_id, types)
    except ValidationError:
        return None


def build_quiz(number: int, audience: str, title: str, questions: list[Question]) -> Quiz:
    text = Text(zh_Hans=title, zh_Hant=title, en=title)
    return Quiz(quiz_id(number), audience, text, text, tuple(questions),
                MappingProxyType({q.id: q for q in questions}), composed=True)


# -- a session's copy of what it plays -----------------------------------------------------------------


def snapshot(quiz: Quiz, questions: list[Question]) -> dict:
    """The played questions as plain JSON (LiveSession.snapshot)."""
    return {
        "title": quiz.title.model_dump(), "audience": quiz.audience,
        "questions": [{
            "id": q.id, "slug": q.slug, "kind": q.kind, "prompt": q.prompt.model_dump(),
            "scene": q.scene.model_dump() if q.scene else None, "choices": [c.model_dump() for c in q.choices],
            "answer": sorted(q.answer), "explanation": q.explanation.model_dump(), "own": q.own,
        } for q in questions],
    }


def from_snapshot(quiz_key: str, data: dict) -> Quiz:
    questions = [
        Question(q["id"], q["slug"], q["kind"], Text(**q["prompt"]), Text(**q["scene"]) if q["scene"] else None,
                 tuple(Text(**c) for c in q["choices"]), frozenset(q["answer"]), Text(**q["explanation"]), q["own"])
        for q in data["questions"]
    ]
    title = Text(**data["title"])
    return Quiz(quiz_key, data["audience"], title, title, tuple(questions),
                MappingProxyType({q.id: q for q in questions}), composed=True)
