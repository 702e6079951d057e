"""One answer: parsed, scored and stored once, for both kinds of session (live.py and self_paced.py
decide which question is open). An answer is unique per (player, question) in the database, so a
retried POST counts once and gets the first result back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from ..catalog import Question
from ..extensions import db
from ..models import Answer, LateAnswer, LiveSession, Phase, Player
from . import queries
from .sessions import refused


@dataclass(frozen=True)
class AnswerResult:
    """Everything a view needs to answer the player, in one value."""

    accepted: bool
    correct: bool | None
    points: int
    reason: str | None = None  # why it was not accepted: a classroom code (webapp/errors.py)
    repeated: bool = False  # the same answer came before: this is its first result
    # Self-paced only: nobody reveals the answer, so it comes with the result, with the player's next
    # question (None once every question is answered).
    reveal: Question | None = None
    next_index: int | None = None

    def revealing(self, question: Question, next_index: int | None) -> AnswerResult:
        return replace(self, reveal=question, next_index=next_index)


def refusal(reason: str) -> AnswerResult:
    return AnswerResult(False, None, 0, reason)


def too_late(player: Player, question_index: int, now: datetime) -> AnswerResult:
    """Refuse an answer that came after its question closed, and keep that it came (once per player and
    question), so the player's page says "your answer came too late" and the host can count them. Commits."""
    db.session.add(LateAnswer(player_id=player.id, question_index=question_index, arrived_at=now))
    try:
        db.session.commit()
    except IntegrityError:  # the phone sent it again: it is counted already
        db.session.rollback()
    return refusal("too_late")


def check_request(live: LiveSession, question_index) -> None:
    """The checks both kinds of session start with: a finished session refuses, a malformed index is a bad
    request."""
    if live.phase == Phase.FINISHED:
        raise refused("finished", 409)
    if isinstance(question_index, bool) or not isinstance(question_index, int):
        raise refused("bad_request", 400)


def earlier_answer(player: Player, question_index: int) -> AnswerResult | None:
    """The first result of a question this player already answered, if they did."""
    earlier = queries.answer_of(player, question_index)
    return AnswerResult(True, earlier.correct, earlier.points, repeated=True) if earlier is not None else None


def earlier_result(live: LiveSession, player: Player, question_index) -> AnswerResult | None:
    """check_request, then the first result of a question this player already answered."""
    check_request(live, question_index)
    return earlier_answer(player, question_index)


def parse_choice(raw, question: Question) -> list[int]:
    """An index or a list of indexes (JSON ints, or digit strings from a form) → sorted unique indexes."""
    values = raw if isinstance(raw, list) else [raw]
    chosen: set[int] = set()
    for value in values:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            raise refused("bad_choice", 400)
        chosen.add(value)
    if not chosen:
        raise refused("no_choice", 400)
    if any(not 0 <= c < len(question.choices) for c in chosen):
        raise refused("bad_choice", 400)
    if question.kind != "multiple" and len(chosen) != 1:
        raise refused("one_choice", 400)
    return sorted(chosen)


def store_once(
    player: Player, question_index: int, question: Question, raw_choice, points_for: Callable[[bool], int],
    now: datetime,
) -> AnswerResult:
    """Parse and score the choice and add the answer (the caller commits). When the same answer, sent twice
    at once, got in first (the unique constraint decides), its result, marked `repeated`."""
    chosen = parse_choice(raw_choice, question)
    correct = question.is_correct(chosen)
    points = points_for(correct)
    db.session.add(Answer(
        player_id=player.id, question_index=question_index, choice=chosen, correct=correct, points=points, answered_at=now,
    ))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        earlier = queries.answer_of(player, question_index)
        return AnswerResult(True, earlier.correct, earlier.points, repeated=True)
    return AnswerResult(True, correct, points)
