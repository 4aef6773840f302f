"""Users and roles: Django auth with GOV.UK sign-in pages and role groups."""
