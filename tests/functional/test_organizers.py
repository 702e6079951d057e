"""The organizers' front door: the page everyone can reach, the dashboard, the profile, closing registration,
`flask organizer create` with the settings `make serve` uses, certificates at a pass mark, and the results
and report downloads (CSV and XLSX) in the page's language."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests import factories
from webapp import config, create_app
from webapp.catalog import get_catalog
from webapp.extensions import db
from webapp.models import Organizer

STATIC = Path(__file__).resolve().parents[2] / "webapp" / "static"
SESSIONS = "/api/v1/sessions"
EVENTS = "/api/v1/events"


# -- helpers -------------------------------------------------------------------------------------


def log_in(app, client, username="teacher", password="pw", **profile) -> int:
    with app.app_context():
        organizer = factories.organizer(username, password)
        if profile:
            organizer.display_name, organizer.organization = profile["display_name"], profile["organization"]
            db.session.commit()
        organizer_id = organizer.id
    assert client.post("/auth/login", data={"username": username, "password": password}).status_code == 303
    return organizer_id


def new_session(client, count=5) -> tuple[str, str]:
    response = client.post(SESSIONS, json={"quiz": "elderly-basics", "questions": count, "scoring": "accuracy"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["code"], response.get_json()["host_token"]


def new_event(client, **fields) -> tuple[int, str]:
    body = {"kind": "school", "place": "实验小学 <礼堂>", "date": "2025-03-15", "quiz": "elderly-basics", **fields}
    response = client.post(EVENTS, json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"], response.get_json()["code"]


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def play_session(app, phones, code, host, rights: dict[str, int]) -> None:
    """Each player answers the first `rights[name]` questions right and the rest wrong, then the host ends it."""
    tokens = {}
    for name in rights:
        response = phones.post(f"{SESSIONS}/{code}/players", json={"nickname": name})
        assert response.status_code == 201
        tokens[name] = response.get_json()["player_token"]
    with app.app_context():
        questions = factories.questions(code)
    assert phones.post(f"{SESSIONS}/{code}/advance", headers=bearer(host)).status_code == 200
    for index, question in enumerate(questions):
        for name, right_count in rights.items():
            choice = (sorted(question.answer) if question.kind == "multiple" else sorted(question.answer)[0]) \
                if index < right_count else next(i for i in range(len(question.choices)) if i not in question.answer)
            sent = phones.post(f"{SESSIONS}/{code}/answers", headers=bearer(tokens[name]),
                               json={"question": index, "choice": choice})
            assert sent.status_code == 200, sent.get_json()
        state = phones.get(f"{SESSIONS}/{code}/state").get_json()
        if state["phase"] == "question":  # everyone answered reveals at once
            phones.post(f"{SESSIONS}/{code}/advance", headers=bearer(host))
        assert phones.post(f"{SESSIONS}/{code}/advance", headers=bearer(host)).status_code == 200
    assert phones.get(f"{SESSIONS}/{code}/state").get_json()["phase"] == "finished"


def csv_rows(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff"), "the UTF-8 BOM that Excel and WPS need"
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[list]:
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"] and ".xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def section(page: str, css_class: str) -> list[str]:
    return re.findall(rf'<section class="{css_class}">(.*?)</section>', page, re.S)


# -- the front door ------------------------------------------------------------------------------


def test_the_home_page_shows_everyone_the_way_in(client):
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'<nav class="main-nav".*?<a class="nav-organizers" href="/organizers/">组织课堂/活动</a>.*?</nav>', home, re.S)
    assert re.search(r'<footer class="site-footer">.*?<a class="footer-organizers" href="/organizers/">组织课堂/活动</a>', home, re.S)
    assert '<a class="nav-organizers" href="/organizers/">Host a class or event</a>' in client.get("/?lang=en").get_data(as_text=True)

    door = client.get("/organizers/?lang=zh-Hans")
    page = door.get_data(as_text=True)
    assert door.status_code == 200
    assert 'href="/auth/login"' in page and 'href="/auth/register"' in page
    assert "课堂现场答题" in page and "海报" in page and "纸质答题卡" in page and "报告" in page  # what one can do
    shots = re.findall(r"<img class=\"howto-shot\"[^>]*>", page)
    assert len(shots) == 4
    for tag in shots:
        assert 'loading="lazy"' in tag and re.search(r'width="\d+" height="\d+"', tag)
        alt = re.search(r'alt="([^"]+)"', tag).group(1)
        assert len(alt) > 10
        src = re.search(r'src="/static/img/([^"]+)"', tag).group(1)
        served = client.get(f"/static/img/{src}")
        assert served.status_code == 200 and served.data[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(served.data) < 80_000, f"{src} is {len(served.data)} bytes: keep the shots small"
        served.close()
    assert "<script>" not in page  # nothing on it needs JavaScript


def test_a_logged_in_organizer_lands_on_the_dashboard_and_the_nav_leads_there(app, client):
    log_in(app, client)
    home = client.get("/?lang=en").get_data(as_text=True)
    assert '<a class="nav-organizers" href="/organizers/dashboard">My dashboard</a>' in home
    door = client.get("/organizers/?lang=en").get_data(as_text=True)
    assert 'href="/organizers/dashboard"' in door and 'href="/auth/register"' not in door
    client.post("/auth/logout")
    assert client.get("/organizers/dashboard").headers["Location"].startswith("/auth/login")
    response = client.post("/auth/login", data={"username": "teacher", "password": "pw"})
    assert response.headers["Location"] == "/organizers/dashboard"


def test_the_dashboard_lists_only_the_callers_sessions_and_events(db_app):
    app, mine, theirs = db_app, db_app.test_client(), db_app.test_client()
    log_in(app, mine, "ann")
    log_in(app, theirs, "bo")
    my_code, _host = new_session(mine)
    my_event, my_event_code = new_event(mine, place="阳光社区 <活动室>", kind="community")
    their_code, _other = new_session(theirs)
    their_event, _ = new_event(theirs, place="别人的村子", kind="village")
    phones = app.test_client()
    assert phones.post(f"{SESSIONS}/{my_code}/players", json={"nickname": "Ann"}).status_code == 201

    page = mine.get("/organizers/dashboard?lang=en").get_data(as_text=True)
    assert my_code in page and their_code not in page
    assert "阳光社区 &lt;活动室&gt;" in page and "别人的村子" not in page and "<活动室>" not in page
    assert f'href="/classroom/{my_code}/host"' in page and f'href="/classroom/{my_code}/results"' in page
    assert f'href="/outreach/events/{my_event}"' in page and f'href="/outreach/events/{their_event}"' not in page
    assert f'href="/outreach/events/{my_event}/report"' in page
    assert "Waiting for players" in page and "1 players" in page and "In communities" in page
    assert 'href="/classroom/new"' in page and 'href="/outreach/new"' in page
    assert my_event_code not in page  # the event's own code is on its page, not here

    other = theirs.get("/organizers/dashboard").get_data(as_text=True)
    assert their_code in other and my_code not in other and "阳光社区" not in other


# -- accounts: registration, the setting that closes it, the profile, the CLI --------------------


def test_registration_asks_for_the_profile_optionally(app, client):
    page = client.get("/auth/register").get_data(as_text=True)
    assert 'name="display_name"' in page and 'name="organization"' in page
    response = client.post("/auth/register", data={
        "username": "lili", "password": "long enough", "display_name": "  李   老师 ", "organization": "阳光小学",
    })
    assert response.status_code == 303 and response.headers["Location"] == "/organizers/dashboard"
    assert client.post("/auth/register", data={"username": "wang", "password": "long enough"}).status_code == 303
    with app.app_context():
        li = db.session.scalar(select(Organizer).where(Organizer.username == "lili"))
        wang = db.session.scalar(select(Organizer).where(Organizer.username == "wang"))
        assert (li.display_name, li.organization) == ("李 老师", "阳光小学")
        assert (wang.display_name, wang.organization) == ("", "")


def test_registration_can_be_turned_off(make_app):
    assert config.from_environment({"REGISTRATION_OPEN": "0"})["REGISTRATION_OPEN"] is False
    assert config.from_environment({"REGISTRATION_OPEN": "false"})["REGISTRATION_OPEN"] is False
    assert config.from_environment({"REGISTRATION_OPEN": "1"})["REGISTRATION_OPEN"] is True
    assert "REGISTRATION_OPEN" not in config.from_environment({})
    app = make_app(REGISTRATION_OPEN=False)
    client = app.test_client()
    page = client.get("/auth/register?lang=en")
    assert page.status_code == 403
    text = page.get_data(as_text=True)
    assert "does not take new organizer accounts" in text and 'name="password"' not in text
    refused = client.post("/auth/register", data={"username": "intruder", "password": "long enough"})
    assert refused.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(Organizer.id))) == 0
    assert 'href="/auth/register"' not in client.get("/auth/login").get_data(as_text=True)
    assert 'href="/auth/register"' not in client.get("/organizers/").get_data(as_text=True)
    # accounts still come from the command line, and they log in
    result = app.test_cli_runner().invoke(args=["organizer", "create", "li", "--password", "long enough"])
    assert result.exit_code == 0, result.output
    assert client.post("/auth/login", data={"username": "li", "password": "long enough"}).status_code == 303


def test_the_profile_page_edits_what_certificates_show(db_app):
    app, client = db_app, db_app.test_client()
    organizer_id = log_in(app, client, "teacher-handle")
    assert db_app.test_client().get("/auth/profile").status_code == 302
    page = client.get("/auth/profile?lang=en").get_data(as_text=True)
    assert 'name="display_name"' in page and 'name="organization"' in page and "teacher-handle" in page
    saved = client.post("/auth/profile", data={"display_name": "Ms <Li>", "organization": "阳光小学 三班"})
    assert saved.status_code == 303 and saved.headers["Location"] == "/auth/profile"
    page = client.get("/auth/profile?lang=zh-Hans").get_data(as_text=True)
    assert 'value="Ms &lt;Li&gt;"' in page and "Saved." in page  # flashed in the language of the POST
    too_long = client.post("/auth/profile", data={"display_name": "x" * 41, "organization": ""})
    assert too_long.status_code == 400
    with app.app_context():
        organizer = db.session.get(Organizer, organizer_id)
        assert (organizer.display_name, organizer.organization) == ("Ms <Li>", "阳光小学 三班")
    dashboard = client.get("/organizers/dashboard").get_data(as_text=True)
    assert "Ms &lt;Li&gt; · 阳光小学 三班" in dashboard


def test_cli_creates_an_organizer_with_the_key_and_database_make_serve_uses(database_uri, tmp_path, monkeypatch):
    """No SECRET_KEY in the environment: the key comes from the file `make serve` keeps it in (here pointed
    at by SECRET_KEY_FILE, by default instance/secret_key), the database from DATABASE_URL."""
    key_file = tmp_path / "secret_key"
    key_file.write_text("a-key-from-the-file\n")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(key_file))
    monkeypatch.setenv("DATABASE_URL", database_uri)
    monkeypatch.setenv("RATELIMIT_ENABLED", "0")
    app = create_app()  # as `flask` and gunicorn build it: from the environment
    try:
        assert app.config["SECRET_KEY"] == "a-key-from-the-file" and not app.testing
        runner = app.test_cli_runner()
        upgraded = runner.invoke(args=["db", "upgrade"])
        assert upgraded.exit_code == 0, upgraded.output
        result = runner.invoke(args=["organizer", "create", "Ms Li", "--password", "long enough",
                                     "--display-name", "李老师", "--organization", "阳光小学"])
        assert result.exit_code == 0, result.output
        assert "Created organizer 'Ms Li'" in result.output
        again = runner.invoke(args=["organizer", "create", "ms li", "--password", "other"])
        assert again.exit_code != 0 and "already exists" in again.output
        with app.app_context():
            created = db.session.scalar(select(Organizer))
            assert (created.username, created.display_name, created.organization) == ("Ms Li", "李老师", "阳光小学")
        client = app.test_client()
        login_page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
        response = client.post("/auth/login", data={"username": "Ms Li", "password": "long enough", "csrf_token": token})
        assert response.status_code == 303 and response.headers["Location"] == "/organizers/dashboard"
    finally:
        with app.app_context():
            db.engine.dispose()


def test_without_a_key_the_error_says_what_to_set(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    missing = tmp_path / "no-key-here"
    monkeypatch.setenv("SECRET_KEY_FILE", str(missing))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(config.ConfigError) as error:
        create_app()
    text = str(error.value)
    assert "SECRET_KEY" in text and str(missing) in text and "make instance/secret_key" in text


# -- certificates --------------------------------------------------------------------------------


def test_certificates_go_to_those_at_the_pass_mark_signed_with_the_profile(db_app):
    app, client, phones = db_app, db_app.test_client(), db_app.test_client()
    log_in(app, client, "login-handle-li", display_name="李老师", organization="阳光小学 <三班>")
    code, host = new_session(client, count=5)
    play_session(app, phones, code, host, {"Ann": 5, "Bo": 3, "Chen": 2, "Dai": 0})

    page = client.get(f"/classroom/{code}/certificates?lang=en").get_data(as_text=True)
    certificates = section(page, "certificate")
    assert [re.search(r'<p class="cert-name">(.*?)</p>', c).group(1) for c in certificates] == ["Ann", "Bo"]  # 60 %
    assert all("李老师 · 阳光小学 &lt;三班&gt;" in c for c in certificates)
    assert "login-handle-li" not in page and "<三班>" not in page
    assert 'name="pass" min="0" max="100" step="1" value="60"' in page
    assert "2 of 4 players reached 60 %." in page

    strict = section(client.get(f"/classroom/{code}/certificates?pass=80").get_data(as_text=True), "certificate")
    assert len(strict) == 1 and "Ann" in strict[0]
    everyone = client.get(f"/classroom/{code}/certificates?pass=0").get_data(as_text=True)
    assert len(section(everyone, "certificate")) == 4
    nonsense = client.get(f"/classroom/{code}/certificates?pass=abc").get_data(as_text=True)
    assert len(section(nonsense, "certificate")) == 2  # back to the default
    assert len(section(client.get(f"/classroom/{code}/certificates?pass=250").get_data(as_text=True), "certificate")) == 1

    with app.app_context():  # nobody at 100 % once Ann's profile is gone: a clear line instead
        organizer = db.session.scalar(select(Organizer))
        organizer.display_name = organizer.organization = ""
        db.session.commit()
    other_code, other_host = new_session(client, count=2)
    play_session(app, phones, other_code, other_host, {"Eve": 1})
    none = client.get(f"/classroom/{other_code}/certificates?lang=en").get_data(as_text=True)
    assert section(none, "certificate") == []
    assert "Nobody reached the pass mark of 60 %." in none and 'class="notice no-winners"' in none
    assert "add them to your profile" in none and "login-handle-li" not in none
    assert "没有人达到 60% 的合格线" in client.get(f"/classroom/{other_code}/certificates?lang=zh-Hans").get_data(as_text=True)


# -- downloads in the page's language ------------------------------------------------------------


def test_results_csv_and_xlsx_speak_the_pages_language(db_app):
    app, client, phones = db_app, db_app.test_client(), db_app.test_client()
    log_in(app, client)
    code, host = new_session(client, count=2)
    play_session(app, phones, code, host, {"Ann": 2, "=1+1": 1})

    results = client.get(f"/classroom/{code}/results").get_data(as_text=True)
    assert f'href="/api/v1/sessions/{code}/results.csv?lang=zh-Hans"' in results
    assert f'href="/api/v1/sessions/{code}/results.xlsx?lang=zh-Hans"' in results
    zh = csv_rows(client.get(f"{SESSIONS}/{code}/results.csv?lang=zh-Hans"))
    assert zh[0] == ["名次", "昵称", "得分", "答对题数", "题数", "第1题", "第2题"]
    assert zh[1] == ["1", "Ann", "2000", "2", "2", "1000", "1000"]
    assert zh[2] == ["2", "'=1+1", "1000", "1", "2", "1000", "0"]  # never run as a formula
    en = csv_rows(client.get(f"{SESSIONS}/{code}/results.csv?lang=en"))
    assert en[0] == ["Rank", "Nickname", "Points", "Right answers", "Questions", "Q1", "Q2"]

    sheet = xlsx_rows(client.get(f"{SESSIONS}/{code}/results.xlsx?lang=zh-Hans"))
    assert sheet[0] == ["名次", "昵称", "得分", "答对题数", "题数", "第1题", "第2题"]
    assert sheet[1] == [1, "Ann", 2000, 2, 2, 1000, 1000]
    assert sheet[2] == [2, "=1+1", 1000, 1, 2, 1000, 0]
    book = load_workbook(io.BytesIO(client.get(f"{SESSIONS}/{code}/results.xlsx").data))
    assert book.active["B3"].data_type == "s"  # stored as text, not a formula
    assert xlsx_rows(client.get(f"{SESSIONS}/{code}/results.xlsx?lang=en"))[0][:3] == ["Rank", "Nickname", "Points"]
    assert phones.get(f"{SESSIONS}/{code}/results.xlsx").status_code == 401
    assert phones.get(f"{SESSIONS}/{code}/results.xlsx", headers=bearer(host)).status_code == 200


def test_report_csv_and_xlsx_speak_the_pages_language(db_app):
    app, client, phones = db_app, db_app.test_client(), db_app.test_client()
    log_in(app, client)
    event_id, code = new_event(client)
    with app.app_context():
        questions = factories.questions(code)
        types = get_catalog().types
        names = {q.slug: (types[q.slug].name.zh_Hans, types[q.slug].name.en) for q in questions}
    token = phones.post(f"{SESSIONS}/{code}/players", json={"nickname": "Ann"}).get_json()["player_token"]
    wrong = next(i for i in range(len(questions[0].choices)) if i not in questions[0].answer)
    assert phones.post(f"{SESSIONS}/{code}/answers", headers=bearer(token),
                       json={"question": 0, "choice": wrong}).status_code == 200

    report = client.get(f"/outreach/events/{event_id}/report").get_data(as_text=True)
    assert f'href="/outreach/events/{event_id}/report.xlsx?lang=zh-Hans"' in report
    assert f'href="/outreach/events/{event_id}/report.csv?lang=zh-Hans"' in report
    for rows in (csv_rows(client.get(f"/outreach/events/{event_id}/report.csv?lang=zh-Hans")),
                 xlsx_rows(client.get(f"/outreach/events/{event_id}/report.xlsx?lang=zh-Hans"))):
        cells = [["" if v is None else str(v) for v in row] for row in rows]
        metrics = {row[0]: row[1] for row in cells if len(row) >= 2 and row[0] and not any(row[2:])}
        assert cells[0][:2] == ["项目", "数值"]
        assert metrics["活动类型"] == "进校园" and metrics["地点"] == "实验小学 <礼堂>" and metrics["日期"] == "2025-03-15"
        assert metrics["参加人数"] == "1" and metrics["线上"] == "1" and metrics["纸质"] == "0"
        header = next(i for i, row in enumerate(cells) if row[:2] == ["题号", "骗局类型"])
        assert cells[header][:6] == ["题号", "骗局类型", "题目", "作答人数", "答对", "正确率（%）"]
        first = cells[header + 1]
        assert first[1] == names[questions[0].slug][0] and first[3:5] == ["1", "0"]
        missed = next(i for i, row in enumerate(cells) if row[:1] == ["答错最多的骗局类型"])
        assert cells[missed + 1][0] == names[questions[0].slug][0]
        flat = {v for row in cells for v in row}
        assert "school" not in flat and not flat & set(names)  # no slugs anywhere
    en = csv_rows(client.get(f"/outreach/events/{event_id}/report.csv?lang=en"))
    assert en[0] == ["Item", "Value"] and ["Kind of event", "In schools"] in en
    assert any(row[:2] == ["1", names[questions[0].slug][1]] for row in en)
    assert xlsx_rows(client.get(f"/outreach/events/{event_id}/report.xlsx?lang=en"))[1][:3] == ["Kind of event", "In schools", None]
