"""/healthz and /readyz for load balancers and deploy scripts: JSON, never rate-limited, not in the access log
(webapp/serving.py), no cookies.

- /healthz: the process answers (a balancer restarts or skips a host that does not).
- /readyz: this host can serve real requests: the database answers, the catalog is loaded, the rate-limit
  storage answers. 503 with the failing checks otherwise; take the host out of rotation until it is 200.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from .extensions import db, limiter
from .ratelimits import storage_reachable

bp = Blueprint("health", __name__)
limiter.exempt(bp)


def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    return no_store(jsonify(status="ok"))


@bp.get("/readyz")
def readyz():
    checks = {"database": database_reachable(), "catalog": catalog_loaded()}
    if current_app.config["RATELIMIT_ENABLED"]:
        checks["ratelimit_storage"] = storage_reachable()
    ready = all(checks.values())
    response = jsonify(status="ready" if ready else "not_ready", checks=checks)
    response.status_code = 200 if ready else 503
    return no_store(response)


def database_reachable() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        current_app.logger.warning("readyz: the database does not answer", exc_info=False)
        db.session.rollback()
        return False


def catalog_loaded() -> bool:
    catalog = current_app.extensions.get("catalog")
    return bool(catalog and catalog.types and catalog.quizzes)
