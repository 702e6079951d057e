"""/healthz and /readyz answer a load balancer even from an address the rate limits have cut off."""


def test_health_checks_are_never_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", RATELIMIT_CODE_GUESSES="2 per minute")
    client = app.test_client()
    guesses = [client.get(f"/api/v1/sessions/00000{i}/state").status_code for i in range(4)]
    assert guesses[:2] == [404, 404] and guesses[2:] == [429, 429]  # this address is cut off now
    for _ in range(50):
        healthz, readyz = client.get("/healthz"), client.get("/readyz")
        assert healthz.status_code == 200 and healthz.get_json() == {"status": "ok"}
        assert readyz.status_code == 200 and readyz.get_json()["status"] == "ready"
        assert "X-RateLimit-Limit" not in healthz.headers and "Set-Cookie" not in readyz.headers
        assert readyz.headers["Cache-Control"] == "no-store"
    assert set(client.get("/readyz").get_json()["checks"]) == {"database", "catalog", "ratelimit_storage"}
