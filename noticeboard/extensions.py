"""Every extension object, created unbound and bound in ``create_app``."""

from __future__ import annotations

from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf import CSRFProtect

from noticeboard.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
# SimpleCache per process, or Redis when NOTICEBOARD_REDIS_URL is set (see config).
cache = Cache()
# storage_uri is set from configuration (memory:// or Redis) in create_app.
limiter = Limiter(key_func=get_remote_address)
# Security headers; configured in noticeboard.web.core.security.
talisman = Talisman()
