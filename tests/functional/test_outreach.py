"""Outreach events: creation (API and form), self-paced play through the session API, the kiosk, the poster,
projector, paper sheets and their entry, and reports computed from the recorded participations."""

from __future__ import annotations

import csv
import io
import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests import factories
from webapp.catalog import get_catalog
from webapp.quiz.draw import draw
from webapp.extensions import db
from webapp.models import Answer, Event, LiveSession, Player

API = "/api/v1/events"
SESSIONS = "/api/v1/sessions"
STATIC = Path(__file__).resolve().parents[2] / "webapp" / "static"
EVENT = {"kind": "community", "place": "阳光社区 <活动室>", "date": "2025-03-15", "quiz": "elderly-basics"}


# -- helpers -------------------------------------------------------------------------------------


def login(app, client, username="worker", password="pw") -> int:
    with app.app_context():
        organizer_id = factories.organizer(username=username, password=password).id
    assert client.post("/auth/login", data={"username": username, "password": password}).status_code == 303
    return organizer_id


@pytest.fixture
def organizer(app, client):
    return login(app, client)


def create(client, **fields) -> tuple[int, str]:
    response = client.post(API, json={**EVENT, **fields})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert set(body) == {"id", "code"} and re.fullmatch(r"\d{6}", body["code"])
    return body["id"], body["code"]


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def join(phones, code, nickname) -> str:
    response = phones.post(f"{SESSIONS}/{code}/players", json={"nickname": nickname})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["player_token"]


def state(phones, code, token=None) -> dict:
    response = phones.get(f"{SESSIONS}/{code}/state", headers=bearer(token) if token else {})
    assert response.status_code == 200
    return response.get_json()


def answer(phones, code, token, question, choice):
    return phones.post(f"{SESSIONS}/{code}/answers", headers=bearer(token), json={"question": question, "choice": choice})


def event_questions(app, event_id):
    with app.app_context():
        from webapp.outreach import service

        return service.questions_of(db.session.get(Event, event_id))


def right(question):
    chosen = sorted(question.answer)
    return chosen if question.kind == "multiple" else chosen[0]


def wrong(question):
    return next(i for i in range(len(question.choices)) if i not in question.answer)


def play(phones, code, token, questions, right_ones: set[int], upto: int | None = None) -> None:
    """Answer questions 0..upto-1 through the JSON API: right on the indexes in `right_ones`."""
    for index, question in enumerate(questions[:upto]):
        result = answer(phones, code, token, index, right(question) if index in right_ones else wrong(question))
        assert result.status_code == 200, result.get_json()
        assert result.get_json()["correct"] is (index in right_ones)


def error_code(response):
    return response.get_json()["error"]["code"]


def decode_qr_svg(svg: str) -> str:
    """Draw segno's SVG (rows of horizontal strokes) into pixels and read it with zbar, a real decoder."""
    from PIL import Image, ImageDraw
    from pyzbar import pyzbar

    root = ET.fromstring(svg)
    _x, _y, width, height = (float(v) for v in root.get("viewBox").split())
    dark = [p for p in root.iter("{http://www.w3.org/2000/svg}path") if p.get("stroke")]  # not the white ground
    assert len(dark) == 1
    path = dark[0].get("d")
    scale = 8
    image = Image.new("L", (int(width * scale), int(height * scale)), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    tokens = re.findall(r"[A-Za-z]|-?\d+(?:\.\d+)?", path)
    i = 0
    while i < len(tokens):
        command = tokens[i]
        if command in "Mm":
            dx, dy = float(tokens[i + 1]), float(tokens[i + 2])
            x, y = (dx, dy) if command == "M" else (x + dx, y + dy)
            i += 3
        elif command == "h":
            length = float(tokens[i + 1])
            draw.rectangle([x * scale, (y - 0.5) * scale, (x + length) * scale - 1, (y + 0.5) * scale - 1], fill=0)
            x += length
            i += 2
        else:
            raise AssertionError(f"unexpected path command {command!r}")
    image = image.resize((image.width + 80, image.height + 80))  # any scanner copes with a little stretch
    found = pyzbar.decode(image)
    assert len(found) == 1, found
    return found[0].data.decode("utf-8")


def inline_svg(html: str) -> str:
    return re.search(r"<svg\b.*?</svg>", html, re.S).group(0)


# -- creating events -----------------------------------------------------------------------------


def test_create_an_event_through_the_api(app, client, organizer):
    event_id, code = create(client, audience="老年居民")
    with app.app_context():
        event = db.session.get(Event, event_id)
        live = event.live_session
        assert (event.kind, event.place, event.date.isoformat(), event.audience, event.quiz_id) == (
            "community", "阳光社区 <活动室>", "2025-03-15", "老年居民", "elderly-basics")
        assert event.organizer_id == organizer and live.code == code and live.self_paced is True
        assert live.phase == "lobby" and live.time_limit is None and live.scoring == "accuracy"
        # ten questions of ten different scam types, drawn deterministically from the event's code
        bank = get_catalog().quizzes["elderly-basics"]
        assert live.question_ids == [q.id for q in draw(bank.questions, 10, {}, random.Random(f"elderly-basics/{code}"))]
        assert len(set(live.question_ids)) == 10 and len({bank.by_id[i].slug for i in live.question_ids}) == 10
    second_id, second_code = create(client)
    assert second_id != event_id and second_code != code


@pytest.mark.parametrize("body, code", [
    ({"place": None}, "missing_field"),
    ({"kind": None}, "missing_field"),
    ({"date": None}, "missing_field"),
    ({"quiz": None}, "missing_field"),
    ({"place": ""}, "missing_field"),
    ({"kind": "church"}, "bad_kind"),
    ({"kind": ["school"]}, "bad_kind"),
    ({"place": "   "}, "bad_place"),
    ({"place": "x" * 101}, "bad_place"),
    ({"place": 42}, "bad_place"),
    ({"place": "bad\x00place"}, "bad_place"),
    ({"date": "2025-3-15"}, "bad_date"),
    ({"date": "15/03/2025"}, "bad_date"),
    ({"date": "2025-02-30"}, "bad_date"),
    ({"date": "1900-01-01"}, "bad_date"),
    ({"date": 20250315}, "bad_date"),
    ({"quiz": "no-such-quiz"}, "bad_quiz"),
    ({"quiz": 3}, "bad_quiz"),
    ({"audience": "y" * 101}, "bad_audience"),
    ({"audience": 5}, "bad_audience"),
])
def test_api_refuses_bad_events(app, client, organizer, body, code):
    data = {k: v for k, v in {**EVENT, **body}.items() if v is not None}
    response = client.post(API, json=data)
    assert response.status_code == 400 and error_code(response) == code
    assert response.get_json()["error"]["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Event.id))) == 0
        assert db.session.scalar(select(func.count(LiveSession.id))) == 0


def test_api_needs_a_json_object_and_a_login(app, client):
    assert client.post(API, json=EVENT).status_code == 401
    assert error_code(client.post(API, json=EVENT)) == "login_required"
    login(app, client)
    response = client.post(API, data="kind=school", content_type="text/plain")
    assert response.status_code == 400 and error_code(response) == "bad_request"
    assert error_code(client.post(API, json=["school"])) == "bad_request"


def test_api_checks_csrf_for_the_login_cookie(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        factories.organizer("worker", "pw")
    html = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    assert client.post("/auth/login", data={"username": "worker", "password": "pw", "csrf_token": token}).status_code == 303
    response = client.post(API, json=EVENT)
    assert response.status_code == 400 and error_code(response) == "csrf"
    html = client.get("/outreach/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    assert client.post(API, json=EVENT, headers={"X-CSRFToken": token}).status_code == 201
    assert client.post("/outreach/new", data={**EVENT}).status_code == 400  # the form without its token


def test_create_an_event_through_the_form(app, client, organizer):
    page = client.get("/outreach/new").get_data(as_text=True)
    for label in ("进校园", "进企业", "进社区", "进农村", "进家庭"):
        assert label in page
    assert 'type="date"' in page and "elderly-basics" in page and "style=" not in page
    english = client.get("/outreach/new?lang=en").get_data(as_text=True)
    for label in ("In schools", "In workplaces", "In communities", "In villages", "In families"):
        assert label in english
    response = client.post("/outreach/new", data={**EVENT, "kind": "village", "audience": "村民"})
    assert response.status_code == 303
    event_id = int(re.fullmatch(r"/outreach/events/(\d+)", response.headers["Location"]).group(1))
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert (event.kind, event.audience, event.organizer_id) == ("village", "村民", organizer)
    page = client.get(f"/outreach/events/{event_id}?lang=zh-Hans").get_data(as_text=True)
    assert "进农村" in page and "阳光社区 &lt;活动室&gt;" in page and "<活动室>" not in page


@pytest.mark.parametrize("data, message", [
    ({"kind": ""}, "Please choose where the event is."),
    ({"kind": "church"}, "Not a valid choice"),
    ({"place": ""}, "Please write the place."),
    ({"place": "x" * 101}, "100"),
    ({"place": "   "}, "Please write the place."),
    ({"date": ""}, "year-month-day"),
    ({"date": "15.03.2025"}, "year-month-day"),
    ({"date": "1800-01-01"}, "year-month-day"),
    ({"audience": "y" * 101}, "100"),
    ({"quiz": "nope"}, "Not a valid choice"),
])
def test_the_form_explains_every_error(app, client, organizer, data, message):
    response = client.post("/outreach/new?lang=en", data={**EVENT, **data})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="field-error"' in page and message in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Event.id))) == 0


# -- playing at one's own pace -------------------------------------------------------------------


def test_two_players_at_their_own_pace(db_app):
    app, client, phones = db_app, db_app.test_client(), db_app.test_client()
    login(app, client)
    event_id, code = create(client)
    questions = event_questions(app, event_id)
    ann, bo = join(phones, code, "Ann"), join(phones, code, "Bo")

    open_state = state(phones, code)
    assert open_state["self_paced"] is True and open_state["question"] is None and open_state["players"] == 2
    assert state(phones, code, ann)["question"]["index"] == 0

    play(phones, code, ann, questions, right_ones={0, 1, 2}, upto=3)
    play(phones, code, bo, questions, right_ones=set(), upto=1)
    mine = state(phones, code, ann)
    assert mine["phase"] == "question" and mine["question"]["index"] == 3 and mine["me"]["answered"] == 3
    assert mine["question"]["prompt"] == questions[3].prompt.zh_Hans
    assert set(mine["question"]) == {"index", "kind", "prompt", "choices"}  # never the answer
    assert state(phones, code, bo)["question"]["index"] == 1

    # Another question than one's own is refused; a retry of an answered one returns the first result.
    stray = answer(phones, code, bo, 3, 0)
    assert stray.status_code == 409 and error_code(stray) == "wrong_question"
    assert error_code(answer(phones, code, bo, -1, 0)) == "wrong_question"
    retry = answer(phones, code, ann, 0, wrong(questions[0]))
    assert retry.status_code == 200 and retry.get_json()["correct"] is True
    first = answer(phones, code, bo, 1, right(questions[1])).get_json()
    assert first["accepted"] and first["correct"] and first["answer"] == sorted(questions[1].answer)
    assert first["explanation"] == questions[1].explanation.zh_Hans and first["next"] == 2
    assert answer(phones, code, bo, 1, wrong(questions[1])).get_json()["correct"] is True
    assert error_code(answer(phones, code, bo, 2, 99)) == "bad_choice"
    assert error_code(answer(phones, code, "not-a-token", 2, 0)) == "bad_token"
    with app.app_context():
        rows = db.session.execute(select(Answer.question_index, func.count()).group_by(Answer.question_index)).all()
        assert dict(rows) == {0: 2, 1: 2, 2: 1}

    for index in range(3, 10):
        assert answer(phones, code, ann, index, right(questions[index])).get_json()["accepted"] is True
    done = state(phones, code, ann)
    assert done["phase"] == "finished" and done["question"] is None and done["me"]["right"] == 10
    refused = answer(phones, code, ann, 10, 0)
    assert refused.status_code == 409 and error_code(refused) == "all_done"
    totals = state(phones, code)
    assert (totals["players"], totals["finished"], totals["average"]) == (2, 1, 10.0)

    # Nobody hosts an event: there is nothing to advance, and no host screen.
    assert error_code(client.post(f"{SESSIONS}/{code}/advance")) == "self_paced"
    assert client.get(f"/classroom/{code}/host").status_code == 404


def test_the_state_answers_304_while_nothing_changed(app, client, organizer):
    phones = app.test_client()
    _event_id, code = create(client)
    first = phones.get(f"{SESSIONS}/{code}/state")
    again = phones.get(f"{SESSIONS}/{code}/state", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    join(phones, code, "Ann")
    assert phones.get(f"{SESSIONS}/{code}/state", headers={"If-None-Match": first.headers["ETag"]}).status_code == 200


def test_same_nicknames_get_a_number_and_events_stay_out_of_live_sessions(app, client, organizer):
    phones = app.test_client()
    _event_id, code = create(client)
    for _ in range(3):
        join(phones, code, "王阿姨")
    with app.app_context():
        assert sorted(db.session.scalars(select(Player.nickname))) == ["王阿姨", "王阿姨 2", "王阿姨 3"]
    live_code, _host = client.post(SESSIONS, json={"quiz": "elderly-basics", "questions": 2}).get_json().values()
    listing = client.get("/classroom/").get_data(as_text=True)
    assert live_code in listing and code not in listing
    # a live session still refuses a second "Ann" and stays host-driven
    join(phones, live_code, "Ann")
    assert phones.post(f"{SESSIONS}/{live_code}/players", json={"nickname": "ann"}).status_code == 409


def test_playing_through_the_pages(app, client, organizer):
    event_id, code = create(client)
    questions = event_questions(app, event_id)
    phone = app.test_client()
    joined = phone.post("/join", data={"code": code, "nickname": "Ann"})
    assert joined.status_code == 303 and joined.headers["Location"] == f"/play/{code}"
    for index, question in enumerate(questions):
        page = phone.get(f"/play/{code}?lang=en").get_data(as_text=True)
        assert f"Question {index + 1} of 10" in page and "answer-button" in page
        assert "style=" not in page and "<script>" not in page
        choice = right(question) if index % 2 == 0 else wrong(question)
        sent = phone.post(f"/play/{code}/answer", data={"question": str(index), "choice": choice if isinstance(choice, list) else [choice]})
        assert sent.status_code == 303 and sent.headers["Location"] == f"/play/{code}?answered={index}"
        feedback = phone.get(sent.headers["Location"] + "&lang=en").get_data(as_text=True)
        assert ("Right!" if index % 2 == 0 else "Not this time") in feedback
        assert question.explanation.en in feedback
        # the same form sent again (a double tap) changes nothing
        phone.post(f"/play/{code}/answer", data={"question": str(index), "choice": ["0"]})
    final = phone.get(f"/play/{code}?lang=en").get_data(as_text=True)
    assert "You got 5 of 10 right." in final and "96110" in final and "/scams/" in final
    with app.app_context():
        assert db.session.scalar(select(func.count(Answer.id))) == 10


def test_kiosk_starts_a_fresh_player_for_each_person(app, client, organizer):
    event_id, code = create(client)
    questions = event_questions(app, event_id)
    tablet = app.test_client()
    start = tablet.get(f"/play/{code}/kiosk?lang=en")
    assert start.status_code == 200 and "Start the quiz" in start.get_data(as_text=True)
    cookies = start.headers.getlist("Set-Cookie")
    assert any(c.startswith("fz_kiosk=1") and f"Path=/play/{code}" in c for c in cookies)
    for person in range(2):
        started = tablet.post(f"/play/{code}/kiosk", data={"nickname": ""})
        assert started.status_code == 303 and started.headers["Location"] == f"/play/{code}"
        for index, question in enumerate(questions):
            choice = right(question)
            tablet.post(f"/play/{code}/answer", data={"question": str(index), "choice": choice if isinstance(choice, list) else [choice]})
        final = tablet.get(f"/play/{code}?lang=en")
        page = final.get_data(as_text=True)
        assert "You got 10 of 10 right." in page and "Next person" in page and "data-kiosk-reset" in page
        assert any(c.startswith("fz_player=;") for c in final.headers.getlist("Set-Cookie"))  # forgotten
        assert tablet.get_cookie("fz_player", path=f"/play/{code}") is None
        after = tablet.get(f"/play/{code}")
        assert after.status_code == 303 and after.headers["Location"] == f"/play/{code}/kiosk"
    with app.app_context():
        players = list(db.session.scalars(select(Player).order_by(Player.id)))
        assert [p.nickname for p in players] == ["Guest", "Guest 2"]  # the tablet was set to English
        assert db.session.scalar(select(func.count(Answer.id))) == 20
    assert tablet.get("/play/abc/kiosk").status_code == 404
    live_code = client.post(SESSIONS, json={"quiz": "elderly-basics"}).get_json()["code"]
    assert tablet.get(f"/play/{live_code}/kiosk").status_code == 404  # live sessions have no kiosk


# -- printed things ------------------------------------------------------------------------------


def test_poster(app, client, organizer):
    event_id, code = create(client)
    response = client.get(f"/outreach/events/{event_id}/poster")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "反诈学堂" in page and "进社区" in page and "阳光社区 &lt;活动室&gt;" in page and "2025年3月15日" in page
    assert "96110" in page and "<b>110</b>" in page
    assert f"{code[:3]}&#8239;{code[3:]}" in page and "localhost/join" in page
    assert decode_qr_svg(inline_svg(page)) == f"http://localhost/join?code={code}"
    assert "style=" not in page and "<script>" not in page
    assert re.search(r'<body class="[^"]*\bprint-page\b', page)  # the print layout (outreach.css)
    css = (STATIC / "css" / "outreach.css").read_text()
    assert "@page { size: A4" in css and "@media print" in css
    english = client.get(f"/outreach/events/{event_id}/poster?lang=en").get_data(as_text=True)
    assert "In communities" in english and "anti-fraud line" in english


def test_projector_and_its_qr_code(app, client, organizer):
    event_id, code = create(client)
    page = client.get(f"/outreach/events/{event_id}/projector?lang=en").get_data(as_text=True)
    src = re.search(r'<img class="qr" src="([^"]+)"', page).group(1)
    assert src == f"/classroom/{code}/qr.svg"
    assert decode_qr_svg(client.get(src).get_data(as_text=True)) == f"http://localhost/join?code={code}"
    assert 'data-count="players">0<' in page and 'data-count="average">–<' in page
    assert f'data-state-url="/api/v1/sessions/{code}/state"' in page and "js/outreach" in page
    assert '<noscript><meta http-equiv="refresh" content="10"></noscript>' in page
    phones = app.test_client()
    token = join(phones, code, "Ann")
    play(phones, code, token, event_questions(app, event_id), right_ones={0, 1, 2, 3, 4, 5, 6})
    page = client.get(f"/outreach/events/{event_id}/projector").get_data(as_text=True)
    assert 'data-count="players">1<' in page and 'data-count="finished">1<' in page and 'data-count="average">7.0<' in page


def test_paper_sheet_and_answer_key(app, client, organizer):
    event_id, _code = create(client)
    questions = event_questions(app, event_id)
    sheet = client.get(f"/outreach/events/{event_id}/sheet").get_data(as_text=True)
    assert sheet.count('class="sheet-question"') == 10
    assert sheet.count('<span class="box" aria-hidden="true">☐</span>') == sum(len(q.choices) for q in questions)
    for question in questions:
        assert question.prompt.zh_Hans in sheet and question.explanation.zh_Hans not in sheet
    assert "96110" in sheet and "large-print" in sheet and "style=" not in sheet
    key = client.get(f"/outreach/events/{event_id}/key").get_data(as_text=True)
    answers = re.findall(r'<p class="key-answer"><span class="qnum">\d+\.</span> <b>([A-H]+)</b>', key)
    assert answers == ["".join("ABCDEFGH"[i] for i in sorted(q.answer)) for q in questions]
    for question in questions:
        assert question.explanation.zh_Hans in key


def paper_data(marks: list[str], label: str = "") -> dict:
    return {"label": label, **{f"q{n}": mark for n, mark in enumerate(marks, start=1) if mark}}


def typed_for(questions, right_at: set[int], blank_at: set[int] = frozenset()) -> str:
    """The ticks on a sheet as an organizer types them: 1-4 for A-D, 0 for blank, one group per question."""
    groups = []
    for i, q in enumerate(questions):
        if i in blank_at:
            groups.append("0")
        elif i in right_at:
            groups.append("".join(str(c + 1) for c in sorted(q.answer)))
        else:
            groups.append(str(next(c for c in range(len(q.choices)) if c not in q.answer) + 1))
    return " ".join(groups)


def test_paper_sheets_typed_all_right_clear_and_a_running_count(app, client, organizer):
    event_id, _code = create(client)
    url = f"/outreach/events/{event_id}/paper"
    with app.app_context():
        from webapp.outreach import service as outreach_service
        from webapp.models import Event
        questions = outreach_service.questions_of(db.session.get(Event, event_id))
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert "Sheets entered so far: 0" in page and 'name="typed"' in page and "autofocus" in page

    # "All right" and "Clear" work without JavaScript: the same sheet comes back with every mark set, or none.
    filled = client.post(url + "?lang=en", data={"fill": "all"}).get_data(as_text=True)
    checked = re.findall(r'<input checked[^>]*value="(\w+)"', filled)
    assert checked == ["right"] * 10
    cleared = client.post(url + "?lang=en", data={"fill": "clear"}).get_data(as_text=True)
    assert "checked" not in cleared
    with app.app_context():
        assert db.session.scalar(select(func.count(Player.id))) == 0

    # Typed: one group per question; the site marks each against the key. Enter (a plain post) saves.
    line = typed_for(questions, right_at={0, 1, 2, 3, 4, 5, 6}, blank_at={9})
    saved = client.post(url, data={"typed": line, "label": "王阿姨"})
    assert saved.status_code == 303
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert "Sheet 1 saved: 7 of 10 right" in page and "Sheets entered so far: 1" in page
    assert "王阿姨" in page and "1 left blank" in page
    # Run together when every question has one right answer.
    single = all(len(q.answer) == 1 for q in questions)
    if single:
        saved = client.post(url, data={"typed": typed_for(questions, right_at=set(range(10))).replace(" ", "")})
        assert saved.status_code == 303
    # A wrong count of groups or a digit past the choices is refused, and nothing is saved.
    short = client.post(url + "?lang=en", data={"typed": "1 2 3"})
    assert short.status_code == 400 and "Type one group for each of the 10 questions (you typed 3)." in short.get_data(as_text=True)
    bad = client.post(url + "?lang=en", data={"typed": " ".join(["9"] * 10)})
    assert bad.status_code == 400 and "Question 1: type 1 to" in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Player.id))) == (2 if single else 1)
        answers = [a.correct for a in db.session.scalars(select(Answer).order_by(Answer.player_id, Answer.question_index))]
        assert answers[:9] == [True] * 7 + [False] * 2


def test_paper_results_entry(app, client, organizer):
    event_id, _code = create(client)
    url = f"/outreach/events/{event_id}/paper"
    form = client.get(url + "?lang=en").get_data(as_text=True)
    assert form.count('value="right"') == 10 and form.count('value="blank"') == 10

    missing = client.post(url + "?lang=en", data=paper_data(["right"] * 9 + [""]))
    assert missing.status_code == 400
    assert "Question 10: choose right, wrong or left blank." in missing.get_data(as_text=True)
    bad = client.post(url + "?lang=en", data=paper_data(["maybe"] + ["right"] * 9))
    assert bad.status_code == 400 and "Not a valid choice" in bad.get_data(as_text=True)
    long = client.post(url + "?lang=en", data=paper_data(["right"] * 10, label="x" * 21))
    assert long.status_code == 400 and "20" in long.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Player.id))) == 0

    saved = client.post(url, data=paper_data(["right"] * 6 + ["wrong"] * 3 + ["blank"], label="张大爷"))
    assert saved.status_code == 303 and saved.headers["Location"] == url
    saved = client.post(url, data=paper_data(["wrong"] * 10))
    assert saved.status_code == 303
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert "Sheet 2 saved: 0 of 10 right" in page and "张大爷" in page and "6 of 10 right" in page and "1 left blank" in page
    assert "Paper sheet 2" in page
    with app.app_context():
        players = list(db.session.scalars(select(Player).order_by(Player.id)))
        assert [(p.nickname, p.paper) for p in players] == [("张大爷", True), ("Paper sheet 2", True)]
        answers = {(a.player_id, a.question_index): a.correct for a in db.session.scalars(select(Answer))}
        assert len(answers) == 19 and sum(answers.values()) == 6


# -- reports -------------------------------------------------------------------------------------


def test_report_numbers_come_from_the_recorded_participations(db_app):
    app, client, phones = db_app, db_app.test_client(), db_app.test_client()
    login(app, client)
    event_id, code = create(client)
    questions = event_questions(app, event_id)
    # online: Ann finishes with 8 right (misses questions 0 and 1), Bo stops after 3 answers (1 right)
    ann, bo = join(phones, code, "Ann"), join(phones, code, "Bo")
    play(phones, code, ann, questions, right_ones=set(range(2, 10)))
    play(phones, code, bo, questions, right_ones={0}, upto=3)
    # paper: one sheet with 5 right and a blank, one with all 10 right
    paper = f"/outreach/events/{event_id}/paper"
    assert client.post(paper, data=paper_data(["right"] * 5 + ["wrong"] * 4 + ["blank"])).status_code == 303
    assert client.post(paper, data=paper_data(["right"] * 10, label="李奶奶")).status_code == 303

    # expected numbers, straight from the answers as recorded
    per_question = []
    for index in range(10):
        answered = 2 + (index < 3) + (index < 9)
        right_count = (index >= 2) + (index == 0) + (index < 5) + 1
        per_question.append((answered, right_count))
    wrong_by_type: dict[str, list[int]] = {}
    for question, (answered, right_count) in zip(questions, per_question):
        tally = wrong_by_type.setdefault(question.slug, [0, 0])
        tally[0] += answered
        tally[1] += answered - right_count
    expected_missed = sorted(
        ((slug, w, a) for slug, (a, w) in wrong_by_type.items() if w), key=lambda t: (-t[1], -round(100 * t[1] / t[2]), t[0])
    )[:5]

    page = client.get(f"/outreach/events/{event_id}/report?lang=en").get_data(as_text=True)
    assert re.search(r'data-count="players">4<', page) and ">2 / 2<" in page
    assert 'data-count="finished">2<' in page and 'data-count="average">9.0<' in page  # (8 + 10) / 2
    rows = re.findall(r"<tr>\s*<td>(\d+)</td>.*?<td>(\d+)</td>\s*<td>(\d+)</td>", page, re.S)
    assert [(int(a), int(r)) for _n, a, r in rows] == per_question
    links = re.findall(r'<ol class="missed-types">(.*?)</ol>', page, re.S)[0]
    assert re.findall(r'href="/scams/([^"]+)"', links) == [slug for slug, _w, _a in expected_missed]

    response = client.get(f"/outreach/events/{event_id}/report.csv?lang=en")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    metrics = dict(row for row in rows[: rows.index([])] if len(row) == 2)
    assert metrics["People reached"] == "4" and metrics["Online"] == "2" and metrics["On paper"] == "2"
    assert metrics["Quizzes finished"] == "2" and metrics["Average score"] == "9.0" and metrics["Questions"] == "10"
    assert metrics["Place"] == "阳光社区 <活动室>" and metrics["Kind of event"] == "In communities"
    assert metrics["Date"] == "2025-03-15"
    start = rows.index(["Question no.", "Scam type", "Question text", "Answered", "Right", "Right (%)", "Written by"])
    lines = rows[start + 1: start + 11]
    assert [(int(r[3]), int(r[4])) for r in lines] == per_question
    with app.app_context():
        types = get_catalog().types
    assert [r[1] for r in lines] == [types[q.slug].name.en for q in questions]  # names, never slugs
    assert lines[0][5] == str(round(100 * per_question[0][1] / per_question[0][0]))
    start = rows.index(["Scam type people got wrong most", "Answered", "Wrong", "Wrong (%)"])
    assert [(r[0], int(r[2]), int(r[1])) for r in rows[start + 1:]] == [
        (types[slug].name.en, wrong, answered) for slug, wrong, answered in expected_missed
    ]

    listing = client.get("/outreach/?lang=en").get_data(as_text=True)
    assert f"/outreach/events/{event_id}" in listing and 'data-count="players">4<' in listing
    assert re.search(r"<td>4</td>\s*<td>2</td>\s*<td>9.0</td>", listing)


def test_event_list_adds_up_every_event(app, client, organizer):
    phones = app.test_client()
    first, code = create(client, date="2025-03-01")
    second, _code2 = create(client, kind="school", place="实验小学", date="2025-04-01")
    token = join(phones, code, "Ann")
    play(phones, code, token, event_questions(app, first), right_ones={0, 1, 2, 3})
    assert client.post(f"/outreach/events/{second}/paper", data=paper_data(["right"] * 10)).status_code == 303
    listing = client.get("/outreach/?lang=en").get_data(as_text=True)
    assert listing.index("实验小学") < listing.index("阳光社区")  # latest date first
    assert 'data-count="players">2<' in listing and 'data-count="finished">2<' in listing
    assert 'data-count="average">7.0<' in listing  # (4 + 10) / 2


# -- who may see what ----------------------------------------------------------------------------

PAGES = ["", "/poster", "/projector", "/sheet", "/key", "/paper", "/report", "/report.csv"]


def test_only_the_owner_sees_an_event(app, client, organizer):
    event_id, _code = create(client)
    for suffix in PAGES:
        assert client.get(f"/outreach/events/{event_id}{suffix}").status_code == 200, suffix
    other = app.test_client()
    login(app, other, username="someone")
    for suffix in PAGES:
        assert other.get(f"/outreach/events/{event_id}{suffix}").status_code == 404, suffix
    assert other.post(f"/outreach/events/{event_id}/paper", data=paper_data(["right"] * 10)).status_code == 404
    assert f"/outreach/events/{event_id}" not in other.get("/outreach/").get_data(as_text=True)
    anonymous = app.test_client()
    for suffix in PAGES:
        response = anonymous.get(f"/outreach/events/{event_id}{suffix}")
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login"), suffix
    assert anonymous.get("/outreach/").status_code == 302
    assert client.get("/outreach/events/999/report").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(Player.id))) == 0


def test_totals_over_events_of_different_lengths_give_a_share_not_an_average_out_of_ten(app):
    """A composed quiz may have 5 questions: 4 of 5 and 8 of 10 right are 80 %, not "6.0 / 10"."""
    from flask import render_template

    from webapp.classroom.results import PaceSummary
    from webapp.outreach import service

    five = PaceSummary(online=1, finished=1, right_finished=4, total=5, possible=5)
    ten = PaceSummary(online=1, finished=1, right_finished=8, total=10, possible=10)
    mixed = service.grand_total([(None, five), (None, ten)])
    assert (mixed.total, mixed.people, mixed.share_right) == (0, 2, 80)
    same = service.grand_total([(None, ten), (None, ten)])
    assert (same.total, same.average) == (10, 8.0)
    with app.test_request_context("/?lang=en"):
        html = render_template("outreach/_totals.html", summary=mixed)
    assert "80% right" in html and "out-of" not in html
