"""Write docs/cli.md from the CLI's own help."""

from pathlib import Path

from locus.cli import app
from locus.clidocs import cli_reference_markdown

path = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
path.write_text(cli_reference_markdown(app))
print(f"Wrote {path}")
