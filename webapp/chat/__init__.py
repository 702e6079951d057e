"""The chatbot: /chat and /api/v1/chat."""

import os

from flask import Flask

from ..matcher.words import prepare as prepare_words
from .api import api
from .service import build_matcher
from .texts import load_chat_content
from .views import bp

__all__ = ["api", "bp", "init_app"]

_BUILT: dict[int, tuple] = {}  # id(catalog) -> (catalog, matcher): one matcher per catalog in a process


def _matcher_for(catalog, cache_dir: str):
    built = _BUILT.get(id(catalog))
    if built is None or built[0] is not catalog:
        if len(_BUILT) >= 8:
            _BUILT.clear()
        built = _BUILT[id(catalog)] = (catalog, build_matcher(catalog, cache_dir=cache_dir))
    return built[1]


def init_app(app: Flask) -> None:
    """Build the matcher's index once, load the chatbot's checked content, warm the word segmenter."""
    catalog = app.extensions["catalog"]
    cache = os.path.join(app.instance_path, "matcher")  # the fitted model, keyed by a hash of its texts
    app.extensions["matcher"] = _matcher_for(catalog, cache)
    app.extensions["chat_content"] = load_chat_content(app.config["CONTENT_DIR"], catalog)
    prepare_words()
