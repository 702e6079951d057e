"""The chatbot: /chat and /api/v1/chat."""

import os

from flask import Flask

from ..matcher.words import prepare as prepare_words
from .api import api
from .service import build_matcher
from .texts import load_chat_content
from .views import bp

__all__ = ["api", "bp", "init_app"]


def init_app(app: Flask) -> None:
    """Build the matcher's index once, load the chatbot's checked content, warm the word segmenter."""
    catalog = app.extensions["catalog"]
    cache = os.path.join(app.instance_path, "matcher")  # the fitted model, keyed by a hash of its texts
    app.extensions["matcher"] = build_matcher(catalog, cache_dir=cache)
    app.extensions["chat_content"] = load_chat_content(app.config["CONTENT_DIR"], catalog)
    prepare_words()
