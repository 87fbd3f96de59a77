"""Language: ``?lang=`` (remembered in a cookie), then the cookie, then Accept-Language."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, Response, current_app, request
from flask_babel import get_locale, refresh

from noticeboard.extensions import babel

ONE_YEAR = 365 * 24 * 3600


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        return str(asked)
    remembered = request.cookies.get(current_app.config["LANGUAGE_COOKIE"])
    if remembered in languages:
        return str(remembered)
    return str(
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def url_for_language(code: str) -> str:
    """The current page in another language."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    return request.path + "?" + urlencode(args, doseq=True)


def register_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel caches the locale on `g`; a request that shares an app context with
    # another (a CLI or test context around it) must still choose its own language.
    app.before_request(refresh)

    @app.after_request
    def remember_language(response: Response) -> Response:
        asked = request.args.get("lang")
        # JSON answers set no cookie: a shared cache may store them, and the kiosk
        # screens that poll them name their language in the URL.
        if asked in app.config["LANGUAGES"] and not request.path.startswith("/api/"):
            response.set_cookie(
                app.config["LANGUAGE_COOKIE"],
                asked,
                max_age=ONE_YEAR,
                samesite="Lax",
                httponly=True,
                secure=app.config["SESSION_COOKIE_SECURE"],
            )
        return response

    @app.context_processor
    def language_helpers() -> dict[str, object]:
        return {
            "current_language": lambda: str(get_locale()),
            "url_for_language": url_for_language,
            "languages": (("zh", "中文"), ("en", "English")),
        }
