"""Solo quiz runs. The run's state travels signed (the client can't change it); the database only
remembers which steps of which runs were answered, so a replayed answer is refused."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError

from ..catalog import Question, Quiz
from ..errors import DomainError
from ..extensions import db
from ..models import QuizStep
from . import scoring
from .draw import draw, type_weights

RUN_LENGTH = 10
_random = secrets.SystemRandom()


def refused(code: str) -> DomainError:
    """A tampered, replayed or impossible request (its words are in webapp/errors.py)."""
    return DomainError(code, 400, domain="quiz")


@dataclass(frozen=True)
class Step:
    question_id: str
    chosen: tuple[int, ...]
    correct: bool
    points: int


@dataclass(frozen=True)
class Run:
    run_id: str
    quiz_id: str
    question_ids: tuple[str, ...]
    steps: tuple[Step, ...] = ()

    @property
    def index(self) -> int:
        return len(self.steps)

    @property
    def finished(self) -> bool:
        return self.index >= len(self.question_ids)

    @property
    def score(self) -> int:
        return sum(step.points for step in self.steps)

    @property
    def right(self) -> int:
        return sum(step.correct for step in self.steps)

    @property
    def streak(self) -> int:
        count = 0
        for step in reversed(self.steps):
            if not step.correct:
                break
            count += 1
        return count


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="fangzha.quiz-run")


def encode(run: Run) -> str:
    return _serializer().dumps({
        "r": run.run_id, "q": run.quiz_id, "ids": list(run.question_ids),
        "s": [[list(s.chosen), int(s.correct), s.points] for s in run.steps],
    })


def decode(token: str | None, quiz_lookup) -> tuple[Run, Quiz]:
    if not token or len(token) > 4000:
        raise refused("missing_run")
    try:
        data = _serializer().loads(token)
        quiz = quiz_lookup(data["q"])
        ids = tuple(data["ids"])
        steps = tuple(
            Step(ids[i], tuple(chosen), bool(correct), int(points)) for i, (chosen, correct, points) in enumerate(data["s"])
        )
        run = Run(str(data["r"]), data["q"], ids, steps)
    except (BadSignature, KeyError, TypeError, ValueError, IndexError):
        raise refused("bad_run") from None
    if quiz is None or any(quiz.question(qid) is None for qid in ids):
        raise refused("bad_run")
    return run, quiz


def start(quiz: Quiz, length: int = RUN_LENGTH) -> Run:
    """A new run: `length` questions of as many different scam types, the audience's commonest more often."""
    weights = type_weights(current_app.extensions["catalog"].types_for(quiz.audience))
    picked = draw(quiz.questions, length, weights, _random)
    return Run(secrets.token_hex(12), quiz.id, tuple(q.id for q in picked))


def parse_choices(raw: list[str], question: Question) -> frozenset[int]:
    try:
        chosen = frozenset(int(value) for value in raw)
    except ValueError:
        raise refused("bad_choice") from None
    if not chosen:
        raise refused("no_choice")
    if any(not 0 <= c < len(question.choices) for c in chosen):
        raise refused("bad_choice")
    if question.kind != "multiple" and len(chosen) != 1:
        raise refused("one_choice")
    return chosen


def answer(run: Run, quiz: Quiz, question_id: str, raw_choices: list[str]) -> Run:
    """Score one answer; record the step so the same answer can't be sent twice."""
    if run.finished:
        raise refused("finished")
    if question_id != run.question_ids[run.index]:
        raise refused("wrong_question")
    question = quiz.question(question_id)
    chosen = parse_choices(raw_choices, question)
    correct = question.is_correct(chosen)
    points, _ = scoring.points_for(correct, run.streak)
    db.session.add(QuizStep(run_id=run.run_id, step=run.index))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise refused("replayed") from None
    return replace(run, steps=(*run.steps, Step(question_id, tuple(sorted(chosen)), correct, points)))


# -- progress kept in the browser (a signed cookie: no account) --------------------------------

PROGRESS_COOKIE = "progress"


def _progress_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="fangzha.progress")


def empty_progress() -> dict:
    return {"runs": 0, "points": 0, "best": {}, "slugs": {}, "done": []}


def read_progress(cookie: str | None) -> dict:
    if not cookie:
        return empty_progress()
    try:
        data = _progress_serializer().loads(cookie)
    except BadSignature:
        return empty_progress()
    return data if isinstance(data, dict) and set(empty_progress()) <= set(data) else empty_progress()


def add_run(progress: dict, run: Run, quiz: Quiz) -> dict:
    """Count a finished run once."""
    if run.run_id in progress["done"]:
        return progress
    progress = {**progress, "slugs": dict(progress["slugs"]), "best": dict(progress["best"])}
    progress["runs"] += 1
    progress["points"] += run.score
    share = round(100 * run.right / len(run.steps)) if run.steps else 0
    progress["best"][quiz.id] = max(progress["best"].get(quiz.id, 0), share)
    for step in run.steps:
        slug = quiz.question(step.question_id).slug
        right, total = progress["slugs"].get(slug, [0, 0])
        progress["slugs"][slug] = [right + step.correct, total + 1]
    progress["done"] = (progress["done"] + [run.run_id])[-10:]
    return progress


def dump_progress(progress: dict) -> str:
    return _progress_serializer().dumps(progress)


def badges(progress: dict) -> list[str]:
    return sorted(slug for slug, (right, total) in progress["slugs"].items() if scoring.mastered(right, total))
