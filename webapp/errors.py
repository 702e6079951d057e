"""Error pages: JSON under /api/, friendly HTML elsewhere, in the visitor's language."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class ApiError(Exception):
    """Raised by JSON views: becomes {"error": {"code", "message"}} with the given status."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def wants_json() -> bool:
    return request.path.startswith("/api/")


def api_error_response(code: str, message: str, status: int):
    response = jsonify(error={"code": code, "message": message})
    response.status_code = status
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def handle_api_error(error: ApiError):
        return api_error_response(error.code, error.message, error.status)

    @app.errorhandler(CSRFError)
    def handle_csrf(error: CSRFError):
        message = _("This form has expired. Please go back, reload the page and try again.")
        if wants_json():
            return api_error_response("csrf", message, 400)
        return render_template("errors/error.html", status=400, title=_("Please try again"), message=message), 400

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        status = error.code or 500
        if wants_json():
            code = {404: "not_found", 405: "method_not_allowed", 413: "too_large", 429: "rate_limited"}.get(
                status, "http_error"
            )
            message = _("Too many requests. Please wait a minute and try again.") if status == 429 else error.description
            return api_error_response(code, message, status)
        if status == 404:
            return render_template("errors/404.html"), 404
        if status == 429:
            return render_template(
                "errors/error.html", status=429, title=_("Please slow down"),
                message=_("Too many requests. Please wait a minute and try again."),
            ), 429
        return render_template(
            "errors/error.html", status=status, title=_("Something went wrong"), message=error.description
        ), status

    @app.errorhandler(500)
    def handle_500(error):
        if wants_json():
            return api_error_response("server_error", _("Something went wrong on our side."), 500)
        return render_template("errors/500.html"), 500
