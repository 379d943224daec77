"""Every operation of botocore's IAM and STS models has a handler or a documented deliberate
answer, and ``docs/api-coverage.md`` is what ``scripts/generate_api_coverage.py`` writes now."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import botocore.session

from iamd.services import operations

ROOT = Path(__file__).resolve().parent.parent


def _script() -> ModuleType:
    path = ROOT / "scripts" / "generate_api_coverage.py"
    spec = importlib.util.spec_from_file_location("generate_api_coverage", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_every_model_operation_has_a_handler_or_a_decision() -> None:
    absent = _script().missing()
    assert absent == [], f"operations with neither a handler nor a decision: {absent}"


def test_decisions_name_operations_of_the_model() -> None:
    session = botocore.session.get_session()
    models = {s: set(session.get_service_model(s).operation_names) for s in ("iam", "sts")}
    script = _script()
    for service, name in [*script.DECISIONS, *script.NOTES]:
        assert name in models[service], f"{service}:{name} is not in botocore's model"


def test_a_decision_says_whether_a_handler_answers() -> None:
    registered = operations()
    for key, decision in _script().DECISIONS.items():
        assert (key in registered) == decision.handler, key


def test_every_decision_has_a_stated_reason() -> None:
    script = _script()
    for key, decision in script.DECISIONS.items():
        assert decision.reason in script.REASONS, key


def test_notes_are_for_implemented_operations() -> None:
    script = _script()
    registered = operations()
    for key in script.NOTES:
        assert key in registered and key not in script.DECISIONS, key


def test_the_committed_document_is_current() -> None:
    committed = (ROOT / "docs" / "api-coverage.md").read_text()
    assert committed == _script().render(), (
        "docs/api-coverage.md is out of date: run .venv/bin/python scripts/generate_api_coverage.py"
    )
