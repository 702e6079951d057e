"""A self-paced session (an outreach event): nobody advances it. It stays in its lobby phase while
open; each player's own question is the first one they have not answered yet, answers come in order,
each once, and a right answer is worth the same whatever its speed. Paper quiz sheets typed in by
the organizer count as players too. Same four functions as live.py: join, record_answer, state, state_tag."""

from __future__ import annotations

import random
from datetime import datetime

from .. import clock
from ..catalog import Question, Quiz
from ..extensions import db
from ..models import Answer, LiveSession, Phase, Player
from ..quiz.draw import draw as spread_draw
from . import answers, codes, queries, results, sessions
from .answers import AnswerResult
from .sessions import refused

SCORING = "accuracy"


def _points(correct: bool) -> int:
    return codes.points_for(correct, SCORING, None, None)


def seeded_draw(quiz: Quiz, count: int, code: str) -> list[Question]:
    """Drawn from the code: reproducible for the event, and the same questions for everyone; one question
    per scam type while the bank has types left (webapp/quiz/draw.py)."""
    return spread_draw(quiz.questions, count, {}, random.Random(f"{quiz.id}/{code}"))


def create_session(organizer_id: int, quiz: Quiz | None, count: int | None = None) -> tuple[LiveSession, str]:
    """Untimed, scored on right answers only."""
    return sessions.create_session(organizer_id, quiz, SCORING, None, count, self_paced=True, draw=seeded_draw)


def join(live: LiveSession, raw_nickname: str | None):
    """Nobody sees a leaderboard: two "Grandma Wang"s become "Grandma Wang" and "Grandma Wang 2"."""
    return sessions.join(live, raw_nickname, renumber=True)


def own_index(live: LiveSession, answered: int) -> int | None:
    """The player's current question after `answered` answers; None once all are answered (or it ended)."""
    return answered if answered < len(live.question_ids) and live.phase != Phase.FINISHED else None


def record_answer(live: LiveSession, player: Player, question_index, raw_choice, now: datetime | None = None) -> AnswerResult:
    """Only the player's own current question is taken. An accepted (or repeated) answer comes back with
    its question, to show the right answer at once, and the player's next question."""
    earlier = answers.earlier_result(live, player, question_index)
    answered, _right = queries.progress(player)
    if earlier is not None:
        return earlier.revealing(sessions.questions_of(live)[question_index], own_index(live, answered))
    if answered >= len(live.question_ids):
        return answers.refusal("all_done")
    if question_index != answered:
        return answers.refusal("wrong_question")
    question = sessions.questions_of(live)[question_index]
    result = answers.store_once(player, question_index, question, raw_choice, _points, now or clock.now())
    if not result.repeated:
        sessions.bump(live)
        db.session.commit()
    return result.revealing(question, own_index(live, answered + 1))


def record_paper_sheet(live: LiveSession, label: str, marks: list[bool | None]) -> Player:
    """A paper sheet typed in: one player (paper=True) with an answer per marked question (True: right,
    False: wrong, None: left blank, not recorded). Paper gives no choice, so `choice` stays empty."""
    if not live.self_paced or len(marks) != len(live.question_ids):
        raise refused("bad_request", 400)
    player, _token = sessions.join(live, label, paper=True, renumber=True)
    for index, mark in enumerate(marks):
        if mark is not None:
            db.session.add(Answer(
                player_id=player.id, question_index=index, choice=[], correct=bool(mark), points=_points(bool(mark)),
            ))
    sessions.bump(live)
    db.session.commit()
    return player


def state_tag(live: LiveSession, player: Player | None) -> str:
    """Every answer bumps the version here: nothing else to tell pollers apart."""
    return ""


def state(live: LiveSession, tag: str, player: Player | None = None) -> dict:
    """The poll body: the session's totals, and with a player's token that player's own question."""
    summary = results.pace_summaries([live])[live.id]
    body = {
        "version": live.version, "phase": live.phase, "code": live.code, "self_paced": True,
        "question": None, "deadline": None, "remaining": None, "time_limit": None,
        "total": summary.total, "players": summary.people, "finished": summary.finished,
        "average": summary.average, "answers": 0, "leaderboard": [],
    }
    if player is not None:
        answered, right = queries.progress(player)
        index = own_index(live, answered)
        body["phase"] = Phase.QUESTION if index is not None else Phase.FINISHED
        if index is not None:
            body["question"] = results.question_body(sessions.questions_of(live)[index], index, tag)
        body["me"] = {
            "nickname": player.nickname, "answered": answered, "right": right,
            "points": right * codes.MAX_POINTS, "rank": None,
        }
    return body
