#!/usr/bin/env bash
# A real upload and import through the running app (not in-process like `Payvand.Bench.dll import`): starts Payvand.Web
# on a new SQLite file, uploads the CSV given (default /tmp/imp1m/people.csv, e.g. written by bench/people-csv.py),
# maps it to branch 1, runs the import and prints the times and the app's peak resident memory (VmHWM).
# Usage: bench/import-upload.sh [CSV]   (after dotnet build Payvand.slnx -c Release)
set -u
cd "$(dirname "$0")/.."
rm -rf /tmp/imp1m/db && mkdir -p /tmp/imp1m/db
export Payvand__Database__Provider=Sqlite Payvand__Database__ConnectionString=/tmp/imp1m/db/payvand.db \
  Payvand__Admin__Email=admin@bench.local Payvand__Admin__Password='bench password 1M rows' Urls=http://127.0.0.1:5199 \
  Payvand__DataProtectionPath=/tmp/imp1m/db/keys ASPNETCORE_ENVIRONMENT=Production
dotnet src/Payvand.Web/bin/Release/net10.0/Payvand.Web.dll > /tmp/imp1m/app.log 2>&1 &
pid=$!
echo "app pid $pid"
for i in $(seq 1 120); do curl -s -o /dev/null http://127.0.0.1:5199/ && break; sleep 1; done
token=$(curl -s -X POST http://127.0.0.1:5199/api/auth/token -H 'Content-Type: application/json' \
  -d '{"email":"admin@bench.local","password":"bench password 1M rows","name":"bench"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
rss() { grep -E "VmHWM|VmRSS" /proc/$pid/status | tr '\n' ' '; }
echo "before upload: $(rss)"
t0=$(date +%s.%N)
curl -s -H "Authorization: Bearer $token" -F kind=people -F "file=@${1:-/tmp/imp1m/people.csv};type=text/csv" http://127.0.0.1:5199/api/imports > /tmp/imp1m/upload.json
t1=$(date +%s.%N)
id=$(python3 -c 'import json; print(json.load(open("/tmp/imp1m/upload.json"))["import"]["id"])')
python3 -c 'import json; d=json.load(open("/tmp/imp1m/upload.json"))["import"]; print("upload:", d["totalRows"], "rows", d["encoding"])'
echo "upload+count+preview: $(echo "$t1 - $t0" | bc) s; $(rss)"
python3 - <<PY > /tmp/imp1m/settings.json
import json; s=json.load(open("/tmp/imp1m/upload.json"))["import"]["settings"]; s["branchId"]=1; print(json.dumps(s))
PY
curl -s -o /dev/null -w "mapping %{http_code}\n" -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data @/tmp/imp1m/settings.json http://127.0.0.1:5199/api/imports/$id/mapping
t2=$(date +%s.%N)
curl -s -o /dev/null -w "start %{http_code}\n" -X POST -H "Authorization: Bearer $token" http://127.0.0.1:5199/api/imports/$id/start
while true; do
  s=$(curl -s -H "Authorization: Bearer $token" http://127.0.0.1:5199/api/imports/$id)
  st=$(echo "$s" | python3 -c 'import sys,json; d=json.load(sys.stdin); print(d["status"], d["done"], d["created"], d["invalid"], d["skipped"])')
  case "$st" in Succeeded*|Failed*|Cancelled*|3\ *|4\ *|5\ *) break;; esac
  sleep 5
done
t3=$(date +%s.%N)
echo "import: $st in $(echo "$t3 - $t2" | bc) s; $(rss)"
echo "$s" | head -c 600; echo
kill $pid; wait $pid 2>/dev/null
