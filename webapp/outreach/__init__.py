"""Outreach events ("five-into": schools, workplaces, communities, villages, families): posters, a projector
screen, a kiosk for a shared tablet, paper quiz sheets and reports. An event is a self-paced session of
webapp/classroom, so participants join with the same code and QR flow."""

from .api import api
from .player import kiosk_bp
from .views import bp

__all__ = ["api", "bp", "kiosk_bp"]
