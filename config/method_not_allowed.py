"""A page for a visit to an address that only answers a form's button (405).

Django's ``require_POST`` answers a GET with an empty 405, which browsers show as their
own error screen. People meet it after a sign-in: a button pressed on a page left open
until the session ended (accept a match, cancel a session) sends them to the sign-in
page, whose ``next`` then visits the button's address.
"""

from django.shortcuts import render


class MethodNotAllowedPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and request.method == "GET" and not response.content:
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response
