"""One AWS Query service (IAM or STS), derived from botocore's model and loaded once.

``ServiceApi.parse`` turns a request's form into the operation and its snake_case parameters,
refusing what AWS refuses before an operation runs:

- no ``Action`` (or an empty one): ``MissingAction`` (400), message ``Missing Action``;
- an ``Action`` the service does not have, or a ``Version`` other than the service's:
  ``InvalidAction`` (400), ``Could not find operation X for version V``. AWS looks operations up
  by action and version together: a wrong version gets this answer even for a real action (SES
  answered ``Could not find operation GetSendStatistics for version 2012-12-01`` to a client
  that sent another version, aws/aws-cli#37); no ``Version`` at all reads ``for version
  NO_VERSION_SPECIFIED``;
- values of the wrong type: ``InvalidParameterValue`` (see :mod:`iamd.protocol.parser`);
- broken constraints: ``ValidationError`` (see :mod:`iamd.protocol.constraints`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

import botocore.loaders
import botocore.model

from iamd.errors import AwsError, InvalidAction, MissingAction
from iamd.protocol.constraints import check
from iamd.protocol.model import compile_operations
from iamd.protocol.parser import convert
from iamd.protocol.redaction import redact
from iamd.protocol.serializer import serialize_error, serialize_result

__all__ = ["ParsedRequest", "ServiceApi", "load_service"]

NO_VERSION = "NO_VERSION_SPECIFIED"


@dataclass(frozen=True, slots=True)
class ParsedRequest:
    """An operation call as its handler receives it."""

    operation: str  # the AWS name: 'CreateUser'
    params: Mapping[str, object]  # snake_case keys at every level


class ServiceApi:
    """One AWS Query service (iam or sts) from botocore's model, loaded once."""

    __slots__ = ("_operations", "api_version", "name", "operation_names", "xml_namespace")

    def __init__(self, name: str, model: botocore.model.ServiceModel) -> None:
        protocol = model.metadata.get("protocol")
        if protocol != "query":
            raise ValueError(f"{name} speaks {protocol}, not the AWS Query protocol")
        self.name = name
        self.api_version: str = model.api_version
        self.xml_namespace: str = model.metadata["xmlNamespace"]
        self._operations = compile_operations(model)
        self.operation_names = frozenset(self._operations)

    def __repr__(self) -> str:
        return f"ServiceApi({self.name!r}, {self.api_version!r})"

    def parse(self, form: Mapping[str, str]) -> ParsedRequest:
        """The operation and parameters of a request's form fields (see :func:`read_form`)."""
        action = form.get("Action")
        if not action:
            raise MissingAction("Missing Action")
        operation = self._operations.get(action)
        if operation is None or form.get("Version") != self.api_version:
            raise _invalid_action(action, form.get("Version") or NO_VERSION)
        params = convert(operation.input, form)
        if operation.input is not None:
            check(operation.input, params)
        return ParsedRequest(operation.name, params)

    def invalid_action(self, action: str) -> InvalidAction:
        """AWS's answer to an action it does not have: for an operation without a handler."""
        return _invalid_action(action, self.api_version)

    def redact_params(self, parsed: ParsedRequest) -> dict[str, object]:
        """``parsed.params`` with every sensitive value masked, for the audit log."""
        return redact(self._operations[parsed.operation].input, parsed.params)

    def redact_result(
        self, operation: str, result: Mapping[str, object] | None
    ) -> dict[str, object]:
        """A result with every sensitive value (secret keys, ...) masked, for the audit log."""
        return redact(self._operations[operation].output, result)

    def serialize_result(
        self, operation: str, result: Mapping[str, object] | None, request_id: str
    ) -> bytes:
        """The XML body of a successful ``operation`` (snake_case ``result`` keys)."""
        return serialize_result(self.xml_namespace, self._operations[operation], result, request_id)

    def serialize_error(self, error: AwsError, request_id: str) -> bytes:
        """The XML body of ``error`` (its HTTP status is ``error.status``)."""
        return serialize_error(self.xml_namespace, error, request_id)


def _invalid_action(action: str, version: str) -> InvalidAction:
    return InvalidAction(f"Could not find operation {action} for version {version}")


@functools.cache
def load_service(name: str) -> ServiceApi:
    """The ``iam`` or ``sts`` service of the pinned botocore, compiled once per process."""
    loader = botocore.loaders.create_loader()
    model = botocore.model.ServiceModel(loader.load_service_model(name, "service-2"), name)
    return ServiceApi(name, model)
