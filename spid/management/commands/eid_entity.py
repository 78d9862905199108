"""
`manage.py eid_entity [--rotate-keys]`: create or update our SPID/CIE relying party's federation
entity from the settings (keys made here, once per environment), and print what the trust
anchor's onboarding asks for: the entity id and the public federation keys.
"""

import json

from django.core.management.base import BaseCommand

from spid.entity import rp_entity_configure


class Command(BaseCommand):
    help = "Create or update the SPID/CIE relying party's federation entity (keys made per environment)."

    def add_arguments(self, parser):
        parser.add_argument("--rotate-keys", action="store_true", help="Replace the keys with new ones.")

    def handle(self, *args, rotate_keys=False, **options):
        entity = rp_entity_configure(rotate=rotate_keys)
        self.stdout.write(f"Entity id: {entity.sub}")
        self.stdout.write(f"Authority hints: {', '.join(entity.authority_hints)}")
        self.stdout.write("Public federation keys (for the trust anchor's onboarding):")
        self.stdout.write(json.dumps({"keys": entity.public_jwks}, indent=2))
