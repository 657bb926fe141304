from tests.intel.conftest import _demo_world, demo  # noqa: F401 — the same demo scenario
