#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every language in po/LINGUAS translates every message the sources have
# now. The template is extracted afresh from po/POTFILES.in (the same
# xgettext call as meson's glib preset), so a string added or changed
# without updating the translations fails here, not in front of a user.
# A translation is also checked with msgfmt --check (format directives,
# plural forms, header), and it must have been compiled in the build dir.
#
# Usage: check-translation.sh SOURCE_DIR BUILD_DIR
set -eu
srcdir=$(cd "${1:?source dir}" && pwd)
builddir=$(cd "${2:?build dir}" && pwd)
package=babybuddy-backup

# msgfmt --statistics is parsed below; keep the tools' messages in English.
LC_ALL=C
LANGUAGE=
export LC_ALL LANGUAGE

tmp=$(mktemp -d "$builddir/check-translation.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# meson's `i18n.gettext(..., preset: 'glib')` and its internal pot command.
xgettext --package-name="$package" -D "$srcdir" -k_ \
  --files-from="$srcdir/po/POTFILES.in" -o "$tmp/$package.pot" \
  --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format \
  --flag=g_strdup_printf:1:c-format --flag=g_string_printf:2:c-format \
  --flag=g_string_append_printf:2:c-format --flag=g_error_new:3:c-format \
  --flag=g_set_error:4:c-format --flag=g_markup_printf_escaped:1:c-format \
  --flag=g_log:3:c-format --flag=g_print:1:c-format --flag=g_printerr:1:c-format \
  --flag=g_printf:1:c-format --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format \
  --flag=g_snprintf:3:c-format

langs=$(sed -e 's/#.*//' "$srcdir/po/LINGUAS" | tr -s ' \t' '\n\n' | grep -v '^$' || true)
status=0

# A .po file that po/LINGUAS does not list is never built or installed.
for po in "$srcdir"/po/*.po; do
  [ -f "$po" ] || continue
  lang=$(basename "$po" .po)
  echo "$langs" | grep -qx "$lang" || { echo "po/$lang.po is not listed in po/LINGUAS"; status=1; }
done

if [ -z "$langs" ]; then
  echo "po/LINGUAS lists no language: nothing to check"
  exit $status
fi

# The messages of a catalogue that msgattrib selects, as "file:line: msgid".
list_messages () {
  msgattrib --no-wrap --no-obsolete "$@" | awk '
    function flush() {
      if (inid && where != "") print "  " where ": " ctxt id
      inid = 0; where = ""; ctxt = ""
    }
    /^#: / { if (where == "") where = $2; next }
    /^msgctxt / { ctxt = substr($0, 9) " "; next }
    /^msgid / { inid = 1; id = substr($0, 7); next }
    /^"/ && inid { id = substr(id, 1, length(id) - 1) substr($0, 2); next }
    { if (inid) flush() }
    END { flush() }'
}

for lang in $langs; do
  po=$srcdir/po/$lang.po
  if [ ! -f "$po" ]; then
    echo "$lang: po/$lang.po is missing"
    status=1
    continue
  fi

  if ! msgfmt --check -o /dev/null "$po" 2>"$tmp/msgfmt.log"; then
    echo "$lang: msgfmt --check fails on po/$lang.po:"
    sed 's/^/  /' "$tmp/msgfmt.log"
    status=1
  fi

  merged=$tmp/$lang.po
  msgmerge --quiet --lang="$lang" -o "$merged" "$po" "$tmp/$package.pot"
  # The merged catalogue is what a fresh `ninja update-po` would give:
  # check the format directives of its new and changed messages too.
  if ! msgfmt --check -o /dev/null "$merged" 2>"$tmp/msgfmt.log"; then
    echo "$lang: msgfmt --check fails after merging with the sources:"
    sed 's/^/  /' "$tmp/msgfmt.log"
    status=1
  fi

  msgfmt --statistics -o /dev/null "$merged" 2>"$tmp/stats"
  echo "$lang: $(cat "$tmp/stats")"
  untranslated=$(list_messages --untranslated "$merged")
  fuzzy=$(list_messages --only-fuzzy "$merged")
  if [ -n "$untranslated" ]; then
    echo "$lang: untranslated messages:"
    printf "%s\n" "$untranslated"
    status=1
  fi
  if [ -n "$fuzzy" ]; then
    echo "$lang: fuzzy messages (changed in the sources, or marked for review):"
    printf "%s\n" "$fuzzy"
    status=1
  fi
  obsolete=$(msgattrib --only-obsolete "$merged" | grep -c '^#~ msgid ' || true)
  [ "$obsolete" -eq 0 ] || echo "$lang: note: $obsolete message(s) no longer in the sources"

  # po/LINGUAS is read when meson configures: a language added since then
  # is not compiled until the build dir is reconfigured.
  mo=$builddir/po/$lang/LC_MESSAGES/$package.mo
  if [ ! -f "$mo" ]; then
    echo "$lang: $mo was not built (run meson setup --reconfigure after changing po/LINGUAS)"
    status=1
  fi
done

exit $status
