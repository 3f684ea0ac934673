"""Pure data for the demo: the fictional City of Port Alder, its staff and its partner agencies.

Names come from the many places Port Alder's employees and newcomers come from, written the way
the people themselves write them (accents, apostrophes, hyphens, Vietnamese family-name-first
order, a few single names). Every organisation, address and email domain is invented; email
domains use the reserved ``.example`` top-level domain so that no message can reach anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

CITY_NAME = "City of Port Alder"
CITY_NAME_FR = "Ville de Port Alder"
STAFF_EMAIL_DOMAIN = "portalder.example"


@dataclass(frozen=True)
class Culture:
    """Names of one naming tradition, with where its people studied and the languages they speak.

    ``family_first`` is True where the family name is written first (Vietnamese); an empty
    ``family_names`` means people of this tradition go by a single name.
    """

    key: str
    countries: tuple[str, ...]  # ISO 3166-1 alpha-2, where a newcomer studied
    languages: tuple[str, ...]  # BCP 47 codes, the first is the mother tongue
    given_names: tuple[str, ...]
    family_names: tuple[str, ...]
    family_first: bool = False
    prefers_french: bool = False

    def full_name(self, given: str, family: str) -> str:
        """The name as its bearer writes it."""
        if not family:
            return given
        return f"{family} {given}" if self.family_first else f"{given} {family}"


CULTURES: tuple[Culture, ...] = (
    Culture("punjabi", ("IN",), ("pa", "hi", "en"),
            ("Harpreet", "Gurpreet", "Manjit", "Simran", "Jaspreet", "Navdeep", "Amandeep",
             "Rajinder", "Kiranjot", "Baljit", "Parminder", "Sukhwinder"),
            ("Sandhu", "Gill", "Dhillon", "Sidhu", "Grewal", "Brar", "Kaur", "Singh", "Bains",
             "Johal")),
    Culture("chinese", ("CN",), ("zh", "en"),
            ("Wei", "Xiaoming", "Jing", "Li Na", "Yan", "Hao", "Mei", "Zhiwei", "Xiuying",
             "Jun", "Yuxuan"),
            ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Lü")),
    Culture("cantonese", ("HK",), ("yue", "en", "zh"),
            ("Ka Wai", "Wing Yan", "Chi Ming", "Hoi Yee", "Kwok Leung", "Man Yi"),
            ("Chan", "Wong", "Leung", "Cheung", "Lam", "Ho", "Tse")),
    Culture("filipino", ("PH",), ("tl", "en"),
            ("Rizalina", "Jericho", "Analyn", "Marivic", "Rodel", "Kristine Joy", "Ferdinand",
             "Leonora", "Bienvenido", "Maricel", "Jun-Jun"),
            ("Santos", "Reyes", "Dela Cruz", "Bautista", "Ocampo", "Villanueva", "Mendoza",
             "Castillo", "Dela Peña", "Macaraeg", "Nuñez")),
    Culture("vietnamese", ("VN",), ("vi", "en"),
            ("Thị Lan", "Văn Minh", "Thị Hương", "Quốc Bảo", "Thanh Hà", "Đức Anh", "Ngọc Ánh",
             "Minh Tuấn", "Thu Trang", "Hoàng Long"),
            ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"),
            family_first=True),
    Culture("iranian", ("IR",), ("fa", "en"),
            ("Arash", "Shirin", "Dariush", "Maryam", "Kaveh", "Niloufar", "Reza", "Parisa",
             "Babak", "Leila", "Farzaneh"),
            ("Hosseini", "Ahmadi", "Rezaei", "Moradi", "Karimi", "Jafari", "Tehrani",
             "Mohammadi", "Sadeghi", "Rahimi")),
    Culture("arabic", ("SY", "LB", "EG", "JO"), ("ar", "en", "fr"),
            ("Omar", "Layla", "Khaled", "Rania", "Youssef", "Nour", "Samir", "Hala", "Tariq",
             "Amira", "Ziad"),
            ("Haddad", "Khoury", "Al-Masri", "Nassar", "Saleh", "El-Amin", "Darwish", "Barakat",
             "Abou Khalil", "Mansour")),
    Culture("nigerian", ("NG",), ("en", "yo", "ig"),
            ("Chidinma", "Oluwaseun", "Adaeze", "Emeka", "Folake", "Tunde", "Ngozi", "Ifeanyi",
             "Yetunde", "Chukwuemeka"),
            ("Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Nwosu", "Adébáyọ̀", "Ogunleye",
             "Obi", "Akinwale")),
    Culture("ukrainian", ("UA",), ("uk", "en"),
            ("Olena", "Andriy", "Oksana", "Taras", "Iryna", "Dmytro", "Kateryna", "Yuliia",
             "Bohdan", "Nataliia"),
            ("Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk",
             "Hnatiuk", "Lysenko", "Marchenko", "Oliinyk")),
    Culture("colombian", ("CO",), ("es", "en"),
            ("José", "Valentina", "Andrés Felipe", "María Fernanda", "Sebastián", "Camila",
             "Juliana", "Santiago", "Natalia", "Óscar"),
            ("Ramírez-García", "Gómez", "Rodríguez", "Muñoz", "Martínez", "Hernández",
             "Jiménez", "Castaño", "Londoño", "Peña")),
    Culture("korean", ("KR",), ("ko", "en"),
            ("Min-jun", "Seo-yeon", "Ji-hoon", "Ha-eun", "Hyun-woo", "Soo-jin", "Jae-won",
             "Eun-ji", "Dong-hyun", "Yuna"),
            ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim")),
    Culture("indian", ("IN",), ("hi", "en", "ta", "te"),
            ("Priya", "Arjun", "Ananya", "Rohan", "Lakshmi", "Vikram", "Deepika", "Karthik",
             "Sneha", "Rahul", "Aishwarya", "Sanjay"),
            ("Sharma", "Iyer", "Patel", "Reddy", "Nair", "Gupta", "Krishnan", "Desai", "Menon",
             "Rao", "Banerjee", "Chatterjee")),
    Culture("quebecois", ("CA",), ("fr", "en"),
            ("Geneviève", "François", "Mélanie", "Jérôme", "Émilie", "Benoît", "Josée",
             "Stéphane", "Hélène", "Marc-André", "Chloé", "Éric"),
            ("Tremblay", "Gagnon", "Bouchard", "Côté", "Lévesque", "Bélanger", "Gauthier",
             "Pelletier", "Bergeron", "Ouellet", "Lefebvre", "Thériault"),
            prefers_french=True),
    Culture("francophone", ("CM", "SN", "CD", "CI", "HT", "MA", "FR"), ("fr", "en"),
            ("Aïssatou", "Mamadou", "Fatou", "Ousmane", "Awa", "Moussa", "Clarisse",
             "Jean-Baptiste", "Nadège", "Wideline", "Marie-Ange", "Youssef"),
            ("Diallo", "Ndiaye", "Traoré", "Kouassi", "Mukendi", "Tshibanda", "Ngono",
             "Essomba", "Désir", "Joseph", "El Idrissi", "Lefèvre"),
            prefers_french=True),
    Culture("irish", ("IE",), ("en", "ga"),
            ("Siobhán", "Ciarán", "Aoife", "Niamh", "Seán", "Caoimhe", "Pádraig", "Eoin",
             "Róisín", "Declan", "Zoë"),
            ("O'Brien", "Ó Súilleabháin", "O'Connor", "Murphy", "Kelly", "Byrne", "McCarthy",
             "Fitzgerald", "Doyle", "Walsh")),
    Culture("somali", ("SO",), ("so", "ar", "en"),
            ("Abdi", "Hodan", "Mohamed", "Faadumo", "Ahmed", "Sahra", "Hassan", "Ayaan",
             "Deeqa", "Abdirahman"),
            ("Warsame", "Farah", "Osman", "Jama", "Ali", "Hussein", "Abdullahi", "Mohamud",
             "Yusuf", "Egal")),
    Culture("japanese", ("JP",), ("ja", "en"),
            ("Yuki", "Haruto", "Sakura", "Kenji", "Aiko", "Takashi", "Emi", "Ryōta", "Naoko",
             "Shōhei"),
            ("Satō", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Itō", "Yamamoto",
             "Nakamura", "Kobayashi", "Katō")),
    Culture("ethiopian", ("ET",), ("am", "en"),
            ("Abebe", "Selamawit", "Tesfaye", "Meron", "Dawit", "Hiwot", "Yohannes",
             "Bethlehem", "Mekdes", "Girma"),
            ("Bekele", "Tadesse", "Haile", "Alemu", "Gebremedhin", "Mengistu", "Wolde",
             "Kebede", "Assefa", "Tesfaye")),
    Culture("polish", ("PL",), ("pl", "en"),
            ("Łukasz", "Agnieszka", "Paweł", "Małgorzata", "Krzysztof", "Joanna", "Michał",
             "Katarzyna", "Wojciech", "Zofia"),
            ("Nowak", "Wójcik", "Kaczmarek", "Mazur", "Krawczyk", "Zając", "Król", "Wróbel",
             "Dudek", "Sikora")),
    Culture("brazilian", ("BR",), ("pt", "en", "es"),
            ("João", "Luíza", "Thiago", "Beatriz", "Gustavo", "Letícia", "Rafael"),
            ("Conceição", "Araújo", "Gonçalves", "Magalhães", "Nascimento", "Brandão")),
    Culture("pakistani", ("PK",), ("ur", "pa", "en"),
            ("Ayesha", "Bilal", "Fatima", "Usman", "Zainab", "Hamza", "Sana", "Imran"),
            ("Qureshi", "Malik", "Chaudhry", "Siddiqui", "Hashmi", "Raza")),
    Culture("canadian", ("CA",), ("en",),
            ("Sarah", "Michael", "Jennifer", "David", "Emily", "Ryan", "Jessica", "Kevin",
             "Rebecca", "Brian", "Heather", "Graham", "Megan", "Colin"),
            ("Thompson", "MacDonald", "Campbell", "Anderson", "Stewart", "Wilson", "Fraser",
             "Robertson", "Clarke", "Morrison", "Henderson", "Ellis", "MacLeod", "Chow")),
    # Single names: common in Indonesia and Myanmar, and a frequent source of form bugs.
    Culture("indonesian", ("ID",), ("id", "en"),
            ("Suharti", "Wahyudi", "Sutrisno", "Yanti", "Sukarni"), ()),
    Culture("burmese", ("MM",), ("my", "en"),
            ("Aung Kyaw Moe", "Thandar Win", "Hnin Wai", "Zaw Min Htut"), ()),
)

CULTURES_BY_KEY = {culture.key: culture for culture in CULTURES}

#: Cultures staff are mostly drawn from (the city's workforce), with relative weights.
STAFF_CULTURE_WEIGHTS: dict[str, int] = {
    "canadian": 14, "quebecois": 5, "irish": 3, "chinese": 5, "cantonese": 4, "punjabi": 5,
    "indian": 5, "filipino": 5, "korean": 3, "vietnamese": 3, "iranian": 3, "polish": 2,
    "ukrainian": 2, "japanese": 2, "colombian": 2, "nigerian": 2, "arabic": 2, "somali": 1,
    "ethiopian": 1, "brazilian": 1, "pakistani": 2, "francophone": 1, "indonesian": 1,
}

#: Cultures newcomers are drawn from (recent arrivals), with relative weights.
NEWCOMER_CULTURE_WEIGHTS: dict[str, int] = {
    "indian": 6, "punjabi": 4, "chinese": 4, "filipino": 4, "iranian": 4, "nigerian": 4,
    "ukrainian": 4, "colombian": 3, "vietnamese": 3, "korean": 2, "arabic": 4, "somali": 2,
    "ethiopian": 2, "francophone": 5, "brazilian": 2, "pakistani": 3, "japanese": 1,
    "polish": 1, "indonesian": 1, "burmese": 1,
}

#: English names some people adopt at work (the kit shows them as preferred names), by culture.
#: Names that fit anyone, because the demo does not record gender.
ADOPTED_NAMES: dict[str, tuple[str, ...]] = {
    "chinese": ("Alex", "Kelly", "Jamie", "Sam"),
    "cantonese": ("Alex", "Kelly", "Jamie"),
    "korean": ("Alex", "Jordan", "Sam"),
}

#: People who always appear, so that the demo shows names that break naive code.
#: (culture, given name, family name, role hint)
FEATURED_PEOPLE: tuple[tuple[str, str, str, str], ...] = (
    ("irish", "Zoë", "O'Brien", "coordinator"),
    ("quebecois", "Geneviève", "Côté", "coordinator"),
    ("punjabi", "Harpreet", "Sandhu", "coordinator"),
    ("canadian", "Colin", "MacLeod", "admin"),
    ("vietnamese", "Thị Lan", "Nguyễn", "newcomer"),
    ("colombian", "José", "Ramírez-García", "newcomer"),
    ("polish", "Łukasz", "Wójcik", "mentor"),
    ("indonesian", "Suharti", "", "newcomer"),
    ("francophone", "Aïssatou", "Diallo", "newcomer"),
    ("nigerian", "Oluwaseun", "Adébáyọ̀", "mentor"),
    ("ukrainian", "Olena", "Shevchenko", "newcomer"),
    ("japanese", "Ryōta", "Itō", "mentor"),
)


@dataclass(frozen=True)
class Department:
    """A city department, in English and French, and a short code for email and IDs."""

    code: str
    name_en: str
    name_fr: str


DEPARTMENTS: tuple[Department, ...] = (
    Department("ENG", "Engineering Services", "Services d'ingénierie"),
    Department("PLN", "Urban Planning", "Urbanisme"),
    Department("FIN", "Finance", "Finances"),
    Department("ITS", "Information Technology", "Technologies de l'information"),
    Department("HRS", "Human Resources", "Ressources humaines"),
    Department("PRK", "Parks and Recreation", "Parcs et loisirs"),
    Department("WAT", "Water Services", "Services de l'eau"),
    Department("TRN", "Transportation", "Transports"),
    Department("LEG", "Legal Services", "Services juridiques"),
    Department("COM", "Communications", "Communications"),
    Department("SOC", "Social Development", "Développement social"),
    Department("BLD", "Building Inspections", "Inspection des bâtiments"),
    Department("PRC", "Procurement", "Approvisionnement"),
    Department("ENV", "Environmental Services", "Services environnementaux"),
    Department("LIB", "Port Alder Public Library", "Bibliothèque publique de Port Alder"),
    Department("FIR", "Fire Rescue", "Service d'incendie et de sauvetage"),
    Department("CLK", "City Clerk's Office", "Bureau du greffier"),
)

DEPARTMENTS_BY_CODE = {department.code: department for department in DEPARTMENTS}


@dataclass(frozen=True)
class WorkLocation:
    """A city workplace where sessions happen."""

    name: str
    address: str


WORK_LOCATIONS: tuple[WorkLocation, ...] = (
    WorkLocation("City Hall", "453 Harbourfront Way, Port Alder"),
    WorkLocation("Civic Centre Annex", "120 Cedar Street, Port Alder"),
    WorkLocation("Operations Centre", "2700 Mill Road, Port Alder"),
    WorkLocation("Central Library", "350 Spruce Street, Port Alder"),
    WorkLocation("Alder Point Water Treatment Plant", "88 Reservoir Road, Port Alder"),
    WorkLocation("Fire Hall No. 1", "900 Front Street, Port Alder"),
    WorkLocation("Kingfisher Community Centre", "4100 Kingfisher Drive, Port Alder"),
)

#: Where each department mostly works (index into WORK_LOCATIONS).
DEPARTMENT_LOCATION: dict[str, int] = {
    "ENG": 1, "PLN": 0, "FIN": 0, "ITS": 1, "HRS": 0, "PRK": 6, "WAT": 4, "TRN": 2,
    "LEG": 0, "COM": 0, "SOC": 6, "BLD": 1, "PRC": 2, "ENV": 2, "LIB": 3, "FIR": 5, "CLK": 0,
}


@dataclass(frozen=True)
class Agency:
    """A fictional settlement or employment agency that refers newcomers to the city."""

    code: str
    name: str
    email_domain: str
    language: str  # the language the agency works in
    contacts: tuple[tuple[str, str, str], ...]  # caseworkers: (culture, given, family)


AGENCIES: tuple[Agency, ...] = (
    Agency("HNS", "Harbourview Newcomer Services", "harbourview.example", "en",
           (("filipino", "Marivic", "Santos"), ("iranian", "Shirin", "Moradi"))),
    Agency("PBE", "Pacific Bridges Employment Society", "pacificbridges.example", "en",
           (("chinese", "Jing", "Zhou"), ("canadian", "Heather", "Fraser"))),
    Agency("RIS", "Riverside Immigrant Services", "riverside-is.example", "en",
           (("somali", "Hodan", "Warsame"), ("indian", "Sanjay", "Menon"))),
    Agency("CCC", "Coastline Career Connections", "coastlinecareers.example", "en",
           (("colombian", "Natalia", "Londoño"), ("korean", "Soo-jin", "Park"))),
    Agency("CAH", "Centre d'accueil Horizon", "horizon-accueil.example", "fr",
           (("francophone", "Clarisse", "Ngono"), ("quebecois", "Benoît", "Lévesque"))),
)


@dataclass(frozen=True)
class Profession:
    """A NOC 2021 unit group the program matches in, and the departments that employ it."""

    noc_code: str
    departments: tuple[str, ...]


#: Sixteen professions in the spirit of municipal mentoring programs for newcomers
#: (engineering, planning, finance, technology, HR, law, communications, social services).
PROFESSIONS: tuple[Profession, ...] = (
    Profession("21300", ("ENG", "TRN", "WAT")),   # Civil engineers
    Profession("21301", ("ENG", "WAT", "FIR")),   # Mechanical engineers
    Profession("21310", ("ENG", "WAT")),          # Electrical and electronics engineers
    Profession("21202", ("PLN", "TRN")),          # Urban and land use planners
    Profession("22233", ("BLD",)),                # Construction inspectors
    Profession("11100", ("FIN", "PRC")),          # Financial auditors and accountants
    Profession("11101", ("FIN",)),                # Financial and investment analysts
    Profession("21232", ("ITS",)),                # Software developers and programmers
    Profession("21222", ("ITS", "LIB")),          # Information systems specialists
    Profession("21223", ("ITS", "FIN")),          # Database analysts and data administrators
    Profession("11200", ("HRS",)),                # Human resources professionals
    Profession("41101", ("LEG", "CLK")),          # Lawyers and Quebec notaries
    Profession("11202", ("COM",)),                # Advertising, marketing and PR professionals
    Profession("41300", ("SOC",)),                # Social workers
    Profession("51100", ("LIB",)),                # Librarians
    Profession("21120", ("ENV", "PRK")),          # Public and environmental health and safety
)

#: Job titles by profession, as they appear in the city's staff directory.
JOB_TITLES: dict[str, tuple[str, ...]] = {
    "21300": ("Project Engineer", "Senior Civil Engineer", "Infrastructure Engineer"),
    "21301": ("Mechanical Engineer", "Facilities Engineer"),
    "21310": ("Electrical Engineer", "SCADA Engineer"),
    "21202": ("Planner II", "Senior Planner", "Community Planner"),
    "22233": ("Building Inspector", "Plumbing Inspector"),
    "11100": ("Senior Accountant", "Internal Auditor", "Financial Reporting Accountant"),
    "11101": ("Financial Analyst", "Budget Analyst"),
    "21232": ("Software Developer", "Senior Developer", "Web Developer"),
    "21222": ("Systems Analyst", "GIS Specialist", "Business Systems Analyst"),
    "21223": ("Database Administrator", "Data Analyst"),
    "11200": ("HR Advisor", "Talent Acquisition Specialist", "Labour Relations Advisor"),
    "41101": ("City Solicitor", "Legal Counsel"),
    "11202": ("Communications Advisor", "Public Engagement Specialist"),
    "41300": ("Social Planner", "Community Social Worker"),
    "51100": ("Librarian", "Branch Head Librarian"),
    "21120": ("Environmental Health Officer", "Occupational Health and Safety Advisor"),
}

#: Job titles of staff who are not in one of the program's professions.
OTHER_JOB_TITLES: tuple[str, ...] = (
    "Administrative Assistant", "Clerk", "Customer Service Representative", "Manager",
    "Program Coordinator", "Labourer", "Supervisor", "Recreation Programmer", "Firefighter",
    "Dispatcher", "Payroll Clerk", "Purchasing Officer",
)

#: Motivation statements volunteers write, and newcomer career goals (English; these are user
#: content, not interface strings, so they are not translated).
VOLUNTEER_MOTIVATIONS: tuple[str, ...] = (
    "I arrived in Canada as an engineer myself and a mentor opened the first door for me.",
    "I enjoy explaining how the city works behind the scenes.",
    "Our team has open positions every year; I want qualified newcomers to know how to apply.",
    "Happy to share what Canadian employers look for in a résumé and an interview.",
    "I learned a lot from mentoring students and want to help experienced professionals too.",
    "Je souhaite aider des personnes francophones à trouver leur place dans la fonction publique.",
)

CAREER_GOALS: tuple[str, ...] = (
    "Return to my profession and obtain my Canadian licence.",
    "Understand how municipal projects are planned and approved in Canada.",
    "Build a local network and get a first Canadian reference.",
    "Learn the Canadian standards and software used in my field.",
    "Prepare for interviews in the public sector.",
    "Retrouver un emploi dans mon domaine et comprendre le marché du travail canadien.",
)

#: A coordinator's note when a match closes, by close reason (``kit.models.matches``).
CLOSE_NOTES: dict[str, str] = {
    "completed": "All planned sessions held; the newcomer has a clear plan.",
    "ended_by_newcomer": "The newcomer accepted a position and no longer needs the program.",
    "ended_by_mentor": "The mentor moved to another department; the newcomer will be re-matched.",
    "ended_by_coordinator": "The newcomer stopped answering after the second session.",
}

#: Neighbourhoods of Port Alder where newcomers live.
NEIGHBOURHOODS: tuple[str, ...] = (
    "Downtown", "Eastside", "Kingfisher", "Mill Creek", "North Shore", "Harbour Heights",
    "Cedar Flats",
)

#: Highest credential by profession, as written on a credential assessment.
CREDENTIALS: dict[str, str] = {
    "21300": "Bachelor of Civil Engineering", "21301": "Master of Mechanical Engineering",
    "21310": "Bachelor of Electrical Engineering", "21202": "Master of Urban Planning",
    "22233": "Diploma in Construction Technology", "11100": "Chartered Accountant",
    "11101": "Master of Finance", "21232": "Bachelor of Computer Science",
    "21222": "Bachelor of Information Systems", "21223": "Master of Data Science",
    "11200": "Master of Human Resource Management", "41101": "Bachelor of Laws (LLB)",
    "11202": "Bachelor of Journalism", "41300": "Master of Social Work",
    "51100": "Master of Library and Information Science",
    "21120": "Master of Environmental Health",
}
