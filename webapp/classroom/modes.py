"""The two kinds of session and their rules: live.py (the host advances) and self_paced.py (each player
at their own question). Both offer join, record_answer, state and state_tag."""

from __future__ import annotations

from types import ModuleType

from ..models import LiveSession
from . import live as live_rules
from . import self_paced


def of(session: LiveSession) -> ModuleType:
    return self_paced if session.self_paced else live_rules
