"""JSON and XML bodies in the shapes the GeoReport v2 spec shows."""
from __future__ import annotations

import json
import re
from typing import Any
from xml.etree import ElementTree as ET

from litestar import Response

JSON_TYPE = "application/json"
XML_TYPE = "text/xml; charset=utf-8"
# Characters XML 1.0 cannot carry at all, even escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Plural element → the name of each item, as in the spec's examples.
ITEM_NAMES = {"services": "service", "service_requests": "request", "errors": "error", "attributes": "attribute",
              "values": "value", "endpoints": "endpoint", "formats": "format"}


def split_format(name: str) -> tuple[str, str] | None:
    """'ABCD.json' → ('ABCD', 'json'); None when the suffix is not json or xml."""
    stem, dot, ext = name.rpartition(".")
    if not dot or ext.lower() not in ("json", "xml") or not stem:
        return None
    return stem, ext.lower()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_INVALID.sub("", str(value))


def _append(parent: ET.Element, tag: str, value: Any) -> None:
    element = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, list):
        for item in value:
            _append(element, ITEM_NAMES.get(tag, "item"), item)
    else:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> bytes:
    """A list becomes <root><item/>…</root>; a dict becomes <root><key/>…</root>."""
    element = ET.Element(root)
    if isinstance(value, list):
        for item in value:
            _append(element, ITEM_NAMES.get(root, "item"), item)
    else:
        for key, item in value.items():
            _append(element, key, item)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8")


def render(value: Any, fmt: str, xml_root: str, status_code: int = 200) -> Response:
    if fmt == "xml":
        return Response(to_xml(xml_root, value), media_type=XML_TYPE, status_code=status_code)
    # <, > and & as \u escapes: still the same JSON, but never markup if something renders it as HTML.
    text = json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Response(text.encode("utf-8"), media_type=JSON_TYPE, status_code=status_code)


def render_errors(errors: list[tuple[int, str]], fmt: str, status_code: int, headers: dict[str, str] | None = None) -> Response:
    body = [{"code": code, "description": description} for code, description in errors]
    response = render(body, fmt, "errors", status_code)
    if headers:
        response.headers.update(headers)
    return response
