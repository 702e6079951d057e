"""Sessions and their players: creating, finding, joining, removing. Plain values in, model rows out.

Every change but an answer bumps `LiveSession.version` with an atomic UPDATE (pollers compare it; the
answer count is part of the ETag, see results.state_tag)."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from functools import cache

from sqlalchemy import Connection, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..catalog import Question, Quiz, get_catalog
from ..catalog import own
from ..errors import DomainError
from ..extensions import db
from ..models import LiveSession, Phase, Player, utcnow
from ..quiz.draw import draw as spread_draw
from . import board, codes, queries

DEFAULT_QUESTIONS = 10
CODE_ATTEMPTS = 30
_random = secrets.SystemRandom()

# questions drawn for a new session: (quiz, how many, the session's code) → questions in play order
Draw = Callable[[Quiz, int, str], list[Question]]


def refused(code: str, status: int = 400) -> DomainError:
    """A refusal of classroom/ (its words are in webapp/errors.py)."""
    return DomainError(code, status, domain="classroom")


def bump(live: LiveSession) -> None:
    """Count a change (inside the caller's transaction, which commits next: that expires `live`).

    A Core UPDATE: the ORM's would also look for `live` in the session to change its version there, a
    third of a join's cost when a hall joins at once."""
    table = LiveSession.__table__
    db.session.execute(update(table).where(table.c.id == live.id).values(version=table.c.version + 1))


# -- creating and finding sessions ---------------------------------------------------------------


def content_hash(questions: list[Question]) -> str:
    data = [[q.id, q.kind, q.prompt.model_dump(), [c.model_dump() for c in q.choices], sorted(q.answer)] for q in questions]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def check_options(quiz: Quiz | None, scoring: str, time_limit: int | None, count: int | None) -> int:
    """Raise unless the options make sense; return the number of questions to draw."""
    if quiz is None or not quiz.questions:
        raise refused("bad_quiz", 404 if quiz is None else 400)
    if scoring not in codes.SCORINGS or (time_limit is not None and time_limit not in codes.TIME_LIMITS):
        raise refused("bad_options")
    if quiz.composed:  # the organizer chose its questions: all of them, in its order
        return len(quiz.questions)
    count = DEFAULT_QUESTIONS if count is None else count
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise refused("bad_options")
    return min(count, len(quiz.questions))


def random_draw(quiz: Quiz, count: int, _code: str) -> list[Question]:
    """No repeats, and one question per scam type while the bank has types left (webapp/quiz/draw.py)."""
    return spread_draw(quiz.questions, count, {}, _random)


def as_composed(quiz: Quiz, _count: int, _code: str) -> list[Question]:
    """A composed quiz's questions as its organizer put them (compose/service.py drew its bank part)."""
    return list(quiz.questions)


def create_session(
    organizer_id: int, quiz: Quiz | None, scoring: str = "speed", time_limit: int | None = 20, count: int | None = None,
    *, self_paced: bool = False, draw: Draw = random_draw,
) -> tuple[LiveSession, str]:
    """Draw the questions (no repeats, order fixed now), pick a free code; return the session and the host token.
    A self-paced session is made by self_paced.create_session."""
    count = check_options(quiz, scoring, time_limit, count)
    if quiz.composed:
        draw = as_composed
    host_token = codes.new_token()
    for _attempt in range(CODE_ATTEMPTS):
        code = codes.new_code()
        picked = draw(quiz, count, code)
        live = LiveSession(
            self_paced=self_paced,
            code=code, open_code=code, quiz_id=quiz.id, content_hash=content_hash(picked),
            question_ids=[q.id for q in picked], organizer_id=organizer_id,
            snapshot=own.snapshot(quiz, picked) if quiz.composed else None,
            host_token_hash=codes.hash_token(host_token), scoring=scoring, time_limit=time_limit,
            phase=Phase.LOBBY, version=1,
        )
        db.session.add(live)
        try:
            db.session.commit()
        except IntegrityError:  # that code is in use by an open session: draw again
            db.session.rollback()
            continue
        return live, host_token
    raise RuntimeError("no free session code found")  # a million codes: only if nearly all are open


def find_session(raw_code: str | None) -> LiveSession | None:
    """The open session with this code, else the latest finished one (results and state still answer)."""
    code = codes.normalise_code(raw_code)
    if code is None:
        return None
    live = db.session.scalar(select(LiveSession).where(LiveSession.open_code == code))
    if live is None:
        live = db.session.scalar(
            select(LiveSession).where(LiveSession.code == code).order_by(LiveSession.id.desc()).limit(1)
        )
    return live


def get_session(raw_code: str | None) -> LiveSession:
    live = find_session(raw_code)
    if live is None:
        raise refused("bad_code", 404)
    return live


def sessions_of(organizer_id: int) -> list[tuple[LiveSession, int]]:
    """The organizer's live sessions (not the self-paced ones of events), newest first, with their number of players."""
    rows = db.session.execute(
        select(LiveSession, queries.player_count_column())
        .where(LiveSession.organizer_id == organizer_id, LiveSession.self_paced.is_(False))
        .order_by(LiveSession.id.desc())
    )
    return [(live, count) for live, count in rows]


# Composed quizzes read back from their sessions' copies (~0.6 ms for ten questions, once per worker): a
# session's snapshot is written once, at its creation, so its id and creation time name it for good.
_SNAPSHOTS: dict[tuple, Quiz] = {}
SNAPSHOTS_KEPT = 256


def quiz_of(live: LiveSession) -> Quiz | None:
    """A bank quiz from the catalog; a composed quiz from the copy the session keeps of it."""
    if live.snapshot is None:
        return get_catalog().quizzes.get(live.quiz_id)
    key = (live.id, live.created_at, live.content_hash)
    quiz = _SNAPSHOTS.get(key)
    if quiz is None:
        if len(_SNAPSHOTS) >= SNAPSHOTS_KEPT:
            _SNAPSHOTS.clear()
        quiz = _SNAPSHOTS[key] = own.from_snapshot(live.quiz_id, live.snapshot)
    return quiz


def questions_of(live: LiveSession) -> list[Question]:
    quiz = quiz_of(live)
    questions = [quiz.question(qid) if quiz else None for qid in live.question_ids]
    if any(q is None for q in questions):
        raise refused("quiz_gone", 409)
    return questions


def current_question(live: LiveSession) -> Question | None:
    if live.phase not in (Phase.QUESTION, Phase.REVEAL) or live.question_index is None:
        return None
    return questions_of(live)[live.question_index]


# -- hosts and players ---------------------------------------------------------------------------


def is_host(live: LiveSession, *, token: str | None = None, organizer_id: int | None = None) -> bool:
    if token is not None:
        return secrets.compare_digest(codes.hash_token(token), live.host_token_hash)
    return organizer_id is not None and organizer_id == live.organizer_id


def join(live: LiveSession, raw_nickname: str | None, *, paper: bool = False, renumber: bool = False) -> tuple[Player, str]:
    """Add a player until the session is finished; return the player and its (unhashed) token. A latecomer
    plays from the current question on (the host screen keeps the code in its corner).

    `renumber`: a nickname in use gets the next free number instead of being refused (self_paced.join).
    `paper`: a paper quiz sheet of an event, typed in by its organizer (its token is thrown away)."""
    if live.phase == Phase.FINISHED:
        raise refused("finished", 409)
    nickname = codes.clean_nickname(raw_nickname)
    if nickname is None:
        raise refused("bad_nickname", 400)
    if renumber:
        nickname = free_nickname(live, nickname)
    token = codes.new_token()
    player = Player(
        live_session_id=live.id, nickname=nickname, nickname_key=codes.nickname_key(nickname),
        token_hash=codes.hash_token(token), paper=paper,
    )
    db.session.add(player)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise refused("nickname_taken", 409) from None
    if live.phase == Phase.LOBBY or live.self_paced:
        bump(live)  # the host's list of players; mid-game a latecomer must not wake every phone in the hall
    db.session.commit()
    return player, token


def quick_join(raw_code: str | None, raw_nickname: str | None) -> tuple[str, str] | None:
    """The commonest join, a phone joining a live session that is open, with a free nickname, in one Core
    statement on PostgreSQL (two on SQLite): the player is added and, in the lobby, the version bumped, without
    loading the session as an ORM object. When a hall joins at once the ORM's SELECT, flush and UPDATE were
    most of a join's CPU. Returns (code, the player's token); None for anything else (no such open session, a
    self-paced one, a nickname in use or not allowed): then `join` decides as before and gives the reason."""
    try:
        joined = join_on(db.session.connection(), raw_code, raw_nickname)
    except IntegrityError:  # the nickname is in use (or, once in a blue moon, the token): `join` says which
        db.session.rollback()
        return None
    if joined is None:
        db.session.rollback()
        return None
    db.session.commit()
    return joined


def join_on(connection: Connection, raw_code: str | None, raw_nickname: str | None) -> tuple[str, str] | None:
    """quick_join's statements on `connection` (the ORM session's, or the poll gate's in autocommit), not
    committed here; (code, token), or None when no open live session has that code. Raises IntegrityError when
    the nickname is in use."""
    code, nickname = codes.normalise_code(raw_code), codes.clean_nickname(raw_nickname)
    if code is None or nickname is None:
        return None
    token = codes.new_token()
    # (named unlike any column: parameters named as its columns would be an INSERT's VALUES, an UPDATE's SET)
    params = {"join_code": code, "new_nickname": nickname, "new_key": codes.nickname_key(nickname),
              "new_token_hash": codes.hash_token(token), "now": utcnow()}
    if connection.dialect.name == "postgresql":
        added = connection.execute(_quick_join_query(), params).scalar()  # (the id, the bumps)
        if added is not None:
            board.written_in_cte(connection)
    else:
        added = connection.execute(_adding_player(), params).scalar()
        if added is not None:
            table = LiveSession.__table__
            connection.execute(update(table).where(table.c.id == added, table.c.phase == Phase.LOBBY)
                               .values(version=table.c.version + 1))
    return None if added is None else (code, token)


@cache
def _adding_player():
    """INSERT a player into the live (not self-paced, not finished) session open under :join_code; RETURNING
    the session's id."""
    session, player = LiveSession.__table__, Player.__table__
    open_session = select(session.c.id, bindparam("new_nickname"), bindparam("new_key"), bindparam("new_token_hash"),
                          bindparam("now", type_=player.c.joined_at.type), False).where(
        session.c.open_code == bindparam("join_code"), session.c.phase != Phase.FINISHED, session.c.self_paced.is_(False))
    return (insert(player)
            .from_select(["live_session_id", "nickname", "nickname_key", "token_hash", "joined_at", "paper"], open_session)
            .returning(player.c.live_session_id))


@cache
def _quick_join_query():
    """PostgreSQL: the INSERT and, when the session is in its lobby, the bump of its version, in one statement
    (one round trip: in a burst each gives up the GIL). Returns the session's id, or no row."""
    session = LiveSession.__table__
    added = _adding_player().cte("added")
    bumped = (update(session).where(session.c.id.in_(select(added.c.live_session_id)), session.c.phase == Phase.LOBBY)
              .values(version=session.c.version + 1).returning(session.c.id).cte("bumped"))
    # (a data-modifying CTE runs even when unread, but SQLAlchemy renders only the CTEs a query reads)
    return select(added.c.live_session_id, select(func.count()).select_from(bumped).scalar_subquery())


def free_nickname(live: LiveSession, nickname: str) -> str:
    """The nickname, or the same with the first free number after it."""
    taken = set(db.session.scalars(select(Player.nickname_key).where(Player.live_session_id == live.id)))
    candidate, number = nickname, 1
    while codes.nickname_key(candidate) in taken:
        number += 1
        suffix = f" {number}"
        candidate = nickname[: codes.NICKNAME_MAX - len(suffix)].rstrip() + suffix
    return candidate


def player_by_token(live: LiveSession, token: str | None) -> Player:
    if not token:
        raise refused("no_token", 401)
    player = db.session.scalar(select(Player).where(Player.token_hash == codes.hash_token(token)))
    if player is None or player.live_session_id != live.id:
        raise refused("bad_token", 401)
    if player.removed_at is not None:
        raise refused("removed", 403)
    return player


def remove_player(live: LiveSession, player_id: int) -> None:
    """The host removes a player: it leaves the leaderboard, its token stops working, its name is free again."""
    player = db.session.get(Player, player_id)
    if player is None or player.live_session_id != live.id or player.removed_at is not None:
        raise refused("no_player", 404)
    player.removed_at = utcnow()
    player.nickname_key = None
    bump(live)
    db.session.commit()
