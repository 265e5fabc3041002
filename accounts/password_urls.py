"""Our password reset view under Django's own URL name (no namespace), so that every
`{% url 'password_reset' %}`, ours and the admin's, reaches the one with limits."""

from django.urls import path

from accounts.views import LimitedPasswordResetView

urlpatterns = [
    path("password_reset/", LimitedPasswordResetView.as_view(), name="password_reset"),
]
