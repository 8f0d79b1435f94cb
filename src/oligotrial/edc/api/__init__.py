"""The REST API at ``/api/`` (django-ninja): the same services as the web pages, over HTTP.

Handlers are thin: parse (strict schemas), call one service, render. Errors have one shape,
``{"field": ..., "problem": ...}``; another site's resource answers 404 exactly like a
missing one. OpenAPI at ``/api/openapi.json``, a docs page at ``/api/docs``.
"""
