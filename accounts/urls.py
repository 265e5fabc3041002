from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("second-factor/", views.second_factor_verify, name="second-factor"),
    path("second-factor/set-up/", views.second_factor_setup, name="second-factor-setup"),
    path(
        "second-factor/set-up/qr-code.svg",
        views.second_factor_qr_code,
        name="second-factor-qr-code",
    ),
    path("second-factor/recovery-codes/", views.recovery_codes, name="recovery-codes"),
]
