"""Quizzes organizers compose: the site's bank questions they pick plus questions of their own."""

from .api import api
from .views import bp

__all__ = ["api", "bp"]
