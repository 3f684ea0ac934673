"""Configuration is validated at start-up, with a message that names the key."""

from __future__ import annotations

import pytest

from kit.config import KEYS, ConfigError, load_config


def test_defaults_fill_every_key() -> None:
    values = load_config({})
    assert set(values) == {key.name for key in KEYS}
    assert values["KIT_URL_PREFIX"] == "/mentoring"
    assert values["KIT_DEFAULT_LOCALE"] == "en"


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"KIT_URL_PREFX": "/m"}, "KIT_URL_PREFX"),
        ({"KIT_URL_PREFIX": "mentoring"}, "KIT_URL_PREFIX"),
        ({"KIT_URL_PREFIX": "/mentoring/"}, "KIT_URL_PREFIX"),
        ({"KIT_PAGE_SIZE": "25"}, "KIT_PAGE_SIZE"),
        ({"KIT_PAGE_SIZE": 0}, "KIT_PAGE_SIZE"),
        ({"KIT_PAGE_SIZE": True}, "KIT_PAGE_SIZE"),
        ({"KIT_DEMO_MODE": "yes"}, "KIT_DEMO_MODE"),
        ({"KIT_DIRECTORY_MAX_DEACTIVATION": 0}, "KIT_DIRECTORY_MAX_DEACTIVATION"),
        ({"KIT_DIRECTORY_MAX_DEACTIVATION": 20}, "KIT_DIRECTORY_MAX_DEACTIVATION"),
        ({"KIT_DEFAULT_LOCALE": "de"}, "KIT_DEFAULT_LOCALE"),
        ({"KIT_LOCALES": "en"}, "KIT_LOCALES"),
        ({"KIT_BLUEPRINTS": ["staff", "payroll"]}, "KIT_BLUEPRINTS"),
        ({"KIT_BLUEPRINTS": "staff"}, "KIT_BLUEPRINTS"),
        ({"KIT_TIMEZONE": "Mars/Olympus_Mons"}, "KIT_TIMEZONE"),
        ({"KIT_BASE_TEMPLATE": ""}, "KIT_BASE_TEMPLATE"),
        ({"KIT_DEV_SIGN_IN": True}, "KIT_DEV_SIGN_IN"),
        ({"KIT_LOCALES": ["fr"]}, "KIT_DEFAULT_LOCALE"),
    ],
)
def test_a_wrong_value_names_its_key(settings: dict, named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        load_config(settings)


def test_dev_sign_in_is_allowed_in_debug_or_demo_mode_only() -> None:
    assert load_config({"KIT_DEV_SIGN_IN": True, "DEBUG": True})["KIT_DEV_SIGN_IN"]
    assert load_config({"KIT_DEV_SIGN_IN": True, "KIT_DEMO_MODE": True})["KIT_DEV_SIGN_IN"]


def test_other_keys_of_the_host_are_ignored() -> None:
    assert "SECRET_KEY" not in load_config({"SECRET_KEY": "x", "SQLALCHEMY_ECHO": False})


def test_every_key_is_documented_in_the_reference() -> None:
    from pathlib import Path

    reference = (Path(__file__).parents[2] / "docs" / "configuration.md").read_text("utf-8")
    missing = [key.name for key in KEYS if f"`{key.name}`" not in reference]
    assert not missing, f"docs/configuration.md lacks {missing}"
