#!/usr/bin/env python3
"""Fails when a source file with translatable strings is missing from po/POTFILES,
or when POTFILES names a file that does not exist."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
listed = {line.strip() for line in (root / "po" / "POTFILES").read_text().splitlines()
          if line.strip() and not line.startswith("#")}

marked = set()
c_mark = re.compile(r'\b(?:_|N_|C_|NC_|g_dngettext|ngettext)\s*\(\s*"')
for path in sorted((root / "src").rglob("*.c")):
    if c_mark.search(path.read_text(encoding="utf-8")):
        marked.add(str(path.relative_to(root)))
for path in sorted((root / "ui").glob("*.ui")):
    if 'translatable="yes"' in path.read_text(encoding="utf-8"):
        marked.add(str(path.relative_to(root)))

missing = sorted(marked - listed)
absent = sorted(name for name in listed if not (root / name).exists())
print("1..2")
print(("ok" if not missing else "not ok") + " 1 - every file with marked strings is in po/POTFILES")
for name in missing:
    print(f"# missing from po/POTFILES: {name}")
print(("ok" if not absent else "not ok") + " 2 - every file in po/POTFILES exists")
for name in absent:
    print(f"# listed but absent: {name}")
sys.exit(1 if missing or absent else 0)
