from .api import api
from .service import init_app
from .views import bp

__all__ = ["api", "bp", "init_app"]
