from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from locus.accounts.api_tokens import api_token_revoke, api_token_status
from locus.accounts.models import ApiToken
from locus.accounts.notices import password_changed_notify
from locus.accounts.throttle import sign_in_locked_error, sign_in_locked_until, sign_in_unlock

admin.site.site_header = "Locus administration"
admin.site.site_title = "Locus administration"
admin.site.index_title = "Users, roles and data"


class AdminSignInForm(AdminAuthenticationForm):
    """The admin site's sign-in: the authentication backend throttles it as it does the site's
    (``locus.accounts.backends``); a locked username is told why, not "enter the correct
    username and password"."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError as exc:
            locked = sign_in_locked_error(username=self.cleaned_data.get("username"))
            if exc.code == "invalid_login" and locked is not None:
                raise locked from None
            raise


admin.site.login_form = AdminSignInForm


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


class NoticedPasswordChangeForm(AdminPasswordChangeForm):
    """The admin site's "Change password" (or "Set password") form: once it is saved, the user's
    email address is told that an administrator changed the password, or turned password
    sign-in off (``locus.accounts.notices``)."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            password_changed_notify(user=user, how="admin")
        return user


@admin.register(User)
class LocusUserAdmin(UserAdmin):
    """Django's users admin, with each user's sign-in lock shown and an action to lift it: ten
    wrong passwords lock a username for 15 minutes (``locus.accounts.throttle``). Lifting needs
    the permission "Can lift the sign-in lock of a user" (``accounts.unlock_sign_in``), which
    the administrator role has."""

    list_display = (*UserAdmin.list_display, "sign_in_locked")
    change_password_form = NoticedPasswordChangeForm
    actions = ["unlock_sign_in"]

    @admin.display(description="Sign-in locked until")
    def sign_in_locked(self, user) -> str:
        until = sign_in_locked_until(username=user.get_username())
        return timezone.localtime(until).strftime("%H:%M, %d %b %Y") if until else "—"

    def has_unlock_sign_in_permission(self, request) -> bool:
        return request.user.has_perm("accounts.unlock_sign_in")

    @admin.action(description="Lift the sign-in lock of the selected users",
                  permissions=["unlock_sign_in"])
    def unlock_sign_in(self, request, queryset) -> None:
        lifted, not_locked = [], []
        for user in queryset.order_by("username"):
            if sign_in_unlock(username=user.get_username()) is None:
                not_locked.append(user.get_username())
            else:
                lifted.append(user.get_username())
                self.log_change(request, user, "Lifted the sign-in lock")
        if lifted:
            self.message_user(request, f"Sign-in lock lifted for {', '.join(lifted)}: they can "
                                       "sign in again now.", messages.SUCCESS)
        if not_locked:
            self.message_user(request, f"Not locked, so nothing to lift: {', '.join(not_locked)}.",
                              messages.INFO)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Personal API tokens: who has which, when each was last used, and an action to revoke
    them. The stored hash is never shown, and a token cannot be created or edited here (only its
    owner can create one, and sees it once; ``locus.accounts.api_token_views``)."""

    list_display = ("prefix_shown", "name", "user", "created_at", "expires_at", "last_used_at",
                    "status")
    list_filter = ("revoked_at", "expires_at")
    search_fields = ("name", "prefix", "user__username", "user__email")
    fields = ("user", "name", "prefix_shown", "created_at", "expires_at", "last_used_at",
              "revoked_at", "status")
    readonly_fields = fields
    actions = ["revoke"]

    @admin.display(description="Token starts")
    def prefix_shown(self, token: ApiToken) -> str:
        return f"{token.prefix}…"

    @admin.display(description="Status")
    def status(self, token: ApiToken) -> str:
        return api_token_status(token=token)

    def has_add_permission(self, request) -> bool:
        return False

    def has_revoke_permission(self, request) -> bool:
        return request.user.has_perm("accounts.change_apitoken")

    @admin.action(description="Revoke the selected API tokens", permissions=["revoke"])
    def revoke(self, request, queryset) -> None:
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token)
            self.log_change(request, token, "Revoked")
            revoked += 1
        self.message_user(request, f"{revoked} API token{'s' if revoked != 1 else ''} revoked: "
                                   "scripts using them now get a 401 answer.", messages.SUCCESS)
