"""A phone's play page that changes phase without loading a page.

classroom.js on /play/<code> polls /play/<code>/state (under the play path, so the player's cookie comes
with it). While the session's step is the page's, the answer is a 304 from one small query. When it
moves, the reply carries the new phase as an HTML fragment, drawn once per session version and language
in each worker and the same for every phone, and `me`: this player's own feedback and lines, which the
script writes into the fragment's slots. A hall of phones then costs one rendering, not one page each.

The poll's ETag is the phone step (lobby, question 3, its reveal, finished), not the version: a lobby
filling up moves the version with every join, and would wake every phone already in it each time."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from typing import NamedTuple

from flask import Response, render_template, request
from werkzeug.http import http_date
from flask_babel import gettext as _

from ..extensions import db
from ..i18n import current_tag
from ..models import LiveSession, Phase, Player
from . import live as live_rules
from . import queries, results, sessions
from .results import Standing, VersionCache

_fragments = VersionCache(64)


def poll_reply(response: Response, etag: str) -> Response:
    """A poll's answer (the body or a 304): its ETag, and never cached but by this browser."""
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache, private"
    return response


def etag(step: str) -> str:
    """The ETag of a phone's poll (unquoted): it moves with the phone step alone (live.phone_step), so
    players joining the lobby don't wake the phones already in it, and a player's own answer doesn't (the
    phone that sent it knows)."""
    return f"{step}-{current_tag()}-"


def matches(etag: str) -> bool:
    """Whether this request's If-None-Match holds `etag`, as sent or as Flask-Compress rewrote it for a
    gzipped body ("…:gzip"): a browser sends back the one it was given."""
    wanted = request.if_none_match
    return etag in wanted or f"{etag}:gzip" in wanted


# A phone without JavaScript reloads its play page every few seconds (its <noscript> refresh) to see the
# next step. Chromium sends back a Last-Modified on such a reload (If-Modified-Since), never an ETag, so
# the page carries a Last-Modified that stands for everything the page is drawn from while it refreshes:
# the session, the step, the language, the text size. It is no real time: a date before 2017 picked by a
# hash of those, so it never lies in the future, and the gate compares it as a string (classroom/gate.py).
# The lobby, a reveal and the end are answered 304, and a question's page once this player has answered it
# ("Answer sent", with the clock time answers close: its step is "Q3a", and only a player who answered was
# given that date; an answer is never taken back). The player's own part of a reveal or of the end is fixed
# once it is drawn. The page of a question not yet answered is always drawn afresh.
_EPOCH_2000 = 946684800
UNCHANGING_STEPS = ("L", "R", "F")


def page_step(step: str, answered: bool) -> str:
    """The step a play page's date stands for: the phone step, and at a question whether it is answered."""
    return f"{step}a" if answered and not step.startswith(UNCHANGING_STEPS) else step


def page_validator(session_id: int, step: str, lang: str, large_text: bool) -> str:
    """The play page's Last-Modified for these inputs (an HTTP date)."""
    digest = hashlib.blake2b(f"{session_id}:{step}:{lang}:{int(large_text)}".encode(), digest_size=8).digest()
    return http_date(_EPOCH_2000 + int.from_bytes(digest, "big") % (1 << 29))


def etag_of(live: LiveSession) -> str:
    return etag(live_rules.phone_step(live.phase, live.question_index))


def me(live: LiveSession, player: Player) -> dict:
    """This player's own part of the play page: which feedback a reveal shows, and the lines in their words."""
    index = live.question_index
    answer = queries.answer_of(player, index) if live.phase in (Phase.QUESTION, Phase.REVEAL) else None
    standing = results.standing_of(live, player) if live.phase != Phase.LOBBY else None
    late = live.phase == Phase.REVEAL and answer is None and queries.came_late(player, index)
    return mine(live, standing, answer, late)


def everyones(live: LiveSession) -> dict[str, Own]:
    """Every active player's nickname and `me` by token hash, from a few queries (and the cached standings)
    instead of three per phone: the gate answers each phone's poll and page from it. At a question, `me` as
    the question opened (no answer yet: the gate looks that up). The lines' words are looked up once for the
    hall, not three times a player (half of the drawing at 1,000)."""
    index, words = live.question_index, Words.now()
    revealed = live.phase == Phase.REVEAL  # as `me`: a reveal shows this question's answer; the end shows none
    answers = {answer.player_id: answer for answer in queries.answers_of(live, index)} if revealed else {}
    late = queries.late_players(live, index) if revealed else set()
    standings = results.standings_by_player(live)
    return {
        token_hash: Own(nickname, mine(live, standings.get(player_id), answers.get(player_id),
                                       player_id in late and player_id not in answers, words))
        for player_id, token_hash, nickname in queries.player_names(live)
    }


def answered(me: dict, points: int) -> dict:
    """A question's `me` as it opened (everyones), once this player's answer is in: its points."""
    text = {**me["text"], "gained": Words.now().gained % {"points": points}}
    return {**me, "answered": True, "gained": points, "text": text}


class Words(NamedTuple):
    """The player's own lines in this request's language, to fill with their numbers."""
    strip: str
    rank: str
    final: str
    gained: str

    @classmethod
    def now(cls) -> Words:
        return cls(
            _("%(points)s points"), _("You are number %(rank)s with %(points)s points."),
            _("You finished number %(rank)s with %(points)s points and %(right)s of %(total)s right."),
            _("+%(points)s points"),
        )


def mine(live: LiveSession, standing: Standing | None, answer, late: bool, words: Words | None = None) -> dict:
    words = words or Words.now()
    feedback = None
    if live.phase == Phase.REVEAL:
        feedback = ("right" if answer.correct else "wrong") if answer else ("late" if late else "none")
    text = {"strip": "", "gained": "", "rank": "", "final": ""}
    if standing:
        text["strip"] = " · " + words.strip % {"points": standing.points}
        if live.phase == Phase.REVEAL:
            text["rank"] = words.rank % {"rank": standing.rank, "points": standing.points}
        elif live.phase == Phase.FINISHED:
            text["final"] = words.final % {
                "rank": standing.rank, "points": standing.points, "right": standing.right, "total": len(live.question_ids),
            }
    if answer is not None:
        text["gained"] = words.gained % {"points": answer.points}
    return {
        "answered": answer is not None, "feedback": feedback, "text": text,
        "points": standing.points if standing else None, "gained": answer.points if answer else None,
    }


def fragment(live: LiveSession) -> str:
    """The phase part of the play page as every phone of this version sees it (templates/_play_phase.html)."""
    def draw() -> str:
        return render_template(
            "classroom/_play_phase.html", public=True, live=live, question=sessions.current_question(live),
            state=results.public_state(live, current_tag()), me=None,
            podium=results.podium(live) if live.phase == Phase.FINISHED else [],
        ).strip()
    return _fragments.get((live.id, live.version, current_tag()), draw)


class Own(NamedTuple):
    nickname: str
    me: dict  # phone.me as of the drawing's version (at a question: as it opened, before this player answered)


class Shared(NamedTuple):
    version: int
    body: dict  # the poll's body without `remaining` and `me`
    players: dict[str, Own]  # every active player's own part by token hash, as of `version` (everyones)


class SharedBodies:
    """A poll's body that is the same for every phone, once the view has drawn it in this process, so the
    gate can send it without Flask: a question's (it needs nothing of the player's own: the phone has not
    answered it yet, its points are those of the last reveal), and a reveal's or the end's with every player's
    own part beside it. Drawn once however many threads ask at the same moment (a hall of phones polls
    within a second of the step moving): the others wait for that drawing. Per process, per database, bounded."""

    def __init__(self, size: int = 64):
        self.size, self.bodies, self.locks = size, {}, {}

    def get(self, key: tuple):
        """What was last drawn for `key` (a poll body's: database, session id, step, language), if anything."""
        return self.bodies.get(key)

    def drawn(self, key: tuple, version: int, draw: Callable[[], Shared]) -> Shared:
        """What is drawn for `key` at this version (anything with a `version`: a poll's Shared body, a
        lobby's page in phone_pages), drawn now unless the last drawing was of this version."""
        with self.locks.setdefault(key, threading.Lock()):
            shared = self.bodies.get(key)
            if shared is None or shared.version != version:
                if len(self.bodies) >= self.size:
                    self.bodies.clear()
                    self.locks = {key: self.locks[key]}
                shared = self.bodies[key] = draw()
        return shared


shared_bodies = SharedBodies()


def poll_body(live: LiveSession) -> dict:
    """A poll's body when the step has moved, as every phone gets it (`remaining` and `me` are added)."""
    return {
        "version": live.version, "phase": live.phase, "index": live.question_index, "remaining": None,
        "poll_ms": results.poll_interval(live, current_tag()), "html": fragment(live),
    }


def shared(live: LiveSession) -> Shared:
    """The step's shared drawing in this process (not the lobby's: it changes with every join)."""
    key = (str(db.engine.url), live.id, live_rules.phone_step(live.phase, live.question_index), current_tag())
    return shared_bodies.drawn(key, live.version, lambda: Shared(live.version, poll_body(live), everyones(live)))


def state(live: LiveSession, player: Player) -> dict:
    """The body of a phone's poll when its step has moved."""
    drawn = poll_body(live) if live.phase == Phase.LOBBY else shared(live).body  # a lobby changes with every join
    if live.phase == Phase.QUESTION and live.deadline is not None:
        drawn = {**drawn, "remaining": results.seconds_left(live)}
    # the view's own answer is always drawn afresh: it is also where a phone asks again when its part of a
    # shared reveal looked older than its answer
    return {**drawn, "me": me(live, player)}
