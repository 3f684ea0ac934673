"""Newcomers' files (résumés): checked from their content, stored outside static files.

The bytes live in ``KIT_UPLOAD_FOLDER`` (default: ``kit-uploads`` in the app's instance folder)
under a random storage key; the name the person gave is kept only as a display name, with path
separators and control characters removed (Unicode letters stay: "CV Nguyễn.pdf" is a fine name).

Files follow the database: a replaced or deleted résumé's file is removed when the transaction
commits, and a file written by a transaction that rolls back is removed too, so neither a crash
nor an error leaves a row without its file or a file without its row.

Public API: :func:`check_upload`, :func:`save_resume`, :func:`resume_of`, :func:`open_document`
and :func:`send_document` (any page that serves a file), :func:`delete_documents` (the privacy
purge and erasure call it before deleting a newcomer).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from flask import current_app, send_file
from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction
from werkzeug.wrappers import Response

from kit.models import NewcomerDocument
from kit.models.base import utcnow
from kit.services.audit import Actor, record
from kit.state import get_state

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx"}
# The main part of a Word document; a macro-enabled document (.docm) declares another type.
_DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MAX_ZIP_ENTRIES = 1000
_MAX_CONTENT_TYPES_BYTES = 64 * 1024
_CHUNK = 64 * 1024
_KEY = re.compile(r"^[0-9a-f]{32}$")
_PENDING = "kit_documents_pending"


class DocumentError(Exception):
    """An upload the kit refuses ('empty', 'too_large', 'wrong_type') or a missing document
    ('not_found'); ``code`` is stable and the pages translate it."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed the checks, waiting in the upload folder for its row."""

    path: str
    content_type: str
    size: int
    sha256: str
    filename: str


def upload_folder() -> str:
    """The folder holding the files (created on first use, readable by the app only)."""
    folder = get_state().config["KIT_UPLOAD_FOLDER"] or os.path.join(
        current_app.instance_path, "kit-uploads")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    return folder


def display_name(filename: str | None, content_type: str) -> str:
    """The name shown and offered on download: no folders, no control characters, and the
    extension that matches the content."""
    name = unicodedata.normalize("NFC", (filename or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    stem, dot, ext = name.rpartition(".")
    wanted = EXTENSIONS[content_type]
    if not dot or f".{ext.lower()}" != wanted:
        stem = name
    stem = stem[:200] or "resume"
    return f"{stem}{wanted}"


def _docx(path: str) -> bool:
    # Only the central directory and one small declared part are read: never the whole
    # archive, so a crafted ZIP (a "bomb") costs nothing.
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > _MAX_ZIP_ENTRIES:
                return False
            names = {entry.filename: entry for entry in entries}
            types = names.get("[Content_Types].xml")
            if "word/document.xml" not in names or types is None:
                return False
            if types.file_size > _MAX_CONTENT_TYPES_BYTES:
                return False
            with archive.open(types) as handle:
                declared = handle.read(_MAX_CONTENT_TYPES_BYTES + 1)
            return len(declared) <= _MAX_CONTENT_TYPES_BYTES and _DOCX_MAIN in declared
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, RuntimeError,
            NotImplementedError, EOFError):
        return False


def _sniff(path: str, head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04") and _docx(path):
        return DOCX
    return None


def check_upload(stream: IO[bytes], filename: str | None,
                 max_bytes: int | None = None) -> CheckedUpload:
    """Copy an uploaded file into the upload folder if it is a PDF or DOCX within the limit.

    The type comes from the bytes, never from the name or the browser's claim. Raises
    :class:`DocumentError` ('empty', 'too_large', 'wrong_type'); nothing stays on disk then.
    Pass the result to :func:`save_resume`.
    """
    limit = max_bytes or get_state().config["KIT_UPLOAD_MAX_BYTES"]
    handle, path = tempfile.mkstemp(prefix=".upload-", dir=upload_folder())
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise DocumentError("too_large")
                if len(head) < 8:
                    head += chunk[:8]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise DocumentError("empty")
        content_type = _sniff(path, head)
        if content_type is None:
            raise DocumentError("wrong_type")
    except BaseException:
        _unlink(path)
        raise
    return CheckedUpload(path, content_type, size, digest.hexdigest(),
                         display_name(filename, content_type))


def discard_upload(upload: CheckedUpload) -> None:
    """Remove a checked upload that will not be saved (the form had other errors)."""
    _unlink(upload.path)


def resume_of(db: Session, newcomer_id: int) -> NewcomerDocument | None:
    """The newcomer's current résumé, or None."""
    return db.scalar(select(NewcomerDocument).where(
        NewcomerDocument.newcomer_id == newcomer_id, NewcomerDocument.kind == "resume"
    ).order_by(NewcomerDocument.id.desc()).limit(1))


def save_resume(db: Session, actor: Actor, newcomer_id: int,
                upload: CheckedUpload) -> NewcomerDocument:
    """Record ``upload`` as the newcomer's résumé, replacing (and deleting) the previous one.

    Flushes; the caller commits. The old file disappears only when the commit succeeds.
    """
    replaced = _delete_rows(db, newcomer_id, "resume")
    key = secrets.token_hex(16)
    final = _path(key)
    os.replace(upload.path, final)
    _pending(db)["rollback"].append(final)
    document = NewcomerDocument(newcomer_id=newcomer_id, kind="resume",
                                filename=upload.filename, content_type=upload.content_type,
                                size=upload.size, sha256=upload.sha256, storage_key=key,
                                uploaded_at=utcnow())
    db.add(document)
    db.flush()
    record(db, actor, "newcomer.document_uploaded", "newcomer", newcomer_id,
           {"kind": "resume", "size": upload.size, "sha256": upload.sha256,
            "replaced": replaced})
    return document


def open_document(db: Session, document_id: int) -> tuple[str, NewcomerDocument]:
    """The file's path and its row, for a route that serves it to someone allowed to see it.

    The caller checks the rights and calls ``record_view``. Raises DocumentError('not_found')
    when the row or its file is missing.
    """
    document = db.get(NewcomerDocument, document_id)
    if document is None:
        raise DocumentError("not_found")
    path = _path(document.storage_key)
    if not os.path.isfile(path):
        raise DocumentError("not_found")
    return path, document


def delete_documents(db: Session, newcomer_id: int) -> int:
    """Delete every file of a newcomer (privacy purge, erasure); returns how many.

    Flushes; the files are removed from disk when the caller commits.
    """
    return _delete_rows(db, newcomer_id, None)


def _delete_rows(db: Session, newcomer_id: int, kind: str | None) -> int:
    query = select(NewcomerDocument).where(NewcomerDocument.newcomer_id == newcomer_id)
    if kind is not None:
        query = query.where(NewcomerDocument.kind == kind)
    documents = list(db.scalars(query))
    for document in documents:
        _pending(db)["commit"].append(_path(document.storage_key))
        db.delete(document)
    db.flush()
    return len(documents)


def _path(storage_key: str) -> str:
    # Keys are made here, but a row could be edited by hand: never join anything else.
    if not _KEY.match(storage_key):
        raise DocumentError("not_found")
    return os.path.join(upload_folder(), storage_key)


def _unlink(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


def _pending(db: Session) -> dict[str, list[str]]:
    return db.info.setdefault(_PENDING, {"commit": [], "rollback": []})


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    for path in (pending or {}).get("commit", []):
        _unlink(path)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    # Reached with work still pending only when the outermost transaction did not commit
    # (rollback or close): the new files go, the old ones stay.
    if transaction.parent is not None:
        return
    pending = session.info.pop(_PENDING, None)
    for path in (pending or {}).get("rollback", []):
        _unlink(path)


def send_document(path: str, document: NewcomerDocument) -> Response:
    """The file as a download: attachment, its stored type, never sniffed, never cached."""
    response = send_file(path, mimetype=document.content_type, as_attachment=True,
                         download_name=document.filename, conditional=False, etag=False,
                         max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
