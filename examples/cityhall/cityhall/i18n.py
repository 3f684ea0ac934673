"""The intranet's own few strings in French, looked up in the language the kit selected.

A real intranet would keep a Flask-Babel catalog of its own; a dictionary keeps this example
short. The kit chooses the language (the person's preference, the switch, the browser), so
host pages and mentoring pages always speak the same one.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import get_locale

from kit.auth.identity import current_identity

FRENCH: dict[str, str] = {
    "City of Port Alder": "Ville de Port Alder",
    "Staff intranet": "Intranet du personnel",
    "Skip to main content": "Aller au contenu principal",
    "Main": "Principal",
    "Home": "Accueil",
    "News": "Nouvelles",
    "Staff directory": "Répertoire du personnel",
    "Services": "Services",
    "Newcomer mentoring": "Mentorat des nouveaux arrivants",
    "Language": "Langue",
    "Sign in": "Se connecter",
    "Sign out": "Se déconnecter",
    "Demo site: every person and organisation here is fictional.":
        "Site de démonstration : toutes les personnes et organisations sont fictives.",
    "Good to know": "Bon à savoir",
    "Quick links": "Liens rapides",
    "Latest news": "Dernières nouvelles",
    "Read more": "Lire la suite",
    "Find a colleague": "Trouver un collègue",
    "Name, department or job title": "Nom, service ou poste",
    "Search": "Rechercher",
    "People you may want to meet": "Des collègues à connaître",
    "ext. %(number)s": "poste %(number)s",
    "Pay and benefits": "Paie et avantages sociaux",
    "IT service desk": "Centre de services TI",
    "Book a meeting room": "Réserver une salle",
    "Health and safety": "Santé et sécurité",
    "Learning and development": "Formation et perfectionnement",
    "Collective agreements": "Conventions collectives",
    "Welcome, %(name)s": "Bienvenue, %(name)s",
    "Welcome to the staff intranet": "Bienvenue sur l'intranet du personnel",
    "This service is not part of the demonstration.":
        "Ce service ne fait pas partie de la démonstration.",
    "Back to the home page": "Retour à l'accueil",
    "Page not found": "Page introuvable",
    "The page you asked for does not exist on the intranet.":
        "La page demandée n'existe pas sur l'intranet.",
    "Internal use only. Questions about the intranet: extension 4357.":
        "Usage interne seulement. Questions sur l'intranet : poste 4357.",
    "Accessibility": "Accessibilité",
    "Privacy": "Confidentialité",
    "Results for “%(query)s”": "Résultats pour « %(query)s »",
    "The full directory is not part of the demonstration.":
        "Le répertoire complet ne fait pas partie de la démonstration.",
}
CATALOGS: dict[str, dict[str, str]] = {"fr": FRENCH}


def current_language() -> str:
    """The language of this request as a short code ('en' or 'fr')."""
    locale = get_locale()
    return locale.language if locale is not None else "en"


def t(text: str, **variables: Any) -> str:
    """Translate one of the intranet's own strings and fill ``%(name)s`` placeholders."""
    translated = CATALOGS.get(current_language(), {}).get(text, text)
    return translated % variables if variables else translated


def init_i18n(app: Flask) -> None:
    """Give every template, the kit's pages included, ``t()``, the language and the person."""
    app.add_template_global(t, "t")
    app.add_template_global(current_language, "cityhall_language")
    # The signed-in person, whichever of the kit's doors they came through.
    app.add_template_global(current_identity, "cityhall_person")
