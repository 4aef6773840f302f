from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "locus.peers"
    label = "peers"
    verbose_name = "Peer networks"

    def ready(self) -> None:
        from locus.accounts.account_page import account_links_register
        from locus.peers.account_links import personal_data_links
        from locus.peers.grants import grants_register

        grants_register()
        account_links_register("Your personal data", personal_data_links)
