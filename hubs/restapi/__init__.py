"""
The REST API at /api/v1/ (Django REST framework, OpenAPI 3 by drf-spectacular), in the shared
layer: the token model and its back-office pages, the base every resource stands on
(`base.HubViewSet`), problem+json errors (`errors`), the schema's conventions (`schema`) and the
registry the apps fill from their own `<app>/api.py` (`registry`, whose docstring shows how).
"""
