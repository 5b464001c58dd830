"""JSON out of the app through orjson: a search answer is ~30 KB, and the standard encoder with
sorted keys spent about a millisecond on each (tests/bench/http_overhead.py prints the figures).

Keys come out in the order the search builds them (the contract's order), Arabic unescaped as
UTF-8, and anything orjson cannot encode natively falls back to Flask's own `default`.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider

OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_APPEND_NEWLINE


class OrjsonProvider(DefaultJSONProvider):
    ensure_ascii = False
    sort_keys = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs:  # a caller that asks for json.dumps's own options gets them
            return super().dumps(obj, **kwargs)
        return orjson.dumps(obj, default=self.default, option=OPTIONS).decode("utf-8").rstrip("\n")

    def response(self, *args: Any, **kwargs: Any) -> Response:
        obj = self._prepare_response_obj(args, kwargs)
        return self._app.response_class(orjson.dumps(obj, default=self.default, option=OPTIONS),
                                        mimetype=self.mimetype)
