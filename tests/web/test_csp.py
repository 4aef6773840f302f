"""Content-Security-Policy on every response: only the site's own scripts, and GOV.UK Frontend's one
inline line with this response's nonce (locus/web/csp.py)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/atlas/", "/places/", "/policy/", "/collaboration/", "/peers/",
                                  "/accounts/sign-in/", "/api/v1/docs", "/api/v1/indicators", "/places/E99999999/"])
def test_every_response_sends_the_policy(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'" and directives["base-uri"] == "'self'"
    script = directives["script-src"].split()
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert not any(s.startswith(("http", "*")) for s in script)  # nothing from another site


def test_the_inline_script_carries_this_responses_nonce_and_no_other_script_is_inline(client):
    first, second = client.get("/"), client.get("/")
    nonces = []
    for response in (first, second):
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        page = response.content.decode()
        inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
        assert inline == [f' nonce="{nonce}"'], inline  # GOV.UK Frontend's js-enabled line only
        assert not re.search(r"\son[a-z]+=", page)  # no inline event handlers
        nonces.append(nonce)
    assert nonces[0] != nonces[1] and len(nonces[0]) >= 16  # fresh for each response
