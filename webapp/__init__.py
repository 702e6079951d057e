"""Fangzha (反诈学堂): a public anti-fraud education site."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from whitenoise import WhiteNoise

from . import catalog, chrome, cli, config, errors, health, i18n, page_cache, ratelimits, security, views_common
from .classroom import board as live_board
from .classroom.gate import PollGate
from .extensions import babel, compress, csrf, db, migrate, static_digest


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. Production reads the environment; tests pass overrides."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(config.defaults(app.instance_path))
    if test_config is None:
        app.config.update(config.from_environment(os.environ))
        app.config.update(config.secret_key_from_file(os.environ, app.instance_path))
    else:
        app.config.update(test_config)
        if app.testing and "SQLALCHEMY_DATABASE_URI" not in test_config:
            app.config["SQLALCHEMY_DATABASE_URI"] = config.temporary_sqlite_uri()
    config.check(app.config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = os.urandom(32).hex()  # debug/testing only: config.check() allowed it
    page_cache.init_app(app)  # shared pages answered before Flask; static files before that
    app.wsgi_app = app.extensions["poll_gate"] = PollGate(app.wsgi_app, app)  # a phone's poll: before Flask
    serve_static_files(app)
    if hops := app.config["TRUSTED_PROXY_HOPS"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    os.makedirs(app.instance_path, exist_ok=True)

    catalog.init_app(app)  # raises ContentError naming every broken file and field
    db.init_app(app)
    migrate.init_app(app, db, directory=str(config.PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    ratelimits.init_app(app)  # raises ConfigError when the Redis it names cannot be used
    babel.init_app(app, locale_selector=i18n.select_locale)
    app.request_class = i18n.CachingRequest
    compress.init_app(app)

    from . import models  # noqa: F401  (tables known to SQLAlchemy and Alembic)
    from . import about, auth, chat, classroom, compose, organizers, outreach, quiz
    from .explainers import bp as explainers_bp

    for blueprint in (explainers_bp, about.bp, chat.bp, chat.api, quiz.bp, compose.api, compose.bp, auth.bp, classroom.bp,
                      classroom.api, outreach.bp, outreach.api, outreach.kiosk_bp, organizers.bp, health.bp):
        app.register_blueprint(blueprint)
    chat.init_app(app)  # the matcher's index is built once, here
    static_digest.init_app(app)
    views_common.init_app(app)
    chrome.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    models.init_app(app)
    live_board.init_app(app)  # before any request: it watches the engine's writes to live sessions
    if app.testing:
        with app.app_context():
            db.create_all()
    return app


_HASHED_NAME = re.compile(r"-[0-9a-f]{32}\.[a-z0-9]+(\.gz)?$")


def serve_static_files(app: Flask) -> None:
    """Static files through WhiteNoise: it sends the gzip copies flask-static-digest writes beside each file
    (with Vary: Accept-Encoding) and marks content-hashed names immutable for a year, so a repeat visit
    on a weak network fetches nothing. Flask-Compress would gzip static files on every request instead."""
    app.wsgi_app = WhiteNoise(
        app.wsgi_app,
        root=app.static_folder,
        prefix=app.static_url_path,
        max_age=0 if app.debug else 3600,  # names without a hash (none in pages today)
        autorefresh=app.debug,
        immutable_file_test=lambda path, url: bool(_HASHED_NAME.search(url)),
    )


def release_database(app: Flask) -> None:
    """Close every database connection the app holds: its sessions, its pool, the poll gate's own
    connections (tests and tools that make many apps; a server's processes just exit)."""
    app.extensions["poll_gate"].close()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
