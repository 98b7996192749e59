"""Photos kept in the data directory (hidden dangers, forest patrol findings, public hazard reports).

One store for every app: a photo is recognised by its first bytes (JPEG, PNG or WebP; never by its name or the
browser's word for it), refused when empty or over the store's size limit, and kept once under its SHA-256 in
``MEDIA_ROOT/<folder>/<first two hex digits>/<sha256>.<ext>`` (content-addressed: the same photo sent twice is one
file; a file never changes once written). ``yingji backup`` copies the whole uploads directory with the database.
"""

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.utils.translation import gettext as _

from yingji.core.errors import ValidationFailed

MAX_BYTES = 10 * 1024 * 1024


class PhotoKind(NamedTuple):
    """An accepted image type: its MIME type and the file extension it is stored with."""

    mime: str
    extension: str


JPEG = PhotoKind("image/jpeg", "jpg")
PNG = PhotoKind("image/png", "png")
WEBP = PhotoKind("image/webp", "webp")


def sniff(data: bytes) -> PhotoKind | None:
    """The image type by its magic bytes, or None when it is not a JPEG, PNG or WebP."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    # WebP is a RIFF container whose form type (bytes 8-11) is "WEBP".
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    return None


@dataclass(frozen=True)
class StoredPhoto:
    """A photo as kept: `name` within its store's folder, `path` within the uploads directory (MEDIA_ROOT)."""

    name: str
    path: str
    sha256: str
    kind: PhotoKind
    size: int

    @property
    def content_type(self) -> str:
        return self.kind.mime


def _inside(base: Path, relative: str) -> Path | None:
    """`base/relative` if it is a file that lies inside `base` (a stored name never climbs out), else None."""
    if not relative:
        return None
    root = base.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def media_file(path: str) -> Path | None:
    """The file of a photo stored under `path` (relative to the uploads directory), or None when it is missing."""
    return _inside(Path(settings.MEDIA_ROOT), path)


@dataclass(frozen=True)
class PhotoStore:
    """One app's photo folder under the uploads directory, its size limit, and the input field its errors name."""

    folder: str
    max_bytes: int = MAX_BYTES
    field: str = "photo"

    @property
    def root(self) -> Path:
        return Path(settings.MEDIA_ROOT) / self.folder

    def _fail(self, message: str) -> ValidationFailed:
        return ValidationFailed(f"{self.field}: {message}", {self.field: [message]})

    def check_size(self, size: int) -> None:
        """Refuse an upload by its announced size before reading it."""
        if size > self.max_bytes:
            raise self._fail(_("The photo is larger than %(mb)d MB.") % {"mb": self.max_bytes // (1024 * 1024)})

    def check(self, data: bytes) -> PhotoKind:
        """The photo's type, or ValidationFailed on the store's field (empty, too large, not an accepted image)."""
        if not data:
            raise self._fail(_("The photo is empty."))
        self.check_size(len(data))
        kind = sniff(data)
        if kind is None:
            raise self._fail(_("Send a JPEG, PNG or WebP photo."))
        return kind

    def keep(self, data: bytes) -> StoredPhoto:
        """Check the photo and write it under its checksum (once; an existing file is left as it is)."""
        kind = self.check(data)
        digest = hashlib.sha256(data).hexdigest()
        name = f"{digest[:2]}/{digest}.{kind.extension}"
        target = self.root / name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            # Written aside and renamed: a reader never sees half a photo, and two writers of the same photo
            # each rename a whole copy.
            partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
            partial.write_bytes(data)
            partial.replace(target)
        return StoredPhoto(name=name, path=f"{self.folder}/{name}", sha256=digest, kind=kind, size=len(data))

    def file(self, name: str) -> Path | None:
        """The file of a photo stored under `name` in this store, or None when it is missing."""
        return _inside(self.root, name)
