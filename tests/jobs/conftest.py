from tests.intake.conftest import world  # noqa: F401 — a small intake world (agencies, users, routing)
from tests.intel.conftest import _demo_world, demo  # noqa: F401 — the demo scenario
