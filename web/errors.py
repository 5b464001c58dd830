"""Error handlers: a friendly Arabic page for people, `{"errors": ...}` JSON for scripts.

The detail of an unexpected failure goes to the log, never to the client.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: ("طلب غير صالح", "تعذّر فهم الطلب. راجع كلمات البحث أو المرشحات."),
    404: ("الصفحة غير موجودة", "لم نجد ما تبحث عنه. ربما حُذف التقرير أو تغيّر رابطه."),
    405: ("طريقة غير مسموحة", "هذه الصفحة تُقرأ فقط."),
    413: ("الطلب كبير جداً", "حجم الطلب يتجاوز الحد المسموح."),
    414: ("الرابط طويل جداً", "الرابط يتجاوز الحد المسموح. اختصر كلمات البحث."),
    500: ("خطأ غير متوقع", "حدث خطأ من جهتنا. سُجّل الخطأ وسنعمل على إصلاحه."),
    503: ("الفهرس غير متاح", "فهرس البحث غير جاهز الآن. حاول بعد قليل."),
}
API_PREFIXES = ("/api", "/healthz", "/feed.atom")


def wants_json() -> bool:
    return request.path.startswith(API_PREFIXES)


def error_response(status: int, reason: str, headers: dict[str, str] | None = None) -> Response:
    if wants_json():
        field = {404: "path", 405: "method"}.get(status, "request")
        response = jsonify(errors={field: [reason]})
    else:
        title, message = MESSAGES.get(status, MESSAGES[500])
        response = make_response(render_template("error.html", title=title, message=message))
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _kept_headers(error: HTTPException) -> dict[str, str]:
    """Headers the status needs (Allow on a 405, Retry-After…), minus the exception's own body type."""
    return {k: v for k, v in error.get_headers() if k.lower() != "content-type"}


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return error_response(error.code or 500, error.description or error.name, _kept_headers(error))

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        from search.index import IndexNotFound, RebuildNeeded

        if isinstance(error, (IndexNotFound, RebuildNeeded)):
            app.logger.error("index unavailable: %s", error)
            return error_response(503, "the search index is not available")
        app.logger.exception("unhandled error on %s %s", request.method, request.full_path)
        return error_response(500, "internal error")
