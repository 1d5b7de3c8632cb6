"""minutes layer."""
