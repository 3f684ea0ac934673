"""Résumé files: type from the content, size limit, random storage, cleanup with the database."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest

from kit import get_state
from kit.models import AuditEvent, NewcomerDocument
from kit.services.audit import Actor
from kit.services.documents import (
    DOCX,
    PDF,
    DocumentError,
    check_upload,
    delete_documents,
    open_document,
    resume_of,
    save_resume,
    upload_folder,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CAREGIVER = Actor("agency", 7)


def docx_bytes(main_type: str = DOCX + ".main+xml", document: bool = True) -> bytes:
    """A minimal Word document, as Word writes its parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Override PartName="/word/document.xml" '
            f'ContentType="{main_type}"/></Types>'))
        if document:
            archive.writestr("word/document.xml", "<w:document><w:body>Lan</w:body></w:document>")
    return buffer.getvalue()


@pytest.fixture
def folder(app, tmp_path):
    with app.app_context():
        get_state().config["KIT_UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    return tmp_path / "uploads"


@pytest.fixture
def newcomer(factory, db, folder):
    person = factory.newcomer()
    db.commit()
    return person


def files_in(folder) -> list[str]:
    return sorted(os.listdir(folder)) if folder.exists() else []


def test_a_pdf_is_accepted_with_its_digest_and_a_clean_name(db, newcomer, folder) -> None:
    upload = check_upload(io.BytesIO(PDF_BYTES), "../../CV Nguyễn Thị Lan.pdf")
    assert upload.content_type == PDF and upload.size == len(PDF_BYTES)
    assert upload.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert upload.filename == "CV Nguyễn Thị Lan.pdf"
    document = save_resume(db, CAREGIVER, newcomer.id, upload)
    db.commit()
    path, found = open_document(db, document.id)
    assert found.id == document.id and Path(path).read_bytes() == PDF_BYTES
    # Stored under a random key, never under the name the person gave.
    assert os.path.basename(path) == document.storage_key and "CV" not in path
    assert os.path.dirname(path) == str(folder)
    assert db.query(AuditEvent).filter_by(action="newcomer.document_uploaded").count() == 1


def test_a_docx_is_recognised_from_its_parts(db, newcomer) -> None:
    upload = check_upload(io.BytesIO(docx_bytes()), "C:\\Users\\lan\\résumé.pdf")
    assert upload.content_type == DOCX
    # The extension follows the content, whatever the name said.
    assert upload.filename == "résumé.pdf.docx"


@pytest.mark.parametrize("content", [
    PNG_BYTES,
    b"just text, not a document",
    docx_bytes(document=False),
    docx_bytes(main_type="application/vnd.ms-word.document.macroEnabled.main+xml"),
    b"PK\x03\x04 broken archive",
], ids=["png", "text", "zip-without-document", "macro-document", "broken-zip"])
def test_anything_else_is_refused_and_leaves_no_file(newcomer, folder, content) -> None:
    with pytest.raises(DocumentError) as refused:
        check_upload(io.BytesIO(content), "resume.pdf")
    assert refused.value.code == "wrong_type"
    assert files_in(folder) == []


def test_a_file_over_the_limit_and_an_empty_file_are_refused(app, newcomer, folder) -> None:
    limit = get_state().config["KIT_UPLOAD_MAX_BYTES"]
    with pytest.raises(DocumentError) as refused:
        check_upload(io.BytesIO(PDF_BYTES + b"x" * limit), "big.pdf")
    assert refused.value.code == "too_large"
    with pytest.raises(DocumentError) as empty:
        check_upload(io.BytesIO(b""), "empty.pdf")
    assert empty.value.code == "empty"
    assert files_in(folder) == []


def test_replacing_a_resume_deletes_the_old_file_on_commit(db, newcomer, folder) -> None:
    first = save_resume(db, CAREGIVER, newcomer.id, check_upload(io.BytesIO(PDF_BYTES), "a.pdf"))
    db.commit()
    old_path, _ = open_document(db, first.id)
    second = save_resume(db, CAREGIVER, newcomer.id,
                         check_upload(io.BytesIO(docx_bytes()), "b.docx"))
    assert os.path.exists(old_path), "the old file stays until the change is committed"
    db.commit()
    assert not os.path.exists(old_path)
    assert resume_of(db, newcomer.id).id == second.id
    assert db.query(NewcomerDocument).count() == 1
    assert files_in(folder) == [second.storage_key]


def test_a_rolled_back_upload_leaves_the_previous_file_alone(db, newcomer, folder) -> None:
    first = save_resume(db, CAREGIVER, newcomer.id, check_upload(io.BytesIO(PDF_BYTES), "a.pdf"))
    db.commit()
    save_resume(db, CAREGIVER, newcomer.id, check_upload(io.BytesIO(docx_bytes()), "b.docx"))
    db.rollback()
    assert files_in(folder) == [first.storage_key]
    assert resume_of(db, newcomer.id).id == first.id


def test_delete_documents_removes_rows_and_files(db, newcomer, folder) -> None:
    save_resume(db, CAREGIVER, newcomer.id, check_upload(io.BytesIO(PDF_BYTES), "a.pdf"))
    db.commit()
    assert delete_documents(db, newcomer.id) == 1
    db.commit()
    assert files_in(folder) == [] and db.query(NewcomerDocument).count() == 0


def test_a_missing_file_or_a_forged_key_is_not_found(db, newcomer, folder) -> None:
    document = save_resume(db, CAREGIVER, newcomer.id,
                           check_upload(io.BytesIO(PDF_BYTES), "a.pdf"))
    db.commit()
    os.remove(folder / document.storage_key)
    with pytest.raises(DocumentError):
        open_document(db, document.id)
    document.storage_key = "../../etc/passwd"
    with pytest.raises(DocumentError):
        open_document(db, document.id)


def test_files_live_in_the_instance_folder_by_default(app, db, tmp_path) -> None:
    app.instance_path = str(tmp_path / "instance")
    assert upload_folder() == str(tmp_path / "instance" / "kit-uploads")
    assert os.stat(upload_folder()).st_mode & 0o077 == 0
