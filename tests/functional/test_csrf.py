"""With CSRF on (as in production), every form needs its token; JSON APIs with no cookie trust need none."""

import re

import pytest



@pytest.fixture
def strict_client(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    assert app.config["WTF_CSRF_ENABLED"] is True
    return app.test_client()


def token_from(html: str) -> str:
    """The form's CSRF token, whichever order the input's attributes come in."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no csrf_token in the form"
    return match.group(1) or match.group(2)


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
