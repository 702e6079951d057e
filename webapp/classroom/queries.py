"""The queries the rest of classroom/ (and outreach/) share, each written once: who is still playing,
how many answered, how many got it right."""

from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam, case, func, select

from ..extensions import db
from ..models import Answer, LateAnswer, LiveSession, Player


def active_players(session_id):
    """The WHERE clause of "players of this session the host has not removed" (an id or a column)."""
    return (Player.live_session_id == session_id) & Player.removed_at.is_(None)


def right_count():
    """SUM of right answers over the grouped rows (0 when there are none)."""
    return func.coalesce(func.sum(case((Answer.correct.is_(True), 1), else_=0)), 0)


def players_of(live: LiveSession) -> list[Player]:
    return list(db.session.scalars(select(Player).where(active_players(live.id)).order_by(Player.id)))


def player_names(live: LiveSession) -> list[tuple[int, str, str]]:
    """(id, token hash, nickname) of every active player, as plain rows (a hall of them: no ORM objects)."""
    stmt = select(Player.id, Player.token_hash, Player.nickname).where(active_players(live.id)).order_by(Player.id)
    return [tuple(row) for row in db.session.execute(stmt)]


def player_count(live: LiveSession) -> int:
    return db.session.scalar(select(func.count(Player.id)).where(active_players(live.id))) or 0


def player_count_column():
    """The number of active players of each LiveSession row, as a correlated subquery."""
    return (
        select(func.count(Player.id)).where(active_players(LiveSession.id)).correlate(LiveSession).scalar_subquery()
    )


def answers_of(live: LiveSession, index: int | None = None) -> list[Answer]:
    """The answers of the active players, to one question or to all."""
    stmt = select(Answer).join(Player).where(active_players(live.id))
    if index is not None:
        stmt = stmt.where(Answer.question_index == index)
    return list(db.session.scalars(stmt))


def answer_count(live: LiveSession, index: int | None = None) -> int:
    """How many active players answered question `index` (the current one by default)."""
    index = live.question_index if index is None else index
    if index is None:
        return 0
    return db.session.scalar(
        select(func.count(Answer.id)).join(Player).where(active_players(live.id), Answer.question_index == index)
    ) or 0


def waiting(session_id, index):
    """The active players of a session (an id or a bind parameter) without an answer to question `index`.

    Each player's answer is looked up by a scalar subquery, which PostgreSQL runs as it is written (a probe of
    the unique index per player) and never turns into a join. As NOT EXISTS it became an anti-join planned
    from the statistics: when ANALYZE had run while the question had no answers yet, a nested loop over every
    answer of the question for each player, so that at 2,000 phones each answer scanned the others."""
    answer = (select(Answer.id).where(Answer.player_id == Player.id, Answer.question_index == index)
              .limit(1).correlate(Player).scalar_subquery())
    return select(Player.id).where(active_players(session_id), answer.is_(None))


@cache
def _everyone_answered_query():
    """Built once (asked after every answer): the first active player of a session without an answer."""
    return waiting(bindparam("session_id"), bindparam("index")).limit(1)


def everyone_answered(session_id: int, index: int, connection=None) -> bool:
    """Whether every active player has answered question `index`. It stops at the first player who has not
    (LIMIT 1 over the players, each a probe of the unique index: see `waiting`): asked after each answer,
    that is a probe or two while most have yet to answer, not a count of the whole hall every time. On
    `connection` if given (the gate's)."""
    bind = connection if connection is not None else db.session
    return bind.scalar(_everyone_answered_query(), {"session_id": session_id, "index": index}) is None


def answer_of(player: Player, index: int | None) -> Answer | None:
    if index is None:
        return None
    return db.session.scalar(select(Answer).where(Answer.player_id == player.id, Answer.question_index == index))


def progress(player: Player) -> tuple[int, int]:
    """(answers given, right answers) of one player."""
    answered, right = db.session.execute(
        select(func.count(Answer.id), right_count()).where(Answer.player_id == player.id)
    ).one()
    return int(answered), int(right)


def points_of(player: Player) -> int:
    return int(db.session.scalar(select(func.coalesce(func.sum(Answer.points), 0)).where(Answer.player_id == player.id)))


def answers_of_player(player: Player) -> list[Answer]:
    return list(db.session.scalars(select(Answer).where(Answer.player_id == player.id)))


def late_counts(live: LiveSession) -> dict[int, int]:
    """question index → how many active players' answers came after that question closed."""
    rows = db.session.execute(
        select(LateAnswer.question_index, func.count(LateAnswer.id)).join(Player)
        .where(active_players(live.id)).group_by(LateAnswer.question_index)
    )
    return {index: int(count) for index, count in rows}


def late_players(live: LiveSession, index: int) -> set[int]:
    """The ids of the players whose answer to question `index` came after it closed."""
    return set(db.session.scalars(
        select(LateAnswer.player_id).join(Player).where(active_players(live.id), LateAnswer.question_index == index)
    ))


def came_late(player: Player, index: int | None) -> bool:
    """Whether this player's answer to question `index` arrived after it closed."""
    if index is None:
        return False
    return db.session.scalar(
        select(LateAnswer.id).where(LateAnswer.player_id == player.id, LateAnswer.question_index == index)
    ) is not None
