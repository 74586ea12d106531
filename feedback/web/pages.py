"""Helpers for server-rendered pages: context with translations, language cookie."""
from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template

from feedback.web.i18n import get_lang, translator


def page(request: Request, template_name: str, status_code: int = 200, **context: Any) -> Template:
    lang = get_lang(request)
    response = Template(
        template_name=template_name,
        context={"t": translator(lang), "lang": lang, "other_lang": "en" if lang == "id" else "id", "path": request.url.path, **context},
        status_code=status_code,
    )
    if request.query_params.get("lang") in ("id", "en"):
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, httponly=True, samesite="lax")
    return response
