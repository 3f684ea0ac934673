"""English and French for the intranet's own pages, in the language the kit would choose.

The intranet sets up Flask-Babel itself (it did before the kit came) and hands it the kit's
public ``select_locale``: a person's stored preference, then the language switch, then the
browser. Intranet pages and mentoring pages therefore always speak the same language. The
intranet's own few strings are kept in a dictionary here; a larger intranet would keep a
Flask-Babel catalog.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import Babel, format_date, get_locale

from kit.auth.identity import current_identity
from kit.i18n import select_locale, select_timezone

FRENCH: dict[str, str] = {
    "Northshore Credit Union": "Caisse Northshore",
    "Staff intranet": "Intranet du personnel",
    "Skip to content": "Passer au contenu",
    "Intranet": "Intranet",
    "Workplace": "Milieu de travail",
    "Home": "Accueil",
    "Branches": "Succursales",
    "Announcements": "Annonces",
    "Community": "Communauté",
    "Newcomer mentoring": "Mentorat des nouveaux arrivants",
    "Sign in": "Se connecter",
    "Sign out": "Se déconnecter",
    "Signed in as %(name)s": "Connecté : %(name)s",
    "Hello, %(name)s": "Bonjour, %(name)s",
    "What is new at Northshore": "Quoi de neuf chez Northshore",
    "Latest announcements": "Dernières annonces",
    "No announcement yet.": "Aucune annonce pour le moment.",
    "All branches": "Toutes les succursales",
    "Our branches": "Nos succursales",
    "No branch is recorded yet. Run “flask bank init-db --sample-data” to add a few.":
        "Aucune succursale n'est enregistrée. Lancez « flask bank init-db --sample-data » "
        "pour en ajouter.",
    "Transit": "Transit",
    "Branch": "Succursale",
    "City": "Ville",
    "Phone": "Téléphone",
    "Opened": "Ouverture",
    "Address": "Adresse",
    "For every branch": "Pour toutes les succursales",
    "Announcements for this branch": "Annonces de cette succursale",
    "Share your profession with a newcomer": "Partagez votre métier avec une personne nouvellement "
                                             "arrivée",
    "Skilled immigrants referred by settlement agencies spend about 24 hours over four months "
    "with a colleague of the same profession, here at work.":
        "Des personnes immigrantes qualifiées, dirigées par des organismes d'établissement, "
        "passent environ 24 heures sur quatre mois avec une collègue ou un collègue du même "
        "métier, ici au travail.",
    "Join the mentoring program": "Se joindre au programme de mentorat",
    "Page not found": "Page introuvable",
    "This page is not on the intranet.": "Cette page n'est pas sur l'intranet.",
    "Back to the home page": "Retour à l'accueil",
    "For Northshore staff only. Service desk: extension 2200.":
        "Réservé au personnel de Northshore. Centre de services : poste 2200.",
}
CATALOGS: dict[str, dict[str, str]] = {"fr": FRENCH}


def language() -> str:
    """The language of this request as a short code ('en' or 'fr')."""
    locale = get_locale()
    return locale.language if locale is not None else "en"


def t(text: str, **variables: Any) -> str:
    """Translate one of the intranet's own strings and fill ``%(name)s`` placeholders."""
    translated = CATALOGS.get(language(), {}).get(text, text)
    return translated % variables if variables else translated


def init_i18n(app: Flask) -> None:
    """Set up Flask-Babel with the kit's locale selector, before the kit is initialised."""
    Babel(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.add_template_global(t, "t")
    app.add_template_global(language, "ns_language")
    app.add_template_global(format_date, "ns_date")
    # The signed-in person, whichever of the kit's doors they came through.
    app.add_template_global(current_identity, "ns_person")
