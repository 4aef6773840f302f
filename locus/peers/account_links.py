"""The firm contact's personal data on the "Your account" page (locus.accounts.account_page):
where to see, download or erase it. Registered in PeersConfig.ready()."""

from __future__ import annotations

from django.urls import reverse

from locus.accounts.account_page import AccountLink


def personal_data_links(user) -> list[AccountLink]:
    contact = getattr(user, "peer_contact", None)
    if contact is None or contact.erased_at is not None:
        return []
    return [AccountLink(reverse("peers:my_data"), "See or download your personal data",
                        f"What Locus holds about you as a contact of {contact.firm.name}."),
            AccountLink(reverse("peers:my_erase"), "Erase your personal data",
                        "Deletes your name, email address, phone number, job title, feedback "
                        "comments and this account.")]
