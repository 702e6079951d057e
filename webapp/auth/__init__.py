"""Organizer accounts: register, log in, log out; `login_required` for the pages that need one."""

from .views import bp, current_organizer_id, login_required

__all__ = ["bp", "current_organizer_id", "login_required"]
