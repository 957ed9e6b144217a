#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What appstreamcli cannot know about our metainfo: its screenshots are the
images committed under data/screenshots/, the newest release is the version
meson builds, the launchable is our desktop file, and the binaries it
provides are programs meson builds (test-install.sh checks they are installed).

Usage: check-metainfo.py SOURCE_ROOT APP_ID VERSION
"""
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

root = pathlib.Path(sys.argv[1])
app_id, version = sys.argv[2], sys.argv[3]
component = ET.parse(root / "data" / f"{app_id}.metainfo.xml.in").getroot()
results = []


def check(description, ok, *notes):
    results.append((description, bool(ok), notes))


def version_key(text):
    return [int(part) for part in re.findall(r"\d+", text)]


# Screenshots: stable names under data/screenshots/, served from the repository.
screenshots = component.findall("screenshots/screenshot")
images = [shot.findtext("image", "").strip() for shot in screenshots]
names = [re.sub(r"^.*/data/screenshots/", "", url) for url in images]
check("every screenshot is an https URL of a data/screenshots/*.png file",
      screenshots and all(url.startswith("https://") and "/data/screenshots/" in url
                          and name.endswith(".png") for url, name in zip(images, names)),
      *images)
check("exactly one screenshot is the default, and every one has a caption",
      sum(shot.get("type") == "default" for shot in screenshots) == 1
      and all(shot.findtext("caption", "").strip() for shot in screenshots))
committed = sorted(p.name for p in (root / "data" / "screenshots").glob("*.png"))
absent = [name for name in names if name not in committed]
if not committed:
    # The window helpers take them once the window is final.
    check("the screenshots are committed # SKIP data/screenshots/ has no images yet", True)
else:
    check("the screenshots are committed", not absent, *(f"missing: data/screenshots/{n}" for n in absent))

releases = component.findall("releases/release")
versions = [release.get("version", "") for release in releases]
check("the newest release is the version meson builds", versions and versions[0] == version,
      f"metainfo {versions[:1]}, meson {version}")
check("releases are listed newest first, each with a date",
      versions == sorted(versions, key=version_key, reverse=True)
      and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r.get("date", "")) for r in releases))

launchable = component.findtext("launchable[@type='desktop-id']", "")
check("the launchable is our desktop file", launchable == f"{app_id}.desktop"
      and (root / "data" / f"{app_id}.desktop.in").exists(), launchable)

binaries = sorted(b.text for b in component.findall("provides/binary"))
built = sorted(re.findall(r"executable\(\s*'([^']+)'", (root / "src" / "meson.build").read_text()))
check("the binaries it provides are programs meson builds",
      binaries and set(binaries) <= set(built),
      f"metainfo {binaries}, src/meson.build {built}")

check("it has a content rating", component.find("content_rating[@type='oars-1.1']") is not None)

print(f"1..{len(results)}")
for number, (description, ok, notes) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {number} - {description}")
    if not ok:
        for note in notes:
            print(f"# {note}")
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
