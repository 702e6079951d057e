"""The content catalog: loaded and validated once at start-up, then read-only."""

import os
from pathlib import Path

from flask import Flask, current_app

from .loader import ContentError, Problem, check, load_catalog
from .model import Catalog, Explainer, LawRef, Question, Quiz, ScamType, Training, TrainingText, UrgencyCase

__all__ = [
    "Catalog", "ContentError", "Explainer", "LawRef", "Problem", "Question", "Quiz", "ScamType",
    "Training", "TrainingText", "UrgencyCase", "check", "get_catalog", "init_app", "load_catalog",
]


# Catalogs already loaded in this process, by folder and the files' sizes and times: a catalog is frozen, so
# apps made from the same unchanged content (tests make hundreds) share one instead of reading it again.
_LOADED: dict[tuple, Catalog] = {}


def _fingerprint(*folders: str) -> tuple:
    return tuple(
        (str(path), stat.st_size, stat.st_mtime_ns)
        for folder in folders
        for path in sorted(Path(folder).rglob("*")) if path.is_file()
        for stat in (path.stat(),)
    )


def init_app(app: Flask) -> None:
    folders = (os.fspath(app.config["CONTENT_DIR"]), os.fspath(app.config["QUIZ_DIR"]))
    key = (*folders, _fingerprint(*folders))
    if key not in _LOADED:
        if len(_LOADED) >= 8:
            _LOADED.clear()
        _LOADED[key] = load_catalog(*folders)
    app.extensions["catalog"] = _LOADED[key]


def get_catalog() -> Catalog:
    return current_app.extensions["catalog"]
