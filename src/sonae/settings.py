"""One settings module, driven by environment variables (see README "Configuration").

Defaults give a single-machine installation: SQLite in WAL mode inside the data folder,
Huey tasks in SQLite, mail printed to the console. `SONAE_ENV=production` switches on
secure cookies, HSTS and the other deploy checks.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envsecret(name: str, default: str = "") -> str:
    """Read NAME, or the file named by NAME_FILE (for Docker/systemd secrets)."""
    if os.environ.get(f"{name}_FILE"):
        return Path(os.environ[f"{name}_FILE"]).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


PACKAGE_DIR = Path(__file__).resolve().parent
TESTING = "pytest" in sys.modules or envbool("SONAE_TESTING")
if TESTING and not os.environ.get("SONAE_DATA_DIR"):
    import tempfile

    DATA_DIR = Path(tempfile.mkdtemp(prefix="sonae-test-data-"))
else:
    DATA_DIR = Path(os.environ.get("SONAE_DATA_DIR") or "sonae-data").resolve()
ENVIRONMENT = os.environ.get("SONAE_ENV", "development")
if ENVIRONMENT not in ("development", "production"):
    raise ImproperlyConfigured(f"SONAE_ENV must be development or production, not {ENVIRONMENT!r}")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = envbool("SONAE_DEBUG", False)


def _secret_key() -> str:
    """Use SONAE_SECRET_KEY, else a random key kept in the data folder (created once)."""
    configured = envsecret("SONAE_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    if TESTING:
        return "test-only-" + "x" * 50
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
SITE_URL = os.environ.get("SONAE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("SONAE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [SITE_URL]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "huey.contrib.djhuey",
    "sonae.orgs",
    "sonae.api",
    "sonae.documents",
    "sonae.actions",
    "sonae.assessments",
    "sonae.aicheck",
    "sonae.risks",
    "sonae.checks",
    "sonae.scheduling",
    "sonae.support",
    "sonae.assets",
    "sonae.aiuse",
    "sonae.learning",
    "sonae.loop",
    "sonae.backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sonae.middleware.japanese_first",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "sonae.urls"
WSGI_APPLICATION = "sonae.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sonae.orgs.context_processors.navigation",
            ],
        },
    },
]

# --- database: SQLite (WAL) in the data folder unless DATABASE_URL is set ---------------------
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "sonae.sqlite3",
            # Keep each server thread's connection for a minute, as with PostgreSQL below: opening one
            # (connect, Django's SQL functions, the PRAGMAs) cost ~1 ms on every request, the largest
            # single part of a /healthz or gateway call (bench/README.md, AI gateway overhead).
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                # WAL lets readers and the one writer work side by side; IMMEDIATE avoids
                # "database is locked" upgrades from read to write inside a transaction.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# Names this installation's keys in Redis (task queue, cache), so several installations can share one.
INSTANCE_NAME = os.environ.get("SONAE_INSTANCE") or "sonae"
if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", INSTANCE_NAME):
    raise ImproperlyConfigured(f"SONAE_INSTANCE must be 1-64 letters, digits, '_', '.' or '-', not {INSTANCE_NAME!r}")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": INSTANCE_NAME}}
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Shared by the server threads and the worker, so login throttling counts every attempt.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": DATA_DIR / "cache"}}

# --- background tasks (Huey) --------------------------------------------------------------------
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": INSTANCE_NAME, "url": REDIS_URL, "immediate": TESTING}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "sonae",
        "filename": str(DATA_DIR / "tasks.sqlite3"),
        "immediate": TESTING,
    }
# Daily tasks run on Tokyo clock times (crontab(hour="8") = 08:00 JST): Huey then reads the local
# time, which Django sets to TIME_ZONE for the process.
HUEY["utc"] = False

# --- accounts ------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_ADAPTER = "sonae.orgs.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# allauth's defaults plus a stricter per-account failed-login budget.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "sonae"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# --- mail ----------------------------------------------------------------------------------------
if os.environ.get("SONAE_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["SONAE_EMAIL_HOST"]
    EMAIL_PORT = envint("SONAE_EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("SONAE_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = envsecret("SONAE_EMAIL_PASSWORD")
    EMAIL_USE_TLS = envbool("SONAE_EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("SONAE_EMAIL_FROM", "sonae <sonae@localhost>")

# --- i18n: Japanese first ------------------------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# --- static files: vendored, served by WhiteNoise -----------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("SONAE_STATIC_ROOT") or None  # WhiteNoise serves from the finders
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": DATA_DIR / "media"}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- security headers ----------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = True
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SONAE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SONAE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Load balancers and monitors ask the app server directly over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SILENCED_SYSTEM_CHECKS: list[str] = []

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SONAE_LOG_LEVEL", "INFO")},
    "loggers": {"huey": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50
SONAE_INVITATION_DAYS = envint("SONAE_INVITATION_DAYS", 7)
# Members who have not acknowledged a shared rule are mailed again every this many days.
SONAE_RULE_REMINDER_DAYS = envint("SONAE_RULE_REMINDER_DAYS", 7)
if SONAE_RULE_REMINDER_DAYS < 1:
    raise ImproperlyConfigured(f"SONAE_RULE_REMINDER_DAYS must be 1 or more, not {SONAE_RULE_REMINDER_DAYS}")
SONAE_MAX_API_TOKENS = 20
# Nightly backups (sonae.backups): the folder, and how many good ones to keep (0: no scheduled backups).
SONAE_BACKUP_DIR = Path(os.environ.get("SONAE_BACKUP_DIR") or DATA_DIR / "backups").resolve()
SONAE_BACKUP_KEEP = envint("SONAE_BACKUP_KEEP", 14)
if SONAE_BACKUP_KEEP < 0:
    raise ImproperlyConfigured(f"SONAE_BACKUP_KEEP must be 0 or more, not {SONAE_BACKUP_KEEP}")
# Largest PDF an organisation can upload as its own training material.
SONAE_LEARNING_MAX_PDF_BYTES = envint("SONAE_LEARNING_MAX_PDF_MB", 10) * 1024 * 1024
CSRF_FAILURE_VIEW = "sonae.errors.csrf_failure"
# The reverse proxy whose X-Forwarded-For / X-Forwarded-Proto headers `sonae up` believes (one address,
# or "*"; empty: believe nobody). Everyone else's copies of those headers are removed by waitress.
SONAE_TRUSTED_PROXY = os.environ.get("SONAE_TRUSTED_PROXY", "127.0.0.1").strip()

# Dashboard panels: dotted paths of functions `panel(request, org) -> str` (rendered HTML),
# one per area of the product, shown in this order on the organisation's home page.
SONAE_DASHBOARD_PANELS: list[str] = [
    "sonae.loop.panels.dashboard_panel",  # 備えの点検: the loop at a glance, on top
    "sonae.backups.panels.dashboard_panel",  # empty except for installation admins when backups are stale
    "sonae.documents.panels.dashboard_panel",
    "sonae.assessments.views.dashboard_panel",
    "sonae.actions.views.dashboard_panel",
    "sonae.aicheck.views.dashboard_panel",
    "sonae.risks.views.dashboard_panel",
    "sonae.checks.views.dashboard_panel",
    "sonae.support.views.dashboard_panel",
    "sonae.aiuse.views.dashboard_panel",
]
