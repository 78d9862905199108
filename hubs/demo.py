"""
The demo territory loaded by `manage.py seed_demo`: plain data, no database code.

Names of places, schools and project partners are real; addresses, opening hours, phone
numbers and e-mail addresses are demo values, not the official ones. Nothing here is meant
for production: replace it with the hubs' own data through the back office.
"""

NETWORK = {
    "slug": "lombardia",
    "name": "Lombardia – Rete regionale dei servizi di orientamento",
}

PROVINCE = "CR"

# The comuni of the Cremasco district (the territory of the Orientagiovani of Crema).
CREMASCO = (
    "Agnadello",
    "Bagnolo Cremasco",
    "Camisano",
    "Campagnola Cremasca",
    "Capergnanica",
    "Capralba",
    "Casale Cremasco-Vidolasco",
    "Casaletto Ceredano",
    "Casaletto di Sopra",
    "Casaletto Vaprio",
    "Castel Gabbiano",
    "Castelleone",
    "Chieve",
    "Credera Rubbiano",
    "Crema",
    "Cremosano",
    "Cumignano sul Naviglio",
    "Dovera",
    "Fiesco",
    "Gombito",
    "Izano",
    "Madignano",
    "Monte Cremasco",
    "Montodine",
    "Moscazzano",
    "Offanengo",
    "Palazzo Pignano",
    "Pandino",
    "Pianengo",
    "Pieranica",
    "Quintano",
    "Ricengo",
    "Ripalta Arpina",
    "Ripalta Cremasca",
    "Ripalta Guerina",
    "Rivolta d'Adda",
    "Romanengo",
    "Salvirola",
    "Sergnano",
    "Soncino",
    "Spino d'Adda",
    "Ticengo",
    "Torlino Vimercati",
    "Trescore Cremasco",
    "Trigolo",
    "Vaiano Cremasco",
    "Vailate",
)

# Every municipality row of the demo, all in the province of Cremona.
MUNICIPALITIES = (*CREMASCO, "Cremona")

_SERVICES = "\n".join(
    (
        "Orientamento scolastico",
        "Orientamento al lavoro",
        "Curriculum e lettera di presentazione",
        "Ricerca attiva del lavoro",
        "Informazioni su corsi, bandi e opportunità",
    )
)

HUBS = (
    {
        "slug": "crema",
        "name": "Orientagiovani Crema",
        "municipality": "Crema",
        "is_lead": True,
        "description": (
            "Il servizio di orientamento per i giovani del Cremasco: ti aiutiamo a scegliere "
            "la scuola, a cercare lavoro e a costruire il tuo progetto, in sede, nelle "
            "antenne del territorio e online."
        ),
        "services": _SERVICES,
        "address": "Via Civerchi 9, 26013 Crema",
        "opening_hours": ("Lunedì–Venerdì 9:30–12:30\nMartedì e Giovedì 14:30–17:30\nSabato su appuntamento"),
        "email": "orientagiovani.crema@younginprogress.demo",
        "phone": "0373 000 100",
    },
    {
        "slug": "cremona",
        "name": "Informagiovani Cremona",
        "municipality": "Cremona",
        "is_lead": False,
        "description": (
            "Lo sportello per i giovani di Cremona: informazioni su studio, lavoro, "
            "formazione e opportunità, con colloqui di orientamento su appuntamento."
        ),
        "services": _SERVICES,
        "address": "Via Palestro 11, 26100 Cremona",
        "opening_hours": "Lunedì–Venerdì 10:00–13:00\nMercoledì 14:30–18:00",
        "email": "informagiovani.cremona@younginprogress.demo",
        "phone": "0372 000 200",
    },
)

# Sub-areas per hub slug: (name, description, municipalities).
# DEMO GROUPING: the Cremasco comuni are grouped by geography for the demo only. Replace it
# with the official sub-ambiti of the Piano di Zona before using the portal for real pacts.
SUB_AREAS = {
    "crema": (
        ("Crema", "La città di Crema.", ("Crema",)),
        (
            "Crema Ovest",
            "I comuni a ovest e a nord-ovest della città.",
            (
                "Bagnolo Cremasco",
                "Capergnanica",
                "Chieve",
                "Monte Cremasco",
                "Palazzo Pignano",
                "Vaiano Cremasco",
            ),
        ),
        (
            "Pandino e Adda",
            "I comuni lungo l'Adda, al confine con le province di Milano, Lodi e Bergamo.",
            ("Agnadello", "Dovera", "Pandino", "Rivolta d'Adda", "Spino d'Adda"),
        ),
        (
            "Vailate e Pieranica",
            "I comuni del Cremasco nord-occidentale.",
            (
                "Capralba",
                "Casaletto Vaprio",
                "Pieranica",
                "Quintano",
                "Torlino Vimercati",
                "Trescore Cremasco",
                "Vailate",
            ),
        ),
        (
            "Sergnano e Serio Nord",
            "I comuni lungo il Serio a nord di Crema.",
            (
                "Camisano",
                "Campagnola Cremasca",
                "Casale Cremasco-Vidolasco",
                "Castel Gabbiano",
                "Cremosano",
                "Pianengo",
                "Ricengo",
                "Sergnano",
            ),
        ),
        (
            "Soncino e Romanengo",
            "I comuni del Cremasco nord-orientale, verso l'Oglio.",
            (
                "Casaletto di Sopra",
                "Cumignano sul Naviglio",
                "Izano",
                "Offanengo",
                "Romanengo",
                "Salvirola",
                "Soncino",
                "Ticengo",
            ),
        ),
        (
            "Castelleone",
            "I comuni del Cremasco sud-orientale.",
            ("Castelleone", "Fiesco", "Gombito", "Madignano", "Ripalta Arpina", "Trigolo"),
        ),
        (
            "Montodine e Basso Serio",
            "I comuni lungo il Serio a sud di Crema, fino all'Adda.",
            (
                "Casaletto Ceredano",
                "Credera Rubbiano",
                "Montodine",
                "Moscazzano",
                "Ripalta Cremasca",
                "Ripalta Guerina",
            ),
        ),
    ),
    "cremona": (("Cremona città", "La città di Cremona.", ("Cremona",)),),
}

# Places where each hub meets young people. Kinds: "centre", "antenna", "local_point".
ANTENNAS = {
    "crema": (
        {
            "name": "Centro Orientagiovani Crema",
            "kind": "centre",
            "municipality": "Crema",
            "sub_area": "Crema",
            "address": "Via Civerchi 9, 26013 Crema",
            "opening_hours": "Lunedì–Venerdì 9:30–12:30\nMartedì e Giovedì 14:30–17:30",
            "is_active": True,
        },
        {
            "name": "Antenna di Castelleone",
            "kind": "antenna",
            "municipality": "Castelleone",
            "sub_area": "Castelleone",
            "address": "Via Roma 2, 26012 Castelleone",
            "opening_hours": "Martedì 14:30–17:30\nGiovedì 9:30–12:30",
            "is_active": True,
        },
        {
            "name": "Antenna di Pandino",
            "kind": "antenna",
            "municipality": "Pandino",
            "sub_area": "Pandino e Adda",
            "address": "Via Castello 15, 26025 Pandino",
            "opening_hours": "Mercoledì 14:30–17:30",
            "is_active": True,
        },
        {
            "name": "Antenna di Soncino",
            "kind": "antenna",
            "municipality": "Soncino",
            "sub_area": "Soncino e Romanengo",
            "address": "Piazza Garibaldi 1, 26029 Soncino",
            "opening_hours": "Lunedì 14:30–17:30\nVenerdì 9:30–12:30",
            "is_active": True,
        },
        {
            "name": "Antenna di Rivolta d'Adda",
            "kind": "antenna",
            "municipality": "Rivolta d'Adda",
            "sub_area": "Pandino e Adda",
            "address": "Piazza Vittorio Emanuele II 1, 26027 Rivolta d'Adda",
            "opening_hours": "Giovedì 14:30–17:30",
            # A closed antenna, to show how inactive places look.
            "is_active": False,
        },
        {
            "name": "Punto giovani di Offanengo",
            "kind": "local_point",
            "municipality": "Offanengo",
            "sub_area": "Soncino e Romanengo",
            "address": "Via Roma 1, 26010 Offanengo",
            "opening_hours": "Sabato 9:30–12:00",
            "is_active": True,
        },
    ),
    "cremona": (
        {
            "name": "Punto giovani Cremona Centro",
            "kind": "local_point",
            "municipality": "Cremona",
            "sub_area": "Cremona città",
            "address": "Corso Campi 20, 26100 Cremona",
            "opening_hours": "Martedì 15:00–18:00\nGiovedì 15:00–18:00",
            "is_active": True,
        },
    ),
}

# Organizations, keyed by name. `hubs` are the slugs of the hubs each one works with.
ORGANIZATIONS = (
    # The seven partners of the project.
    {
        "name": "Comune di Crema",
        "kind": "municipality",
        "municipality": "Crema",
        "is_project_partner": True,
        "hubs": ("crema",),
    },
    {
        "name": "Comune di Cremona",
        "kind": "municipality",
        "municipality": "Cremona",
        "is_project_partner": True,
        "hubs": ("cremona", "crema"),
    },
    {
        "name": "Ass. Insieme per la Famiglia OdV",
        "kind": "association",
        "is_project_partner": True,
        "hubs": ("crema",),
    },
    {
        "name": "Consorzio Mestieri Lombardia SCS",
        "kind": "cooperative",
        "is_project_partner": True,
        "hubs": ("crema", "cremona"),
    },
    {
        "name": "Consorzio sul Serio SCS",
        "kind": "cooperative",
        "is_project_partner": True,
        "hubs": ("crema",),
    },
    {
        "name": "Igea SCS",
        "kind": "cooperative",
        "is_project_partner": True,
        "hubs": ("crema", "cremona"),
    },
    {
        "name": "Koala SCS",
        "kind": "cooperative",
        "is_project_partner": True,
        "hubs": ("crema",),
    },
    # Schools of the Job Club (action 4): technical and vocational institutes, and a liceo.
    {
        "name": "IIS Galileo Galilei",
        "kind": "school",
        "school_type": "technical",
        "municipality": "Crema",
        "hubs": ("crema",),
    },
    {
        "name": "IIS Luca Pacioli",
        "kind": "school",
        "school_type": "technical",
        "municipality": "Crema",
        "hubs": ("crema",),
    },
    {
        "name": "IIS Piero Sraffa",
        "kind": "school",
        "school_type": "vocational",
        "municipality": "Crema",
        "hubs": ("crema",),
    },
    {
        "name": "Liceo Racchetti-da Vinci",
        "kind": "school",
        "school_type": "liceo",
        "municipality": "Crema",
        "hubs": ("crema",),
    },
    {
        "name": "IIS Janello Torriani",
        "kind": "school",
        "school_type": "technical",
        "municipality": "Cremona",
        "hubs": ("cremona",),
    },
)

PROJECT_PARTNERS = tuple(o["name"] for o in ORGANIZATIONS if o.get("is_project_partner"))

# Demo accounts exist only where settings.DEBUG is True. One password for all of them.
DEMO_PASSWORD = "yip-demo-2026"

# Roles in the order they are listed; the values of hubs.models.Role.
DEMO_ROLES = ("hub_admin", "operator", "partner", "school", "steering", "regional", "exhibitor")


def demo_email(role: str, hub_slug: str) -> str:
    return f"{role}@{hub_slug}.demo"


# One account per role in each hub: (hub slug, role, first name, last name, organization).
# Partner, school and exhibitor roles act for an organization that works with the hub.
DEMO_ACCOUNTS = (
    ("crema", "hub_admin", "Giulia", "Bonfanti", None),
    ("crema", "operator", "Marco", "Riboli", None),
    ("crema", "partner", "Chiara", "Bettinelli", "Koala SCS"),
    ("crema", "school", "Paolo", "Ogliari", "IIS Galileo Galilei"),
    ("crema", "steering", "Anna", "Fusar Poli", None),
    ("crema", "regional", "Luca", "Cattaneo", None),
    ("cremona", "hub_admin", "Francesca", "Mainardi", None),
    ("cremona", "operator", "Davide", "Zanacchi", None),
    ("cremona", "partner", "Sara", "Ghisolfi", "Consorzio Mestieri Lombardia SCS"),
    ("cremona", "school", "Stefano", "Bodini", "IIS Janello Torriani"),
    ("cremona", "steering", "Elena", "Soldi", None),
    ("cremona", "regional", "Matteo", "Ferrari", None),
    # a job fair exhibitor's person (jobfair/seed_demo.py makes the organization an exhibitor)
    ("crema", "exhibitor", "Irene", "Vailati", "Koala SCS"),
    ("cremona", "exhibitor", "Giorgio", "Arcari", "Consorzio Mestieri Lombardia SCS"),
)


# --- The regional network (action 1) --------------------------------------------------------
# Two more hubs of the region, so that the comparison of hubs means something. They are seeded
# by hubs/seed_demo.py with the network's demo (not handed to the apps' demo content: the
# monitoring reports of seed_demo stay those of Crema and Cremona). DEMO VALUES.
NETWORK_HUBS = (
    {
        "slug": "lodi",
        "name": "Informagiovani Lodi",
        "municipality": ("Lodi", "LO"),
        "description": "Lo sportello per i giovani di Lodi: studio, lavoro, formazione e mobilità.",
        "services": _SERVICES,
        "address": "Corso Umberto I 50, 26900 Lodi",
        "opening_hours": "Lunedì–Venerdì 9:30–12:30",
        "email": "informagiovani.lodi@younginprogress.demo",
    },
    {
        "slug": "mantova",
        "name": "Informagiovani Mantova",
        "municipality": ("Mantova", "MN"),
        "description": "Lo sportello per i giovani di Mantova: orientamento, lavoro e opportunità.",
        "services": _SERVICES,
        "address": "Via Roma 39, 46100 Mantova",
        "opening_hours": "Martedì–Sabato 10:00–13:00",
        "email": "informagiovani.mantova@younginprogress.demo",
    },
)

# Young residents (15–34) of each hub's territory: demo figures of the right order, not ISTAT's.
YOUNG_RESIDENTS = {"crema": 33000, "cremona": 14500, "lodi": 9600, "mantova": 9900}

# The network's quality checklist (from the European Youth Information Charter's principles).
QUALITY_CRITERIA = (
    "Il servizio è gratuito e aperto a tutti i giovani, senza discriminazioni",
    "Le informazioni sono complete, aggiornate, verificate e indicano la fonte",
    "Il servizio è indipendente da interessi commerciali o di parte",
    "Gli orari e i canali (in sede, antenne, online) sono pubblicati e rispettati",
    "Gli operatori hanno una formazione specifica e aggiornata ogni anno",
    "Il servizio raccoglie la soddisfazione degli utenti con un questionario comune",
    "I dati personali sono trattati secondo il GDPR, con consenso informato",
    "I giovani partecipano alla progettazione delle attività",
    "Il servizio collabora con scuole, enti e imprese del territorio",
    "Il servizio pubblica ogni anno i propri dati di attività",
)
# How many criteria each hub's demo self-assessment meets (7 of 10 = 70 %: the label).
QUALITY_MET = {"crema": 9, "cremona": 8, "lodi": 7, "mantova": 6}

# The shared library: (kind, title, [(body, what changed)…]), one entry per version.
LIBRARY = (
    (
        "survey",
        "Questionario di soddisfazione comune",
        [
            ("1. Quanto sei soddisfatto del colloquio? (1–5)\n2. Lo consiglieresti a un amico? (sì/no)", ""),
            (
                "1. Quanto sei soddisfatto del colloquio? (1–5)\n2. Lo consiglieresti a un amico? (sì/no)\n"
                "3. Cosa possiamo migliorare?",
                "Aggiunta una domanda aperta sui miglioramenti.",
            ),
        ],
    ),
    (
        "document",
        "Registro presenze dei laboratori",
        [("Data · Attività · Nome e cognome · Firma · Ore", "")],
    ),
    ("activity_type", "Colloquio di orientamento individuale", [("Durata 45 minuti, in sede o online.", "")]),
    (
        "sheet",
        "Scheda informativa: Servizio civile universale",
        [("Cos'è, chi può candidarsi, come e quando.", "")],
    ),
)
