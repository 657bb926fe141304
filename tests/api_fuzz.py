"""schemathesis over the whole OpenAPI, in-process through the WSGI application, as given users. Every
generated request (valid and deliberately invalid) must get a response that is not a 5xx and, where its
status is documented, matches the documented schema and content type. Used by the CI test and by
bench/schemathesis_run.py; examples are derandomised, so a run is repeatable."""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass, field

import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@dataclass
class FuzzResult:
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)  # each failed check, with a curl command to replay it

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    @property
    def schema_violations(self) -> int:
        """Failed checks on responses that were not server errors (those are counted above)."""
        return sum(1 for failure in self.failures if " -> 5" not in failure)


def load_schema():
    from palermo.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@contextlib.contextmanager
def _same_connection():
    """As Django's test client does: a request must not close the connection a test transaction holds."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def fuzz(tokens: dict[str, str], max_examples: int, *, keep_connection: bool = True) -> FuzzResult:
    """Runs every operation as every user in `tokens` ({label: API token}), valid and invalid input."""
    result = FuzzResult()
    with _same_connection() if keep_connection else contextlib.nullcontext():
        for found in load_schema().get_all_operations():
            operation = found.ok()
            for label, token in tokens.items():
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                    _run(operation, mode, label, token, max_examples, result)
    return result


def _run(operation, mode, label: str, token: str, max_examples: int, result: FuzzResult) -> None:
    @settings(max_examples=max_examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        result.requests += 1
        result.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as failures:
            for failure in failures.exceptions:
                result.failures.append(f"{label} {operation.label} [{mode.value}] -> {response.status_code}: "
                                       f"{failure.title}: {failure.message[:300]}\n    {case.as_curl_command()}")

    run()
