"""Templates are compiled once per process, not on every request (benchmarks/README.md)."""

from django.template import engines
from django.template.loaders.cached import Loader


def test_the_template_engine_caches_compiled_templates():
    assert [type(loader) for loader in engines["django"].engine.template_loaders] == [Loader]
