"""Project middleware: Japanese first, and a short path for views that authenticate by bearer token."""

from __future__ import annotations

from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation


def japanese_first(get_response):
    """The browser's Accept-Language is ignored; the language switch (cookie) decides."""

    def middleware(request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return get_response(request)

    return middleware


def bearer_token_view(view):
    """Mark a view that authenticates every request itself with an `Authorization: Bearer` token.

    Such a view must not use the session, `request.user`, CSRF, messages or the language cookie:
    `bearer_token_views` below sends its requests past those layers.
    """
    view.sonae_bearer_token_view = True
    return view


def bearer_token_views(get_response):
    """Send requests for `bearer_token_view` views (the AI gateway, /v1/...) past the browser layers.

    Sits right after SecurityMiddleware. For a marked view the session, locale, common, CSRF,
    authentication, messages and allauth middleware only cost time (the full chain cost ~0.14 ms a
    call over none at all, this path ~0.065 ms; see bench/README.md): nothing of theirs is read. What is kept: SecurityMiddleware (HTTPS
    redirect, HSTS, nosniff, referrer and opener policies) runs before this, and X-Frame-Options and
    the Content-Security-Policy are added by the same middleware classes as on every page.
    Content-Length is set as CommonMiddleware does, so keep-alive clients get a plain response.
    Every other request, including unknown /v1/ paths (the normal 404 page), takes the full chain.
    """
    from csp.middleware import CSPMiddleware

    def call_view(request):
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)

    # The same wrapping as Django's own handler: each layer sees responses, never exceptions.
    short = convert_exception_to_response(call_view)
    short = convert_exception_to_response(CSPMiddleware(short))
    short = convert_exception_to_response(XFrameOptionsMiddleware(short))

    def middleware(request):
        if request.path_info.startswith("/v1/"):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "sonae_bearer_token_view", False):
                request.resolver_match = match
                translation.activate(settings.LANGUAGE_CODE)  # what a request without the language cookie gets
                response = short(request)
                if not response.streaming and not response.has_header("Content-Length"):
                    response.headers["Content-Length"] = str(len(response.content))
                return response
        return get_response(request)

    return middleware
