import subprocess
import sys
from pathlib import Path

import pytest

from webapp import create_app
from webapp.config import ConfigError, from_environment, normalise_database_url

ROOT = Path(__file__).resolve().parents[2]


def test_testing_config_gives_a_working_app_on_a_fresh_database():
    app = create_app({"TESTING": True, "RATELIMIT_ENABLED": False})
    assert app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.test_client().get("/").status_code == 200


def test_production_requires_a_secret_key():
    with pytest.raises(ConfigError):
        create_app({"TESTING": False})


def test_environment_settings():
    config = from_environment({"SECRET_KEY": "s", "DATABASE_URL": "postgres://u:p@h/db", "RATELIMIT_ENABLED": "false"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@h/db"
    assert config["RATELIMIT_ENABLED"] is False
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_default_database_is_sqlite_in_instance():
    app = create_app({"DEBUG": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/fangzha.db")


def test_wsgi_without_secret_key_explains_itself():
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"], capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY_FILE": str(ROOT / "instance" / "no-such-key-file")},
    )
    assert result.returncode == 1
    assert "SECRET_KEY is not set" in result.stderr and "Traceback" not in result.stderr
    assert "no-such-key-file does not exist" in result.stderr and "make instance/secret_key" in result.stderr
