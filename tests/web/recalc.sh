#!/bin/sh
# tests/web/recalc.sh FILE.xlsx OUTDIR - recalculate a workbook in LibreOffice
# headless and list its error cells.
#
# LibreOffice does not recalculate an .xlsx on load by default, so it runs
# with a throw-away profile whose settings say "always recalculate"
# (../shared/docs/xlsx-notes.md). The recalculated copy is written to OUTDIR;
# then every cell whose type is an error (t="e": #REF!, #VALUE!, #NAME?,
# #DIV/0! ...) is printed as "SHEET!CELL VALUE", and the last line is
# "errors=N". Exit status: 0 when the copy was written, 1 otherwise.
set -u
in=$1
out=$2
mkdir -p "$out"
profile=$(mktemp -d)
mkdir -p "$profile/user"
cat >"$profile/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
XCU
# soffice itself runs under valgrind when $VALGRIND is set (as `make
# valgrind` sets it for samla): never here.
timeout 120 env -u VALGRIND soffice -env:UserInstallation="file://$profile" --headless --norestore \
    --convert-to xlsx --outdir "$out" "$in" >/dev/null 2>&1
rm -rf "$profile"
copy="$out/$(basename "$in")"
if [ ! -s "$copy" ]; then
    echo "recalc: LibreOffice wrote no copy of $in" >&2
    exit 1
fi
/usr/bin/python3 - "$copy" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = {}
wb = z.read('xl/workbook.xml').decode()
rels = z.read('xl/_rels/workbook.xml.rels').decode()
target = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
target.update({k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)})
n = 0
for name, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', wb):
    path = 'xl/' + target[rid].lstrip('/').replace('xl/', '', 1)
    xml = z.read(path).decode()
    for ref, attrs, body in re.findall(r'<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', xml):
        if not re.search(r'\bt="e"', attrs):
            continue
        v = re.search(r'<v>([^<]*)</v>', body or '')
        print(f"{name}!{ref} {v.group(1) if v else '?'}")
        n += 1
print(f"errors={n}")
PY
