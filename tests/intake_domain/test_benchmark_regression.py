"""The generated-tip benchmark on 300 tips: phones and e-mails must keep recall >= 0.97."""

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def load(name):
    """bench/ is scripts, not a package: load one by path (dataclasses need it in sys.modules)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_recall_and_precision_on_generated_tips():
    tipgen = load("tipgen")
    benchmark = load("extraction_benchmark")
    tips = tipgen.generate_tips(300)
    styles = {(t.type, t.style) for tip in tips for t in tip.truth}
    assert {s for k, s in styles if k == "phone"} == set(tipgen.PHONE_STYLES)
    assert {s for k, s in styles if k == "email"} == set(tipgen.EMAIL_STYLES)
    result = benchmark.score(tips, benchmark.run_palermo(tips))["types"]
    for kind in ("phone", "email"):
        assert result[kind]["recall"] >= 0.97, (kind, result[kind])
        assert result[kind]["precision"] >= 0.97, (kind, result[kind])
    for kind in ("handle", "url"):
        assert result[kind]["recall"] >= 0.9, (kind, result[kind])


def test_generator_is_deterministic():
    tipgen = load("tipgen")
    first = [(t.text, t.country) for t in tipgen.generate_tips(50)]
    assert first == [(t.text, t.country) for t in tipgen.generate_tips(50)]
    assert len({t.language for t in tipgen.generate_tips(50)}) == 9
