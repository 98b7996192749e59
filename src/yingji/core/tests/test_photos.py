"""The shared photo store: types by magic bytes, limits, one file per content, lookups that stay inside."""

import hashlib

import pytest

from yingji.core.errors import ValidationFailed
from yingji.core.photos import JPEG, PNG, WEBP, PhotoStore, media_file, sniff

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32
WEBP_BYTES = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_types_are_read_from_the_first_bytes():
    assert sniff(JPEG_BYTES) == JPEG and sniff(PNG_BYTES) == PNG and sniff(WEBP_BYTES) == WEBP
    assert sniff(b"RIFF\x24\x00\x00\x00WAVEfmt ") is None  # a RIFF that is not WebP (a sound file)
    assert sniff(b"GIF89a" + b"\x00" * 16) is None and sniff(b"<svg/>") is None and sniff(b"") is None


def test_a_photo_is_kept_once_under_its_checksum(media):
    store = PhotoStore("risk")
    first, again = store.keep(PNG_BYTES), store.keep(PNG_BYTES)
    digest = hashlib.sha256(PNG_BYTES).hexdigest()
    assert first == again and first.name == f"{digest[:2]}/{digest}.png" and first.path == f"risk/{first.name}"
    assert (first.content_type, first.size, first.sha256) == ("image/png", len(PNG_BYTES), digest)
    assert (media / first.path).read_bytes() == PNG_BYTES
    assert [p.name for p in (media / "risk" / digest[:2]).iterdir()] == [f"{digest}.png"]  # no partial left
    assert store.file(first.name) == media_file(first.path) == (media / first.path).resolve()


@pytest.mark.parametrize(
    "data,reason", [(b"", "empty"), (b"GIF89a" + b"\x00" * 16, "type"), (PNG_BYTES + b"\x00" * 100, "size")]
)
def test_refusals_name_the_stores_field(data, reason, media):
    with pytest.raises(ValidationFailed) as err:
        PhotoStore("portal/leads", max_bytes=64, field="file").keep(data)
    assert list(err.value.errors) == ["file"]
    assert not any(media.rglob("*.*"))


def test_lookups_never_leave_the_store(media):
    (media / "secret.txt").write_text("x")
    store = PhotoStore("forest")
    store.keep(JPEG_BYTES)
    assert store.file("../secret.txt") is None and store.file("") is None and store.file("ab/missing.jpg") is None
    assert media_file("../../etc/passwd") is None and media_file("") is None
