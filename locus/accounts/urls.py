from django.contrib.auth import views as auth_views
from django.urls import path

from locus.accounts import account_views, api_token_views, views

app_name = "accounts"
urlpatterns = [
    path("", account_views.account, name="account"),
    path("password/", account_views.ChangePasswordView.as_view(), name="password_change"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.sign_out_confirm, name="logout_confirm"),
    path("sign-out/confirm/", views.SignOutView.as_view(), name="logout"),
    path("signed-out/", views.signed_out, name="signed_out"),
    path("confirm-email/", views.confirm_email_resend, name="confirm_email_resend"),
    path("confirm-email/sent/", views.confirm_email_sent, name="confirm_email_sent"),
    path("confirm-email/<str:token>/", views.confirm_email, name="confirm_email"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("password-reset/", views.ResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.ResetSentView.as_view(), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.ResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"), name="password_reset_complete"),
]

# personal API tokens (locus.accounts.api_token_views)
urlpatterns += [
    path("api-tokens/", api_token_views.api_token_list, name="api_tokens"),
    path("api-tokens/new/", api_token_views.api_token_new, name="api_token_new"),
    path("api-tokens/<int:token_id>/revoke/", api_token_views.api_token_revoke_view,
         name="api_token_revoke"),
]
