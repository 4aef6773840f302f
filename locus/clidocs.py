"""Generate docs/cli.md from the `locus` command tree (a test fails when the file drifts)."""

from __future__ import annotations

from pathlib import Path

import typer
from typer._click import Context  # typer vendors click; pinned by uv.lock

from locus.cli_support import EXIT_STATUSES

REPO_ROOT = Path(__file__).resolve().parent.parent
HEADER = ("# `locus` command reference\n\n"
          "Generated from the code by `make docs` (`scripts/gen_cli_docs.py`); do not edit by hand.\n\n"
          f"Each command's `--help` ends with its exit statuses (ADR 0031). {EXIT_STATUSES} "
          "`collaboration check` and the `groups` commands also exit 1 when the consortium fails a "
          "required check or no grouping keeps every rule.\n")


def _walk(command, path: list[str]) -> list[str]:
    ctx = Context(command, info_name=" ".join(path))
    lines = [f"\n## `{' '.join(path)}`\n", (command.help or "").strip().split("\n\n")[0] + "\n"]
    usage = command.collect_usage_pieces(ctx)
    lines.append(f"```\n{' '.join(path)} {' '.join(usage)}\n```\n")
    params = [p for p in command.params if p.name != "help"]
    if params:
        lines.append("| option or argument | help |\n|---|---|")
        for param in params:
            record = param.get_help_record(ctx) if param.param_type_name == "option" else None
            name, text = record if record else (param.name.upper(), getattr(param, "help", None) or "")
            text = text.replace("|", "\\|").replace("\n", " ")
            lines.append(f"| `{name}` | {text} |")
        lines.append("")
    if hasattr(command, "list_commands"):
        for name in sorted(command.list_commands(ctx)):
            lines += _walk(command.get_command(ctx, name), [*path, name])
    return lines


def cli_reference_markdown(app: typer.Typer) -> str:
    text = HEADER + "\n".join(_walk(typer.main.get_command(app), ["locus"])) + "\n"
    # Defaults inside the checkout are shown relative to it, so the file is the same everywhere.
    return text.replace(str(REPO_ROOT) + "/", "")
