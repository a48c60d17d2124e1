"""One settings file, driven by the environment (see README "Configuration").

Development defaults are safe to run on a laptop; with DEBUG off, the production values are
required and a missing or malformed one stops start-up with a message naming it.
"""

import ipaddress
import logging
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
import structlog
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from exc


def email_settings(url: str) -> dict[str, object]:
    """Django's e-mail settings from an `EMAIL_URL`: `console:`, or `smtp://user:pass@host:587/?tls=true`
    (`smtps://` for implicit TLS, `ssl=true` alike)."""
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "EMAIL_HOST": "localhost",
            "EMAIL_PORT": 25,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_TIMEOUT": None,
        }
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ImproperlyConfigured(
            f"EMAIL_URL must look like smtp://user:password@host:587/?tls=true (or smtps://…, or console:), "
            f"got {parts.scheme or 'no scheme'}://{parts.hostname or ''}…"
        )
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError as exc:
        raise ImproperlyConfigured(f"EMAIL_URL has a port that is not a number: {exc}") from exc
    query = {key: values[-1].lower() for key, values in parse_qs(parts.query).items()}
    unknown = set(query) - {"tls", "ssl", "timeout"}
    if unknown:
        raise ImproperlyConfigured(f"EMAIL_URL has unknown options {sorted(unknown)}; use tls, ssl, timeout")
    flags = {}
    for option in ("tls", "ssl"):
        if query.get(option, "false") not in {"true", "false", "1", "0"}:
            raise ImproperlyConfigured(
                f"EMAIL_URL option {option} must be true or false, got {query[option]!r}"
            )
        flags[option] = query.get(option) in {"true", "1"}
    use_ssl = flags["ssl"] or parts.scheme == "smtps"
    if use_ssl and flags["tls"]:
        raise ImproperlyConfigured(
            "EMAIL_URL asks for both tls (STARTTLS) and ssl (implicit TLS); choose one"
        )
    timeout = query.get("timeout", "30")
    if not timeout.isdigit():
        raise ImproperlyConfigured(f"EMAIL_URL option timeout must be whole seconds, got {timeout!r}")
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": flags["tls"],
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": int(timeout),
    }


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = os.environ.get(name, "").strip().lower() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(sorted(choices))}, got {value!r}")
    return value


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdefghij"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off (comma-separated host names)")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "axes",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "template_partials",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "sources",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "sources.middleware.TimeZoneMiddleware",
    # Last, so that it turns a request flagged as locked out into the lockout answer (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sco_annot.urls"
WSGI_APPLICATION = "sco_annot.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
}
# Behind PgBouncer in transaction pooling mode a server-side cursor cannot outlive its transaction;
# exports then read in keyset windows instead (sources/selectors/exports.py).
PGBOUNCER = env_bool("PGBOUNCER", False)
if PGBOUNCER:
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the background worker write while pages read; a busy timeout instead of "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Accounts (django-allauth): sign-up, log in by username or e-mail, password change and reset.
AUTHENTICATION_BACKENDS = [
    # First: refuses any attempt, right password or not, while the account or the address is locked out.
    "sources.lockout.LockoutBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "sources.accounts.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "sources.signup.SignupForm"
ACCOUNT_FORMS = {"login": "sources.login_form.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env_choice("EMAIL_VERIFICATION", "none", {"none", "optional", "mandatory"})
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # no mail to an address that has no account here
ACCOUNT_USER_DISPLAY = "sources.templatetags.people.person"  # "Signed in as …" messages
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[sco-annot] "
# Open sign-up on a laptop; a deployment invites people unless it says otherwise.
ACCOUNT_SIGNUP_OPEN = env_bool("SIGNUP_OPEN", DEBUG)

# E-mail (password reset, verification, invitations): printed on the console unless EMAIL_URL is set.
email_config = email_settings(os.environ.get("EMAIL_URL", "") or "console:")
EMAIL_BACKEND = email_config["EMAIL_BACKEND"]
EMAIL_HOST = email_config["EMAIL_HOST"]
EMAIL_PORT = email_config["EMAIL_PORT"]
EMAIL_HOST_USER = email_config["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = email_config["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = email_config["EMAIL_USE_TLS"]
EMAIL_USE_SSL = email_config["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = email_config["EMAIL_TIMEOUT"]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sco-annot <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the site is reached, for links in e-mail sent by the background worker (notifications).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Password guessing (django-axes): failures counted per account and per client address, in the
# shared cache so that every process agrees; at the limit, both channels (the login page and
# POST /api/auth/token/) answer 429 with Retry-After until the cool-off has passed without a try.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 15)
if AXES_FAILURE_LIMIT < 1 or LOGIN_COOLOFF_MINUTES < 1:
    raise ImproperlyConfigured("LOGIN_FAILURE_LIMIT and LOGIN_COOLOFF_MINUTES must be at least 1")
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
# Each refused try during a lockout starts the cool-off again, so Retry-After is the whole cool-off.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_CLIENT_IP_CALLABLE = "sources.lockout.client_address"
AXES_USERNAME_CALLABLE = "sources.lockout.account_key"
AXES_LOCKOUT_CALLABLE = "sources.lockout.lockout_response"
AXES_VERBOSE = False
if not REDIS_URL:
    # One process (runserver, the tests) counts correctly in local memory; several processes each
    # count on their own, which is why a deployment with more than one sets REDIS_URL.
    SILENCED_SYSTEM_CHECKS = ["axes.W001"]
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more, got {TRUSTED_PROXY_COUNT}")

# API tokens (django-rest-knox): only a hash is stored; each sign-in gets its own token, which expires.
TOKEN_TTL_DAYS = env_int("TOKEN_TTL_DAYS", 30)
if TOKEN_TTL_DAYS < 1:
    raise ImproperlyConfigured(f"TOKEN_TTL_DAYS must be at least 1, got {TOKEN_TTL_DAYS}")
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=TOKEN_TTL_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

# Uploads: a source file or an import may be large, but not unbounded.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 200 * 1024 * 1024)
# Source files larger than this are ingested by the task worker, not inside the request.
SOURCE_BACKGROUND_BYTES = env_int("SOURCE_BACKGROUND_BYTES", 2 * 1024 * 1024)

# Imports: how much a file from outside may ask before it is refused with a message naming the
# record (docs/security.md, "Hostile files and imports").
IMPORT_MAX_DEPTH = env_int("IMPORT_MAX_DEPTH", 64)  # JSON arrays/objects, or REFI-QDA codes, nested
IMPORT_MAX_LABELS = env_int("IMPORT_MAX_LABELS", 10_000)  # labels, annotations or links per record
IMPORT_MAX_LINE_BYTES = env_int("IMPORT_MAX_LINE_BYTES", 8 * 1024 * 1024)  # one JSON Lines line
IMPORT_MAX_MEMBER_BYTES = env_int("IMPORT_MAX_MEMBER_BYTES", 1024 * 1024 * 1024)  # one zip member, inflated
IMPORT_MAX_RATIO = env_int("IMPORT_MAX_RATIO", 100)  # a zip member's inflated / compressed size
IMPORT_MAX_DOCUMENT_BYTES = env_int("IMPORT_MAX_DOCUMENT_BYTES", 32 * 1024 * 1024)  # a CAS XMI or brat file

REST_FRAMEWORK = {
    # Token first: an anonymous request then gets 401 with `WWW-Authenticate: Token`, not a bare 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": ["sources.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "sources.api.pagination.PagePagination",
    "EXCEPTION_HANDLER": "sources.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "sco-annot API",
    "DESCRIPTION": "Annotate academic sources together: passages, themes, claims, evidence, review.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "sources.models.Role",
        "ReviewDecisionEnum": "sources.models.Decision",
        "DiscussionDecisionEnum": "sources.models.DiscussionDecision",
        "SourceJobStatusEnum": "sources.models.UploadStatus",
        "StatusEnum": "sources.models.AnnotationStatus",
        "JobStatusEnum": "sources.models.JobStatus",
        "InvitationKindEnum": "sources.models.InvitationKind",
    },
    # No validator badge: it would load from validator.swagger.io, which the CSP (and the no-CDN rule) forbid.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Live updates (docs/collaboration.md): how long one event-stream response lasts before the browser
# reconnects, how often a stream without a wake-up channel (SQLite) reads the event table, and the
# keep-alive comment that keeps proxies from closing a quiet stream.
EVENT_STREAM_SECONDS = env_int("EVENT_STREAM_SECONDS", 300)
EVENT_POLL_SECONDS = 0.5
EVENT_KEEPALIVE_SECONDS = 15
EVENT_RETRY_MS = 1000
# Presence (docs/collaboration.md, "Presence"): how long a reader's place on a source is kept after
# its last heartbeat; the reader beats every third of it.
PRESENCE_SECONDS = 45
if EVENT_STREAM_SECONDS < 1:
    raise ImproperlyConfigured(f"EVENT_STREAM_SECONDS must be at least 1, got {EVENT_STREAM_SECONDS}")

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# --- Operations: health, metrics, logs, error reports (docs/deploy.md) -----------------------------

# Prometheus counts every request: its middleware must be the first and the last.
INSTALLED_APPS += ["django_prometheus", "django_structlog"]
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    *MIDDLEWARE,
    "django_structlog.middlewares.RequestMiddleware",
    "sources.logs.RequestMeasuresMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
DATABASES["default"]["ENGINE"] = DATABASES["default"]["ENGINE"].replace(
    "django.db.backends.", "django_prometheus.db.backends.", 1
)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Test databases in memory, as for Django's own SQLite engine (pytest-django recognises only that name).
    DATABASES["default"].setdefault("TEST", {"NAME": ":memory:"})
# Probes and scrapers speak plain HTTP to the app server itself, not through the TLS proxy.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]


def env_networks(name: str, default: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    try:
        return [
            ipaddress.ip_network(part.strip(), strict=False)
            for part in os.environ.get(name, default).split(",")
            if part.strip()
        ]
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be comma-separated addresses or CIDR ranges: {exc}") from exc


# Who may read /metrics: these client addresses, or whoever sends `Authorization: Bearer <METRICS_TOKEN>`.
METRICS_ALLOWED_IPS = env_networks("METRICS_ALLOWED_IPS", "127.0.0.1/32,::1/128")
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

LOG_FORMAT = os.environ.get("LOG_FORMAT", "") or ("console" if DEBUG else "json")
if LOG_FORMAT not in {"json", "console"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or console, got {LOG_FORMAT!r}")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {LOG_LEVEL!r}"
    )
# One line per request (request_finished), not two: the start is logged only at DEBUG.
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = logging.DEBUG
# The request log has its own line per request; Django's own would repeat it.
DJANGO_STRUCTLOG_COMMAND_LOGGING_ENABLED = False

_pre_chain = [
    structlog.contextvars.merge_contextvars,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.stdlib.ExtraAdder(),
]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals_in_one_line": {"()": "sco_annot.log_filters.RefusalsInOneLine"}},
    "formatters": {
        "json": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.dict_tracebacks,
                structlog.processors.JSONRenderer(),
            ],
            "foreign_pre_chain": _pre_chain,
        },
        "console": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.dev.ConsoleRenderer(colors=False),
            ],
            "foreign_pre_chain": _pre_chain,
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Django's own console handler would print its messages a second time, unformatted.
        "django": {"handlers": [], "level": "INFO"},
        **{
            name: {"level": LOG_LEVEL}
            for name in ("django_structlog", "sources", "django_tasks", "django_tasks_db", "gunicorn.error")
        },
        # Printed once, and a 403 or 404 without its traceback.
        "django.request": {"handlers": ["console"], "filters": ["refusals_in_one_line"], "propagate": False},
    },
}
structlog.configure(
    processors=[
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.filter_by_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.StackInfoRenderer(),
        structlog.processors.UnicodeDecoder(),
        structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
    ],
    logger_factory=structlog.stdlib.LoggerFactory(),
    cache_logger_on_first_use=True,
)

# Errors go to Sentry when a DSN is given; nothing personal is sent (user ids only).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "development" if DEBUG else "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,
        send_default_pii=False,
    )
