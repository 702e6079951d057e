"""With CSRF on (as in production), every form needs its token; JSON APIs with no cookie trust need none."""

import re

import pytest

from webapp import create_app


@pytest.fixture
def strict_client(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'c.db'}", "RATELIMIT_ENABLED": False})
    assert app.config["WTF_CSRF_ENABLED"] is True
    return app.test_client()


def token_from(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"', html).group(1)


@pytest.mark.parametrize("path", ["/chat", "/quiz/students-basics/start"])
def test_forms_without_a_token_are_refused(strict_client, path):
    response = strict_client.post(path, data={"message": "刷单"})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True) or "过期" in response.get_data(as_text=True)


def test_forms_with_the_token_work(strict_client):
    html = strict_client.get("/chat").get_data(as_text=True)
    response = strict_client.post("/chat", data={"message": "刷单返利", "csrf_token": token_from(html)})
    assert response.status_code == 200
    html = strict_client.get("/quiz/students-basics").get_data(as_text=True)
    response = strict_client.post("/quiz/students-basics/start", data={"csrf_token": token_from(html)})
    assert response.status_code == 303
