"""The AWS Query form of one request: body fields and URL query fields, capped before parsing.

AWS Query requests carry their parameters as ``application/x-www-form-urlencoded`` fields, in
the body of a POST or in the URL of a GET ("IAM and AWS STS support GET and POST requests for all
actions", IAM User Guide, *Calling the IAM API using HTTP query requests*); a presigned request
also puts its signature fields in the URL. Starlette's form parser has no size or field limits,
so the body size and the field count are checked here before anything is decoded.

Choices where AWS documents nothing:

- a body over ``max_body`` bytes (or a URL query over as many characters), or more than
  ``max_fields`` fields in all, is ``RequestEntityTooLarge`` (413);
- a field without ``=``, an empty field (``a=1&&b=2``, a trailing ``&``), a ``%`` not followed
  by two hex digits, or bytes that are not UTF-8 make the request ``MalformedQueryString``
  (AWS's common error for "a syntax error" in the query string, HTTP 404);
- a field named twice keeps its first value, the URL's before the body's (as a Java servlet's
  ``getParameter`` does).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from iamd.errors import MalformedQueryString, RequestEntityTooLarge

__all__ = ["read_form"]

_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def read_form(body: bytes, query_string: str, *, max_body: int, max_fields: int) -> dict[str, str]:
    """Form fields from the URL query and the urlencoded body, the URL's first.

    Raises ``RequestEntityTooLarge`` past the caps and ``MalformedQueryString`` on bad syntax.
    """
    if len(body) > max_body or len(query_string) > max_body:
        raise RequestEntityTooLarge(f"The request exceeds the maximum size of {max_body} bytes.")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedQueryString("The request body is not valid UTF-8.") from None
    if _field_count(query_string) + _field_count(text) > max_fields:
        raise RequestEntityTooLarge(f"The request has more than {max_fields} parameters.")
    form: dict[str, str] = {}
    for source in (query_string, text):
        if not source:
            continue
        if _BAD_ESCAPE.search(source) is not None:
            raise MalformedQueryString("The query string contains an invalid percent-encoding.")
        try:
            pairs = parse_qsl(
                source,
                keep_blank_values=True,
                strict_parsing=True,
                encoding="utf-8",
                errors="strict",
                max_num_fields=max_fields,
            )
        except ValueError:  # a field without '=', an empty field, or bad UTF-8 once decoded
            raise MalformedQueryString("The query string contains a syntax error.") from None
        for name, value in pairs:
            form.setdefault(name, value)
    return form


def _field_count(source: str) -> int:
    return source.count("&") + 1 if source else 0
