"""Request and response guards that hold for every view, so no view has to remember them."""

from __future__ import annotations

import json
import re

from django.http import HttpResponseBadRequest, JsonResponse

from palermo.core.rules import BIDI_CONTROLS, neutralise_bidi, text_problem

API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


class JsonErrorsUnderApi:
    """Under /api/ every error is JSON. Django answers an unknown path (404), a wrong method (405), a
    failed CSRF check (403), a too large body (400) and an uncaught error (500) with HTML pages; here
    they become {"detail": …} with the same status (and Allow header). The error is logged as before."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (_is_api(request) and response.status_code >= 400
                and not response.get("Content-Type", "").startswith("application/json")):
            replaced = JsonResponse({"detail": response.reason_phrase}, status=response.status_code)
            for header in ("Allow", "WWW-Authenticate", "Retry-After"):
                if header in response:
                    replaced[header] = response[header]
            return replaced
        return response


# A JSON body can only carry a NUL or an unpaired surrogate as an escape; bodies without one are not parsed twice.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")


class RefuseUnstorableText:
    """Text the databases cannot store (a NUL character; an unpaired surrogate) is refused before any
    view runs: in a query parameter or the path of any request, and anywhere in an API JSON body.
    PostgreSQL raised on a NUL in a filter (a 500) and SQLite stored one. API requests get a 422 with
    the field's location, like any other validation error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problems = [(["path"], problem) for problem in [text_problem(request.path_info)] if problem]
        problems += [(["query", key], problem) for key, values in request.GET.lists()
                     for problem in [text_problem(key + "".join(values))] if problem]
        if (_is_api(request) and request.method in ("POST", "PUT", "PATCH", "DELETE")
                and request.content_type != "multipart/form-data" and _SUSPECT_ESCAPE.search(request.body)):
            try:
                problems += list(_problems_in(["body"], json.loads(request.body)))
            except (ValueError, RecursionError):
                pass  # not JSON: the API's own parser answers that
        if not problems:
            return self.get_response(request)
        if not _is_api(request):
            return HttpResponseBadRequest("The request contains characters that cannot be stored.",
                                          content_type="text/plain; charset=utf-8")
        return JsonResponse({"detail": [{"type": "value_error", "loc": loc, "msg": msg} for loc, msg in problems]},
                            status=422)


def _problems_in(loc: list, value):
    if isinstance(value, str):
        if problem := text_problem(value):
            yield loc, problem
    elif isinstance(value, dict):
        for key, item in value.items():
            if problem := text_problem(key):
                yield [*loc, key], f"field name {problem}"
            yield from _problems_in([*loc, key], item)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _problems_in([*loc, i], item)


_BIDI_BYTES = re.compile("|".join(re.escape(char) for char in BIDI_CONTROLS).encode())


class NeutraliseBidiControls:
    """On every HTML page, bidirectional control characters in stored text (a public report, a note, a
    name) are shown as visible codes such as "[U+202E]", so text cannot be reordered on an operator's
    screen. One place for every template, HTMX fragments included. The data is left intact: the JSON API
    returns text as stored, and clients that display it must neutralise these characters themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (not response.streaming and response.get("Content-Type", "").startswith("text/html")
                and _BIDI_BYTES.search(response.content)):
            response.content = _BIDI_BYTES.sub(lambda found: neutralise_bidi(found.group().decode()).encode(),
                                               response.content)
            if "Content-Length" in response:
                response["Content-Length"] = str(len(response.content))
        return response
