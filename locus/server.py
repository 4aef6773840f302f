"""Run the WSGI app under gunicorn, a production-grade server, from the `locus serve` command."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from config.wsgi import application

        return application


def run_gunicorn(*, host: str, port: int, workers: int) -> None:
    _Gunicorn({
        "bind": f"{host}:{port}",
        "workers": workers,
        "accesslog": "-",
        "timeout": 60,
        "control_socket_disable": True,
        # GET forms carry every field in the URL (the consortium checker: up to 20 organisations);
        # gunicorn's default request line of 4,094 bytes cut a 20-organisation check off with a
        # bare 414. 8,190 is the largest bounded value gunicorn accepts.
        "limit_request_line": 8190,
    }).run()
