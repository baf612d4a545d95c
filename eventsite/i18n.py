"""Languages: which one a request gets, the switch that remembers a choice, and the helpers.

The choice lives in a cookie, not a server-side session, so any app process can serve
any request. Emails are written in the language of the request that causes them.
"""

from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from flask import current_app, g, has_request_context, request, url_for
from flask_babel import get_locale, get_translations
from werkzeug.exceptions import HTTPException

from .urls import comeback_path

LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600


def supported_languages() -> list[str]:
    """Language codes the site speaks, the default first (EVENTSITE_LANGUAGES)."""
    return current_app.config["LANGUAGES"]


def formatting_locale(language: str) -> str:
    # A US site: US regional formats in every language ("EDT", "10:00 a.m." in Spanish).
    try:
        return str(Locale.parse(f"{language}_US"))
    except UnknownLocaleError:
        return language


def chosen_language() -> str:
    """The cookie's language if it is one we speak, else the browser's best match."""
    languages = supported_languages()
    if not has_request_context():
        return languages[0]
    g.language_negotiated = True  # this response depends on the request's language
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in languages:
        return cookie
    # Most preferred first, by primary subtag: "en-GB, es;q=0.8" is English, "es-419" Spanish.
    for tag, _quality in request.accept_languages:
        primary = tag.replace("_", "-").split("-")[0].lower()
        if primary in languages:
            return primary
    return languages[0]


def select_locale() -> str:
    """Flask-Babel's locale selector."""
    return formatting_locale(chosen_language())


def current_language() -> str:
    """'en' or 'es': the language of this request, for <html lang> and the switch."""
    locale = get_locale()
    return locale.language if locale else supported_languages()[0]


def _this_page() -> str:
    """Where the switch should come back to: this page, or the page its form came from."""
    if request.method == "GET":
        if g.get("page_path"):
            # A page shared between visitors (caching.py) names its own canonical URL.
            return g.page_path
        return comeback_path()
    try:  # a form's error page at a URL that also answers GET (the host's edit page)
        current_app.url_map.bind_to_environ(request.environ).match(request.path, method="GET")
        return request.path
    except HTTPException:
        pass
    # A form that only posts (the RSVP form): back to the page that showed it.
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/"):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return url_for("events.home")


def language_links() -> list[dict]:
    """The switch in the page header: each other language, named in itself, linking back here."""
    here = _this_page() if has_request_context() else "/"
    current = current_language()
    return [
        {
            "code": code,
            "name": Locale.parse(code).get_display_name(code).capitalize(),
            "url": url_for("site.choose_language", code=code, next=here),
        }
        for code in supported_languages()
        if code != current
    ]


def vary_on_language(response):
    """Tell caches that a page built for one language must not be served for another."""
    if g.get("language_negotiated"):
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response


def _page_translations():
    """This request's catalog, found once: a page asks for a hundred strings, and
    Flask-Babel would look up the locale and catalog again for each one."""
    translations = g.get("page_translations")
    if translations is None:
        translations = g.page_translations = get_translations()
    return translations


def register(app) -> None:
    app.jinja_env.install_gettext_callables(
        gettext=lambda text: _page_translations().ugettext(text),
        ngettext=lambda singular, plural, n: _page_translations().ungettext(singular, plural, n),
        pgettext=lambda context, text: _page_translations().upgettext(context, text),
        npgettext=lambda context, singular, plural, n: _page_translations().unpgettext(
            context, singular, plural, n
        ),
        newstyle=True,
    )
    app.after_request(vary_on_language)
    app.context_processor(
        lambda: {"html_lang": current_language(), "language_links": language_links}
    )
