"""What a person reads when sign-in is refused, by the provider's stable error code."""

from __future__ import annotations

from kit.i18n import lazy_gettext as _l

SIGN_IN_MESSAGES = {
    "invalid_credentials": _l("The user name or the password is not right."),
    "empty_password": _l("Enter your password."),
    "invalid_password": _l("This password cannot be right: check that the keyboard is set to "
                           "the right language."),
    "incomplete_entry": _l("Your entry in the staff directory has no e-mail address or name. "
                           "Contact the IT service desk."),
    "invalid_username": _l("Enter the user name you use at work, without special characters."),
    "account_disabled": _l("This account is disabled. Contact the program coordinator."),
    "not_in_program": _l("Your account is not part of the mentoring program yet. Ask the "
                         "program coordinator to add you to the mentors' group."),
    "ambiguous_user": _l("Several accounts match this user name. Contact the IT service desk."),
    "directory_unavailable": _l("The staff directory is not answering. Nothing was lost: "
                                "try again in a few minutes."),
    "idp_unavailable": _l("The single sign-on service is not answering. Try again in a few "
                          "minutes."),
    "sso_failed": _l("Single sign-on did not complete. Start again from the sign-in page."),
}
GENERIC_MESSAGE = _l("Sign-in did not work. Try again, or contact the program coordinator.")


def sign_in_message(code: str) -> str:
    """The reader's-language explanation of a refused sign-in."""
    return str(SIGN_IN_MESSAGES.get(code, GENERIC_MESSAGE))


ACCOUNT_MESSAGES = {
    "password_too_short": _l("Choose a password of at least 12 characters."),
    "password_too_long": _l("Choose a shorter password (1,024 characters at most)."),
    "password_too_weak": _l("Choose a password that is not based on your e-mail address and "
                            "mixes several characters."),
    "invitation_expired": _l("This invitation has expired. Ask the program admin for a new one."),
    "invitation_invalid": _l("This invitation link is not valid or was already used."),
    "email_taken": _l("This e-mail address belongs to a caseworker of another agency."),
    "invalid_scopes": _l("Choose at least one permission for the key."),
}


def account_message(code: str) -> str:
    """The reader's-language explanation of a refused account change."""
    return str(ACCOUNT_MESSAGES.get(code, GENERIC_MESSAGE))
