"""classroom/board.py: the poll gate keeps where each session is and asks the database again only once a
write to a live session has moved the board (or the sighting is MAX_AGE old); every write moves it."""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import event, update

from tests import factories
from webapp import clock
from webapp.classroom import board as live_board
from webapp.classroom import gate as poll_gate
from webapp.extensions import db
from webapp.models import LiveSession

API = "/api/v1/sessions"


def lobby_etag(phone, code: str) -> str:
    page = phone.get(f"/play/{code}").get_data(as_text=True)
    return re.search(r'data-etag="([^"]+)"', page).group(1).replace("&#34;", '"')


def look_queries(app) -> list[str]:
    """The statements that read live_session on the app's engine from now on (the gate's look among them)."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def count(connection, cursor, statement, *rest):
        if statement.lstrip().startswith("SELECT") and "WHERE live_session.code =" in statement:
            seen.append(statement)

    return seen


def test_every_write_to_a_live_session_moves_the_board_and_a_read_does_not(db_app):
    board = db_app.extensions["live_board"]
    before = board.mark()
    code, host, phones = factories.hall(db_app, "Ann", "Bo")  # a session made, two joins (ORM, committed)
    joined = board.mark()
    assert joined >= before + 3

    etag = lobby_etag(phones[0], code)
    for _ in range(3):  # polls, pages: reads only
        assert phones[0].get(f"/play/{code}/state", headers={"If-None-Match": etag}).status_code == 304
    assert board.mark() == joined

    assert db_app.test_client().post(f"{API}/{code}/advance", headers=host).status_code == 200  # the host's start
    started = board.mark()
    assert started > joined
    with db_app.app_context():
        choice = sorted(factories.questions(code)[0].answer)[0]
    for phone in phones:  # taken by the gate on its autocommit connection; the last one reveals
        reply = phone.post(f"/play/{code}/answer", data={"question": "0", "choice": str(choice)},
                           headers={"Accept": "application/json"})
        assert reply.status_code == 200 and reply.get_json() == {"accepted": True}
    assert board.mark() > started
    state = phones[0].get(f"/play/{code}/state").get_json()
    assert state["phase"] == "reveal"


def test_polls_ask_the_database_again_only_after_a_write(db_app):
    code, host, phones = factories.hall(db_app, "Ann", "Bo", "Cy")
    etag = lobby_etag(phones[0], code)
    assert phones[0].get(f"/play/{code}/state", headers={"If-None-Match": etag}).status_code == 304
    queries = look_queries(db_app)

    for phone in phones * 3:
        assert phone.get(f"/play/{code}/state", headers={"If-None-Match": etag}).status_code == 304
    assert queries == []  # nine polls, answered from the kept sighting

    assert db_app.test_client().post(f"{API}/{code}/advance", headers=host).status_code == 200
    del queries[:]
    polled = [phone.get(f"/play/{code}/state", headers={"If-None-Match": etag}) for phone in phones]
    assert [reply.status_code for reply in polled] == [200, 200, 200]  # never the lobby's 304 once it moved
    assert {reply.get_json()["phase"] for reply in polled} == {"question"}
    assert len(queries) == 2  # the gate's new sighting for all three, and the view's own as it drew the question


def test_a_kept_sighting_counts_the_seconds_down_and_lets_the_view_close_the_question(db_app, reached):
    code, host, phones = factories.hall(db_app, "Ann", "Bo", time_limit=60)
    assert db_app.test_client().post(f"{API}/{code}/advance", headers=host).status_code == 200
    with db_app.app_context():  # the deadline 1.5 s from now (an ORM-free UPDATE: the board sees it)
        db.session.execute(update(LiveSession).where(LiveSession.code == code)
                           .values(deadline=clock.now() + timedelta(seconds=1.5)))
        db.session.commit()
    first = phones[0].get(f"/play/{code}/state").get_json()  # the view draws the question
    assert first["phase"] == "question" and 0.5 < first["remaining"] <= 1.5
    time.sleep(0.4)
    second = phones[1].get(f"/play/{code}/state").get_json()  # the gate, from its sighting
    assert second["phase"] == "question"
    assert first["remaining"] - 0.7 < second["remaining"] < first["remaining"] - 0.2

    counted = reached(db_app)
    time.sleep(1.3)  # past the deadline: the sighting says so, and the view turns the question into its reveal
    after = phones[1].get(f"/play/{code}/state", headers={"If-None-Match": f'"Q0-zh-Hans-"'})
    assert len(counted) == 1 and after.status_code == 200 and after.get_json()["phase"] == "reveal"


def test_a_sighting_older_than_max_age_is_read_again(db_app, monkeypatch):
    monkeypatch.setattr(poll_gate, "MAX_AGE", 0.2)
    code, host, phones = factories.hall(db_app, "Ann")
    etag = lobby_etag(phones[0], code)
    assert phones[0].get(f"/play/{code}/state", headers={"If-None-Match": etag}).status_code == 304
    queries = look_queries(db_app)
    assert phones[0].get(f"/play/{code}/state", headers={"If-None-Match": etag}).status_code == 304
    assert queries == []
    time.sleep(0.3)
    assert phones[0].get(f"/play/{code}/state", headers={"If-None-Match": etag}).status_code == 304
    assert len(queries) == 1


def test_without_the_board_every_poll_asks_the_database(make_app, database_uri):
    app = make_app(SQLALCHEMY_DATABASE_URI=database_uri, LIVE_BOARD=False)
    assert app.extensions["live_board"].mark() is None
    code, host, phones = factories.hall(app, "Ann")
    etag = lobby_etag(phones[0], code)
    queries = look_queries(app)
    for _ in range(3):
        assert phones[0].get(f"/play/{code}/state", headers={"If-None-Match": etag}).status_code == 304
    assert len(queries) == 3


def test_two_mappings_of_one_board_see_each_other(tmp_path):
    """What two worker processes do: each maps the file; a touch through one is read through the other."""
    one, other = live_board.Board(tmp_path / "board"), live_board.Board(tmp_path / "board")
    assert one.mark() == other.mark() == 0
    one.touch()
    other.touch()
    assert one.mark() == other.mark() == 2


@pytest.mark.parametrize("setting, expected", [("0", False), ("off", False), ("1", True)])
def test_live_board_setting_from_the_environment(setting, expected):
    from webapp import config

    assert config.from_environment({"LIVE_BOARD": setting})["LIVE_BOARD"] is expected


def test_an_instance_folder_it_cannot_write_leaves_the_gate_asking_the_database(make_app, tmp_path, monkeypatch):
    from webapp.classroom import board as module

    monkeypatch.setattr(module, "_by_path", {})
    monkeypatch.setattr(module.Board, "__init__", _unwritable)
    app = make_app()
    assert app.extensions["live_board"].mark() is None
    code, _host, phones = factories.hall(app, "Ann")
    etag = lobby_etag(phones[0], code)
    assert phones[0].get(f"/play/{code}/state", headers={"If-None-Match": etag}).status_code == 304


def _unwritable(self, path):
    self.path, self.map, self.fd = path, None, -1
    if path is not None:
        raise PermissionError(13, "Permission denied", str(path))
