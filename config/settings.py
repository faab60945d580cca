"""Django settings for Jumelage.

Every value comes from the environment (see ``.env.example``). With nothing set, the
project runs on the embedded default: SQLite, the in-memory channel layer and a
file-system Celery broker, so ``make run`` needs nothing but Python. ``DATABASE_URL``
switches to PostgreSQL and ``REDIS_URL`` to channels_redis, a Redis cache and a Redis
Celery broker.
"""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_networks, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# NumPy's linear algebra (the officers' small-count checks) on one thread: OpenBLAS's
# threads spin against the server's other processes on a small machine, and an SVD
# that takes 0.06 s took 1–3 s that way. Read when NumPy loads, after the settings.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
VAR_DIR = Path(env_str("JUMELAGE_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"
# Django's key rotation: the old key moves here, so sessions, tokens and the blocks kept
# past deleted accounts (exchanges/pure/address_digest.py) still verify under it.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "config.admin_site.SuperuserAdminConfig",  # django.contrib.admin, for superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "allauth",
    "allauth.account",
    "exchanges",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.security_headers.SecurityHeadersMiddleware",  # CSP, Permissions-Policy
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After LocaleMiddleware (cookie, then Accept-Language) and the user: an account's
    # chosen language wins on any device.
    "exchanges.middleware.AccountLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "exchanges.middleware.ViewerZoneMiddleware",  # times in the viewer's zone
    # Innermost: the page it renders for a GET of a POST-only address has the layout,
    # the account's language and the viewer's zone.
    "config.method_not_allowed.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

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
                "exchanges.context_processors.navigation",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(VAR_DIR / "jumelage.sqlite3")),
            # Several processes (web, worker, beat) share the file: wait for locks
            # instead of failing, and use WAL so readers never block the writer.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "exchanges.User"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # Redis pub/sub: one PUBLISH per group_send, delivered by one subscriber
    # connection per process (the list-based RedisChannelLayer ran a Lua script per
    # group_send and polled per channel). Delivery is at most once either way; a
    # socket that reconnects with ?after=<id> replays from the database.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "jumelage",
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -----------------------------------------------------------------------
# Without Redis the broker is a folder on disk: a real worker and beat still run in
# their own processes (``make run``) without any service to install.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    _celery_dir = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "out"),
        "data_folder_out": str(_celery_dir / "out"),
        "processed_folder": str(_celery_dir / "processed"),
        "control_folder": str(_celery_dir / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# A matching run's lease: its worker refreshes the run's heartbeat this often, and a run
# silent for longer than the stale limit has no worker (killed, out of memory) and is
# re-queued by the recovery beat task instead of waiting out the visibility timeout.
JUMELAGE_MATCHING_HEARTBEAT_SECONDS = env_int("JUMELAGE_MATCHING_HEARTBEAT_SECONDS", 15)
JUMELAGE_MATCHING_STALE_SECONDS = env_int("JUMELAGE_MATCHING_STALE_SECONDS", 120)
if not 0 < 2 * JUMELAGE_MATCHING_HEARTBEAT_SECONDS <= JUMELAGE_MATCHING_STALE_SECONDS:
    raise ImproperlyConfigured(
        "JUMELAGE_MATCHING_STALE_SECONDS must be at least twice "
        "JUMELAGE_MATCHING_HEARTBEAT_SECONDS (a late heartbeat is not a dead worker)"
    )

# --- Accounts (django-allauth) ----------------------------------------------------
# Pupils never sign in with an e-mail address; /join/ signs them in (exchanges/auth_backends.py).
AUTHENTICATION_BACKENDS = [
    "exchanges.auth_backends.AdultModelBackend",
    "exchanges.auth_backends.AdultAllauthBackend",
    "exchanges.auth_backends.PupilBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "exchanges.forms.accounts.SignupExtraForm"
ACCOUNT_ADAPTER = "exchanges.adapters.AccountAdapter"
# The nightly matching run of every open program (UTC), for the beat schedule and the
# participants' dashboard, which says when it comes next.
JUMELAGE_NIGHTLY_MATCHING_UTC = datetime.time(2, 30)
# allauth would otherwise brand its e-mails with the request's host ("[127.0.0.1:8000]").
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Jumelage] "
JUMELAGE_ACCOUNT_RATE_LIMITS = {
    # "key" is (account, client address) here (exchanges/adapters.py): five wrong
    # passwords lock that pair for five minutes, never the owner on another address.
    "login_failed": "10/m/ip,5/5m/key",
}
ACCOUNT_RATE_LIMITS = (
    False if env_bool("JUMELAGE_DISABLE_RATE_LIMITS", False) else JUMELAGE_ACCOUNT_RATE_LIMITS
)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

# Django's list, then the login cards' quick hasher: listed after the default, it hashes
# only the random one-time passwords printed on cards (exchanges/pure/card_passwords.py
# says why that is safe), and a pupil's first login re-hashes theirs with the default.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "exchanges.pure.card_passwords.CardPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- E-mail -----------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    # Printed mail would put addresses and reset links in the log: none is sent.
    EMAIL_BACKEND = "config.mail_backends.UnsentMailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Jumelage <no-reply@jumelage.localhost>")
# Where the platform is served, for links in e-mails (a mail client cannot follow a
# relative link). Pages and in-app notifications keep relative links.
JUMELAGE_SITE_URL = env_str("JUMELAGE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Unset, `manage.py serve_platform --port N` points its processes' links at port N.
JUMELAGE_SITE_URL_GIVEN = bool(env_str("JUMELAGE_SITE_URL"))

# --- Internationalisation and time ------------------------------------------------
LANGUAGE_CODE = "en"
# Each language is named in itself, so a reader finds theirs whatever the page's language.
LANGUAGES = [("en", "English"), ("fr", "Français"), ("de", "Deutsch"), ("ja", "日本語")]
# locale/ is ours (make messages); locale_allauth/ puts allauth's German in the "Sie" form.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_allauth"]
# The switcher's choice outlives the browser session (Django's default cookie would not).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# One way to write dates and times per interface language (config/formats/<lang>/):
# English says "Mon 7 Dec 2026, 18:00" rather than Django's American "Dec. 7, 2026, 6 p.m.".
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static files -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (the exchange walls' re-encoded images) on the default storage. They are never
# served as public files: exchanges.views.wall streams each image to members of its
# exchange only, so nothing routes MEDIA_URL.
MEDIA_ROOT = Path(env_str("JUMELAGE_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("JUMELAGE_MANIFEST_STATIC", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Security (``manage.py check --deploy`` passes with DEBUG off) ----------------
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Jumelage ---------------------------------------------------------------------
# Reverse proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For is believed for
# the client address (per-IP rate limits, /healthz details). Nobody else's is.
JUMELAGE_TRUSTED_PROXIES = env_networks("JUMELAGE_TRUSTED_PROXIES", [])
# Pupils' accounts, messages and wall posts are deleted this many days after their
# exchange ends (exchanges/services/retention.py); their teacher is warned a week before.
JUMELAGE_PUPIL_RETENTION_DAYS = env_int("JUMELAGE_PUPIL_RETENTION_DAYS", 90)
if JUMELAGE_PUPIL_RETENTION_DAYS < 8:
    raise ImproperlyConfigured(
        "JUMELAGE_PUPIL_RETENTION_DAYS must be at least 8 (the teacher is warned a week before)"
    )
# Bytes of frames that may wait for one slow room socket before the server closes it with
# 4408 (exchanges/realtime/outbox.py); the page then reconnects and replays.
JUMELAGE_WS_SEND_QUEUE_BYTES = env_int("JUMELAGE_WS_SEND_QUEUE_BYTES", 1024 * 1024)
# Client frames one server process handles at once (all its room sockets); past it a frame
# is refused with a server_busy error (exchanges/realtime/admission.py). At 300 messages a
# second per process this is most of a second of queue: a process that far behind sheds
# load instead of letting every latency grow.
JUMELAGE_WS_FRAMES_IN_FLIGHT = env_int("JUMELAGE_WS_FRAMES_IN_FLIGHT", 256)
# Page origins (scheme://host[:port], comma-separated) whose WebSockets are accepted
# besides the socket's own origin (exchanges/realtime/origin.py): the site's public URL
# and the CSRF-trusted origins, and in DEBUG the development server's two names.
_SITE_ORIGIN = "{0.scheme}://{0.netloc}".format(urlsplit(JUMELAGE_SITE_URL))
JUMELAGE_WS_ALLOWED_ORIGINS = env_list(
    "JUMELAGE_WS_ALLOWED_ORIGINS",
    list(dict.fromkeys([
        *(["http://localhost:8000", "http://127.0.0.1:8000"] if DEBUG else []),
        _SITE_ORIGIN,
        *CSRF_TRUSTED_ORIGINS,
    ])),
)
# CI sets this so that tests needing PostgreSQL or Redis fail, never skip, without them.
JUMELAGE_REQUIRE_SERVICES = env_bool("JUMELAGE_REQUIRE_SERVICES", False)
JUMELAGE_TWINNINGS_CSV = BASE_DIR / "data" / "twinnings.csv"
JUMELAGE_DEMO_PASSWORD = "demo-pass-2027"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Calendar tokens and reset keys in a logged path become "…" (config/log_redaction.py).
    "filters": {"redact_secrets": {"()": "config.log_redaction.RedactSecrets"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Filtered where the record is made: Django's own console handler (DEBUG) and
        # mail_admins see it too.
        "django.request": {"filters": ["redact_secrets"]},
        # uvicorn's access lines (each request's path) go through the console, redacted;
        # configuring the logger here replaces uvicorn's own handler.
        "uvicorn.access": {"handlers": ["console"], "propagate": False},
    },
}
