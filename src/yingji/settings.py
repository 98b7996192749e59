"""Django settings. Every knob is a YINGJI_* (or DATABASE_URL) environment variable; see README."""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str | None = None) -> str:
    """A string from the environment, or from the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name}: {exc.strerror}") from exc
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"{name} must be set")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "").strip()
    return [item.strip() for item in value.split(",") if item.strip()] if value else default


# Files the platform writes (database, uploads, backups, keys) are for its own user only.
os.umask(0o077)
DATA_DIR = Path(env_str("YINGJI_DATA_DIR", "./var")).resolve()
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
if DATA_DIR.stat().st_uid == os.getuid():
    DATA_DIR.chmod(0o700)


def _generated_secret(name: str, file_name: str) -> str:
    # A fresh machine needs no configuration: generate a key once and keep it in the data dir (0600).
    if os.environ.get(name) or os.environ.get(f"{name}_FILE"):
        return env_str(name)
    key_file = DATA_DIR / file_name
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_urlsafe(50))
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _generated_secret("YINGJI_SECRET_KEY", "secret_key")
# The audit chain's HMAC key: kept outside the database, so whoever can write the database cannot re-seal a forged
# chain. Back it up with the database (a restored chain only verifies with the key that sealed it).
AUDIT_KEY = _generated_secret("YINGJI_AUDIT_KEY", "audit_key")
DEBUG = env_bool("YINGJI_DEBUG", False)
ALLOWED_HOSTS = env_list("YINGJI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("YINGJI_CSRF_TRUSTED_ORIGINS", [])

# Absolute links in email, SMS and WeChat Work messages (e.g. https://yingji.example.gov.cn); empty: relative.
YINGJI_BASE_URL = env_str("YINGJI_BASE_URL", "")

# Email channel of notifications: off until a host is configured.
EMAIL_HOST = env_str("YINGJI_EMAIL_HOST", "")
YINGJI_EMAIL_ENABLED = bool(EMAIL_HOST)
EMAIL_PORT = env_int("YINGJI_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("YINGJI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("YINGJI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("YINGJI_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("YINGJI_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("YINGJI_EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("YINGJI_EMAIL_FROM", "yingji@localhost")


def env_float_map(name: str) -> dict[str, float]:
    """`key=number,key=number` from the environment."""
    result = {}
    for item in env_list(name, []):
        key, _sep, value = item.partition("=")
        try:
            result[key.strip()] = float(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {item!r} is not key=number") from None
    return result


# Per-person area (m²) by shelter class, overriding the unverified defaults of resources/shelter_capacity.py,
# e.g. YINGJI_SHELTER_AREA_PER_PERSON_M2="emergency=1,fixed_short=2".
SHELTER_AREA_PER_PERSON_M2 = env_float_map("YINGJI_SHELTER_AREA_PER_PERSON_M2")

HOST = env_str("YINGJI_HOST", "127.0.0.1")
PORT = env_int("YINGJI_PORT", 8000, minimum=1)
# Web processes `yingji serve` / `run` start on the port (uvicorn workers).
WEB_WORKERS = env_int("YINGJI_WEB_WORKERS", 1, minimum=1)
MQTT_URL = os.environ.get("YINGJI_MQTT_URL", "").strip()
# MQTT ingest: a fixed client id keeps the broker's persistent session (and queued readings) across restarts;
# several ingest processes share one MQTT 5 subscription when YINGJI_MQTT_SHARED is on.
MQTT_CLIENT_ID = env_str("YINGJI_MQTT_CLIENT_ID", "yingji-ingest")
MQTT_SHARED = env_bool("YINGJI_MQTT_SHARED", False)
# Minutes an alarm may stay unacknowledged before escalation; minutes without data before a device is offline.
ALARM_ESCALATE_MINUTES = env_int("YINGJI_ALARM_ESCALATE_MINUTES", 15, minimum=1)
DEVICE_OFFLINE_MINUTES = env_int("YINGJI_DEVICE_OFFLINE_MINUTES", 30, minimum=1)
# Where fire-danger levels 2-5 start on the FWI scale, e.g. "5,10,20,30"; empty: monitoring/fwi.py's defaults.
FWI_BANDS = env_str("YINGJI_FWI_BANDS", "")
# Warning levels whose approver may not be their author (two-person rule); "none" turns the rule off.
WARNING_TWO_PERSON_LEVELS = [
    level for level in env_list("YINGJI_WARNING_TWO_PERSON_LEVELS", ["red", "orange"]) if level.lower() != "none"
]
if unknown_levels := set(WARNING_TWO_PERSON_LEVELS) - {"blue", "yellow", "orange", "red"}:
    raise ImproperlyConfigured(
        f"YINGJI_WARNING_TWO_PERSON_LEVELS: unknown level(s) {', '.join(sorted(unknown_levels))}"
    )
# Live updates between several web processes: Redis when set, else PostgreSQL LISTEN/NOTIFY or in-process.
REDIS_URL = os.environ.get("YINGJI_REDIS_URL", "").strip()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    # Our apps, in their layers (ARCHITECTURE.md): imports point down this list only.
    "yingji.core",
    "yingji.routing",
    "yingji.resources",
    "yingji.plans",
    "yingji.monitoring",
    "yingji.warnings",
    "yingji.risk",
    "yingji.forest",
    "yingji.training",
    "yingji.incidents",
    "yingji.relief",
    "yingji.portal",
    "yingji.analytics",
    "yingji.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "yingji.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "yingji.core.middleware.InputGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "yingji.core.middleware.PagesLoginRequiredMiddleware",
    "yingji.core.middleware.RequestAddressMiddleware",
    "yingji.core.middleware.AccountPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "yingji.urls"
ASGI_APPLICATION = "yingji.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yingji.core.nav.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'yingji.sqlite3'}"), conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL, a busy timeout and IMMEDIATE transactions let web, worker and ingest write at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file, not Django's shared in-memory database: the live server then gives each request thread
    # its own connection, as in production, instead of one connection shared by concurrent threads.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}
    # A database file made before the umask above (or copied in) is narrowed to the platform's user too.
    _db_file = Path(DATABASES["default"]["NAME"])
    if _db_file.exists() and _db_file.stat().st_uid == os.getuid():
        _db_file.chmod(0o600)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["yingji.core.backends.LockoutModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "yingji.core.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "yingji.core.passwords.HistoryValidator"},
]
# GB/T 22239-2019 level 3: lock an account after repeated failed sign-ins; idle sessions expire.
LOCKOUT_ATTEMPTS = env_int("YINGJI_LOCKOUT_ATTEMPTS", 5, minimum=1)
LOCKOUT_MINUTES = env_int("YINGJI_LOCKOUT_MINUTES", 15, minimum=1)
SESSION_COOKIE_AGE = env_int("YINGJI_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Sign-in failures from one source address (any usernames) that lock the address for LOCKOUT_MINUTES.
LOCKOUT_ADDRESS_ATTEMPTS = env_int("YINGJI_LOCKOUT_ADDRESS_ATTEMPTS", 20, minimum=1)
# Behind a reverse proxy the client's address is the last hop of X-Forwarded-For, which the proxy must set.
TRUST_X_FORWARDED_FOR = env_bool("YINGJI_TRUST_X_FORWARDED_FOR", False)
# Days a password stays valid (0: it never expires); the last PASSWORD_HISTORY passwords may not be reused.
PASSWORD_MAX_AGE_DAYS = env_int("YINGJI_PASSWORD_MAX_AGE_DAYS", 90)
PASSWORD_HISTORY = 5
# TLS in front of the platform: cookies only over HTTPS, and HSTS.
HTTPS = env_bool("YINGJI_HTTPS", False)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("YINGJI_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("YINGJI_HSTS_INCLUDE_SUBDOMAINS", False)
    # The proxy that terminates TLS says so; it must overwrite any X-Forwarded-Proto a client sends.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = env_str("YINGJI_LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "uploads"
BACKUP_DIR = DATA_DIR / "backups"
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# The Chinese font the PDF reports embed: by default WenQuanYi Micro Hei of Debian's fonts-wqy-microhei package
# (a missing default fails only the report, naming the package); a path set here must exist.
REPORT_FONT = Path(env_str("YINGJI_REPORT_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"))
if os.environ.get("YINGJI_REPORT_FONT") and not REPORT_FONT.is_file():
    raise ImproperlyConfigured(f"YINGJI_REPORT_FONT: no font file at {REPORT_FONT}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("YINGJI_LOG_LEVEL", "INFO")},
}

YINGJI_SITE_NAME = _("Huangshigang District Emergency Management")
