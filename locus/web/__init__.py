"""The web shell: layout, home page, data sources page and error pages."""
