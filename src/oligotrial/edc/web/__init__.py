"""The web application for site staff: login, the site home, languages (English, Chinese).

Thin views over read-only query functions and the services; templates with Django's
engine; htmx for partial updates (every page also works without JavaScript).
"""
