"""Live class sessions: the state machine (lobby → question → reveal → … → finished), joining,
answers and scores. Plain values in, model rows and dataclasses out; no request, no g.

Every change but an answer bumps `LiveSession.version` with an atomic UPDATE (pollers compare it; the
answer count is part of the ETag, see state_tag); phase changes are
conditional UPDATEs on the phase and question they start from, so two workers (or a double click)
can't advance twice; an answer is unique per (player, question) in the database.

A self-paced session (an outreach event) stays in its lobby phase while open: nobody advances it;
each player's own question is the first one they have not answered yet.
"""

from __future__ import annotations

import hashlib
import json
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError

from ..catalog import Question, Quiz, get_catalog
from ..extensions import db
from ..models import Answer, LiveSession, Organizer, Phase, Player, utcnow
from . import codes

DEFAULT_QUESTIONS = 10
CODE_ATTEMPTS = 30
LEADERBOARD_SIZE = 10
_random = secrets.SystemRandom()

MESSAGES = {
    "bad_code": _l("No open session has this code. Check the six digits on the screen."),
    "finished": _l("This session has ended."),
    "not_lobby": _l("This session has already started; new players can't join now."),
    "bad_nickname": _l("Please choose a nickname of 1 to 20 characters."),
    "nickname_taken": _l("Someone in this session already uses that nickname. Please choose another."),
    "no_token": _l("Please join the session first."),
    "bad_token": _l("This player is not known in this session. Please join again."),
    "removed": _l("The host removed you from this session. You can join again with another nickname."),
    "not_host": _l("Only the host of this session can do that."),
    "not_question": _l("There is no open question right now."),
    "wrong_question": _l("That is not the current question."),
    "too_late": _l("Time is up for this question: your answer was not counted."),
    "bad_choice": _l("That answer is not one of the choices."),
    "no_choice": _l("Please choose an answer."),
    "one_choice": _l("Choose one answer for this question."),
    "bad_request": _l("The request is not valid."),
    "no_players": _l("Wait until at least one player has joined."),
    "stale": _l("The session has moved on already."),
    "bad_quiz": _l("There is no such quiz."),
    "quiz_gone": _l("The questions of this session are no longer available."),
    "bad_options": _l("These session options are not valid."),
    "no_player": _l("There is no such player in this session."),
    "self_paced": _l("Everyone plays at their own pace in this session: there is nothing to advance."),
    "all_done": _l("You have answered every question already."),
}


class ClassroomError(Exception):
    """A refused request; `code` names it, `status` is the HTTP status, str() is safe to show."""

    def __init__(self, code: str, status: int = 400):
        super().__init__(code)
        self.code, self.status = code, status

    @property
    def message(self) -> str:
        return str(MESSAGES.get(self.code, MESSAGES["bad_request"]))


@dataclass(frozen=True)
class Standing:
    rank: int
    player_id: int
    nickname: str
    points: int
    right: int


@dataclass(frozen=True)
class AnswerResult:
    accepted: bool
    correct: bool | None
    points: int
    reason: str | None = None
    repeated: bool = False


@dataclass(frozen=True)
class PaceSummary:
    """A self-paced session's totals, from the recorded players and answers."""

    online: int = 0
    paper: int = 0
    finished: int = 0
    right_finished: int = 0  # right answers of the finished players, summed
    total: int = 0  # questions in the session

    @property
    def people(self) -> int:
        return self.online + self.paper

    @property
    def average(self) -> float | None:
        """Right answers per finished quiz, one decimal; None before anyone finished."""
        return round(self.right_finished / self.finished, 1) if self.finished else None


@dataclass(frozen=True)
class QuestionResult:
    index: int
    question: Question
    answered: int
    right: int
    players: int
    counts: tuple[int, ...]

    @property
    def share_right(self) -> int:
        """Percent of the players (not only of those who answered) who got it right."""
        return round(100 * self.right / self.players) if self.players else 0


# -- creating and finding sessions ---------------------------------------------------------------


def content_hash(questions: list[Question]) -> str:
    data = [[q.id, q.kind, q.prompt.model_dump(), [c.model_dump() for c in q.choices], sorted(q.answer)] for q in questions]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def check_options(quiz: Quiz | None, scoring: str, time_limit: int | None, count: int | None) -> int:
    """Raise unless the options make sense; return the number of questions to draw."""
    if quiz is None or not quiz.questions:
        raise ClassroomError("bad_quiz", 404 if quiz is None else 400)
    if scoring not in codes.SCORINGS or (time_limit is not None and time_limit not in codes.TIME_LIMITS):
        raise ClassroomError("bad_options")
    count = DEFAULT_QUESTIONS if count is None else count
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ClassroomError("bad_options")
    return min(count, len(quiz.questions))


def create_session(
    organizer_id: int, quiz: Quiz | None, scoring: str = "speed", time_limit: int | None = 20, count: int | None = None,
    *, self_paced: bool = False,
) -> tuple[LiveSession, str]:
    """Draw the questions (no repeats, order fixed now), pick a free code; return the session and the host token.

    Self-paced: untimed, a right answer is worth the same whatever its speed, and the questions are drawn
    from the code (reproducible for the event; the same ones for everyone, as for a live session)."""
    if self_paced:
        scoring, time_limit = "accuracy", None
    count = check_options(quiz, scoring, time_limit, count)
    picked = _random.sample(list(quiz.questions), count)
    host_token = codes.new_token()
    for _attempt in range(CODE_ATTEMPTS):
        code = codes.new_code()
        if self_paced:
            picked = random.Random(f"{quiz.id}/{code}").sample(list(quiz.questions), count)
        live = LiveSession(
            self_paced=self_paced,
            code=code, open_code=code, quiz_id=quiz.id, content_hash=content_hash(picked),
            question_ids=[q.id for q in picked], organizer_id=organizer_id,
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
        raise ClassroomError("bad_code", 404)
    return live


def sessions_of(organizer_id: int) -> list[tuple[LiveSession, int]]:
    """The organizer's live sessions (not the self-paced ones of events), newest first, with their number of players."""
    players = (
        select(func.count(Player.id))
        .where(Player.live_session_id == LiveSession.id, Player.removed_at.is_(None))
        .correlate(LiveSession)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(LiveSession, players)
        .where(LiveSession.organizer_id == organizer_id, LiveSession.self_paced.is_(False))
        .order_by(LiveSession.id.desc())
    )
    return [(live, count) for live, count in rows]


def quiz_of(live: LiveSession) -> Quiz | None:
    return get_catalog().quizzes.get(live.quiz_id)


def questions_of(live: LiveSession) -> list[Question]:
    quiz = quiz_of(live)
    questions = [quiz.question(qid) if quiz else None for qid in live.question_ids]
    if any(q is None for q in questions):
        raise ClassroomError("quiz_gone", 409)
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


def join(live: LiveSession, raw_nickname: str | None, *, paper: bool = False) -> tuple[Player, str]:
    """Add a player while the session is in its lobby; return the player and its (unhashed) token.

    `paper`: a paper quiz sheet of an event, typed in by its organizer (its token is thrown away)."""
    if live.phase == Phase.FINISHED:
        raise ClassroomError("finished", 409)
    if live.phase != Phase.LOBBY:
        raise ClassroomError("not_lobby", 409)
    nickname = codes.clean_nickname(raw_nickname)
    if nickname is None:
        raise ClassroomError("bad_nickname", 400)
    if live.self_paced:  # nobody sees a leaderboard: two "Grandma Wang"s become "Grandma Wang" and "Grandma Wang 2"
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
        raise ClassroomError("nickname_taken", 409) from None
    _bump(live)
    db.session.commit()
    return player, token


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
        raise ClassroomError("no_token", 401)
    player = db.session.scalar(select(Player).where(Player.token_hash == codes.hash_token(token)))
    if player is None or player.live_session_id != live.id:
        raise ClassroomError("bad_token", 401)
    if player.removed_at is not None:
        raise ClassroomError("removed", 403)
    return player


def remove_player(live: LiveSession, player_id: int) -> None:
    """The host removes a player: it leaves the leaderboard, its token stops working, its name is free again."""
    player = db.session.get(Player, player_id)
    if player is None or player.live_session_id != live.id or player.removed_at is not None:
        raise ClassroomError("no_player", 404)
    player.removed_at = utcnow()
    player.nickname_key = None
    _bump(live)
    db.session.commit()


def players_of(live: LiveSession) -> list[Player]:
    return list(db.session.scalars(
        select(Player).where(Player.live_session_id == live.id, Player.removed_at.is_(None)).order_by(Player.id)
    ))


def player_count(live: LiveSession) -> int:
    return db.session.scalar(
        select(func.count(Player.id)).where(Player.live_session_id == live.id, Player.removed_at.is_(None))
    ) or 0


def answer_count(live: LiveSession, index: int | None = None) -> int:
    index = live.question_index if index is None else index
    if index is None:
        return 0
    return db.session.scalar(
        select(func.count(Answer.id)).join(Player)
        .where(Player.live_session_id == live.id, Player.removed_at.is_(None), Answer.question_index == index)
    ) or 0


def answer_of(player: Player, index: int | None) -> Answer | None:
    if index is None:
        return None
    return db.session.scalar(select(Answer).where(Answer.player_id == player.id, Answer.question_index == index))


# -- the state machine ---------------------------------------------------------------------------


def _bump(live: LiveSession) -> None:
    """Count a change (inside the caller's transaction)."""
    db.session.execute(update(LiveSession).where(LiveSession.id == live.id).values(version=LiveSession.version + 1))


def _transition(live: LiveSession, from_phase: str, from_index: int | None, **values) -> bool:
    """Move from (from_phase, from_index) to `values` unless another request did it first. Commits."""
    result = db.session.execute(
        update(LiveSession)
        .where(LiveSession.id == live.id, LiveSession.phase == from_phase, _same_index(from_index))
        .values(version=LiveSession.version + 1, **values)
    )
    db.session.commit()  # expires `live`: the next read reloads it
    return result.rowcount == 1


def _same_index(index: int | None):
    return LiveSession.question_index.is_(None) if index is None else LiveSession.question_index == index


def _open_question(live: LiveSession, index: int) -> bool:
    now = utcnow()
    deadline = now + timedelta(seconds=live.time_limit) if live.time_limit else None
    return _transition(
        live, live.phase, live.question_index,
        phase=Phase.QUESTION, question_index=index, question_started_at=now, deadline=deadline,
    )


def advance(live: LiveSession, expected: tuple[str, int | None] | None = None) -> LiveSession:
    """The host's "start" / "reveal" / "next": lobby → question 0 → reveal → question 1 → … → finished.

    `expected` is the (phase, index) the host's screen showed; when the session has moved on since
    (a double click, two host screens), nothing happens and ClassroomError("stale") is raised.
    """
    if live.self_paced:
        raise ClassroomError("self_paced", 409)
    if expected is not None and (live.phase, live.question_index) != expected:
        raise ClassroomError("stale", 409)
    if live.phase == Phase.FINISHED:
        raise ClassroomError("finished", 409)
    if live.phase == Phase.LOBBY:
        if player_count(live) == 0:
            raise ClassroomError("no_players", 409)
        done = _open_question(live, 0)
    elif live.phase == Phase.QUESTION:
        done = _transition(live, Phase.QUESTION, live.question_index, phase=Phase.REVEAL)
    elif live.question_index + 1 < len(live.question_ids):
        done = _open_question(live, live.question_index + 1)
    else:
        done = _transition(
            live, Phase.REVEAL, live.question_index, phase=Phase.FINISHED, open_code=None, finished_at=utcnow(),
        )
    if not done:
        raise ClassroomError("stale", 409)
    return live


def expire_if_due(live: LiveSession, now: datetime | None = None) -> None:
    """Past the deadline an open question turns into its reveal (whoever looks first does it)."""
    now = now or utcnow()
    if live.phase == Phase.QUESTION and live.deadline is not None and now > live.deadline:
        _transition(live, Phase.QUESTION, live.question_index, phase=Phase.REVEAL)


def parse_choice(raw, question: Question) -> list[int]:
    """An index or a list of indexes (JSON ints, or digit strings from a form) → sorted unique indexes."""
    values = raw if isinstance(raw, list) else [raw]
    chosen: set[int] = set()
    for value in values:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            raise ClassroomError("bad_choice", 400)
        chosen.add(value)
    if not chosen:
        raise ClassroomError("no_choice", 400)
    if any(not 0 <= c < len(question.choices) for c in chosen):
        raise ClassroomError("bad_choice", 400)
    if question.kind != "multiple" and len(chosen) != 1:
        raise ClassroomError("one_choice", 400)
    return sorted(chosen)


def _store_once(player: Player, question_index: int, chosen, correct: bool, points: int, now: datetime) -> AnswerResult | None:
    """Add the answer (not committed yet); None when stored, or the first result when the same answer,
    sent twice at once, got in first (the unique constraint decides)."""
    db.session.add(Answer(
        player_id=player.id, question_index=question_index, choice=chosen, correct=correct, points=points, answered_at=now,
    ))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        earlier = answer_of(player, question_index)
        return AnswerResult(True, earlier.correct, earlier.points, repeated=True)
    return None


def record_answer(live: LiveSession, player: Player, question_index, raw_choice, now: datetime | None = None) -> AnswerResult:
    """Score and store one answer, once. A retry returns the first result; late or stray answers are refused."""
    if live.phase == Phase.FINISHED:
        raise ClassroomError("finished", 409)
    if isinstance(question_index, bool) or not isinstance(question_index, int):
        raise ClassroomError("bad_request", 400)
    earlier = answer_of(player, question_index)
    if earlier is not None:
        return AnswerResult(True, earlier.correct, earlier.points, repeated=True)
    if live.self_paced:
        return _record_own_pace(live, player, question_index, raw_choice, now or utcnow())
    if live.phase != Phase.QUESTION:
        return AnswerResult(False, None, 0, "too_late" if question_index == live.question_index else "not_question")
    if question_index != live.question_index:
        return AnswerResult(False, None, 0, "wrong_question")
    now = now or utcnow()
    if live.deadline is not None and now > live.deadline:
        return AnswerResult(False, None, 0, "too_late")
    question = questions_of(live)[question_index]
    chosen = parse_choice(raw_choice, question)
    correct = question.is_correct(chosen)
    remaining = (live.deadline - now).total_seconds() if live.deadline else None
    points = codes.points_for(correct, live.scoring, live.time_limit, remaining)
    if (earlier := _store_once(player, question_index, chosen, correct, points, now)) is not None:
        return earlier
    db.session.commit()  # no version bump: pollers see a new answer count through the ETag (see state_tag)
    if answer_count(live, question_index) >= player_count(live):  # everyone has answered: reveal now
        _transition(live, Phase.QUESTION, question_index, phase=Phase.REVEAL)
    return AnswerResult(True, correct, points)


# -- self-paced sessions (outreach events) ------------------------------------------------------


def progress(player: Player) -> tuple[int, int]:
    """(answers given, right answers) of one player."""
    answered, right = db.session.execute(
        select(func.count(Answer.id), func.coalesce(func.sum(case((Answer.correct.is_(True), 1), else_=0)), 0))
        .where(Answer.player_id == player.id)
    ).one()
    return int(answered), int(right)


def own_question_index(live: LiveSession, player: Player) -> int | None:
    """A self-paced player's current question: the first one not answered yet; None once all are."""
    answered, _right = progress(player)
    return answered if answered < len(live.question_ids) else None


def _record_own_pace(live: LiveSession, player: Player, question_index: int, raw_choice, now: datetime) -> AnswerResult:
    """Only the player's own current question is taken: answers come in order, each once."""
    answered, _right = progress(player)
    if answered >= len(live.question_ids):
        return AnswerResult(False, None, 0, "all_done")
    if question_index != answered:
        return AnswerResult(False, None, 0, "wrong_question")
    question = questions_of(live)[question_index]
    chosen = parse_choice(raw_choice, question)
    correct = question.is_correct(chosen)
    points = codes.points_for(correct, "accuracy", None, None)
    if (earlier := _store_once(player, question_index, chosen, correct, points, now)) is not None:
        return earlier
    _bump(live)
    db.session.commit()
    return AnswerResult(True, correct, points)


def record_paper_sheet(live: LiveSession, label: str, marks: list[bool | None]) -> Player:
    """A paper sheet typed in: one player (paper=True) with an answer per marked question (True: right,
    False: wrong, None: left blank, not recorded). Paper gives no choice, so `choice` stays empty."""
    if not live.self_paced or len(marks) != len(live.question_ids):
        raise ClassroomError("bad_request", 400)
    player, _token = join(live, label, paper=True)
    for index, mark in enumerate(marks):
        if mark is not None:
            db.session.add(Answer(
                player_id=player.id, question_index=index, choice=[], correct=bool(mark),
                points=codes.points_for(bool(mark), "accuracy", None, None),
            ))
    _bump(live)
    db.session.commit()
    return player


def pace_summaries(sessions: list[LiveSession]) -> dict[int, PaceSummary]:
    """Session id → totals: people (online, on paper), finished quizzes and their right answers. One query."""
    totals = {live.id: len(live.question_ids) for live in sessions}
    right = func.coalesce(func.sum(case((Answer.correct.is_(True), 1), else_=0)), 0)
    rows = db.session.execute(
        select(Player.live_session_id, Player.paper, func.count(Answer.id), right)
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
    return {sid: PaceSummary(*c, total=totals[sid]) for sid, c in counts.items()}


def self_paced_state(live: LiveSession, tag: str, player: Player | None = None) -> dict:
    """`state` of a self-paced session: its totals, and with a player's token that player's own question."""
    summary = pace_summaries([live])[live.id]
    state = {
        "version": live.version, "phase": live.phase, "code": live.code, "self_paced": True,
        "question": None, "deadline": None, "remaining": None, "time_limit": None,
        "total": summary.total, "players": summary.people, "finished": summary.finished,
        "average": summary.average, "answers": 0, "leaderboard": [],
    }
    if player is not None:
        answered, right = progress(player)
        index = answered if answered < summary.total and live.phase != Phase.FINISHED else None
        state["phase"] = Phase.QUESTION if index is not None else Phase.FINISHED
        if index is not None:
            question = questions_of(live)[index]
            state["question"] = {
                "index": index, "kind": question.kind, "prompt": question.prompt.get(tag),
                "choices": [choice.get(tag) for choice in question.choices],
            }
        state["me"] = {
            "nickname": player.nickname, "answered": answered, "right": right,
            "points": right * codes.MAX_POINTS, "rank": None,
        }
    return state


# -- scores and results --------------------------------------------------------------------------


def leaderboard(live: LiveSession, limit: int | None = None) -> list[Standing]:
    """SUM(points) per player, highest first; ties go to whoever last scored earliest."""
    total = func.coalesce(func.sum(Answer.points), 0)
    right = func.coalesce(func.sum(case((Answer.correct.is_(True), 1), else_=0)), 0)
    last_scoring = func.max(case((Answer.points > 0, Answer.answered_at), else_=None))
    stmt = (
        select(Player.id, Player.nickname, total, right)
        .outerjoin(Answer, Answer.player_id == Player.id)
        .where(Player.live_session_id == live.id, Player.removed_at.is_(None))
        .group_by(Player.id, Player.nickname)
        .order_by(total.desc(), last_scoring.asc(), Player.id.asc())
    )
    if limit:
        stmt = stmt.limit(limit)
    return [Standing(rank, pid, nickname, int(points), int(rights))
            for rank, (pid, nickname, points, rights) in enumerate(db.session.execute(stmt), start=1)]


def points_of(player: Player) -> int:
    return int(db.session.scalar(select(func.coalesce(func.sum(Answer.points), 0)).where(Answer.player_id == player.id)))


def standing_of(live: LiveSession, player: Player) -> Standing | None:
    return next((s for s in ranking(live) if s.player_id == player.id), None)


def _cache(name: str) -> dict:
    """A small per-app, per-process cache (each gunicorn worker has its own; tests build many apps)."""
    return current_app.extensions.setdefault(f"classroom.{name}", {})


def ranking(live: LiveSession) -> list[Standing]:
    """The whole leaderboard, computed once per session version in each worker process.

    Only asked for between questions (reveal, finished), when no answer can change it: the version
    moves with every phase change, join and removal, so a cached ranking is never stale."""
    rankings, key = _cache("rankings"), (live.id, live.version)
    if key not in rankings:
        if len(rankings) > 64:
            rankings.clear()
        rankings[key] = leaderboard(live)
    return rankings[key]


def state_tag(live: LiveSession, player: Player | None) -> str:
    """What, besides the version, a poller's view of an open question depends on: a player's own
    answer, or (the host, the projector) how many have answered. Answers don't bump the version, so
    300 phones polling during a question mostly get 304."""
    if live.self_paced or live.phase != Phase.QUESTION:
        return ""
    if player is not None:
        return "a" if answer_of(player, live.question_index) is not None else "n"
    return str(answer_count(live))


def _answers(live: LiveSession, index: int | None = None) -> list[Answer]:
    stmt = select(Answer).join(Player).where(Player.live_session_id == live.id, Player.removed_at.is_(None))
    if index is not None:
        stmt = stmt.where(Answer.question_index == index)
    return list(db.session.scalars(stmt))


def choice_counts(question: Question, answers: list[Answer]) -> tuple[int, ...]:
    counts = [0] * len(question.choices)
    for answer in answers:
        for choice in answer.choice:
            if 0 <= choice < len(counts):
                counts[choice] += 1
    return tuple(counts)


def question_results(live: LiveSession) -> list[QuestionResult]:
    """Every question as played, with how the class answered it (in play order)."""
    questions = questions_of(live)
    players = player_count(live)
    by_index: dict[int, list[Answer]] = {}
    for answer in _answers(live):
        by_index.setdefault(answer.question_index, []).append(answer)
    out = []
    for index, question in enumerate(questions):
        answers = by_index.get(index, [])
        out.append(QuestionResult(
            index, question, len(answers), sum(a.correct for a in answers), players, choice_counts(question, answers),
        ))
    return out


def most_missed_first(results: list[QuestionResult]) -> list[QuestionResult]:
    return sorted(results, key=lambda r: (r.share_right, r.index))


def player_points(live: LiveSession) -> dict[int, dict[int, Answer]]:
    """player id → question index → answer."""
    out: dict[int, dict[int, Answer]] = {}
    for answer in _answers(live):
        out.setdefault(answer.player_id, {})[answer.question_index] = answer
    return out


def public_state(live: LiveSession, tag: str, now: datetime | None = None) -> dict:
    """What every poller sees: never an answer key before the reveal.

    Built once per (session, version, language) in each worker and copied: everything in it changes
    only with the version, except the seconds left and, during a question, the answer count."""
    now = now or utcnow()
    states, key = _cache("states"), (live.id, live.version, tag)
    if key not in states:
        if len(states) > 256:
            states.clear()
        states[key] = _build_public_state(live, tag)
    state = json.loads(json.dumps(states[key]))  # a deep copy the caller may add to
    if live.phase == Phase.QUESTION:
        state["answers"] = answer_count(live)
        if live.deadline is not None:
            state["remaining"] = round(max(0.0, (live.deadline - now).total_seconds()), 1)
    return state


def _build_public_state(live: LiveSession, tag: str) -> dict:
    now = utcnow()
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
        "players": player_count(live),
        "answers": answer_count(live) if question else 0,
        "leaderboard": [  # between questions only: during one the phones are busy answering
            {"rank": s.rank, "nickname": s.nickname, "points": s.points}
            for s in ranking(live)[:LEADERBOARD_SIZE]
        ] if live.phase in (Phase.REVEAL, Phase.FINISHED) else [],
    }
    if question is not None:
        state["question"] = {
            "index": live.question_index,
            "kind": question.kind,
            "prompt": question.prompt.get(tag),
            "choices": [choice.get(tag) for choice in question.choices],
        }
        if state["deadline"]:
            state["remaining"] = round(max(0.0, (live.deadline - now).total_seconds()), 1)
    if live.phase == Phase.REVEAL and question is not None:
        state["reveal"] = {
            "answer": sorted(question.answer),
            "explanation": question.explanation.get(tag),
            "counts": list(choice_counts(question, _answers(live, live.question_index))),
        }
    return state


def organizer_name(organizer_id: int) -> str:
    organizer = db.session.get(Organizer, organizer_id)
    return organizer.username if organizer else ""
