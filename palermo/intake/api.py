"""API endpoints of the intake app (mounted at /api/intake/)."""

from ninja import Router

router = Router(tags=["intake"])
