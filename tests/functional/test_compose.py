"""Quizzes organizers compose (issue 16, item 3): through the JSON API and the pages, spreadsheets in and
out, played in a live session and an event, and kept apart between organizers. SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import Workbook, load_workbook

from tests import factories
from webapp.catalog import get_catalog
from webapp.classroom import sessions
from webapp.extensions import db
from webapp.models import ComposedQuiz, Event, LiveSession

API = "/api/v1/quizzes"
HEADER = ["题型 kind", "题目 prompt", "情景 scene", "A", "B", "C", "D", "E", "F", "答案 answer", "解析 explanation",
          "诈骗类型 scam_type"]
OWN = [
    {"kind": "single", "prompt": {"zh-Hans": "学校群里“班主任”让交资料费，您先做什么？", "en": "The 'teacher' in the class chat asks for a fee. First?"},
     "choices": {"zh-Hans": ["马上转账", "打电话问班主任本人"], "en": ["Pay at once", "Call the teacher yourself"]},
     "answer": 1, "explanation": {"zh-Hans": "先打班主任的电话核实。", "en": "Check with the teacher by phone first."}},
    {"kind": "truefalse", "prompt": "村里广播说的“免费领鸡蛋”讲座，是为了卖保健品。", "answer": True,
     "explanation": "免费领东西的讲座，常常是推销的开头。", "slug": "elderly-care-products"},
]


@pytest.fixture
def app(db_app):
    return db_app


def log_in(app, client, username="teacher") -> int:
    with app.app_context():
        organizer_id = factories.organizer(username=username, password="pw").id
    assert client.post("/auth/login", data={"username": username, "password": "pw"}).status_code == 303
    return organizer_id


@pytest.fixture
def organizer(app, client):
    return log_in(app, client)


def compose(client, **body) -> str:
    payload = {"title": "三班反诈课", "audience": "students", "from_bank": {"types": [], "count": 0}, "questions": OWN}
    response = client.post(API, json={**payload, **body})
    assert response.status_code == 201, response.get_json()
    assert set(response.get_json()) == {"id"}
    return response.get_json()["id"]


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def number_of(quiz_id: str) -> int:
    return int(quiz_id.split(":")[1])


def sheet(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, number, data: bytes, name="questions.csv", lang="zh-Hans"):
    """The form as a browser sends it, built here (the test client would spool a big file to an unclosed temp file)."""
    body = (b"--b\r\nContent-Disposition: form-data; name=\"lang\"\r\n\r\n" + lang.encode() + b"\r\n"
            b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name.encode() + b"\"\r\n"
            b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n--b--\r\n")
    page = "?lang=en" if lang == "en" else ""  # the page's language follows the questions' in these tests
    return client.post(f"/compose/{number}/import{page}", data=body, content_type="multipart/form-data; boundary=b")


GOOD_ROWS = [
    HEADER,
    ["单选", "有人冒充老师要红包", "", "给", "不给，先问老师", "", "", "", "", "B", "先核实", ""],
    ["多选", "哪些是骗子的话？", "", "别告诉家人", "你涉嫌洗钱", "天气真好", "", "", "", "A,B", "保密和涉案都是套路", ""],
    ["判断", "共享屏幕很安全", "", "", "", "", "", "", "", "错", "会被看到验证码", "verification-code-screen-share"],
    ["情景", "接下来您怎么做？", "一个“客服”来电说要退款，让您下载会议软件。", "下载", "挂断，打官方电话", "", "", "", "",
     "B", "不下载陌生软件", "冒充电商物流客服"],
]


# -- composing -----------------------------------------------------------------------------------


def test_compose_through_the_api_and_list_it_for_its_owner_only(app, client, organizer):
    with app.app_context():
        slugs = [t.slug for t in get_catalog().types_for("students")[:3]]
    quiz_id = compose(client, from_bank={"types": slugs, "count": 4, "order": "bank"})
    assert re.fullmatch(r"own:\d+", quiz_id)
    listing = client.get(API).get_json()
    mine = [q for q in listing if q.get("own")]
    assert mine == [{"id": quiz_id, "audience": "students", "title": "三班反诈课", "questions": 6, "own": True}]
    assert all("own" not in q for q in listing if q["id"] != quiz_id)  # the banks, as before
    with app.app_context():
        row = db.session.get(ComposedQuiz, number_of(quiz_id))
        assert row.bank_types == sorted(slugs, key=lambda s: get_catalog().types[s].rank) and row.bank_count == 4
        assert [q["id"] for q in row.questions] == ["q1", "q2"]
        assert row.questions[1]["prompt"] == {"zh-Hans": OWN[1]["prompt"]}  # one language, stored as sent

    other = app.test_client()
    log_in(app, other, "worker")
    assert all(not q.get("own") for q in other.get(API).get_json())
    assert other.get(f"{API}/{quiz_id}/export.csv").status_code == 404
    assert other.get(f"/compose/{number_of(quiz_id)}").status_code == 404
    assert other.post(f"/compose/{number_of(quiz_id)}/delete").status_code == 404
    assert other.post("/api/v1/sessions", json={"quiz": quiz_id}).status_code == 404
    assert all(not q.get("own") for q in app.test_client().get(API).get_json())  # nobody logged in


@pytest.mark.parametrize(("body", "field"), [
    ({"title": ""}, "title"),
    ({"title": "x" * 81}, "title"),
    ({"audience": "aliens"}, "audience"),
    ({"from_bank": {"types": ["no-such-scam"], "count": 3}}, "from_bank.types"),
    ({"from_bank": {"types": [], "count": 99}}, "from_bank.count"),
    ({"from_bank": {"types": [], "count": 2, "order": "random"}}, "from_bank.order"),
    ({"questions": [{**OWN[0], "answer": 7}]}, "questions.0.answer"),
    ({"questions": [OWN[1], {**OWN[0], "kind": "riddle"}]}, "questions.1.kind"),
    ({"questions": [{**OWN[0], "prompt": "长" * 301}]}, "questions.0.prompt.zh-Hans"),
    ({"questions": [{**OWN[0], "kind": "multiple", "answer": [1]}]}, "questions.0.answer"),
    ({"questions": [{**OWN[1], "slug": "not-a-type"}]}, "questions.0.slug"),
    ({"questions": [{**OWN[0], "kind": "scenario"}]}, "questions.0.scene"),
    ({"questions": [], "from_bank": {"types": [], "count": 0}}, "from_bank.count"),
])
def test_api_names_the_bad_field(app, client, organizer, body, field):
    payload = {"title": "t", "audience": "general", "questions": OWN, **body}
    response = client.post(API, json=payload)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["field"] == field and error["code"] and error["message"]
    with app.app_context():
        assert db.session.query(ComposedQuiz).count() == 0


def test_api_needs_an_organizer(app, client):
    assert client.post(API, json={"title": "t", "audience": "general", "questions": OWN}).status_code == 401


def test_compose_through_the_pages(app, client, organizer):
    page = client.get("/compose/new")
    assert page.status_code == 200 and 'type="checkbox"' in page.get_data(as_text=True)
    with app.app_context():
        slug = get_catalog().types_for("elderly")[0].slug
        name = get_catalog().types[slug].name.get("zh-Hans")
    assert name in client.get("/compose/new?lang=zh-Hans").get_data(as_text=True)  # the types by name
    response = client.post("/compose/new", data={"title": "社区讲座", "audience": "elderly", "types": [slug],
                                                 "count": "2", "order": "shuffled"})
    assert response.status_code == 303
    number = int(response.headers["Location"].rstrip("/").split("/")[-1])
    bad = client.post(f"/compose/{number}/questions/new", data={
        "kind": "single", "prompt": "问", "choice_a": "甲", "choice_b": "乙", "answer": "E", "explanation": "因为"})
    assert bad.status_code == 400 and "答案“E”不是选项之一。" in bad.get_data(as_text=True)
    assert client.post(f"/compose/{number}/questions/new", data={
        "kind": "single", "prompt": "<script>alert(1)</script>", "choice_a": "甲", "choice_b": "乙", "answer": "b",
        "explanation": "因为", "scam_type": ""}).status_code == 303
    edit = client.get(f"/compose/{number}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in edit and "<script>alert" not in edit
    with app.app_context():
        row = db.session.get(ComposedQuiz, number)
        assert (row.bank_types, row.bank_count, row.bank_order, row.audience) == ([slug], 2, "shuffled", "elderly")
        assert row.questions[0]["answer"] == 1 and "slug" not in row.questions[0]
    # edit the question, then the settings; copy; delete with a confirmation page
    form = client.get(f"/compose/{number}/questions/q1").get_data(as_text=True)
    assert 'value="B"' in form
    assert client.post(f"/compose/{number}/questions/q1", data={
        "kind": "truefalse", "prompt": "改过的题", "answer": "对", "explanation": "因为"}).status_code == 303
    assert client.post(f"/compose/{number}", data={"title": "社区讲座（改）", "audience": "elderly", "types": [],
                                                   "count": "0", "order": "bank"}).status_code == 303
    copy = client.post(f"/compose/{number}/copy")
    twin = int(copy.headers["Location"].rstrip("/").split("/")[-1])
    with app.app_context():
        row, copied = db.session.get(ComposedQuiz, number), db.session.get(ComposedQuiz, twin)
        assert row.title == "社区讲座（改）" and row.questions[0]["kind"] == "truefalse" and row.bank_count == 0
        assert copied.questions == row.questions and "社区讲座（改）" in copied.title and copied.title != row.title and twin != number
    assert "社区讲座（改）" in client.get(f"/compose/{number}/delete").get_data(as_text=True)
    assert client.post(f"/compose/{number}/questions/q1/remove").status_code == 303
    assert client.post(f"/compose/{number}/delete").status_code == 303
    with app.app_context():
        assert db.session.get(ComposedQuiz, number) is None and db.session.get(ComposedQuiz, twin) is not None
    assert "社区讲座（改）" in client.get("/compose/").get_data(as_text=True)  # the copy's title


def test_editing_in_one_language_keeps_the_others_only_while_they_fit(app, client, organizer):
    """A question sent in two languages and edited on the Chinese page: rewording keeps the English; a changed
    answer drops it (it would show another answer), and the page says so."""
    two = {"kind": "single", "prompt": {"zh-Hans": "谁会这样说？", "en": "Who says this?"},
           "choices": {"zh-Hans": ["骗子", "银行"], "en": ["A scammer", "The bank"]}, "answer": 0,
           "explanation": {"zh-Hans": "真银行不会。", "en": "A real bank never does."}}
    number = number_of(compose(client, questions=[two]))
    page = {"kind": "single", "prompt": "谁会这样说呢？", "choice_a": "骗子", "choice_b": "银行", "answer": "A",
            "explanation": "真银行不会这样。"}
    assert client.post(f"/compose/{number}/questions/q1?lang=zh-Hans", data=page).status_code == 303
    with app.app_context():
        kept = db.session.get(ComposedQuiz, number).questions[0]
    assert kept["prompt"] == {"zh-Hans": "谁会这样说呢？", "en": "Who says this?"}
    assert kept["choices"]["en"] == ["A scammer", "The bank"] and kept["explanation"]["en"] == "A real bank never does."

    changed = client.post(f"/compose/{number}/questions/q1?lang=zh-Hans", data={**page, "answer": "B"})
    assert changed.status_code == 303
    assert "其他语言的版本已删除" in client.get(changed.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        dropped = db.session.get(ComposedQuiz, number).questions[0]
    assert set(dropped["prompt"]) == {"zh-Hans"} and dropped["answer"] == 1


# -- spreadsheets --------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "gb18030", "utf-8"])
def test_import_csv_in_the_encodings_excel_and_wps_save(app, client, organizer, encoding):
    number = number_of(compose(client, questions=[], from_bank={"types": [], "count": 1}))
    data = sheet(GOOD_ROWS).decode("utf-8").encode(encoding)
    response = upload(client, number, data)
    assert response.status_code == 303, response.get_data(as_text=True)
    with app.app_context():
        stored = db.session.get(ComposedQuiz, number).questions
    assert [q["kind"] for q in stored] == ["single", "multiple", "truefalse", "scenario"]
    assert stored[0]["prompt"] == {"zh-Hans": "有人冒充老师要红包"} and stored[0]["answer"] == 1
    assert stored[1]["answer"] == [0, 1] and stored[2]["answer"] is False and stored[2]["slug"] == "verification-code-screen-share"
    assert stored[3]["scene"]["zh-Hans"].startswith("一个“客服”") and stored[3]["choices"]["zh-Hans"][1] == "挂断，打官方电话"


def test_import_xlsx_and_export_round_trips(app, client, organizer):
    number = number_of(compose(client, questions=[], from_bank={"types": [], "count": 1}))
    assert upload(client, number, xlsx(GOOD_ROWS), "questions.xlsx").status_code == 303
    with app.app_context():
        first = db.session.get(ComposedQuiz, number).questions
    for kind in ("csv", "xlsx"):
        exported = client.get(f"{API}/own:{number}/export.{kind}")
        assert exported.status_code == 200 and "attachment" in exported.headers["Content-Disposition"]
        if kind == "csv":
            assert exported.data.startswith("\ufeff".encode())
        else:
            rows = list(load_workbook(io.BytesIO(exported.data)).active.iter_rows(values_only=True))
            assert list(rows[0]) == HEADER and rows[3][9] == "错"
        twin = number_of(compose(client, questions=[], from_bank={"types": [], "count": 1}))
        assert upload(client, twin, exported.data, f"back.{kind}").status_code == 303
        with app.app_context():
            back = db.session.get(ComposedQuiz, twin).questions
        assert [{k: v for k, v in q.items() if k != "id"} for q in back] == \
               [{k: v for k, v in q.items() if k != "id"} for q in first]
    for kind in ("csv", "xlsx"):  # the template imports as it is
        template = client.get(f"/compose/template.{kind}")
        assert template.status_code == 200
        assert upload(client, number, template.data, f"template.{kind}").status_code == 303


@pytest.mark.parametrize(("row", "expect"), [
    (["单选", "问", "", "甲", "乙", "", "", "", "", "E", "因为", ""], "row 3: answer 'E' is not one of the choices."),
    (["单选", "问", "", "甲", "", "", "", "", "", "A", "因为", ""], "row 3: give 2 to 6 choices (A to F), without gaps."),
    (["猜谜", "问", "", "甲", "乙", "", "", "", "", "A", "因为", ""], "row 3: kind '猜谜' is not one of"),
    (["单选", "", "", "甲", "乙", "", "", "", "", "A", "因为", ""], "row 3: the question is empty"),
    (["单选", "问", "", "甲", "乙", "", "", "", "", "A", "", ""], "row 3: the explanation is empty"),
    (["多选", "问", "", "甲", "乙", "丙", "", "", "", "A", "因为", ""], "row 3: a multiple-choice question needs at least two"),
    (["单选", "问", "", "甲", "乙", "", "", "", "", "AB", "因为", ""], "row 3: this kind of question has exactly one"),
    (["判断", "问", "", "", "", "", "", "", "", "也许", "因为", ""], "row 3: a true/false question has no choices"),
    (["情景", "问", "", "甲", "乙", "", "", "", "", "A", "因为", ""], "row 3: a scenario question needs a scene"),
    (["单选", "问", "", "甲", "乙", "", "", "", "", "A", "因为", "外星诈骗"], "row 3: scam type '外星诈骗' is not one"),
    (["单选", "长" * 301, "", "甲", "乙", "", "", "", "", "A", "因为", ""], "row 3: the question is empty or longer than 300"),
    (["单选", "问", "", "甲" * 151, "乙", "", "", "", "", "A", "因为", ""], "row 3: choice A is longer than 150"),
])
def test_a_bad_row_imports_nothing_and_says_which(app, client, organizer, row, expect):
    number = number_of(compose(client))
    response = upload(client, number, sheet([GOOD_ROWS[0], GOOD_ROWS[1], row, GOOD_ROWS[2]]), lang="en")
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert expect.replace("'", "&#39;") in text, text
    with app.app_context():
        assert len(db.session.get(ComposedQuiz, number).questions) == 2  # nothing added


def test_bad_files_and_headers(app, client, organizer):
    number = number_of(compose(client))
    for data, expect in [
        (b"PK\x03\x04 not really a workbook", "CSV or XLSX"),
        (sheet([["foo", "bar"], ["1", "2"]]), "column names"),
        (sheet([HEADER]), "no questions"),
        (b"x" * 1_000_001, "CSV or XLSX"),
    ]:
        response = upload(client, number, data, lang="en")
        assert response.status_code == 400 and expect in response.get_data(as_text=True)
    too_many = upload(client, number, sheet([HEADER] + [GOOD_ROWS[1]] * 49), lang="en")  # 2 in the quiz + 49
    assert too_many.status_code == 400 and "at most 50 questions of your own" in too_many.get_data(as_text=True)
    assert upload(client, number, b"x" * 1_100_000, lang="en").status_code == 413  # refused before it is read
    assert client.post("/compose/new", data={"title": "x" * 70_000}).status_code == 413  # the site's limit elsewhere


# -- playing them ------------------------------------------------------------------------------------


def test_a_composed_quiz_in_a_live_session_with_two_players(app, client, organizer):
    with app.app_context():
        slug = get_catalog().types_for("students")[0].slug
    quiz_id = compose(client, from_bank={"types": [slug], "count": 2, "order": "bank"},
                      questions=[{**OWN[0], "prompt": {"zh-Hans": "<script>alert(1)</script>"}}, OWN[1]])
    assert quiz_id in client.get("/classroom/new").get_data(as_text=True)  # offered next to the banks
    response = client.post("/api/v1/sessions", json={"quiz": quiz_id, "questions": 3, "scoring": "accuracy"})
    assert response.status_code == 201
    code, host = response.get_json()["code"], response.get_json()["host_token"]
    with app.app_context():
        live = sessions.get_session(code)
        played = sessions.questions_of(live)
        assert live.snapshot is not None and live.quiz_id == quiz_id
    assert len(played) == 4  # all of it: 2 from the bank, then the 2 own ones, whatever "questions" said
    assert [q.slug for q in played[:2]] == [slug, slug] and [q.own for q in played] == [False, False, True, True]
    assert all(":" in q.id for q in played[2:]) and all(":" not in q.id for q in played[:2])  # ids never collide
    phones = app.test_client()
    tokens = [phones.post(f"/api/v1/sessions/{code}/players", json={"nickname": n}).get_json()["player_token"]
              for n in ("Ann", "Bo")]
    assert phones.post(f"/api/v1/sessions/{code}/advance", headers=bearer(host)).status_code == 200
    for index, question in enumerate(played):
        body = phones.get(f"/api/v1/sessions/{code}/state").get_json()["question"]
        assert body["index"] == index and body.get("own", False) is question.own
        chosen = sorted(question.answer)[0] if question.kind != "multiple" else sorted(question.answer)
        wrong = next(i for i in range(len(question.choices)) if i not in question.answer)
        sent = phones.post(f"/api/v1/sessions/{code}/answers", headers=bearer(tokens[0]),
                           json={"question": index, "choice": chosen}).get_json()
        assert sent["correct"] is True, (index, sent)
        assert phones.post(f"/api/v1/sessions/{code}/answers", headers=bearer(tokens[1]),
                           json={"question": index, "choice": wrong}).get_json()["correct"] is False
        if index == 2:  # the host screen and the phone mark the organizer's question, and escape it
            host_page = client.get(f"/classroom/{code}/host?lang=en").get_data(as_text=True)
            assert "Written by the organizer" in host_page and "&lt;script&gt;" in host_page and "<script>alert" not in host_page
        if phones.get(f"/api/v1/sessions/{code}/state").get_json()["phase"] == "question":  # all answered: revealed
            phones.post(f"/api/v1/sessions/{code}/advance", headers=bearer(host))
        if index == 2:
            reveal = client.get(f"/classroom/{code}/host?lang=zh-Hans").get_data(as_text=True)
            assert "由组织者编写" in reveal and "/scams/" not in reveal  # no slug: no "more about this scam"
        phones.post(f"/api/v1/sessions/{code}/advance", headers=bearer(host))  # next
    final = phones.get(f"/api/v1/sessions/{code}/state").get_json()
    assert final["phase"] == "finished"
    assert [(r["nickname"], r["points"]) for r in final["leaderboard"]] == [("Ann", 4000), ("Bo", 0)]

    # the organizer edits, then deletes the quiz: the session's questions and results stay
    number = number_of(quiz_id)
    assert client.post(f"/compose/{number}/questions/q1", data={
        "kind": "truefalse", "prompt": "完全不同的题", "answer": "错", "explanation": "改了"}).status_code == 303
    assert client.post(f"/compose/{number}/delete").status_code == 303
    results = client.get(f"/classroom/{code}/results?lang=en")
    text = results.get_data(as_text=True)
    assert results.status_code == 200 and "Written by the organizer" in text and "&lt;script&gt;" in text
    assert "完全不同的题" not in text and "三班反诈课" in text
    assert text.count("Written by the organizer") == 2
    rows = list(csv.reader(io.StringIO(client.get(f"/api/v1/sessions/{code}/results.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][:4] == ["1", "Ann", "4000", "4"]
    assert "三班反诈课" in client.get("/classroom/").get_data(as_text=True)
    dashboard = client.get("/organizers/dashboard").get_data(as_text=True)
    assert "三班反诈课" in dashboard and 'href="/compose/"' in dashboard


def test_a_composed_quiz_at_an_event(app, client, organizer):
    quiz_id = compose(client, from_bank={"types": [], "count": 1, "order": "shuffled"})
    assert quiz_id in client.get("/outreach/new").get_data(as_text=True)
    response = client.post("/api/v1/events", json={"kind": "village", "place": "王家村", "date": "2026-12-01", "quiz": quiz_id})
    assert response.status_code == 201, response.get_json()
    event_id, code = response.get_json()["id"], response.get_json()["code"]
    with app.app_context():
        event = db.session.get(Event, event_id)
        played = sessions.questions_of(event.live_session)
        assert event.quiz_id == quiz_id and len(played) == 3 and sum(q.own for q in played) == 2
    phones = app.test_client()
    token = phones.post(f"/api/v1/sessions/{code}/players", json={"nickname": "王奶奶"}).get_json()["player_token"]
    for index, question in enumerate(played):
        chosen = sorted(question.answer)[0] if question.kind != "multiple" else sorted(question.answer)
        body = phones.post(f"/api/v1/sessions/{code}/answers", headers=bearer(token), json={"question": index, "choice": chosen})
        assert body.get_json()["correct"] is True
    assert client.post(f"/compose/{number_of(quiz_id)}/delete").status_code == 303
    for page in ("report", "sheet", "key"):
        text = client.get(f"/outreach/events/{event_id}/{page}?lang=en").get_data(as_text=True)
        assert text.count("Written by the organizer") == 2, page
    report = client.get(f"/outreach/events/{event_id}/report.csv?lang=en").get_data(as_text=True)
    assert report.count(",the organizer\r\n") == 2 and report.count(",this site\r\n") == 1
    assert "三班反诈课" in client.get(f"/outreach/events/{event_id}?lang=en").get_data(as_text=True)


def test_own_questions_on_the_phone(app, client, organizer):
    quiz_id = compose(client, questions=[OWN[0]], from_bank={"types": [], "count": 0})
    code = client.post("/api/v1/sessions", json={"quiz": quiz_id}).get_json()["code"]
    phone = app.test_client()
    assert phone.post("/join", data={"code": code, "nickname": "Ann"}).status_code == 303
    assert client.post(f"/classroom/{code}/advance", data={"expected": "lobby:None"}).status_code == 303
    page = phone.get(f"/play/{code}?lang=en").get_data(as_text=True)
    assert "Written by the organizer" in page and "Call the teacher yourself" in page
    with app.app_context():
        assert db.session.query(LiveSession).one().snapshot["questions"][0]["own"] is True


def test_an_event_player_who_misses_own_questions_sees_no_broken_link(app, client, organizer):
    quiz_id = compose(client, from_bank={"types": [], "count": 0})  # two own questions, one with no scam type
    code = client.post("/api/v1/events", json={"kind": "school", "place": "一中", "date": "2026-12-01",
                                                "quiz": quiz_id}).get_json()["code"]
    with app.app_context():
        played = sessions.questions_of(sessions.get_session(code))
    phone = app.test_client()
    assert phone.post("/join", data={"code": code, "nickname": "Bo"}).status_code == 303
    for index, question in enumerate(played):
        wrong = next(i for i in range(len(question.choices)) if i not in question.answer)
        assert phone.post(f"/play/{code}/answer", data={"question": str(index), "choice": str(wrong)}).status_code == 303
    page = phone.get(f"/play/{code}?lang=en")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "/scams/None" not in text
    assert "/scams/elderly-care-products" in text  # the one own question that names its type links to it


def test_a_ticked_type_the_audience_banks_lack_comes_from_the_other_banks(app, client, organizer):
    with app.app_context():
        catalog = get_catalog()
        lacking = next(t for t in catalog.types if all(q.slug != t for b in catalog.quizzes_for("elderly") for q in b.questions))
    quiz_id = compose(client, audience="elderly", from_bank={"types": [lacking], "count": 2}, questions=[])
    assert next(q for q in client.get(API).get_json() if q["id"] == quiz_id)["questions"] == 2
    code = client.post("/api/v1/sessions", json={"quiz": quiz_id}).get_json()["code"]
    with app.app_context():
        assert [q.slug for q in sessions.questions_of(sessions.get_session(code))] == [lacking, lacking]


def test_a_full_quiz_of_long_questions_fits_in_one_post(app, client, organizer):
    long = {"kind": "scenario", "scene": "情" * 800, "prompt": {"zh-Hans": "问" * 300, "en": "q" * 300},
            "choices": {"zh-Hans": ["选" * 150] * 6, "en": ["c" * 150] * 6}, "answer": 2,
            "explanation": {"zh-Hans": "解" * 800, "en": "e" * 800}}
    response = client.post(API, json={"title": "长", "audience": "general", "questions": [long] * 50})
    assert response.status_code == 201
    too_many = client.post(API, json={"title": "长", "audience": "general", "questions": [OWN[1]] * 51})
    assert too_many.status_code == 400 and too_many.get_json()["error"]["field"] == "questions"
