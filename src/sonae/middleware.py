"""Japanese first: the browser's Accept-Language is ignored; the language switch (cookie) decides."""


def japanese_first(get_response):
    def middleware(request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return get_response(request)

    return middleware
