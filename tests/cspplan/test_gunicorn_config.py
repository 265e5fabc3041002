"""gunicorn's settings (deploy/gunicorn.conf.py): read from the environment, every name one
gunicorn knows, and a wrong number refused by name."""

import multiprocessing
import runpy
import types
from pathlib import Path

import pytest
from django.conf import settings
from gunicorn.config import KNOWN_SETTINGS

CONFIG = Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"
VARIABLES = ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_TIMEOUT", "WEB_CONCURRENCY")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


def config() -> dict:
    loaded = runpy.run_path(str(CONFIG))
    return {
        name: value
        for name, value in loaded.items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }


def test_every_name_is_a_gunicorn_setting():
    # A misspelt or withdrawn name would be ignored by gunicorn without a word.
    known = {setting.name for setting in KNOWN_SETTINGS}
    assert set(config()) - known == set()


def test_the_defaults():
    got = config()
    assert got["bind"] == "127.0.0.1:8000"
    assert got["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert got["timeout"] == 60
    assert got["accesslog"] is None  # the application logs each request (request_log.py)
    assert got["errorlog"] == "-"
    assert got["control_socket_disable"] is True  # nothing of gunicorn's on the disk


def test_the_environment_sets_them(monkeypatch):
    monkeypatch.setenv("GUNICORN_BIND", "10.0.0.5:8000")
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "120")
    got = config()
    assert (got["bind"], got["workers"], got["timeout"]) == ("10.0.0.5:8000", 3, 120)


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_wrong_number_is_refused_by_name(monkeypatch, value):
    monkeypatch.setenv("GUNICORN_WORKERS", value)
    with pytest.raises(SystemExit, match="GUNICORN_WORKERS must be a whole number"):
        config()
