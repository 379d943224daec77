"""Results and errors as the XML documents IAM and STS send.

A result (AWS General Reference, *Query responses*; Smithy's ``awsQuery``)::

    <GetUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
      <GetUserResult>
        <User>
          <Path>/</Path>
          ...
        </User>
      </GetUserResult>
      <ResponseMetadata>
        <RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>
      </ResponseMetadata>
    </GetUserResponse>

An operation without an output shape has no ``<XResult>``. Lists are ``<member>`` elements,
maps ``<entry><key/><value/></entry>``, timestamps ISO 8601 in UTC to the second
(``2012-05-08T23:34:01Z``, as IAM and STS send them), booleans ``true``/``false``, blobs
base64. A member whose value is ``None`` or that is absent is omitted; an empty list is its empty
element. The two-space indentation is AWS's (the samples in the IAM API Reference and real
responses, e.g. the ``ErrorResponse`` quoted in NixOS/nixops#328).

An error::

    <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
      <Error>
        <Type>Sender</Type>
        <Code>ValidationError</Code>
        <Message>...</Message>
      </Error>
      <RequestId>21df0503-40ff-11e5-a422-e51fd6279686</RequestId>
    </ErrorResponse>

A result holding a key its output shape lacks, or a value of the wrong Python type, is a bug
in the handler: it raises ``TypeError`` (the server answers ``InternalFailure``) rather than
dropping it.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Mapping
from typing import cast

from iamd.errors import AwsError
from iamd.protocol.model import Kind, Node, Operation

__all__ = ["serialize_error", "serialize_result"]

# Characters XML 1.0 cannot carry at all, even as references.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_PLAIN = re.compile("[^&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]*")
_INDENTS = tuple("\n" + "  " * depth for depth in range(64))


def serialize_result(
    namespace: str, operation: Operation, result: Mapping[str, object] | None, request_id: str
) -> bytes:
    """The XML document for a successful call of ``operation``."""
    name = operation.name
    out = [f'<{name}Response xmlns="{namespace}">']
    if operation.output is not None:
        wrapper = operation.result_wrapper or f"{name}Result"
        _element(operation.output, wrapper, {} if result is None else result, out, 1)
    elif result:
        raise TypeError(f"{name} has no output shape, but its result has {sorted(result)}")
    out.append(
        "\n  <ResponseMetadata>\n    <RequestId>"
        f"{_escape(request_id)}</RequestId>\n  </ResponseMetadata>\n</{name}Response>\n"
    )
    return "".join(out).encode("utf-8")


def serialize_error(namespace: str, error: AwsError, request_id: str) -> bytes:
    """The XML document for ``error``; ``Type`` is ``Sender`` or ``Receiver`` by its fault.
    An empty message leaves ``<Message>`` out, as AWS sends ReportNotPresent."""
    fault = "Sender" if error.sender_fault else "Receiver"
    message = f"    <Message>{_escape(error.message)}</Message>\n" if error.message else ""
    return (
        f'<ErrorResponse xmlns="{namespace}">\n  <Error>\n    <Type>{fault}</Type>\n'
        f"    <Code>{_escape(error.code)}</Code>\n{message}"
        f"  </Error>\n  <RequestId>{_escape(request_id)}</RequestId>\n</ErrorResponse>\n"
    ).encode()


def _escape(text: str) -> str:
    if _PLAIN.fullmatch(text) is not None:  # most values: nothing to escape or refuse
        return text
    if _ILLEGAL.search(text) is not None:
        raise ValueError("text holds a character XML 1.0 cannot represent")
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _element(node: Node, tag: str, value: object, out: list[str], depth: int) -> None:
    indent = _INDENTS[depth]
    kind = node.kind
    if node.scalar:
        out.append(f"{indent}<{tag}>{_text(kind, value, tag)}</{tag}>")
    elif kind is Kind.STRUCTURE:
        start = len(out)
        out.append(f"{indent}<{tag}>")
        _structure(node, value, out, depth + 1)
        _close(out, start, indent, tag)
    elif kind is Kind.LIST:
        if not isinstance(value, list | tuple):
            raise TypeError(f"{tag} must be a list, not {type(value).__name__}")
        start = len(out)
        out.append(f"{indent}<{tag}>")
        element = cast(Node, node.member)
        for item in value:
            _element(element, "member", item, out, depth + 1)
        _close(out, start, indent, tag)
    else:  # MAP
        if not isinstance(value, Mapping):
            raise TypeError(f"{tag} must be a mapping, not {type(value).__name__}")
        start = len(out)
        out.append(f"{indent}<{tag}>")
        inner = _INDENTS[depth + 1]
        for key, item in value.items():
            out.append(f"{inner}<entry>")
            _element(cast(Node, node.key), "key", key, out, depth + 2)
            _element(cast(Node, node.value), "value", item, out, depth + 2)
            out.append(f"{inner}</entry>")
        _close(out, start, indent, tag)


def _close(out: list[str], start: int, indent: str, tag: str) -> None:
    if len(out) == start + 1:  # nothing inside: <Tag/>
        out[start] = f"{indent}<{tag}/>"
    else:
        out.append(f"{indent}</{tag}>")


def _structure(node: Node, value: object, out: list[str], depth: int) -> None:
    if not isinstance(value, Mapping):
        raise TypeError(f"{node.name} must be a mapping, not {type(value).__name__}")
    seen = 0
    indent = _INDENTS[depth]
    for member in node.members:
        if member.python not in value:
            continue
        seen += 1
        item = value[member.python]
        if item is None:
            continue
        child = member.node
        tag = member.wire
        if child.kind is Kind.STRING and type(item) is str:  # the common case, inline
            out.append(f"{indent}<{tag}>{_escape(item)}</{tag}>")
        elif child.scalar:
            out.append(f"{indent}<{tag}>{_text(child.kind, item, tag)}</{tag}>")
        else:
            _element(child, tag, item, out, depth)
    if seen != len(value):
        unknown = sorted(
            str(key) for key in value if key not in cast(Mapping[str, object], node.by_python)
        )
        raise TypeError(f"{node.name} has no member {', '.join(unknown)}")


def _text(kind: Kind, value: object, tag: str) -> str:
    if kind is Kind.STRING:
        if isinstance(value, str):
            return _escape(value)
    elif kind is Kind.BOOLEAN:
        if isinstance(value, bool):
            return "true" if value else "false"
    elif kind is Kind.INTEGER or kind is Kind.LONG:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    elif kind is Kind.TIMESTAMP:
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return _timestamp(value)
    elif kind is Kind.BLOB:
        if isinstance(value, bytes):
            return base64.b64encode(value).decode("ascii")
    elif isinstance(value, int | float) and not isinstance(value, bool):  # FLOAT, DOUBLE
        return repr(float(value))
    raise TypeError(f"{tag} cannot be serialized as {kind.value} from {type(value).__name__}")


def _timestamp(value: dt.datetime) -> str:
    utc = value.astimezone(dt.UTC)
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T"
        f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z"
    )
