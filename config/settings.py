"""Signpost settings: one module, configured from environment variables.

Runs as is with safe local defaults (SQLite in the project folder). Production sets
DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL; see README.md.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable; anything unexpected is a configuration error."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}.")


def env_number(name: str, default: float, *, minimum: float = 0, whole: bool = True):
    """Read a number from the environment; a typo ("60s", "-1") is a clear configuration error, not a traceback."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise ImproperlyConfigured(f"{name} must be {kind}, not {text!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {text!r}.")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable into a list without blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
# The test suite runs with debug off, like production, and needs no configuration.
TESTING = "PYTEST_VERSION" in os.environ
if not SECRET_KEY:
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (see README.md, Configuration)."
        )
    SECRET_KEY = "insecure-local-key-for-development-and-tests-only"
if TESTING:
    # Signing test users in must not cost a real password hash each time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "config.apps.SignpostAdminConfig",  # Django's admin, with two-factor sign-in in production
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_countries",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "simple_history",
    "import_export",
    "directory",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "config.middleware.DatabaseOutageMiddleware",
    "reporting.public.NoCookiesOnPublicPagesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "reporting.caching.CachedAnswerMiddleware",
    "config.middleware.VaryOnlyOnWhatChangesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records which curator made each change in the directory's history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Locks out repeated failed sign-ins; last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "reporting.context_processors.public",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite in the project folder unless DATABASE_URL names another database,
# e.g. postgres://user:password@host:5432/signpost (psycopg 3).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_number("DJANGO_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when the server is unreachable, so the public side can answer from its snapshot.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out sign-ins before any password check
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Caching: Django's Redis backend when REDIS_URL is set (shared by every app server),
# otherwise memory local to the process.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            # Django's Redis backend, failing soft: answers keep coming if Redis goes away.
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "en"
# The public side's languages (the admin stays in English). Names are written in their own language.
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("it", "Italiano"),
    ("nl", "Nederlands"),
    ("pl", "Polski"),
    ("pt", "Português (Portugal)"),
    ("pt-br", "Português (Brasil)"),
    ("ro", "Română"),
    ("uk", "Українська"),
    ("ru", "Русский"),
    ("tr", "Türkçe"),
    ("id", "Bahasa Indonesia"),
    ("hi", "हिन्दी"),
    ("sw", "Kiswahili"),
    ("zh-hans", "简体中文"),
    ("cs", "Čeština"),
    ("sk", "Slovenčina"),
    ("bg", "Български"),
    ("hr", "Hrvatski"),
    ("sl", "Slovenščina"),
    ("hu", "Magyar"),
    ("el", "Ελληνικά"),
    ("da", "Dansk"),
    ("sv", "Svenska"),
    ("fi", "Suomi"),
    ("et", "Eesti"),
    ("lv", "Latviešu"),
    ("lt", "Lietuvių"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed file names in production; plain files while developing.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# The last good copy of the published directory, answered from while the database is unreachable.
SIGNPOST_SNAPSHOT_PATH = Path(os.environ.get("SIGNPOST_SNAPSHOT_PATH", BASE_DIR / "var" / "directory-snapshot.json"))

# The directory: how long an entry may go unchecked before it counts as stale.
SIGNPOST_STALE_AFTER_DAYS = env_number("SIGNPOST_STALE_AFTER_DAYS", 365)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # Error mail to ADMINS, off the request path and rate-limited (config/logging.py).
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "config.logging.BackgroundAdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django": {"handlers": ["mail_admins"], "level": "INFO"}},  # and on to the console
}
SIGNPOST_ERROR_MAILS_PER_MINUTE = env_number("SIGNPOST_ERROR_MAILS_PER_MINUTE", 5)

# Where the admin lives (a less guessable path is a small extra hurdle for attackers).
SIGNPOST_ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

# The public side.
# Where "Leave this site" goes: a neutral page (GOV.UK's "Exit this page" uses a weather page).
# Who runs this copy of Signpost, for the About page (optional; shown only when set).
SIGNPOST_OPERATOR = os.environ.get("SIGNPOST_OPERATOR", "").strip()
SIGNPOST_CONTACT_EMAIL = os.environ.get("SIGNPOST_CONTACT_EMAIL", "").strip()
SIGNPOST_EXIT_URL = os.environ.get("SIGNPOST_EXIT_URL", "https://www.bbc.co.uk/weather")
# How long browsers and shared caches may keep a public page, and how long a rendered answer is cached.
SIGNPOST_PUBLIC_MAX_AGE = env_number("SIGNPOST_PUBLIC_MAX_AGE", 300)
SIGNPOST_ANSWER_CACHE_SECONDS = env_number("SIGNPOST_ANSWER_CACHE_SECONDS", 86400)
# How often each process re-reads the directory's version stamp from the database: an edit made
# anywhere is seen everywhere within this time.
SIGNPOST_VERSION_CHECK_SECONDS = env_number("SIGNPOST_VERSION_CHECK_SECONDS", 1.0, whole=False)

# Curators' import and export in the admin (formats: directory/admin.py), with the right permissions.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Uploaded files wait here between the preview and the confirmation; abandoned ones are removed.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "directory.import_storage.PreviewStorage"
SIGNPOST_IMPORT_PREVIEW_DIR = Path(os.environ.get("SIGNPOST_IMPORT_PREVIEW_DIR", BASE_DIR / "var" / "import-previews"))
SIGNPOST_IMPORT_PREVIEW_HOURS = 6


# Security ------------------------------------------------------------------------------------
# Production (debug off) is HTTPS only. Behind a TLS-terminating proxy (nginx, a load balancer)
# that sets X-Forwarded-Proto, keep DJANGO_BEHIND_TLS_PROXY on; serving TLS yourself, turn it off.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_number("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=not DEBUG)
if env_bool("DJANGO_BEHIND_TLS_PROXY", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front append to X-Forwarded-For (nginx: 1); 0 trusts only the socket's address.
SIGNPOST_TRUSTED_PROXY_COUNT = env_number("DJANGO_TRUSTED_PROXY_COUNT", 0)
# Where those proxies connect from (addresses or networks); X-Forwarded-For is ignored from anywhere else.
SIGNPOST_TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES") or ["127.0.0.1", "::1"]

# Only the admin uses cookies. Secure, HttpOnly, and with the __Host- prefix (bound to this host,
# path /, HTTPS only) unless DJANGO_HOST_PREFIX_COOKIES=0 (e.g. several hosts sharing a session).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG and env_bool("DJANGO_HOST_PREFIX_COOKIES", default=True):
    SESSION_COOKIE_NAME = "__Host-signpost-session"
    CSRF_COOKIE_NAME = "__Host-signpost-csrf"

# Site-wide "same-origin": "no-referrer" would make browsers send "Origin: null" on the admin's
# sign-in form and fail its CSRF check. The public views send "no-referrer" themselves.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), usb=(), xr-spatial-tracking=()"
)

# The admin: brute-force lockout (django-axes) and two-factor sign-in (django-otp, TOTP).
AXES_FAILURE_LIMIT = env_number("DJANGO_AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "directory.clients.client_ip"
AXES_RESET_ON_SUCCESS = True
SIGNPOST_REQUIRE_2FA = env_bool("SIGNPOST_REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = "Signpost"

# Email, for error reports to ADMINS and password resets: SMTP in production, the console locally.
if DEBUG:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
                "port": env_number("DJANGO_EMAIL_PORT", 587),
                "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
                "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", default=True),
                "timeout": 10,
            },
        }
    }
DEFAULT_FROM_EMAIL = SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", "signpost@localhost")
ADMINS = env_list("DJANGO_ADMINS")
SIGNPOST_PUBLIC_URL = os.environ.get(
    "SIGNPOST_PUBLIC_URL", ""
)  # e.g. https://signpost.example.org (QR codes, snippets)

# "Is something wrong here?": at most this many reports per client per window (seconds). Reports go to
# the curators' queue only; they never change a public answer by themselves.
# The admin's import: the largest file and the most rows it takes (larger: manage.py import_directory).
SIGNPOST_IMPORT_MAX_BYTES = env_number("SIGNPOST_IMPORT_MAX_BYTES", 5 * 1024 * 1024, minimum=1)
SIGNPOST_IMPORT_MAX_ROWS = env_number("SIGNPOST_IMPORT_MAX_ROWS", 5000)
# Uploads larger than this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The link checker never visits private, loopback, link-local or reserved addresses; only tests that
# run their own server on 127.0.0.1 turn this on.
SIGNPOST_LINKCHECK_ALLOW_PRIVATE = False

CSRF_FAILURE_VIEW = "reporting.views.csrf_failure"  # the site's own 403 page, with the quick exit

SIGNPOST_PROBLEM_REPORT_LIMIT = env_number("SIGNPOST_PROBLEM_REPORT_LIMIT", 5)
SIGNPOST_PROBLEM_REPORT_WINDOW = env_number("SIGNPOST_PROBLEM_REPORT_WINDOW", 3600)
