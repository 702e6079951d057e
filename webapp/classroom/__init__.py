"""Live class quizzes (Kahoot-style): organizers host, players join with a code on their phones."""

from .api import api
from .views import bp

__all__ = ["api", "bp"]
