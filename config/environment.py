"""The one place that reads the environment.

Every setting Locus takes from outside is parsed here, strictly: booleans must be
one of true/false/1/0/yes/no, production refuses to start without its secrets, and
the local default keeps a generated secret key in the data folder.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from locus.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parent.parent
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def parse_bool(name: str, raw: str | None, *, default: bool) -> bool:
    """Parse a boolean variable; anything but a clear yes/no is an error."""
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false (got {raw!r}).")


@dataclass(frozen=True)
class Environment:
    mode: str  # local | test | production
    production: bool
    debug: bool
    secret_key: str
    allowed_hosts: list[str]
    database_url: str
    data_dir: Path
    csrf_trusted_origins: list[str]
    email_backend: str
    default_from_email: str
    site_url: str  # absolute address of the site, for links in emails
    email_host: str = "localhost"  # SMTP server (with the SMTP backend)
    email_port: int = 25
    email_user: str = ""
    email_password: str = ""
    email_use_tls: bool = False
    trusted_proxies: int = 0  # proxies in front that add to X-Forwarded-For (client addresses)


def parse_port(name: str, raw: str | None, *, default: int) -> int:
    """A TCP port number, 1-65535."""
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip()
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise ConfigError(f"{name} must be a port number from 1 to 65535 (got {raw!r}).")
    return int(value)


def parse_proxies(raw: str | None) -> int:
    """LOCUS_TRUSTED_PROXIES: how many proxies in front of Locus add to X-Forwarded-For, 0-9."""
    if raw is None or raw.strip() == "":
        return 0
    value = raw.strip()
    if not value.isdigit() or int(value) > 9:
        raise ConfigError("LOCUS_TRUSTED_PROXIES must be a whole number from 0 to 9: how many "
                          f"proxies in front of Locus add to X-Forwarded-For (got {raw!r}).")
    return int(value)


def parse_site_url(raw: str | None, *, production: bool) -> str:
    """LOCUS_SITE_URL: scheme and host (and port) only, like https://locus.example.org."""
    from urllib.parse import urlsplit

    if raw is None or raw.strip() == "":
        if production:
            raise ConfigError("LOCUS_ENV=production needs LOCUS_SITE_URL set in the environment "
                              "(the address people use, like https://locus.example.org); it "
                              "is used for links in emails.")
        return "http://127.0.0.1:8000"
    value = raw.strip().rstrip("/")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in {"http", "https"} or not parts.hostname \
            or parts.path or parts.query or parts.fragment or parts.username:
        raise ConfigError(f"LOCUS_SITE_URL must be an address like https://locus.example.org, "
                          f"with no path (got {raw!r}).")
    if production and parts.scheme != "https":
        raise ConfigError("LOCUS_SITE_URL must start with https:// when LOCUS_ENV=production.")
    return value


def _split(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def data_dir_private(data_dir: Path, *, sqlite_file: Path | None) -> None:
    """Make the data folder, if Locus is the one making it, readable by its owner only (0700),
    and the default SQLite database file 0600 before SQLite first opens it (SQLite starts a
    database in an empty file, and gives its -wal and -shm files the database's mode). The
    database holds password hashes and firm contacts; with the usual umask both came out
    readable by every local user (H30 finding 9). A folder or database that already exists
    keeps its mode: the administration guide says how to tighten an old one."""
    if not data_dir.exists():
        data_dir.mkdir(parents=True, mode=0o700, exist_ok=True)
        data_dir.chmod(0o700)  # whatever the umask
    if sqlite_file is not None:
        try:
            os.close(os.open(sqlite_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            pass


def _local_secret(data_dir: Path) -> str:
    """Generate once and keep a secret key for the local (non-production) default."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


def read_environment(env: dict[str, str] | None = None) -> Environment:
    """Read and validate the environment (``os.environ`` unless given)."""
    env = dict(os.environ if env is None else env)
    mode = env.get("LOCUS_ENV", "local").strip().lower()
    if mode not in {"local", "production", "test"}:
        raise ConfigError(f"LOCUS_ENV must be local, test or production (got {mode!r}).")
    production = mode == "production"
    data_dir = Path(env.get("LOCUS_DATA_DIR") or REPO_ROOT / "var").resolve()
    database_url = env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'locus.sqlite3'}"
    data_dir_private(data_dir, sqlite_file=None if env.get("DATABASE_URL")
                     else data_dir / "locus.sqlite3")
    if production:
        missing = [name for name in ("SECRET_KEY", "ALLOWED_HOSTS") if not env.get(name)]
        if missing:
            raise ConfigError(
                "LOCUS_ENV=production needs " + " and ".join(missing)
                + " set in the environment (for example SECRET_KEY=<50 random characters>, "
                "ALLOWED_HOSTS=locus.example.org)."
            )
        secret_key = env["SECRET_KEY"]
        allowed_hosts = _split(env["ALLOWED_HOSTS"])
    else:
        secret_key = env.get("SECRET_KEY") or _local_secret(data_dir)
        allowed_hosts = _split(env.get("ALLOWED_HOSTS")) or ["127.0.0.1", "localhost", "[::1]"]
    debug = parse_bool("LOCUS_DEBUG", env.get("LOCUS_DEBUG"), default=False)
    if production and debug:
        raise ConfigError("LOCUS_DEBUG cannot be true when LOCUS_ENV=production.")
    return Environment(
        mode=mode,
        production=production,
        debug=debug,
        secret_key=secret_key,
        allowed_hosts=allowed_hosts,
        database_url=database_url,
        data_dir=data_dir,
        csrf_trusted_origins=_split(env.get("CSRF_TRUSTED_ORIGINS")),
        email_backend=env.get("LOCUS_EMAIL_BACKEND")
        or ("django.core.mail.backends.smtp.EmailBackend" if production
            else "django.core.mail.backends.console.EmailBackend"),
        default_from_email=env.get("LOCUS_FROM_EMAIL", "locus@localhost"),
        site_url=parse_site_url(env.get("LOCUS_SITE_URL"), production=production),
        email_host=(env.get("LOCUS_EMAIL_HOST") or "localhost").strip(),
        email_port=parse_port("LOCUS_EMAIL_PORT", env.get("LOCUS_EMAIL_PORT"), default=25),
        email_user=env.get("LOCUS_EMAIL_USER", ""),
        email_password=env.get("LOCUS_EMAIL_PASSWORD", ""),
        email_use_tls=parse_bool("LOCUS_EMAIL_USE_TLS", env.get("LOCUS_EMAIL_USE_TLS"),
                                 default=False),
        trusted_proxies=parse_proxies(env.get("LOCUS_TRUSTED_PROXIES")),
    )
