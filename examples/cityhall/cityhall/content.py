"""The intranet's static content: news, quick links and a directory teaser, in both languages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NewsItem:
    """One news item on the home page."""

    slug: str
    age_days: int  # published this many days ago: the demo's news always looks current
    title: dict[str, str]
    summary: dict[str, str]
    kit_link: bool = False  # links to the mentoring program instead of a news page


NEWS: tuple[NewsItem, ...] = (
    NewsItem(
        "mentors-wanted",
        2,
        {"en": "Become a mentor: the next cohort is forming now",
         "fr": "Devenez mentor : la prochaine cohorte se forme maintenant"},
        {"en": "Internationally trained professionals referred by our partner agencies are "
               "looking for colleagues in engineering, planning, finance, IT and more. Four "
               "months, about two hours a week, during working hours.",
         "fr": "Des professionnels formés à l'étranger, recommandés par nos organismes "
               "partenaires, cherchent des collègues en génie, urbanisme, finances, TI et plus. "
               "Quatre mois, environ deux heures par semaine, pendant les heures de travail."},
        kit_link=True,
    ),
    NewsItem(
        "harbourfront-seawall",
        6,
        {"en": "Harbourfront seawall repairs finish ahead of schedule",
         "fr": "Les réparations de la digue du front de mer terminées en avance"},
        {"en": "Engineering Services thanks the crews from the Operations Centre; the path "
               "reopens to the public on Saturday.",
         "fr": "Les Services d'ingénierie remercient les équipes du Centre des opérations; "
               "le sentier rouvre au public samedi."},
    ),
    NewsItem(
        "payroll-cutover",
        13,
        {"en": "New payroll system: check your first pay stub",
         "fr": "Nouveau système de paie : vérifiez votre premier relevé de paie"},
        {"en": "Finance asks every employee to sign in once before the cutover and confirm "
               "their banking details.",
         "fr": "Les Finances demandent à chaque employé de se connecter une fois avant la "
               "bascule et de confirmer ses coordonnées bancaires."},
    ),
    NewsItem(
        "warming-centres",
        20,
        {"en": "Storm season: warming centres open at five community centres",
         "fr": "Saison des tempêtes : centres de réchauffement ouverts"},
        {"en": "Parks and Recreation staff can sign up for extra shifts through their "
               "supervisor.",
         "fr": "Le personnel des Parcs et loisirs peut s'inscrire à des quarts supplémentaires "
               "auprès de son superviseur."},
    ),
)

#: Quick links: (slug, English label used as the translation key).
QUICK_LINKS: tuple[tuple[str, str], ...] = (
    ("pay", "Pay and benefits"),
    ("it", "IT service desk"),
    ("rooms", "Book a meeting room"),
    ("safety", "Health and safety"),
    ("learning", "Learning and development"),
    ("agreements", "Collective agreements"),
)

#: Footer links, served by the same placeholder page as the quick links.
FOOTER_LINKS: tuple[tuple[str, str], ...] = (
    ("accessibility", "Accessibility"),
    ("privacy", "Privacy"),
)

#: A few colleagues for the directory teaser: (name, job title, department, extension).
DIRECTORY_TEASER: tuple[tuple[str, dict[str, str], dict[str, str], str], ...] = (
    ("Zoë O'Brien", {"en": "Mentoring Program Coordinator", "fr": "Coordonnatrice du "
                     "programme de mentorat"},
     {"en": "Human Resources", "fr": "Ressources humaines"}, "4121"),
    ("Nguyễn Văn Minh", {"en": "Senior Civil Engineer", "fr": "Ingénieur civil principal"},
     {"en": "Engineering Services", "fr": "Services d'ingénierie"}, "4410"),
    ("Geneviève Côté", {"en": "French Language Services Lead", "fr": "Responsable des "
                        "services en français"},
     {"en": "Communications", "fr": "Communications"}, "4088"),
    ("Harpreet Sandhu", {"en": "Talent Acquisition Specialist", "fr": "Spécialiste en "
                         "acquisition de talents"},
     {"en": "Human Resources", "fr": "Ressources humaines"}, "4135"),
)
