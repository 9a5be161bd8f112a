"""The app secret is never a constant: set explicitly, or generated once per installation
into a private file and reused; refused when published, or missing outside development."""

from __future__ import annotations

import stat
import threading

import pytest

from callplatform import config, secret_file


@pytest.fixture
def development(monkeypatch):
    """The README's run command: development, no SECRET_KEY, no .env file."""
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY_FILE", raising=False)
    yield
    config.reset_settings()


def _settings(tmp_path, **overrides) -> config.Settings:
    # `_env_file=None`: a developer's own .env must not decide these tests.
    fields = {"secret_key_file": tmp_path / ".secret_key", **overrides}
    settings = config.Settings(_env_file=None, **fields)
    settings.check()
    return settings


def test_first_run_generates_a_private_random_secret_and_later_runs_reuse_it(development, tmp_path):
    path = tmp_path / ".secret_key"
    first = _settings(tmp_path)
    assert len(first.secret_key) >= 48
    assert path.read_text().strip() == first.secret_key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _settings(tmp_path).secret_key == first.secret_key  # a restart
    assert [p.name for p in tmp_path.iterdir()] == [".secret_key"]  # no temporary left


def test_the_file_location_comes_from_the_environment(development, tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "nested" / "key"))
    settings = config.Settings(_env_file=None)
    assert (tmp_path / "nested" / "key").read_text().strip() == settings.secret_key


def test_two_installations_get_different_secrets_and_keys(development, tmp_path):
    one = _settings(tmp_path / "one")
    two = _settings(tmp_path / "two")
    assert one.secret_key != two.secret_key
    for purpose in ("subaccount-tokens", "api-jwt"):
        assert one.derived_key(purpose) != two.derived_key(purpose)


def test_an_explicit_secret_wins_and_no_file_is_written(development, tmp_path):
    settings = _settings(tmp_path, secret_key="explicitly-configured-0123456789")
    assert settings.secret_key == "explicitly-configured-0123456789"
    assert not (tmp_path / ".secret_key").exists()


@pytest.mark.parametrize("env", ["test", "production"])
@pytest.mark.parametrize("secret", ["", "too-short"])
def test_outside_development_a_missing_or_short_secret_is_refused(
    development, tmp_path, env, secret
):
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        _settings(tmp_path, app_env=env, secret_key=secret)
    assert not (tmp_path / ".secret_key").exists()  # never generated outside development


@pytest.mark.parametrize("env", ["development", "production"])
def test_the_once_published_example_secret_is_refused_everywhere(development, tmp_path, env):
    with pytest.raises(RuntimeError, match="published"):
        _settings(tmp_path, app_env=env, secret_key="dev-insecure-secret-change-me")


def test_get_settings_uses_the_file_when_nothing_is_configured(development, tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / ".secret_key"))
    monkeypatch.setattr(config.Settings, "model_config", {**config.Settings.model_config})
    config.Settings.model_config["env_file"] = None
    config.reset_settings()
    assert config.get_settings().secret_key == (tmp_path / ".secret_key").read_text().strip()


def test_a_damaged_file_is_reported_not_replaced(development, tmp_path):
    path = tmp_path / ".secret_key"
    path.write_text("short\n")
    with pytest.raises(RuntimeError, match="no usable secret"):
        _settings(tmp_path)
    assert path.read_text() == "short\n"


def test_processes_starting_together_agree_on_one_secret(tmp_path):
    path = tmp_path / ".secret_key"
    start = threading.Barrier(8)
    seen: list[str] = []

    def worker():
        start.wait()
        seen.append(secret_file.load_or_create(path))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 8 and set(seen) == {path.read_text().strip()}
    assert [p.name for p in tmp_path.iterdir()] == [".secret_key"]
