"""The Chinese catalogues agree with one another.

Django merges every app's catalogue into one per language: LOCALE_PATHS first, then INSTALLED_APPS in order, and the
earlier catalogue wins for a (context, msgid) pair. When two apps translate the same pair differently, the later app
silently shows the earlier app's wording ("findings" of an incident assessment read as a forest patrol's). This test
reads the compiled catalogues exactly as Django merges them and fails on every such pair, naming the app and entry to
fix.
"""

import gettext
from pathlib import Path

from django.apps import apps
from django.conf import settings

LANGUAGE = "zh_Hans"


def _catalogues() -> list[tuple[str, Path]]:
    """(label, .mo path) in the order Django gives them precedence: LOCALE_PATHS, then our apps in INSTALLED_APPS."""
    found = []
    for path in settings.LOCALE_PATHS:
        found.append(("project locale (src/yingji/locale)", Path(path)))
    for config in apps.get_app_configs():
        if config.name.startswith("yingji."):
            found.append((config.label, Path(config.path) / "locale"))
    out = []
    for label, base in found:
        mo = base / LANGUAGE / "LC_MESSAGES" / "django.mo"
        if mo.exists():
            out.append((label, mo))
    return out


def _entries(mo: Path) -> dict[tuple[str | None, str], str]:
    with mo.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog  # noqa: SLF001 - the parsed .mo, as Django reads it
    out: dict[tuple[str | None, str], str] = {}
    for key, value in catalog.items():
        if isinstance(key, tuple):  # plural forms: (msgid, n)
            key, n = key
            if n:
                continue
        if not key:  # the header
            continue
        ctx, _, msgid = key.rpartition("\x04")
        out[(ctx or None, msgid)] = value
    return out


def test_the_compiled_catalogues_exist_for_every_app_with_a_po():
    for label, mo in _catalogues():
        po = mo.with_suffix(".po")
        assert po.exists(), f"{label}: {mo} has no .po beside it"
        assert mo.stat().st_size > 0, f"{label}: {mo} is empty; run compilemessages"


def test_no_two_catalogues_translate_the_same_message_differently():
    winners: dict[tuple[str | None, str], tuple[str, str]] = {}
    problems = []
    for label, mo in _catalogues():
        for key, text in _entries(mo).items():
            if key not in winners:
                winners[key] = (label, text)
                continue
            first, shown = winners[key]
            if shown != text:
                ctx, msgid = key
                where = f'msgctxt "{ctx}" msgid "{msgid}"' if ctx else f'msgid "{msgid}"'
                problems.append(
                    f"{label}: {where} is translated {text!r} but {first} (earlier in LOCALE_PATHS/INSTALLED_APPS) "
                    f"wins with {shown!r}, so {label}'s pages show {shown!r}. Fix it in "
                    f"src/yingji/{label}/locale/{LANGUAGE}/LC_MESSAGES/django.po: use the same wording, or, if the "
                    f"meaning differs, give {label}'s uses a context (pgettext_lazy / {{% translate ... context %}}) "
                    f"and the entry the same msgctxt; then compilemessages."
                )
    assert not problems, f"{len(problems)} catalogue clash(es):\n" + "\n".join(problems)
