"""The content catalog: loaded and validated once at start-up, then read-only."""

from flask import Flask, current_app

from .loader import ContentError, Problem, check, load_catalog
from .model import Catalog, Explainer, LawRef, Question, Quiz, ScamType, Training, TrainingText, UrgencyCase

__all__ = [
    "Catalog", "ContentError", "Explainer", "LawRef", "Problem", "Question", "Quiz", "ScamType",
    "Training", "TrainingText", "UrgencyCase", "check", "get_catalog", "init_app", "load_catalog",
]


def init_app(app: Flask) -> None:
    app.extensions["catalog"] = load_catalog(app.config["CONTENT_DIR"], app.config["QUIZ_DIR"])


def get_catalog() -> Catalog:
    return current_app.extensions["catalog"]
