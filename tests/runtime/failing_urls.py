"""Palermo's URLs plus one view that fails, to see what a user gets when a view has a bug."""

from django.urls import path

from palermo.urls import urlpatterns as palermo_urlpatterns


def view_with_a_bug(request):
    raise RuntimeError("a bug in a view; its details must not reach the user")


urlpatterns = [path("bug/", view_with_a_bug), *palermo_urlpatterns]
