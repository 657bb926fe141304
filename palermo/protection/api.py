"""API endpoints of the protection app (mounted at /api/protection/)."""

from ninja import Router

router = Router(tags=["protection"])
