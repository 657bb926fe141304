"""API endpoints of the intel app (mounted at /api/intel/)."""

from ninja import Router

router = Router(tags=["intel"])
