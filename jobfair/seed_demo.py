"""
Demo job fair, loaded by `manage.py seed_demo` (idempotent: a hub with a fair gets none). Each
hub gets a published fair with its four focus areas, exhibitors of every kind (one pending),
stands proposed by area, workshops (one full with a waiting line), opportunities, young
visitors (a class among them), check-ins, shared contacts and a help request. The demo account
`exhibitor@<hub>.demo` (hubs/demo.py, with DEBUG on) acts for the first exhibitor.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from hubs.models import Membership, Role

from . import services
from .models import Fair, Opportunity, Registration

EXHIBITORS = [
    # name, kind, area slug, keywords, description
    (
        "Ordine delle Professioni Infermieristiche di Cremona",
        "professional_order",
        "cura",
        "infermiere, infermiera, sanità",
        "Chi è l'infermiere oggi, come si diventa, dove si lavora.",
    ),
    (
        "Università degli Studi di Pavia — Infermieristica Crema",
        "university",
        "cura",
        "infermiere, laurea, sanità",
        "Il corso di laurea in Infermieristica della sede di Crema.",
    ),
    (
        "Cooperativa Sociale Il Cerchio",
        "cooperative",
        "cura",
        "OSS, educatore, assistenza",
        "Operatori socio-sanitari ed educatori per servizi alla persona.",
    ),
    (
        "Cosmetica Cremasca S.p.A.",
        "company",
        "cosmetica",
        "chimico, laboratorio, produzione",
        "Laboratorio e produzione nella filiera cosmetica del distretto.",
    ),
    (
        "Enaip Lombardia — sede di Crema",
        "training_agency",
        "cosmetica",
        "estetista, acconciatore, corso",
        "Corsi di qualifica per estetista e acconciatore.",
    ),
    (
        "Digital Crema S.r.l.",
        "company",
        "smart-jobs",
        "sviluppatore, web, lavoro agile",
        "Sviluppo software e lavoro da remoto.",
    ),
    (
        "CGIL Cremona",
        "trade_union",
        "sblocco",
        "diritti, contratto, primo lavoro",
        "Il primo contratto: diritti e tutele.",
    ),
    (
        "Confartigianato Cremona",
        "employers",
        "sblocco",
        "apprendistato, artigianato, impresa",
        "Apprendistato e mestieri artigiani.",
    ),
]
WORKSHOPS = [
    # title, area slug, start hour, capacity
    ("Un giorno da infermiere", "cura", 9, 20),
    ("Il mio primo CV", "sblocco", 10, 4),
    ("Cosmetica: dal laboratorio allo scaffale", "cosmetica", 11, 25),
    ("Lavorare da remoto", "smart-jobs", 11, 25),
]
VISITORS = [
    ("Giulia", "Bianchi", 2006),
    ("Luca", "Ferrari", 2005),
    ("Sara", "Rossi", 2008),
    ("Omar", "Diallo", 2004),
    ("Elena", "Riva", 2007),
    ("Marco", "Bosio", 2003),
    ("Aisha", "Benali", 2006),
    ("Davide", "Conti", 2009),
]


def seed(*, hubs, count, pdf=True) -> None:
    for hub in hubs.values():
        created = not Fair.objects.for_hub(hub).exists()
        count("job fairs", created)
        if created:
            seed_hub(hub)


def seed_hub(hub) -> Fair:
    today = timezone.localdate()
    day = today + timedelta(days=30)
    fair = services.fair_create(
        hub=hub,
        data={
            "title": f"Il futuro è oggi — Job Fair {hub.municipality.name.split(' (')[0]}",
            "description": "Una giornata per incontrare aziende, scuole, università, enti e cooperative.",
            "venue": "Centro fieristico",
            "address": hub.address or hub.municipality.name,
            "date": day,
            "opens_at": time(9, 0),
            "closes_at": time(17, 0),
            "exhibitors_from": today - timedelta(days=30),
            "exhibitors_until": day - timedelta(days=7),
            "visitors_from": today - timedelta(days=10),
            "visitors_until": day,
            "capacity": 400,
        },
    )
    areas = {area.slug: area for area in fair.areas.all()}
    admin = get_user_model().objects.filter(memberships__hub=hub, memberships__role=Role.HUB_ADMIN).first()
    exhibitors = []
    listed = _demo_exhibitors(hub)
    for index, (name, kind, area, keywords, description) in enumerate(listed):
        exhibitor = services.exhibitor_register(
            fair=fair,
            name=name,
            kind=kind,
            area=areas[area],
            description=description,
            keywords=keywords,
            contact_name="Referente",
            contact_email=f"espositore{index}@{hub.slug}.demo",
        )
        if index < len(listed) - 1:  # the last one waits for the hub's decision
            services.exhibitor_approve(exhibitor=exhibitor, by=admin)
        exhibitors.append(exhibitor)
    for exhibitor in exhibitors[:-1]:
        exhibitor.refresh_from_db()
        Opportunity.objects.create(
            hub=hub,
            exhibitor=exhibitor,
            area=exhibitor.area,
            kind=Opportunity.Kind.JOB
            if exhibitor.organization.kind == "company"
            else Opportunity.Kind.COURSE,
            title=f"{exhibitor.keyword_list()[0].capitalize()} — opportunità",
            deadline=day + timedelta(days=30),
        )
    services.stands_create(fair=fair, rows=2, columns=6)
    services.stands_propose(fair=fair)
    workshops = []
    for title, area, hour, capacity in WORKSHOPS:
        starts = timezone.make_aware(datetime.combine(day, time(hour, 0)))
        workshops.append(
            fair.workshops.create(
                hub=hub,
                area=areas[area],
                title=title,
                room="Sala A",
                starts_at=starts,
                ends_at=starts + timedelta(minutes=50),
                capacity=capacity,
            )
        )
    services.fair_publish(fair=fair)
    registrations = []
    for first, last, year in VISITORS:
        registrations.append(
            services.registration_create(
                fair=fair,
                person_data={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{first.lower()}.{last.lower()}@{hub.slug}.demo",
                    "birth_date": datetime(year, 3, 15).date(),
                    "gender": "unsaid",
                    "status": "student",
                    "education": "lower_secondary",
                },
                notice_accepted=True,
            )
        )
    services.class_register(
        fair=fair,
        school="IIS Galileo Galilei",
        class_name="4B",
        teacher_name="Prof.ssa Maria Verdi",
        teacher_email=f"docente@{hub.slug}.demo",
        names=["Anna Galli", "Pietro Zanoni", "Nadia Kaur", "Tommaso Marchi"],
    )
    confirmed = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
    for registration in confirmed:  # the small CV workshop fills and gets a waiting line
        services.seat_request(registration=registration, workshop=workshops[1])
    for registration in confirmed[:3]:
        services.seat_request(registration=registration, workshop=workshops[0])
    for registration in confirmed[:2]:
        services.lead_share(
            registration=registration, exhibitor=exhibitors[0], share_email=True, share_phone=False
        )
    # "Vorrei un aiuto": lands as a desk request, and as a request for a Together We Work path
    services.help_request_create(registration=confirmed[0], kind="desk", consent=True, area=areas["cura"])
    if len(confirmed) > 1:
        services.help_request_create(
            registration=confirmed[1],
            kind="path",
            consent=True,
            message="Cerco un lavoro nel settore della cura.",
        )
    return fair


def _demo_exhibitors(hub) -> list[tuple]:
    """The fair's exhibitors: the organizations of the hub's demo exhibitor accounts, then the list."""
    own = [
        (
            m.organization.name,
            m.organization.kind,
            "cura",
            "OSS, educatore, infermiere",
            "Servizi alla persona: cerchiamo operatori socio-sanitari ed educatori.",
        )
        for m in Membership.objects.for_hub(hub).filter(role=Role.EXHIBITOR).select_related("organization")
    ]
    return own + EXHIBITORS
