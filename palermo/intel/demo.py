"""Intelligence part of the demo scenario: grading settings per agency and the deconfliction alert
raised because the forger's phone is held by both the Romanian and the Milan police."""

from __future__ import annotations

from palermo.intel import services
from palermo.intel.models import IntelSettings

# The Italian police grade under the EU 4x4 model; everyone else under the UK 3x5x2.
GRADING_MODELS = {"it-police-milan": "4x4", "it-prosecutor-milan": "4x4"}


def extend_demo(scenario) -> None:
    for code, agency in scenario.agencies.items():
        IntelSettings.objects.create(agency=agency, grading_model=GRADING_MODELS.get(code, "3x5x2"))
    services.scan_deconfliction()
