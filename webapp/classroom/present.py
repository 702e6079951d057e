"""Presentation mode (the host screen on a projector): how much a question's text must shrink to fit one
screen. The page says it with a class (fit-1 … fit-5) so that it fits without JavaScript too; classroom.js
then fine-tunes the same scale on the screen it is actually shown on."""

from __future__ import annotations

from ..catalog import Question

# Upper bounds of a question's size in ems (a Chinese character is 1 em wide, a Latin letter about half),
# for each fit class; longer than the last bound is the smallest class.
FIT_STEPS = (160, 240, 330, 420)


def text_ems(text: str) -> float:
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.5 for ch in text)


def question_ems(question: Question, tag: str) -> float:
    parts = [question.prompt.get(tag), question.scene.get(tag) if question.scene else ""]
    parts += [choice.get(tag) for choice in question.choices]
    return sum(text_ems(part) for part in parts)


def fit_class(question: Question | None, tag: str) -> str:
    if question is None:
        return ""
    ems = question_ems(question, tag)
    step = next((i for i, bound in enumerate(FIT_STEPS) if ems <= bound), len(FIT_STEPS))
    return f"fit-{step + 1}"
