"""The WSGI entry point: `gunicorn -c gunicorn.conf.py wsgi:app`."""

import sys

from webapp import create_app
from webapp.catalog import ContentError
from webapp.config import ConfigError

try:
    app = create_app()
except (ContentError, ConfigError) as error:  # a clear message, never a traceback
    sys.exit(f"Fangzha cannot start: {error}")
