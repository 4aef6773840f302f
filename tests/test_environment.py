"""Configuration is read in one place, strictly, and production fails fast."""

from __future__ import annotations

import subprocess
import sys

import pytest

from config.environment import parse_bool, read_environment
from locus.errors import ConfigError


@pytest.mark.parametrize("raw,expected", [("true", True), ("1", True), ("YES", True),
                                          ("false", False), ("0", False), ("no", False),
                                          (None, False), ("", False)])
def test_parse_bool_accepts_only_clear_values(raw, expected):
    assert parse_bool("X", raw, default=False) is expected


@pytest.mark.parametrize("raw", ["maybe", "2", "tru", "enabled"])
def test_parse_bool_rejects_string_truthiness(raw):
    with pytest.raises(ConfigError, match="X must be true or false"):
        parse_bool("X", raw, default=False)


def test_production_requires_secret_key_and_allowed_hosts(tmp_path):
    with pytest.raises(ConfigError) as excinfo:
        read_environment({"LOCUS_ENV": "production", "LOCUS_DATA_DIR": str(tmp_path)})
    assert "SECRET_KEY" in str(excinfo.value) and "ALLOWED_HOSTS" in str(excinfo.value)
    with pytest.raises(ConfigError, match="ALLOWED_HOSTS"):
        read_environment({"LOCUS_ENV": "production", "SECRET_KEY": "x" * 50,
                          "LOCUS_DATA_DIR": str(tmp_path)})


def test_production_refuses_debug(tmp_path):
    with pytest.raises(ConfigError, match="LOCUS_DEBUG"):
        read_environment({"LOCUS_ENV": "production", "SECRET_KEY": "x" * 50,
                          "ALLOWED_HOSTS": "a.example", "LOCUS_DEBUG": "true",
                          "LOCUS_DATA_DIR": str(tmp_path)})


def test_local_default_generates_and_keeps_its_secret(tmp_path):
    first = read_environment({"LOCUS_DATA_DIR": str(tmp_path)})
    second = read_environment({"LOCUS_DATA_DIR": str(tmp_path)})
    assert len(first.secret_key) >= 50
    assert first.secret_key == second.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert first.database_url == f"sqlite:///{tmp_path / 'locus.sqlite3'}"
    assert first.debug is False


def test_unknown_mode_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="LOCUS_ENV"):
        read_environment({"LOCUS_ENV": "staging", "LOCUS_DATA_DIR": str(tmp_path)})


def test_production_settings_pass_check_deploy(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "LOCUS_ENV": "production",
           "SECRET_KEY": "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ",
           "ALLOWED_HOSTS": "locus.example.org", "LOCUS_DATA_DIR": str(tmp_path),
           "LOCUS_SITE_URL": "https://locus.example.org",
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level",
                             "WARNING"], capture_output=True, text=True, env=env,
                            cwd=str(__import__("pathlib").Path(__file__).parent.parent))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


_PROD = {"LOCUS_ENV": "production", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "a.example"}


def test_site_url_defaults_locally_and_is_required_in_production(tmp_path):
    assert read_environment({"LOCUS_DATA_DIR": str(tmp_path)}).site_url == \
        "http://127.0.0.1:8000"
    assert read_environment({"LOCUS_ENV": "test", "LOCUS_DATA_DIR": str(tmp_path)}).site_url \
        == "http://127.0.0.1:8000"
    with pytest.raises(ConfigError, match="LOCUS_SITE_URL"):
        read_environment({**_PROD, "LOCUS_DATA_DIR": str(tmp_path)})
    env = read_environment({**_PROD, "LOCUS_DATA_DIR": str(tmp_path),
                            "LOCUS_SITE_URL": "https://locus.example.org/"})
    assert env.site_url == "https://locus.example.org"


@pytest.mark.parametrize("raw", ["locus.example.org", "ftp://locus.example.org",
                                 "https://locus.example.org/peers", "https://",
                                 "https://locus.example.org?x=1", "http://host:notaport",
                                 "https://user@locus.example.org"])
def test_site_url_must_be_a_bare_http_address(tmp_path, raw):
    with pytest.raises(ConfigError, match="LOCUS_SITE_URL"):
        read_environment({"LOCUS_DATA_DIR": str(tmp_path), "LOCUS_SITE_URL": raw})


def test_production_site_url_must_use_https(tmp_path):
    with pytest.raises(ConfigError, match="https"):
        read_environment({**_PROD, "LOCUS_DATA_DIR": str(tmp_path),
                          "LOCUS_SITE_URL": "http://locus.example.org"})


def test_smtp_settings_are_parsed_strictly(tmp_path):
    env = read_environment({"LOCUS_DATA_DIR": str(tmp_path), "LOCUS_EMAIL_HOST": "smtp.example.org",
                            "LOCUS_EMAIL_PORT": "587", "LOCUS_EMAIL_USE_TLS": "yes",
                            "LOCUS_EMAIL_USER": "locus", "LOCUS_EMAIL_PASSWORD": "pw"})
    assert (env.email_host, env.email_port, env.email_use_tls, env.email_user) == \
        ("smtp.example.org", 587, True, "locus")
    defaults = read_environment({"LOCUS_DATA_DIR": str(tmp_path)})
    assert (defaults.email_host, defaults.email_port, defaults.email_use_tls) == \
        ("localhost", 25, False)
    for port in ("0", "70000", "smtp"):
        with pytest.raises(ConfigError, match="LOCUS_EMAIL_PORT"):
            read_environment({"LOCUS_DATA_DIR": str(tmp_path), "LOCUS_EMAIL_PORT": port})
    with pytest.raises(ConfigError, match="LOCUS_EMAIL_USE_TLS"):
        read_environment({"LOCUS_DATA_DIR": str(tmp_path), "LOCUS_EMAIL_USE_TLS": "maybe"})



def test_the_data_folder_and_sqlite_database_are_made_private(tmp_path):
    """H30 finding 9: with the usual umask (022) the database (password hashes, firm contacts)
    came out 0644. Locus now makes its data folder 0700 and the default SQLite file 0600, and
    SQLite's -wal file takes the database's mode."""
    import os
    import sqlite3
    import stat

    old = os.umask(0o022)
    try:
        data = tmp_path / "var"
        env = read_environment({"LOCUS_DATA_DIR": str(data)})
        database = data / "locus.sqlite3"
        assert env.database_url == f"sqlite:///{database}"
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        assert stat.S_IMODE(database.stat().st_mode) == 0o600
        assert stat.S_IMODE((data / "secret_key").stat().st_mode) == 0o600
        with sqlite3.connect(database) as db:  # SQLite starts a database in the empty file
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE t (x)")
            assert stat.S_IMODE((data / "locus.sqlite3-wal").stat().st_mode) == 0o600
        read_environment({"LOCUS_DATA_DIR": str(data)})  # again: the database is kept
        with sqlite3.connect(database) as db:
            assert db.execute("SELECT count(*) FROM t").fetchone() == (0,)
        # a folder that exists keeps its mode; with DATABASE_URL no SQLite file is made
        other = tmp_path / "other"
        other.mkdir(mode=0o755)
        read_environment({"LOCUS_DATA_DIR": str(other), "DATABASE_URL": "postgres://x/y"})
        assert stat.S_IMODE(other.stat().st_mode) == 0o755
        assert not (other / "locus.sqlite3").exists()
    finally:
        os.umask(old)
