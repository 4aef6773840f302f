"""Django settings for Locus. Values that vary come from config.environment only."""

from __future__ import annotations

import dj_database_url

from config.environment import REPO_ROOT, read_environment

ENV = read_environment()
ENV.data_dir.mkdir(parents=True, exist_ok=True)

BASE_DIR = REPO_ROOT
SECRET_KEY = ENV.secret_key
DEBUG = ENV.debug
ALLOWED_HOSTS = ENV.allowed_hosts
CSRF_TRUSTED_ORIGINS = ENV.csrf_trusted_origins
LOCUS_DATA_DIR = ENV.data_dir
LOCUS_BUNDLED_DATA = REPO_ROOT / "data"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "locus.web",
    "locus.accounts",
    "locus.geography",
    "locus.collaboration",
    "locus.peers",
    "locus.policy",
    "locus.atlas",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "locus.web.csp.ContentSecurityPolicy",
    "locus.web.middleware.MethodNotAllowedPages",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [REPO_ROOT / "locus" / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "config.jinja2.environment", "autoescape": True,
                    "context_processors": ["locus.web.csp.csp_context"]},
    },
    {
        # The admin site and django-ninja's Swagger page use Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

DATABASES = {"default": dj_database_url.parse(ENV.database_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Wrong passwords are counted and a locked username refused on every sign-in, the admin site's
# included (locus.accounts.throttle). ModelBackend stays listed so that sessions signed in with it
# stay valid; the throttled backend comes first and answers every password sign-in.
AUTHENTICATION_BACKENDS = ["locus.accounts.backends.ThrottledModelBackend",
                           "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = ENV.data_dir / "static"
STATICFILES_DIRS = [REPO_ROOT / "locus" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Tests read static files straight from the source folders; served copies are hashed.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
                    if ENV.mode == "test" else
                    "locus.web.storage.LocusStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = ENV.mode == "test"

EMAIL_BACKEND = ENV.email_backend
DEFAULT_FROM_EMAIL = ENV.default_from_email
LOCUS_SITE_URL = ENV.site_url  # absolute links in invitation, password-reset and meeting emails
# how many proxies in front add to X-Forwarded-For: the client address registration limits count by
LOCUS_TRUSTED_PROXIES = ENV.trusted_proxies
EMAIL_HOST = ENV.email_host  # used by the SMTP backend (production)
EMAIL_PORT = ENV.email_port
EMAIL_HOST_USER = ENV.email_user
EMAIL_HOST_PASSWORD = ENV.email_password
EMAIL_USE_TLS = ENV.email_use_tls
EMAIL_TIMEOUT = 30  # seconds: a mail server that stops answering fails the send instead of hanging
# Password-reset and confirmation emails go out on a background thread, so a request for an
# address with an account answers as fast as one for an unknown address (ADR 19); tests send
# at once, so mail.outbox is filled before the response.
LOCUS_EMAIL_IN_BACKGROUND = ENV.mode != "test"

# Cookie-free for visitors: only signed-in users get a session cookie, and it is secure in production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "locus.web.views.csrf_failure"  # a GOV.UK page saying how to send the form again
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if ENV.production:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

NINJA_PAGINATION_PER_PAGE = 100

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"locus": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
