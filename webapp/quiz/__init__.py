from .views import api, bp

__all__ = ["api", "bp"]
