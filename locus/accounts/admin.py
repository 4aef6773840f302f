from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from locus.accounts.throttle import sign_in_locked_error

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
