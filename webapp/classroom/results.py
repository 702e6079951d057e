"""Scores and results: the leaderboard (and its per-version cache), how the class answered each
question, a self-paced session's totals, and the body every poller of a live session sees."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from .. import clock
from ..catalog import Question
from ..extensions import db
from ..models import Answer, LiveSession, Phase, Player
from . import codes, queries
from .sessions import current_question, questions_of

LEADERBOARD_SIZE = 10


@dataclass(frozen=True)
class Standing:
    rank: int
    player_id: int
    nickname: str
    points: int
    right: int


@dataclass(frozen=True)
class QuestionResult:
    index: int
    question: Question
    answered: int
    right: int
    players: int
    counts: tuple[int, ...]
    late: int = 0  # answers that came after the question closed (not scored)

    @property
    def share_right(self) -> int:
        """Percent of the players (not only of those who answered) who got it right."""
        return round(100 * self.right / self.players) if self.players else 0


@dataclass(frozen=True)
class PaceSummary:
    """A self-paced session's totals, from the recorded players and answers."""

    online: int = 0
    paper: int = 0
    finished: int = 0
    right_finished: int = 0  # right answers of the finished players, summed
    total: int = 0  # questions in the session; 0 in a sum over sessions of different lengths
    possible: int = 0  # right answers the finished quizzes could have had (finished × questions, summed)

    @property
    def people(self) -> int:
        return self.online + self.paper

    @property
    def average(self) -> float | None:
        """Right answers per finished quiz, one decimal; None before anyone finished."""
        return round(self.right_finished / self.finished, 1) if self.finished else None

    @property
    def share_right(self) -> int | None:
        """Percent of the possible right answers of the finished quizzes; None before anyone finished."""
        return round(100 * self.right_finished / self.possible) if self.possible else None


class VersionCache:
    """Values that change only with a session's version, kept per process (each gunicorn worker has its
    own) and per database (tests build many apps, each on its own database)."""

    def __init__(self, size: int):
        self.size, self.values = size, {}

    def get(self, key: tuple, build: Callable[[], object]):
        key = (db.engine, *key)  # by identity (kept alive with its entries): hashing its URL renders it each time
        if key not in self.values:
            if len(self.values) > self.size:
                self.values.clear()
            self.values[key] = build()
        return self.values[key]


_rankings = VersionCache(64)
_standings = VersionCache(64)  # the same, by player id
_states = VersionCache(256)


# -- the leaderboard -----------------------------------------------------------------------------


def leaderboard(live: LiveSession, limit: int | None = None, as_opened: bool = False) -> list[Standing]:
    """SUM(points) per player, highest first, then the most right answers; `as_opened`, during a question:
    as it stood when the question opened (its answers count from its reveal on).

    Equal points and equal right answers share a rank, standard competition style (1, 1, 3): two
    players on 0 points are both last, not 5th and 6th. Within a rank the list still has one order
    (whoever last scored earliest first) so that pages and the CSV agree."""
    total = func.coalesce(func.sum(Answer.points), 0)
    rights = queries.right_count()
    last_scoring = func.max(case((Answer.points > 0, Answer.answered_at), else_=None))
    counted = Answer.player_id == Player.id
    if as_opened and live.phase == Phase.QUESTION:
        counted &= Answer.question_index != live.question_index
    stmt = (
        select(Player.id, Player.nickname, total, rights)
        .outerjoin(Answer, counted)
        .where(queries.active_players(live.id))
        .group_by(Player.id, Player.nickname)
        .order_by(total.desc(), rights.desc(), last_scoring.asc(), Player.id.asc())
    )
    if limit:
        stmt = stmt.limit(limit)
    return ranked(db.session.execute(stmt))


def ranked(rows) -> list[Standing]:
    """(player id, nickname, points, right) rows, best first → standings; ties share the rank."""
    out: list[Standing] = []
    for place, (pid, nickname, points, rights) in enumerate(rows, start=1):
        points, rights = int(points), int(rights)
        tied = out and (out[-1].points, out[-1].right) == (points, rights)
        out.append(Standing(out[-1].rank if tied else place, pid, nickname, points, rights))
    return out


def top_places(standings: list[Standing], size: int = 6) -> list[Standing]:
    """Everyone ranked 1st to 3rd who scored (ties can make that more than three people), at most `size`."""
    return [s for s in standings if s.rank <= 3 and s.points > 0][:size]


def podium(live: LiveSession) -> list[Standing]:
    return top_places(ranking(live))


def ranking(live: LiveSession) -> list[Standing]:
    """The whole leaderboard, computed once per session version in each worker process.

    No answer can change it: between questions (reveal, finished) none come, and during a question it is the
    leaderboard as the question opened (a phone's points line). The version moves with every phase change,
    join and removal, so a cached ranking is never stale."""
    return _rankings.get((live.id, live.version), lambda: leaderboard(live, as_opened=True))


def standing_of(live: LiveSession, player: Player) -> Standing | None:
    """One player's standing (a lookup: a reveal asks it of every phone in the hall)."""
    return standings_by_player(live).get(player.id)


def standings_by_player(live: LiveSession) -> dict[int, Standing]:
    """The ranking by player id, once per session version in each worker."""
    return _standings.get((live.id, live.version), lambda: {s.player_id: s for s in ranking(live)})


# -- how the class answered ----------------------------------------------------------------------


def choice_counts(question: Question, answers: list[Answer]) -> tuple[int, ...]:
    counts = [0] * len(question.choices)
    for answer in answers:
        for choice in answer.choice:
            if 0 <= choice < len(counts):
                counts[choice] += 1
    return tuple(counts)


def current_counts(live: LiveSession) -> tuple[int, ...]:
    """How many chose each choice of the question being revealed; () at any other time."""
    question = current_question(live)
    if question is None or live.phase != Phase.REVEAL:
        return ()
    return choice_counts(question, queries.answers_of(live, live.question_index))


def question_results(live: LiveSession) -> list[QuestionResult]:
    """Every question as played, with how the class answered it (in play order)."""
    questions = questions_of(live)
    players = queries.player_count(live)
    by_index: dict[int, list[Answer]] = {}
    for answer in queries.answers_of(live):
        by_index.setdefault(answer.question_index, []).append(answer)
    late = queries.late_counts(live)
    out = []
    for index, question in enumerate(questions):
        answers = by_index.get(index, [])
        out.append(QuestionResult(
            index, question, len(answers), sum(a.correct for a in answers), players, choice_counts(question, answers),
            late.get(index, 0),
        ))
    return out


def most_missed_first(results: list[QuestionResult]) -> list[QuestionResult]:
    return sorted(results, key=lambda r: (r.share_right, r.index))


def player_points(live: LiveSession) -> dict[int, dict[int, Answer]]:
    """player id → question index → answer."""
    out: dict[int, dict[int, Answer]] = {}
    for answer in queries.answers_of(live):
        out.setdefault(answer.player_id, {})[answer.question_index] = answer
    return out


def pace_summaries(sessions: list[LiveSession]) -> dict[int, PaceSummary]:
    """Session id → totals: people (online, on paper), finished quizzes and their right answers. One query."""
    totals = {live.id: len(live.question_ids) for live in sessions}
    rows = db.session.execute(
        select(Player.live_session_id, Player.paper, func.count(Answer.id), queries.right_count())
        .outerjoin(Answer, Answer.player_id == Player.id)
        .where(Player.live_session_id.in_(list(totals)), Player.removed_at.is_(None))
        .group_by(Player.id, Player.live_session_id, Player.paper)
    )
    counts = {sid: [0, 0, 0, 0] for sid in totals}
    for session_id, paper, answered, rights in rows:
        c = counts[session_id]
        c[1 if paper else 0] += 1
        if answered >= totals[session_id]:
            c[2] += 1
            c[3] += int(rights)
    return {sid: PaceSummary(*c, total=totals[sid], possible=c[2] * totals[sid]) for sid, c in counts.items()}


# -- what a poller of a live session sees --------------------------------------------------------


def question_body(question: Question, index: int, tag: str) -> dict:
    return {
        "index": index, "kind": question.kind, "prompt": question.prompt.get(tag),
        "choices": [choice.get(tag) for choice in question.choices],
        **({"own": True} if question.own else {}),  # written by the organizer: the site vouches only for its banks
    }


def public_state(live: LiveSession, tag: str, now: datetime | None = None, answers: bool = True) -> dict:
    """What every poller sees: never an answer key before the reveal.

    Built once per (session, version, language) in each worker and copied: everything in it changes
    only with the version, except the seconds left and, during a question, the answer count (counted
    unless `answers` is false: a phone's page does not show it)."""
    state = json.loads(json.dumps(_built_state(live, tag)))  # a deep copy the caller may add to
    if live.phase == Phase.QUESTION:
        if answers:
            state["answers"] = queries.answer_count(live)
        if live.deadline is not None:
            state["remaining"] = seconds_left(live, now)
    return state


def seconds_left(live: LiveSession, now: datetime | None = None) -> float:
    """Seconds to the open question's deadline, one decimal, never below 0."""
    return round(max(0.0, (live.deadline - (now or clock.now())).total_seconds()), 1)


def poll_interval(live: LiveSession, tag: str) -> int:
    """The milliseconds pages of this session poll at (set by its size, as of this version)."""
    return _built_state(live, tag)["poll_ms"]


def _built_state(live: LiveSession, tag: str) -> dict:
    """The cached public state of this version: read it, never change it."""
    return _states.get((live.id, live.version, tag), lambda: _build_public_state(live, tag))


def _build_public_state(live: LiveSession, tag: str) -> dict:
    now = clock.now()
    question = current_question(live)
    state = {
        "version": live.version,
        "phase": live.phase,
        "code": live.code,
        "question": None,
        "deadline": live.deadline.isoformat() if live.deadline and live.phase == Phase.QUESTION else None,
        "remaining": None,
        "time_limit": live.time_limit,
        "total": len(live.question_ids),
        "players": queries.player_count(live),
        "poll_ms": 0,  # below, from the number of players
        "answers": queries.answer_count(live) if question else 0,
        "leaderboard": [  # between questions only: during one the phones are busy answering
            {"rank": s.rank, "nickname": s.nickname, "points": s.points}
            for s in ranking(live)[:LEADERBOARD_SIZE]
        ] if live.phase in (Phase.REVEAL, Phase.FINISHED) else [],
    }
    state["poll_ms"] = codes.poll_ms(state["players"])
    if question is not None:
        state["question"] = question_body(question, live.question_index, tag)
        if state["deadline"]:
            state["remaining"] = seconds_left(live, now)
    if live.phase == Phase.REVEAL and question is not None:
        state["reveal"] = {
            "answer": sorted(question.answer),
            "explanation": question.explanation.get(tag),
            "counts": list(current_counts(live)),
        }
    return state
