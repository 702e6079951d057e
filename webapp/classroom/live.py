"""A live session: the host drives it through lobby → (question → reveal)* → finished.

Phase changes are conditional UPDATEs on the phase and question they start from, so two workers (or a
double click) can't advance twice. This module and self_paced.py offer the same four functions (join,
record_answer, state, state_tag); modes.of(session) picks the right one."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy import Connection, bindparam, select, update

from .. import clock
from ..errors import DomainError
from ..extensions import db
from ..models import LiveSession, Phase, Player
from ..types import utcnow
from . import answers, codes, queries, results, sessions
from .answers import AnswerResult
from .sessions import refused


def create_session(organizer_id: int, quiz, scoring: str = "speed", time_limit: int | None = 20,
                   count: int | None = None) -> tuple[LiveSession, str]:
    return sessions.create_session(organizer_id, quiz, scoring, time_limit, count)


def join(live: LiveSession, raw_nickname: str | None):
    """Nicknames are unique in a live session: everyone sees the leaderboard."""
    return sessions.join(live, raw_nickname)


# -- the state machine ---------------------------------------------------------------------------


def transition_statement(session_id: int, from_phase: str, from_index: int | None, **values):
    """The UPDATE that moves a session from (from_phase, from_index) to `values` and bumps its version,
    unless another request did it first (then it changes no row)."""
    same_index = (LiveSession.question_index.is_(None) if from_index is None
                  else LiveSession.question_index == from_index)
    return (
        update(LiveSession)
        .where(LiveSession.id == session_id, LiveSession.phase == from_phase, same_index)
        .values(version=LiveSession.version + 1, **values)
    )


def _transition(live: LiveSession, from_phase: str, from_index: int | None, **values) -> bool:
    """Move from (from_phase, from_index) to `values` unless another request did it first. Commits."""
    result = db.session.execute(transition_statement(live.id, from_phase, from_index, **values))
    db.session.commit()  # expires `live`: the next read reloads it
    return result.rowcount == 1


def _open_question(live: LiveSession, index: int) -> bool:
    now = clock.now()
    deadline = now + timedelta(seconds=live.time_limit) if live.time_limit else None
    return _transition(
        live, live.phase, live.question_index,
        phase=Phase.QUESTION, question_index=index, question_started_at=now, deadline=deadline,
    )


def advance(live: LiveSession, expected: tuple[str, int | None] | None = None) -> LiveSession:
    """The host's "start" / "reveal" / "next": lobby → question 0 → reveal → question 1 → … → finished.

    `expected` is the (phase, index) the host's screen showed; when the session has moved on since
    (a double click, two host screens), nothing happens and a "stale" refusal is raised.
    """
    if live.self_paced:
        raise refused("self_paced", 409)
    if expected is not None and (live.phase, live.question_index) != expected:
        raise refused("stale", 409)
    if live.phase == Phase.FINISHED:
        raise refused("finished", 409)
    if live.phase == Phase.LOBBY:
        if queries.player_count(live) == 0:
            raise refused("no_players", 409)
        done = _open_question(live, 0)
    elif live.phase == Phase.QUESTION:
        done = _transition(live, Phase.QUESTION, live.question_index, phase=Phase.REVEAL)
    elif live.question_index + 1 < len(live.question_ids):
        done = _open_question(live, live.question_index + 1)
    else:
        done = _transition(
            live, Phase.REVEAL, live.question_index, phase=Phase.FINISHED, open_code=None, finished_at=clock.now(),
        )
    if not done:
        raise refused("stale", 409)
    return live


def end(live: LiveSession) -> LiveSession:
    """The host ends the quiz now, from any phase: the points so far stand, the podium and results follow."""
    if live.self_paced:
        raise refused("self_paced", 409)
    if live.phase == Phase.FINISHED:
        raise refused("finished", 409)
    if not _transition(live, live.phase, live.question_index, phase=Phase.FINISHED, open_code=None, finished_at=clock.now()):
        raise refused("stale", 409)
    return live


def expire_if_due(live: LiveSession, now: datetime | None = None) -> None:
    """Past the deadline an open question turns into its reveal (whoever looks first does it)."""
    now = now or clock.now()
    if live.phase == Phase.QUESTION and live.deadline is not None and now > live.deadline:
        _transition(live, Phase.QUESTION, live.question_index, phase=Phase.REVEAL)


# -- answers -------------------------------------------------------------------------------------


def record_answer(live: LiveSession, player: Player, question_index, raw_choice, now: datetime | None = None) -> AnswerResult:
    """Only the open question takes answers, until its deadline; the last player to answer reveals it.

    An answer sent again gets its first result: while the question is open the unique constraint on
    (player, question) finds it (store_once), so the usual answer costs no lookup first."""
    answers.check_request(live, question_index)
    now = now or clock.now()
    is_open = (live.phase == Phase.QUESTION and question_index == live.question_index
               and (live.deadline is None or now <= live.deadline))
    if not is_open:
        if (earlier := answers.earlier_answer(player, question_index)) is not None:
            return earlier
        if question_index == live.question_index:  # it closed while the answer was on its way
            return answers.too_late(player, question_index, now)
        return answers.refusal("wrong_question" if live.phase == Phase.QUESTION else "not_question")
    question = sessions.questions_of(live)[question_index]
    remaining = (live.deadline - now).total_seconds() if live.deadline else None
    try:
        result = answers.store_once(
            player, question_index, question, raw_choice,
            lambda correct: codes.points_for(correct, live.scoring, live.time_limit, remaining), now,
        )
    except DomainError:  # a bad choice; but sent again after a good one, it gets the first result
        if (earlier := answers.earlier_answer(player, question_index)) is not None:
            return earlier
        raise
    if result.repeated:
        return result
    session_id = live.id  # read before the commit expires `live`
    db.session.commit()  # no version bump: pollers see a new answer count through the ETag (see state_tag)
    if queries.everyone_answered(session_id, question_index):  # reveal now
        _transition(live, Phase.QUESTION, question_index, phase=Phase.REVEAL)
    return result


# -- what pollers see ----------------------------------------------------------------------------


@cache
def _look_query(dialect: str):
    """Core, built once per dialect: where the session with a code is (id, version, phase, question,
    deadline), and the database's time to hold the deadline against (a poll is the commonest request). The
    newest with the code: the open one while there is one (no newer session can take an open code), else
    the one that finished last, whose phones still ask once for their final lines."""
    table = LiveSession.__table__
    return select(
        table.c.id, table.c.version, table.c.phase, table.c.question_index, table.c.deadline, clock.now_column(dialect),
    ).where(table.c.code == bindparam("code")).order_by(table.c.id.desc()).limit(1)


def phone_step(phase: str, index: int | None) -> str:
    """Where a session is as a phone's page shows it: L (lobby), Q3, R3 (question 3, its reveal), F.
    It moves only when that page changes: players joining a lobby move the version, not the step."""
    return {"lobby": "L", "finished": "F"}.get(phase) or f"{'Q' if phase == Phase.QUESTION else 'R'}{index}"


class Look(NamedTuple):
    session_id: int  # a code is used again once its session is over: this is the session
    version: int
    step: str  # phone_step
    seconds_left: float | None  # to an open question's deadline, by the database's clock


class Sighting(NamedTuple):
    """Where a session was when `sight` read it (the gate keeps one per code, classroom/board.py)."""
    session_id: int
    version: int
    step: str
    seconds_left: float | None  # to an open question's deadline, by the database's clock, at `at`
    at: float  # time.monotonic() then

    def look(self, now: float | None = None) -> Look | None:
        """The Look as of `now` (monotonic, default: this moment): None once the question is past its deadline."""
        left = self.seconds_left
        if left is not None:
            left -= (time.monotonic() if now is None else now) - self.at
            if left < 0:
                return None
            left = round(left, 1)
        return Look(self.session_id, self.version, self.step, left)


def sight(raw_code: str | None, connection: Connection | None = None) -> Sighting | None:
    """Where the session with this code is (the open one, else the last finished: sessions.find_session),
    from one Core query and no ORM object; None when there is no such session."""
    code = codes.normalise_code(raw_code)
    if code is None:
        return None
    connection = connection if connection is not None else db.session.connection()
    row = connection.execute(_look_query(connection.dialect.name), {"code": code}).first()
    at = time.monotonic()
    if row is None:
        return None
    session_id, version, phase, index, deadline, now = row
    left = None
    if phase == Phase.QUESTION and deadline is not None:
        left = (deadline - (clock.from_database(now) if now is not None else utcnow())).total_seconds()
    return Sighting(session_id, version, phone_step(phase, index), left, at)


def quick_look(raw_code: str | None, connection: Connection | None = None) -> Look | None:
    """Where the session with this code is, when a poll can be answered from it alone (`sight`); None when
    there is no such session or its question is past the deadline (then the full path turns it into its
    reveal). A poll that matches gets its 304 from this, before Flask (classroom/gate.py, with its own
    `connection` and its board) or in the view."""
    seen = sight(raw_code, connection)
    return seen.look() if seen is not None else None


def poll_etag(version: int, lang: str, tag: str) -> str:
    """The ETag of a poll body (unquoted): the page writes the same one, so its first poll can get a 304."""
    return f"{version}-{lang}-{tag}"



def state_tag(live: LiveSession, player: Player | None) -> str:
    """What, besides the version, a poller's view of an open question depends on: a player's own
    answer, or (the host, the projector) how many have answered. Answers don't bump the version, so
    300 phones polling during a question mostly get 304."""
    if live.phase != Phase.QUESTION:
        return ""
    if player is not None:
        return "a" if queries.answer_of(player, live.question_index) is not None else "n"
    return str(queries.answer_count(live))


def state(live: LiveSession, tag: str, player: Player | None = None) -> dict:
    """The poll body: the public state, and with a player's token that player's own standing."""
    body = results.public_state(live, tag)
    if player is not None:
        standing = results.standing_of(live, player) if live.phase in (Phase.REVEAL, Phase.FINISHED) else None
        body["me"] = {
            "nickname": player.nickname,
            "points": standing.points if standing else queries.points_of(player),
            "rank": standing.rank if standing else None,
            "answered": queries.answer_of(player, live.question_index) is not None,
        }
    return body
