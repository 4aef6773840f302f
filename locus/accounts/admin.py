from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.utils import timezone

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


@admin.register(User)
class LocusUserAdmin(UserAdmin):
    """Django's users admin, with each user's sign-in lock shown and an action to lift it: ten
    wrong passwords lock a username for 15 minutes (``locus.accounts.throttle``). Lifting needs
    the permission "Can lift the sign-in lock of a user" (``accounts.unlock_sign_in``), which
    the administrator role has."""

    list_display = (*UserAdmin.list_display, "sign_in_locked")
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
