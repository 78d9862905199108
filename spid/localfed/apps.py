from django.apps import AppConfig


class LocalFederationConfig(AppConfig):
    name = "spid.localfed"
    label = "localfed"
