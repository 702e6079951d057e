"""The quiz banks (quizzes/<audience>/<quiz-id>.yaml): each question checked, each audience's banks big
enough and covering every type its page lists. A part of the content loader (catalog/loader.py)."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

from .hant import forbidden_in, to_hant
from .model import Question, Quiz, ScamType
from .schema import AuthoredList, QuizFile, Text

TRUE_FALSE = {"zh-Hans": ("对", "错"), "en": ("True", "False")}
# The fewest questions an audience's banks hold together, so that a run of 10 rarely repeats one.
BANK_MINIMUMS = {"elderly": 80, "students": 80, "rural": 80, "general": 60}


class QuizFiles:
    """The loader's quiz banks; uses its read_yaml, validate, problem, rel and text helpers."""

    def quizzes(self, types: dict[str, ScamType]) -> dict[str, Quiz]:
        quizzes: dict[str, Quiz] = {}
        seen_questions: dict[str, str] = {}
        if not self.quiz_dir.is_dir():
            return quizzes
        for path in sorted(self.quiz_dir.glob("*/*.yaml")):
            data = self.read_yaml(path)
            quiz_file = self.validate(QuizFile, data, path) if data is not None else None
            if quiz_file is None:
                continue
            if quiz_file.id != path.stem:
                self.problem(path, "id", f"{quiz_file.id!r} must equal the file name {path.stem!r}")
            if quiz_file.audience != path.parent.name:
                self.problem(path, "audience", f"{quiz_file.audience!r} must equal the folder {path.parent.name!r}")
            if quiz_file.id in quizzes:
                self.problem(path, "id", f"duplicate quiz id {quiz_file.id!r}")
            questions = []
            for index, q in enumerate(quiz_file.questions):
                question = self.question(path, f"questions.{index}", q, types)
                if question is None:
                    continue
                if q.id in seen_questions:
                    self.problem(path, f"questions.{index}.id", f"duplicate question id {q.id!r} (also in {seen_questions[q.id]})")
                seen_questions[q.id] = self.rel(path)
                questions.append(question)
            quizzes[quiz_file.id] = Quiz(
                quiz_file.id, quiz_file.audience, self.text(quiz_file.title), self.text(quiz_file.description),
                tuple(questions), MappingProxyType({q.id: q for q in questions}),
            )
        self.bank_coverage(quizzes, types)
        return quizzes

    def bank_coverage(self, quizzes: dict[str, Quiz], types: dict[str, ScamType]) -> None:
        """Each audience's banks hold enough questions and every type its audience page lists."""
        for audience, minimum in BANK_MINIMUMS.items():
            banks = [q for q in quizzes.values() if q.audience == audience]
            folder = self.quiz_dir / audience
            count = sum(len(q.questions) for q in banks)
            if count < minimum:
                self.problem(folder, "questions", f"{count} questions in the {audience} banks; at least {minimum} needed")
            present = {question.slug for quiz in banks for question in quiz.questions}
            listed = [t.slug for t in sorted(types.values(), key=lambda t: t.rank) if audience in t.audiences]
            missing = [slug for slug in listed if slug not in present]
            if missing:
                self.problem(folder, "questions", f"no question on {', '.join(missing)}, listed on the {audience} page")

    def question(self, path: Path, field: str, q, types: dict[str, ScamType], own: bool = False) -> Question | None:
        """A bank question checked and made; `own`: an organizer's question (catalog/own.py), whose scam
        type is optional and whose zh-Hant is not held to the site's wording rules."""
        bad = len(self.problems)
        if (q.slug is not None or not own) and q.slug not in types:
            self.problem(path, f"{field}.slug", f"unknown scam slug {q.slug!r}")
        if (q.kind == "scenario") != (q.scene is not None):
            self.problem(path, f"{field}.scene", "scenario questions need a scene; other kinds must not have one")
        if q.kind == "truefalse":
            if q.choices is not None or not isinstance(q.answer, bool):
                self.problem(path, f"{field}.answer", "true/false questions have no choices and answer true or false")
                return None
            choices = tuple(
                Text(zh_Hans=zh, zh_Hant=to_hant(zh), en=en) for zh, en in zip(TRUE_FALSE["zh-Hans"], TRUE_FALSE["en"])
            )
            answer = frozenset({0 if q.answer else 1})
        else:
            choices_file: AuthoredList | None = q.choices
            if choices_file is None:
                self.problem(path, f"{field}.choices", "required for this kind of question")
                return None
            if len(choices_file.zh_Hans) != len(choices_file.en):
                self.problem(path, f"{field}.choices", "zh-Hans and en must have the same number of choices")
                return None
            hant = choices_file.zh_Hant or tuple(to_hant(c) for c in choices_file.zh_Hans)
            choices = tuple(Text(zh_Hans=zh, zh_Hant=tw, en=en) for zh, tw, en in zip(choices_file.zh_Hans, hant, choices_file.en))
            raw = q.answer
            if isinstance(raw, bool):
                self.problem(path, f"{field}.answer", "must be a choice index, not true/false")
                return None
            indexes = (raw,) if isinstance(raw, int) else raw
            if q.kind == "multiple" and (not isinstance(raw, tuple) or len(raw) < 2):
                self.problem(path, f"{field}.answer", "multiple-choice questions need a list of at least 2 right choices")
            if q.kind in ("single", "scenario") and not isinstance(raw, int):
                self.problem(path, f"{field}.answer", "must be one choice index")
            if any(not 0 <= i < len(choices) for i in indexes) or len(set(indexes)) != len(indexes):
                self.problem(path, f"{field}.answer", f"out of range: choices are 0..{len(choices) - 1}")
                return None
            answer = frozenset(indexes)
        texts = [q.prompt, *([q.scene] if q.scene else []), q.explanation]
        hant = " ".join([*(t.zh_Hant for t in texts if t.zh_Hant), *((q.choices.zh_Hant or ()) if q.choices else ())])
        if not own and (words := forbidden_in(hant)):
            self.problem(path, field, f"hand-written zh-Hant uses {', '.join(words)} (see content/zh-hant.yaml)")
        if len(self.problems) > bad:
            return None
        return Question(
            q.id, q.slug, q.kind, self.text(q.prompt), self.text(q.scene) if q.scene else None,
            choices, answer, self.text(q.explanation), own=own,
        )
