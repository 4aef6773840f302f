from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "locus.accounts"
    label = "accounts"
    verbose_name = "Users and roles"
