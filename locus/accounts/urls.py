from django.urls import path

from locus.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.sign_out_confirm, name="logout_confirm"),
    path("sign-out/confirm/", views.SignOutView.as_view(), name="logout"),
]
