"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from webapp.extensions import db


def test_migrations_match_models(make_app):
    app = make_app(TESTING=False, DEBUG=True)  # not TESTING: the tables come from the migrations alone
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert diff == []
