#!/usr/bin/env python3
"""Adds UI strings to the one resource pair (English key = English text, Persian translation).

Usage: scripts/strings.py add "English text" "متن فارسی" ["English 2" "فارسی ۲" ...]
       scripts/strings.py missing   # keys used in code (L["..."], text["..."]) that have no translation
Keeps both .resx files sorted; an existing key's translation is replaced.
"""
import re
import sys
import pathlib
from xml.sax.saxutils import escape

ROOT = pathlib.Path(__file__).resolve().parent.parent
DIR = ROOT / "src/Payvand.Web/Platform/Localization"
EN = DIR / "SharedResource.resx"
FA = DIR / "SharedResource.fa.resx"
HEAD = """<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
"""
ENTRY = re.compile(r'<data name="(.*?)" xml:space="preserve">\s*<value>(.*?)</value>\s*</data>', re.S)


def unescape(s):
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def read(path):
    if not path.exists():
        return {}
    return {unescape(k): unescape(v) for k, v in ENTRY.findall(path.read_text(encoding="utf-8"))}


def write(path, entries):
    out = [HEAD]
    for k in sorted(entries, key=lambda x: x.lower()):
        out.append(f'  <data name="{escape(k, {chr(34): "&quot;"})}" xml:space="preserve">\n    <value>{escape(entries[k])}</value>\n  </data>\n')
    out.append("</root>\n")
    path.write_text("".join(out), encoding="utf-8")


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "missing":
        keys = set(read(FA))
        used = set()
        for f in (ROOT / "src/Payvand.Web").rglob("*"):
            if f.suffix in (".cs", ".razor") and "/bin/" not in str(f) and "/obj/" not in str(f):
                used.update(m for m in re.findall(r'(?:\bL|\btext|\bText)\["((?:[^"\\]|\\.)*)"', f.read_text(encoding="utf-8")))
        for k in sorted(used - keys):
            print(k)
        return
    if len(sys.argv) < 4 or sys.argv[1] != "add" or len(sys.argv[2:]) % 2:
        print(__doc__)
        sys.exit(2)
    en, fa = read(EN), read(FA)
    pairs = sys.argv[2:]
    for i in range(0, len(pairs), 2):
        en[pairs[i]] = pairs[i]
        fa[pairs[i]] = pairs[i + 1]
    write(EN, en)
    write(FA, fa)


if __name__ == "__main__":
    main()
