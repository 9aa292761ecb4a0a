#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every source file with a translatable string is in po/POTFILES.in, and
# every file listed there exists: a string outside it would never reach
# translators.
set -eu
cd "${1:?source dir}"
status=0
for f in $(grep -lE '(^|[^A-Za-z_])(N?_|C_|ngettext|g_dngettext) ?\(|translatable="yes"' \
             src/*.c src/*/*.c src/*/*.ui src/*/*/*.ui 2>/dev/null); do
  grep -qx "$f" po/POTFILES.in || { echo "not in po/POTFILES.in: $f"; status=1; }
done
while read -r f; do
  case "$f" in ''|\#*) continue ;; esac
  [ -f "$f" ] || { echo "listed but missing: $f"; status=1; }
done < po/POTFILES.in
exit $status
