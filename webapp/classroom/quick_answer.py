"""A phone's answer taken before Flask's dispatch, for the gate (classroom/gate.py).

At an assembly every phone answers within seconds of a question opening, and through the whole Flask stack
an answer cost about 8 ms of CPU, most of it the ORM and the request hooks. The commonest answer is simple:
classroom.js sends the open question's form (a plain form body, Accept: application/json; a phone without
JavaScript sends the same form itself), in time, from a player the host has not removed. That one is taken
here, without a request context (in a profile, pushing one and flask-wtf's protect() took a third of the
answer): the CSRF check flask-wtf would make, decided from the signed session cookie and the signed token
(`csrf_passes`: only a certain yes counts), then Core statements on the gate's autocommit connection: one
query for the session, the player and the database's clock, one INSERT, the "has everyone answered?" probe
(on PostgreSQL one statement with the INSERT: `_store_and_probe`), and the reveal when they have; a repeat
that the unique constraint refused is accepted, as the view does.
Everything else goes to the view, with the request body put back as it came: a late answer, a bad choice or
token, no player, a self-paced session. The view's rules are the rules; this is only a cheaper road to the
same result for the one case: {"accepted": true} for the script, 303 to the play page for the form.
"""

from __future__ import annotations

import hmac
import io
import json
import re
import time
from collections.abc import Callable
from functools import cache
from urllib.parse import parse_qs

from flask_wtf.csrf import same_origin
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import Connection, bindparam, func, or_, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header, parse_cookie
from werkzeug.wsgi import get_host

from .. import clock
from ..errors import DomainError
from ..extensions import db
from ..models import Answer, LiveSession, Phase, Player
from . import answers, codes, queries, sessions
from .codes import hash_token
from .live import Look, transition_statement
from .players import PLAYER_COOKIE

_ANSWER_PATH = re.compile(r"/play/(\d{6})/answer")
MAX_BODY = 2048  # a token, an index and a few choices; anything longer goes to the view and its limits
QUESTIONS_KEPT = 64
_questions: dict[tuple, list] = {}  # (session id, created at) -> its questions, filled on first use
ACCEPTED = json.dumps({"accepted": True}).encode()  # the view's reply to a new answer and to a repeat alike


def is_quick_answer(environ: dict) -> bool:
    """An answer as classroom.js sends it, or as a phone without JavaScript sends the form: a plain form
    body to /play/<code>/answer."""
    return (environ["REQUEST_METHOD"] == "POST"
            and environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded")
            and _ANSWER_PATH.fullmatch(environ.get("PATH_INFO", "")) is not None
            and not environ.get("QUERY_STRING"))


def wants_json(environ: dict) -> bool:
    """Whether the view would answer this one with JSON (classroom.js) rather than 303 to the play page."""
    return parse_accept_header(environ.get("HTTP_ACCEPT"), MIMEAccept).best == "application/json"


def play_page(environ: dict) -> str:
    """Where the view sends a phone without JavaScript once its answer is stored: its play page."""
    return environ.get("SCRIPT_NAME", "") + environ["PATH_INFO"].removesuffix("/answer")


@cache
def _answer_query(dialect: str):
    """Core, built once per dialect: the open session with a code, its player with a token (unless
    removed), and the database's time to hold the deadline against."""
    session, player = LiveSession.__table__, Player.__table__
    mine = ((player.c.live_session_id == session.c.id) & (player.c.token_hash == bindparam("token_hash"))
            & player.c.removed_at.is_(None))
    return (
        select(session.c.id, session.c.created_at, session.c.phase, session.c.question_index, session.c.deadline,
               session.c.scoring, session.c.time_limit, session.c.self_paced, player.c.id, clock.now_column(dialect))
        .outerjoin(player, mine).where(session.c.open_code == bindparam("code"))
    )


def answer_code(environ: dict) -> str | None:
    """The session code of an answer's path (is_quick_answer has matched it)."""
    return codes.normalise_code(_ANSWER_PATH.fullmatch(environ["PATH_INFO"]).group(1))


def take(environ: dict, flask_app, connection: Connection, seen: Callable[[], Look | None] = lambda: None) -> bytes | None:
    """The JSON body of an accepted answer, stored; None when the view must answer (then the request body
    is back in `environ`, unread). `seen()`: where the gate sees the session (live.Look), asked on PostgreSQL."""
    if (form := read_form(environ)) is None:
        return None
    cookies = parse_cookie(environ)
    token = cookies.get(PLAYER_COOKIE)
    code = answer_code(environ)
    index = first(form, "question")
    if not token or code is None or not index.isdigit() or not csrf_passes(flask_app, environ, cookies, form):
        return None
    try:
        look = seen() if connection.dialect.name == "postgresql" else None
        if look is not None and look.step == f"Q{index}":
            return _store_seen(flask_app, connection, look, code, token, int(index), form.get("choice", []))
        return _store(flask_app, connection, code, token, int(index), form.get("choice", []))
    except DomainError:  # a bad choice: the view gives the reason
        return None


def read_form(environ: dict) -> dict[str, list[str]] | None:
    """A small form body's fields, read and put back in `environ` as it came for the view; None when it is
    empty, too long (MAX_BODY) or not UTF-8."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or -1)
    except ValueError:
        return None
    if not 0 < length <= MAX_BODY:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
    try:
        return parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        return None


def first(form: dict[str, list[str]], name: str) -> str:
    """A field's value as the view reads it (request.form.get, WTForms): the first one sent."""
    return (form.get(name) or [""])[0]


def csrf_passes(flask_app, environ: dict, cookies, form: dict[str, list[str]]) -> bool:
    """Whether flask-wtf's check (CSRFProtect.protect, as Flask's dispatch would make it) would let this form
    through, decided without a request context: the token in the form, signed with the app's CSRF key, holds
    the secret in the signed session cookie. Only a certain yes counts; anything else (no token, a bad or
    expired one, a session that cannot be read, HTTPS with the referrer check on) goes to the view, whose check
    is the real one and gives the reason."""
    config = flask_app.config
    if not config.get("WTF_CSRF_ENABLED", True):
        return True
    if "POST" not in config.get("WTF_CSRF_METHODS", ("POST",)):
        return True
    if environ.get("wsgi.url_scheme") == "https" and config.get("WTF_CSRF_SSL_STRICT", True):
        # the referrer must be this site, as flask-wtf checks it (request.host: the view's when hosts are trusted)
        referrer = environ.get("HTTP_REFERER")
        if not referrer or config.get("TRUSTED_HOSTS") or not same_origin(referrer, f"https://{get_host(environ)}/"):
            return False
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    signed, cookie = first(form, field), cookies.get(config["SESSION_COOKIE_NAME"])
    if not signed or not cookie:
        return False
    passed = flask_app.extensions.setdefault("fangzha.csrf_passed", {})
    now = time.monotonic()
    if now - passed.get((cookie, signed), -PASSED_KEPT) < PASSED_KEPT:
        return True
    if _csrf_verified(flask_app, cookie, signed, field):
        if len(passed) >= PASSED_PAIRS:
            passed.clear()
        passed[(cookie, signed)] = now
        return True
    return False


# A phone sends the same session cookie and token with each of its answers: a pair that passed is trusted for
# this long (its verification, two signatures and two decodings, was a quarter of an answer's handling).
PASSED_KEPT = 300.0
PASSED_PAIRS = 8192


def _csrf_verified(flask_app, cookie: str, signed: str, field: str) -> bool:
    config = flask_app.config
    serializer = flask_app.session_interface.get_signing_serializer(flask_app)
    if serializer is None:
        return False
    try:
        session = serializer.loads(cookie, max_age=int(flask_app.permanent_session_lifetime.total_seconds()))
        signer = URLSafeTimedSerializer(config.get("WTF_CSRF_SECRET_KEY") or flask_app.secret_key, salt="wtf-csrf-token")
        token = signer.loads(signed, max_age=config.get("WTF_CSRF_TIME_LIMIT", 3600))
    except BadData:
        return False
    secret = session.get(field) if isinstance(session, dict) else None
    return isinstance(secret, str) and isinstance(token, str) and hmac.compare_digest(secret, token)


def _store(flask_app, connection: Connection, code: str, token: str, index: int, raw_choice: list[str]) -> bytes | None:
    query = _answer_query(connection.dialect.name)
    row = connection.execute(query, {"code": code, "token_hash": hash_token(token)}).first()
    if row is None:
        return None
    session_id, created_at, phase, open_index, deadline, scoring, time_limit, self_paced, player_id, now = row
    now = clock.from_database(now) if now is not None else clock.now()
    if self_paced or player_id is None or phase != Phase.QUESTION or index != open_index:
        return None
    remaining = (deadline - now).total_seconds() if deadline is not None else None
    if remaining is not None and remaining < 0:
        return None  # too late: the view keeps that it came and says so
    question = questions_of(flask_app, session_id, created_at)[index]
    chosen = answers.parse_choice(raw_choice, question)
    correct = question.is_correct(chosen)
    table = Answer.__table__
    values = {"player_id": player_id, "question_index": index, "choice": chosen, "correct": correct,
              "points": codes.points_for(correct, scoring, time_limit, remaining), "answered_at": now}
    try:
        if connection.dialect.name == "postgresql":
            last = _store_and_probe(connection, session_id, values)
        else:
            connection.execute(table.insert(), values)
            last = queries.everyone_answered(session_id, index, connection)
    except IntegrityError:  # sent again (a double tap, a retry): the first answer stands, and was accepted
        first = select(table.c.id).where(table.c.player_id == player_id, table.c.question_index == index)
        return ACCEPTED if connection.execute(first).first() is not None else None
    if last:  # the last one reveals, as in live.py
        connection.execute(transition_statement(session_id, Phase.QUESTION, index, phase=Phase.REVEAL))
    return ACCEPTED


def _store_seen(flask_app, connection: Connection, look: Look, code: str, token: str, index: int,
                raw_choice: list[str]) -> bytes | None:
    """PostgreSQL, when the gate has seen the session at this question: the whole answer in one statement
    (`seen_answer_query`), with no query first for the session and the player. The gate's sighting gives the
    seconds left for the points; the statement itself holds every rule of the view against the rows and the
    database's clock (this player, not removed, of this open live session, at this question, before its
    deadline) and stores nothing when one fails: then the view answers, and gives the reason."""
    facts = session_facts(connection, look.session_id)
    if facts is None:
        return None
    created_at, scoring, time_limit = facts
    question = questions_of(flask_app, look.session_id, created_at)[index]
    chosen = answers.parse_choice(raw_choice, question)
    correct = question.is_correct(chosen)
    params = {"a_session": look.session_id, "a_code": code, "a_token_hash": hash_token(token), "a_index": index,
              "a_choice": chosen, "a_correct": correct,
              "a_points": codes.points_for(correct, scoring, time_limit, look.seconds_left)}
    player_id, inserted, missing = connection.execute(seen_answer_query(), params).one()
    if player_id is None:
        return None  # not (or no longer) this player's question to answer: the view says why
    if not inserted:
        return ACCEPTED  # sent again: the first answer stands, and was accepted
    if was_last(connection, look.session_id, index, inserted, missing):
        connection.execute(transition_statement(look.session_id, Phase.QUESTION, index, phase=Phase.REVEAL))
    return ACCEPTED


@cache
def seen_answer_query():
    """One statement: the player (`mine`: this token's, not removed, of the session when it is open, live, at
    this question and before its deadline by the database's clock), the INSERT of its answer (ON CONFLICT: a
    repeat stores nothing), and "has everyone answered?" as in store_and_probe_query. Returns (the player's id
    or NULL, rows inserted, others missing)."""
    session, player, table = LiveSession.__table__, Player.__table__, Answer.__table__
    now = clock.now_column("postgresql")
    mine = (select(player.c.id).join(session, session.c.id == player.c.live_session_id)
            .where(player.c.token_hash == bindparam("a_token_hash"), player.c.removed_at.is_(None),
                   session.c.id == bindparam("a_session"), session.c.open_code == bindparam("a_code"),
                   session.c.phase == Phase.QUESTION, session.c.question_index == bindparam("a_index"),
                   session.c.self_paced.is_(False), or_(session.c.deadline.is_(None), session.c.deadline >= now))
            .cte("mine"))
    values = select(mine.c.id, bindparam("a_index"), bindparam("a_choice", type_=table.c.choice.type),
                    bindparam("a_correct"), bindparam("a_points"), now)
    stored = (postgresql.insert(table)
              .from_select(["player_id", "question_index", "choice", "correct", "points", "answered_at"], values)
              .on_conflict_do_nothing(index_elements=["player_id", "question_index"]).returning(table.c.id).cte("stored"))
    missing = (queries.waiting(bindparam("a_session"), bindparam("a_index"))
               .where(Player.id != select(mine.c.id).scalar_subquery()).limit(IN_FLIGHT + 1).subquery())
    return select(select(mine.c.id).scalar_subquery(), select(func.count()).select_from(stored).scalar_subquery(),
                  select(func.count()).select_from(missing).scalar_subquery())


SESSIONS_KEPT = 256
_facts: dict[tuple[str, int], tuple] = {}  # (database, session id) -> what never changes in a session


def session_facts(connection: Connection, session_id: int) -> tuple | None:
    """(created_at, scoring, time_limit) of a session, read once per process: they are set when it is made."""
    key = (str(connection.engine.url), session_id)
    if (found := _facts.get(key)) is None:
        table = LiveSession.__table__
        found = connection.execute(select(table.c.created_at, table.c.scoring, table.c.time_limit)
                                   .where(table.c.id == session_id)).first()
        if found is None:
            return None
        if len(_facts) >= SESSIONS_KEPT:
            _facts.clear()
        found = _facts[key] = tuple(found)
    return found


def _store_and_probe(connection: Connection, session_id: int, values: dict) -> bool:
    """PostgreSQL: the INSERT and "has everyone answered?" in one statement, one round trip less (in a burst each
    round trip gives up the GIL and waits to get it back). Returns whether this was the last answer.

    The probe runs in the INSERT's snapshot: answers stored at the same moment by other phones, not committed
    yet, look missing. So when few others seem to be missing (at most IN_FLIGHT: more than can be stored at
    once), it asks again after this answer is committed. Of answers racing to be last, the one whose second
    probe comes later sees all of them; a repeat (ON CONFLICT: the first answer stands) asks nothing."""
    inserted, missing = connection.execute(store_and_probe_query(), {"session_id": session_id, **values}).one()
    return was_last(connection, session_id, values["question_index"], inserted, missing)


def was_last(connection: Connection, session_id: int, index: int, inserted: int, missing: int) -> bool:
    """From what the statement returned, once it is committed: whether this answer was the last one."""
    if not inserted:
        return False
    if missing and missing <= IN_FLIGHT:
        return queries.everyone_answered(session_id, index, connection)
    return not missing


IN_FLIGHT = 64  # answers that can be in the middle of being stored at once, every thread of every worker and host


@cache
def store_and_probe_query():
    table = Answer.__table__
    stored = (postgresql.insert(table).values({name: bindparam(name) for name in
                                               ("player_id", "question_index", "choice", "correct", "points", "answered_at")})
              .on_conflict_do_nothing(index_elements=["player_id", "question_index"]).returning(table.c.id).cte("stored"))
    missing = (queries.waiting(bindparam("session_id"), bindparam("question_index"))
               .where(Player.id != bindparam("player_id")).limit(IN_FLIGHT + 1).subquery())
    return select(select(func.count()).select_from(stored).scalar_subquery(),
                  select(func.count()).select_from(missing).scalar_subquery())


def questions_of(flask_app, session_id: int, created_at) -> list:
    """A session's questions, read with the ORM once per process (a composed quiz's come from its copy)."""
    key = (session_id, created_at)
    if (found := _questions.get(key)) is None:
        if len(_questions) >= QUESTIONS_KEPT:
            _questions.clear()
        with flask_app.app_context():
            found = _questions[key] = sessions.questions_of(db.session.get(LiveSession, session_id))
    return found

