"""The Jinja2 environment: Django's static/url helpers and the GOV.UK Frontend macros."""

from __future__ import annotations

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader

from locus.web.format import first_upper, format_number, in_sentence
from locus.web.navigation import capability_available, nav_items


def _url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options) -> Environment:
    options.pop("loader", None)
    env = Environment(**options)
    env.loader = ChoiceLoader([
        FileSystemLoader(str(settings.BASE_DIR / "locus" / "templates")),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}),
    ])
    env.globals.update(static=static, url=_url, nav_items=nav_items, get_messages=get_messages,
                       capability_available=capability_available, service_name="Locus")
    env.filters["number"] = format_number
    env.filters["first_upper"] = first_upper
    env.filters["in_sentence"] = in_sentence
    return env
