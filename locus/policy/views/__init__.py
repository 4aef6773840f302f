"""Policy pages: thin views that parse input, call selectors and services, and render."""
