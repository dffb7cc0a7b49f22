#!/usr/bin/env python3
"""Rewrites the README's per-service settings tables from the code (`capstan settings --markdown`).

Run after adding or changing a setting: ./scripts/readme-settings.py  (ReadmeTest fails until you do).
"""
import pathlib
import re
import subprocess

root = pathlib.Path(__file__).resolve().parent.parent
readme = root / "README.md"
jar = root / "app" / "target" / "capstan.jar"
text = readme.read_text()
for name in re.findall(r"<!-- settings:(\w+) -->", text):
    table = subprocess.run(["java", "-jar", str(jar), "settings", "--markdown", "--service", name],
                           capture_output=True, text=True, check=True).stdout.strip()
    text = re.sub(r"(<!-- settings:%s -->\n)(\|.*\n)*" % name, lambda m: m.group(1) + table + "\n", text)
readme.write_text(text)
