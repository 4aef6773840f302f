from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "locus.peers"
    label = "peers"
    verbose_name = "Peer networks"

    def ready(self) -> None:
        from locus.peers.grants import grants_register

        grants_register()
