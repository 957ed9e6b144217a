#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Flatpak manifest cannot be built here (no GNOME runtime), so this checks
what can be checked without it: it is valid JSON, it describes this app with
no more sandbox holes than the app needs, every other module is pinned, and
its last module is this meson project, which configures with the arguments
flatpak-builder gives it and installs the manifest's command.

Usage: check-flatpak.py SOURCE_ROOT APP_ID
"""
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

root = pathlib.Path(sys.argv[1]).resolve()
app_id = sys.argv[2]
manifest_path = root / "build-aux" / "flatpak" / f"{app_id}.json"

# What the app needs and nothing else: the network for the checks, a display,
# the keyring (Secret Service) and the user's ssh-agent.
ALLOWED_FINISH_ARGS = {
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
    "--talk-name=org.freedesktop.secrets",
    "--socket=ssh-auth",
}

results = []


def check(description, ok, *notes):
    results.append((description, bool(ok), [str(n) for n in notes]))
    return ok


def report():
    print(f"1..{len(results)}")
    for number, (description, ok, notes) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {number} - {description}")
        for note in notes:
            for line in note.splitlines():
                print(f"# {line}")
    sys.exit(0 if all(ok for _, ok, _ in results) else 1)


try:
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    check("the manifest is valid JSON", isinstance(manifest, dict))
except (OSError, ValueError) as error:
    check("the manifest is valid JSON", False, error)
    report()

check("the manifest's id is the app id", manifest.get("id") == app_id, manifest.get("id"))
check("it builds on the GNOME runtime with its SDK",
      manifest.get("runtime") == "org.gnome.Platform" and manifest.get("sdk") == "org.gnome.Sdk"
      and re.fullmatch(r"\d+", str(manifest.get("runtime-version", ""))),
      f"{manifest.get('runtime')} {manifest.get('runtime-version')}, sdk {manifest.get('sdk')}")

desktop_in = (root / "data" / f"{app_id}.desktop.in").read_text(encoding="utf-8")
exec_line = re.search(r"^Exec=(\S+)", desktop_in, re.M)
check("its command is the desktop file's Exec",
      exec_line and manifest.get("command") == exec_line.group(1),
      f"command {manifest.get('command')!r}, Exec {exec_line.group(1) if exec_line else None!r}")

finish_args = manifest.get("finish-args", [])
extra = sorted(set(finish_args) - ALLOWED_FINISH_ARGS)
missing = sorted(ALLOWED_FINISH_ARGS - set(finish_args))
check("finish-args are exactly network, display, keyring and ssh-agent",
      not extra and not missing and len(finish_args) == len(set(finish_args)),
      *(f"not needed: {a}" for a in extra), *(f"missing: {a}" for a in missing))

modules = manifest.get("modules", [])
check("it has modules", isinstance(modules, list) and modules)
unpinned = []
for module in modules[:-1]:
    if not isinstance(module, dict):
        unpinned.append(f"{module}: a module file, not checked here")
        continue
    for source in module.get("sources", []):
        kind = source.get("type")
        pinned = (kind in ("archive", "file") and re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", ""))) \
            or (kind == "git" and (source.get("commit") or source.get("tag")))
        if not pinned:
            unpinned.append(f"{module.get('name')}: {kind} source without sha256, tag or commit")
check("every dependency's source is pinned", not unpinned, *unpinned)

app = modules[-1] if modules and isinstance(modules[-1], dict) else {}
check("the last module is built with meson", app.get("buildsystem") == "meson", app.get("buildsystem"))
sources = app.get("sources", [])
source_dir = None
if len(sources) == 1 and sources[0].get("type") == "dir":
    source_dir = (manifest_path.parent / sources[0].get("path", "")).resolve()
check("its source is this repository's directory", source_dir == root,
      f"{source_dir} (repository: {root})")

project = (root / "meson.build").read_text(encoding="utf-8")
name = re.search(r"project\(\s*'([^']+)'", project)
check("that directory is the tunnel-wizard meson project", name and name.group(1) == "tunnel-wizard",
      name.group(1) if name else "no project()")

# Configure the project as flatpak-builder does (prefix /app, libdir lib, the
# module's config-opts) and ask meson what it would install.
meson = shutil.which("meson")
if meson is None or source_dir != root:
    check("the module configures with flatpak-builder's arguments # SKIP no meson or no source", True)
else:
    with tempfile.TemporaryDirectory(prefix="tw-flatpak-") as build:
        args = [meson, "setup", "--prefix=/app", "--libdir=lib", *app.get("config-opts", []),
                build, str(root)]
        setup = subprocess.run(args, capture_output=True, text=True,
                               env={**os.environ, "LC_ALL": "C.UTF-8"})
        ok = check("the module configures with flatpak-builder's arguments", setup.returncode == 0,
                   " ".join(args[1:-2]), "" if setup.returncode == 0 else setup.stdout[-2000:] + setup.stderr[-2000:])
        installed = {}
        if ok:
            out = subprocess.run([meson, "introspect", "--installed", build],
                                 capture_output=True, text=True, check=False)
            installed = json.loads(out.stdout or "{}")
        targets = set(installed.values())
        command = f"/app/bin/{manifest.get('command')}"
        check("it installs the manifest's command, the desktop file and the metainfo under /app",
              command in targets
              and f"/app/share/applications/{app_id}.desktop" in targets
              and f"/app/share/metainfo/{app_id}.metainfo.xml" in targets,
              *sorted(t for t in targets if "/bin/" in t or "/applications/" in t or "/metainfo/" in t))

report()
