"""How Palermo runs in production: the gunicorn configuration behind `palermo serve`."""
