"""Every registered handler answers an operation of botocore's models and is named after it."""

from __future__ import annotations

import botocore.session
from botocore import xform_name

from iamd.services import operations


def test_handlers_are_named_after_their_operation() -> None:
    for (service, name), operation in operations().items():
        assert operation.handler.__name__ == xform_name(name), (service, name)
        assert operation.service == service


def test_every_registered_operation_is_in_the_service_model() -> None:
    session = botocore.session.get_session()
    models = {s: set(session.get_service_model(s).operation_names) for s in ("iam", "sts")}
    for service, name in operations():
        assert name in models[service], f"{service}:{name} is not in botocore's model"


def test_read_operations_do_not_write() -> None:
    for (_, name), operation in operations().items():
        if name.startswith(("Get", "List")):
            assert not operation.write, name
