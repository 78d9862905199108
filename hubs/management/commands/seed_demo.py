"""
`manage.py seed_demo`: load the demo territory (hubs.demo) and, in DEBUG, the demo accounts.

Idempotent: rows are looked up by their natural keys (slugs, names, e-mails) and only the
missing ones are created. Existing rows are never overwritten, so whatever someone changed
in the back office stays as it is, and existing users keep their password. The only
additions to existing rows are the links the demo needs to work: an organization's demo
hubs, and the verified e-mail address of a demo account.
"""

from importlib import import_module

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from hubs import demo, services
from hubs.models import Antenna, Hub, Membership, Municipality, Network, Organization, SubArea

REFUSAL = (
    "Demo accounts share a published password, so they are created only when DEBUG is True. "
    "Run `seed_demo --no-accounts` to load the demo territory without them."
)


class Command(BaseCommand):
    help = (
        "Load the demo territory (network, hubs, municipalities, sub-areas, antennas, "
        "organizations) and, when DEBUG is True, one demo account per role in each hub."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when any hub already exists.",
        )
        parser.add_argument(
            "--no-accounts",
            action="store_true",
            help="Load the territory only, without demo accounts (allowed when DEBUG is False).",
        )
        parser.add_argument(
            "--no-pdf",
            action="store_true",
            help="Render no PDF (last month's monitoring reports take seconds each): for tests.",
        )

    def handle(self, *args, if_empty=False, no_accounts=False, no_pdf=False, **options):
        if if_empty and Hub.objects.exists():
            self.stdout.write("Hubs already exist: demo data not loaded (--if-empty).")
            return
        if not no_accounts and not settings.DEBUG:
            raise CommandError(REFUSAL)

        self.tally = {}
        with transaction.atomic():
            hubs = self.seed_territory()
            new_accounts = [] if no_accounts else self.seed_accounts(hubs)
            self.seed_apps(hubs, pdf=not no_pdf)
        self.report(new_accounts, no_accounts)

    def seed_apps(self, hubs: dict[str, Hub], *, pdf: bool) -> None:
        """
        Each app may add its demo content in `<app>/seed_demo.py`: a `seed(*, hubs, count, pdf)`,
        where `count(label, created)` tallies what it made and `pdf=False` asks it to render no
        PDF (`--no-pdf`).
        """
        for app in apps.get_app_configs():
            if module_has_submodule(app.module, "seed_demo"):
                import_module(f"{app.name}.seed_demo").seed(hubs=hubs, count=self.count, pdf=pdf)

    # --- helpers -------------------------------------------------------------------------

    def count(self, label: str, created: bool) -> None:
        counts = self.tally.setdefault(label, [0, 0])
        counts[0 if created else 1] += 1

    def get_or_create(self, label: str, model, lookup: dict, defaults: dict):
        """The row matching `lookup`, or a new validated one with `defaults` too."""
        obj = model.objects.filter(**lookup).first()
        created = obj is None
        if created:
            obj = model(**lookup, **defaults)
            obj.full_clean()
            obj.save()
        self.count(label, created)
        return obj, created

    # --- territory -----------------------------------------------------------------------

    def seed_territory(self) -> dict[str, Hub]:
        network, _ = self.get_or_create(
            "networks", Network, {"slug": demo.NETWORK["slug"]}, {"name": demo.NETWORK["name"]}
        )
        municipalities = {
            name: self.get_or_create(
                "municipalities", Municipality, {"name": name, "province": demo.PROVINCE}, {}
            )[0]
            for name in demo.MUNICIPALITIES
        }

        hubs = {}
        for data in demo.HUBS:
            data = dict(data)
            slug = data.pop("slug")
            data["municipality"] = municipalities[data["municipality"]]
            hubs[slug], _ = self.get_or_create("hubs", Hub, {"slug": slug}, {"network": network, **data})

        sub_areas = {}
        for slug, rows in demo.SUB_AREAS.items():
            for name, description, members in rows:
                sub_area, created = self.get_or_create(
                    "sub-areas",
                    SubArea,
                    {"hub": hubs[slug], "name": name},
                    {"description": description},
                )
                if created:
                    # Only a new sub-area gets its comuni: moving a comune to another
                    # sub-area in the back office must survive a rerun.
                    sub_area.municipalities.set([municipalities[m] for m in members])
                sub_areas[slug, name] = sub_area

        for slug, rows in demo.ANTENNAS.items():
            for data in rows:
                data = dict(data)
                name = data.pop("name")
                data["municipality"] = municipalities[data["municipality"]]
                data["sub_area"] = sub_areas[slug, data["sub_area"]]
                self.get_or_create("antennas", Antenna, {"hub": hubs[slug], "name": name}, data)

        for data in demo.ORGANIZATIONS:
            data = dict(data)
            name = data.pop("name")
            wanted_hubs = [hubs[slug] for slug in data.pop("hubs")]
            if data.get("municipality"):
                data["municipality"] = municipalities[data["municipality"]]
            organization, _ = self.get_or_create("organizations", Organization, {"name": name}, data)
            linked = set(organization.hubs.values_list("pk", flat=True))
            missing = [hub for hub in wanted_hubs if hub.pk not in linked]
            if missing:
                organization.hubs.add(*missing)
        return hubs

    # --- accounts ------------------------------------------------------------------------

    def seed_accounts(self, hubs: dict[str, Hub]) -> list[str]:
        """One account per role in each hub; returns the e-mails of the accounts created."""
        User = get_user_model()
        new_accounts = []
        for slug, role, first_name, last_name, organization_name in demo.DEMO_ACCOUNTS:
            hub = hubs[slug]
            email = demo.demo_email(role, slug)
            user = User.objects.filter(email__iexact=email).first()
            created = user is None
            if created:
                user = User.objects.create_user(
                    email=email,
                    password=demo.DEMO_PASSWORD,
                    first_name=first_name,
                    last_name=last_name,
                )
                new_accounts.append(email)
            self.count("accounts", created)
            self.verify_email(user)

            has_membership = Membership.objects.for_hub(hub).filter(user=user).exists()
            if not has_membership:
                organization = None
                if organization_name:
                    organization = Organization.objects.for_hub(hub).filter(name=organization_name).first()
                services.membership_create(hub=hub, user=user, role=role, organization=organization)
            self.count("memberships", not has_membership)
        return new_accounts

    def verify_email(self, user) -> None:
        """Demo accounts log in at once: their e-mail address is verified."""
        address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
        if address is None:
            has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=not has_primary)
        elif not address.verified:
            address.verified = True
            address.save(update_fields=["verified"])

    # --- output --------------------------------------------------------------------------

    def report(self, new_accounts: list[str], no_accounts: bool) -> None:
        self.stdout.write("Demo data:")
        for label, (created, existing) in self.tally.items():
            self.stdout.write(f"  {label:<15}{created:>4} created, {existing:>4} already there")
        if no_accounts:
            self.stdout.write("Demo accounts not created (--no-accounts).")
        elif new_accounts:
            self.stdout.write(f"New demo accounts (password: {demo.DEMO_PASSWORD}):")
            for email in new_accounts:
                self.stdout.write(f"  {email}")
        created = sum(counts[0] for counts in self.tally.values())
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {created} rows created."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo data already in place: nothing created."))
