"""
`localfed_prepare --rp URL`: migrate, load the demo data of this process's role with the ports
rewritten, give the demo users coherent attributes, and (trust anchor) register the relying
party at URL with the public keys of its own entity configuration.
"""

import json
import os
import tempfile
from datetime import date
from pathlib import Path

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from spid_cie_oidc.entity.jwtse import unpad_jwt_payload

DUMPS = Path(__file__).resolve().parent.parent.parent / "dumps"
FISCAL_CODE = "TINIT-RSSNTN90A01D142X"  # the demo person of both providers


def thirteen_years_ago() -> str:
    today = date.today()
    return date(today.year - 13, 1, 1).isoformat()


class Command(BaseCommand):
    help = "Prepare this local federation process's database (spid.localfed)."

    def add_arguments(self, parser):
        parser.add_argument("--rp", required=True, help="The relying party's entity id (the portal's URL).")

    def handle(self, *args, rp, **options):
        ta, cie_op = settings.TA, settings.CIE_OP
        call_command("migrate", verbosity=0)
        text = (DUMPS / f"{settings.ROLE}.json").read_text()
        for old, new in (
            ("http://127.0.0.1:8000", "@@TA@@"),
            ("http://127.0.0.1:8002/oidc/op", "@@CIE@@"),
            ("http://127.0.0.1:8001", "@@RP@@"),
        ):
            text = text.replace(old, new)
        text = text.replace("@@TA@@", ta).replace("@@CIE@@", cie_op).replace("@@RP@@", rp.rstrip("/"))
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as dump:
            dump.write(text)
        try:
            call_command("loaddata", dump.name, verbosity=0)
        finally:
            os.unlink(dump.name)
        self.users_prepare()
        self.provider_name()
        if settings.ROLE == "ta":
            self.relying_party_register(rp.rstrip("/"))

    def provider_name(self):
        """The name the portal's buttons show: which demo provider this is."""
        from spid_cie_oidc.entity.models import FederationEntityConfiguration

        name = "SPID di prova (locale)" if settings.ROLE == "ta" else "CIE di prova (locale)"
        for entity in FederationEntityConfiguration.objects.filter(entity_type="openid_provider"):
            entity.metadata["openid_provider"]["organization_name"] = name
            entity.save()

    def users_prepare(self):
        users = get_user_model().objects
        person = {
            "given_name": "Antonio",
            "family_name": "Rossi",
            "email": "antonio.rossi@example.org",
            "birthdate": "1990-01-01",
            "https://attributes.eid.gov.it/fiscal_number": FISCAL_CODE,
        }
        for user in users.filter(username__in=["user", "admin"]):
            attributes = dict(user.attributes or {})
            if user.username == "user":
                attributes.update(person)
            user.attributes = attributes
            user.save()
        if settings.ROLE == "ta":
            minor, _ = users.get_or_create(username="minore")
            minor.set_password("oidcminore")
            minor.attributes = {
                **person,
                "given_name": "Luca",
                "family_name": "Bianchi",
                "email": "luca.bianchi@example.org",
                "birthdate": thirteen_years_ago(),
                "https://attributes.eid.gov.it/fiscal_number": "TINIT-BNCLCU13A01D142Y",
            }
            minor.save()

    def relying_party_register(self, rp: str):
        from spid_cie_oidc.authority.models import FederationDescendant

        answer = requests.get(f"{rp}/.well-known/openid-federation", timeout=10)
        answer.raise_for_status()
        configuration = unpad_jwt_payload(answer.text)
        descendant = FederationDescendant.objects.get(sub=rp)
        descendant.jwks = configuration["jwks"]["keys"]
        descendant.name = configuration["metadata"]["federation_entity"]["organization_name"]
        descendant.is_active = True
        descendant.save()
        self.stdout.write(json.dumps({"registered": rp, "kids": [k["kid"] for k in descendant.jwks]}))
