"""A small AWS Query service model, for the kinds and constraints IAM's inputs do not use."""

from __future__ import annotations

from typing import Any

import botocore.model

from iamd.protocol import ServiceApi

__all__ = ["VERSION", "synthetic_api"]

VERSION = "2020-01-01"


def synthetic_api(shapes: dict[str, Any], *, output: str | None = None) -> ServiceApi:
    """A service whose operation ``Op`` takes the structure ``Input`` (and returns ``output``)."""
    operation: dict[str, Any] = {
        "name": "Op",
        "http": {"method": "POST", "requestUri": "/"},
        "input": {"shape": "Input"},
    }
    if output is not None:
        operation["output"] = {"shape": output, "resultWrapper": "OpResult"}
    model = {
        "metadata": {
            "apiVersion": VERSION,
            "protocol": "query",
            "serviceId": "Test",
            "endpointPrefix": "test",
            "xmlNamespace": "https://test.amazonaws.com/doc/2020-01-01/",
            "signatureVersion": "v4",
        },
        "operations": {"Op": operation},
        "shapes": shapes,
    }
    return ServiceApi("test", botocore.model.ServiceModel(model, "test"))
