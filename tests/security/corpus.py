"""Hostile strings used by the security tests."""
from __future__ import annotations

XSS = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(1)>",
    "</textarea><script>alert(2)</script>",
    '<a href="javascript:alert(3)">klik</a>',
    "<iframe src=//evil.example></iframe>",
    "{{ 7*7 }} {% print(1) %} ${7*7}",
]

SQLI = [
    "'; DROP TABLE ticket; --",
    "\" OR \"1\"=\"1",
    "' OR '1'='1' --",
    "1; SELECT pg_sleep(5); --",
    "' UNION SELECT reporter_email, reporter_phone FROM ticket --",
    "admin'/*",
    "%' AND 1=CAST((SELECT version()) AS int) --",
    "\\'; DELETE FROM open311_key; --",
]
