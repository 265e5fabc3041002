"""Request middleware of the actions app."""

from actions.permissions import once_per_request


class AccessMiddleware:
    """Resolves each user's access (`actions.permissions.access_for`) at most once per
    request, however many querysets of the permissions module the request asks for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with once_per_request():
            return self.get_response(request)
