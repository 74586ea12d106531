"""The real app plus one bare endpoint, served by the same uvicorn setup for comparison."""
from litestar import get

from feedback.app import create_app
from feedback.settings import load_settings


@get("/bench/bare", include_in_schema=False)
async def bare() -> dict[str, bool]:
    return {"ok": True}


def create():
    app = create_app(load_settings())
    app.register(bare)
    return app
