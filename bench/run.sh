#!/usr/bin/env bash
# Generates N people into a database and measures the app against it; prints a Markdown table (docs/benchmarks.md).
#
# Usage: bench/run.sh sqlite|postgres [--workloads people|purchases|all] [--people N] [--lines N] [--dir DIR]
#                                      [--duration S] [--connections C] [--keep] [--names skewed]
#   sqlite    the database is DIR/payvand-bench.db (with purchases: DIR/payvand-bench-purchases.db); it is generated
#             once and reused when it exists
#   postgres  a throwaway cluster in DIR/pg (with purchases: DIR/pg-purchases), generated, measured, and stopped after
#             unless --keep (then the connection string is printed and the cluster left running)
#   --workloads people (default: lists and searches of people) | purchases (issue 3: person page, purchase filters,
#             ingestion) | consent (issue 10: eligibility counts) | search (issue 11: common words) | all;  --lines N purchase lines to generate (default 10000000 for purchases and all, else 0)
#   --names skewed  very common names and numbers ("John Smith-0", bench/Payvand.Bench/SkewedNames.cs), kept apart (-skewed)
#   --people N (default 1000000)  --dir DIR (default /tmp/payvand-bench)  --duration S (20)  --connections C (16)
# Builds the bench and the app in Release and runs the app from a private copy of its build output, so builds
# by others in the same tree during the run do not change what is measured.
set -euo pipefail
cd "$(dirname "$0")/.."

provider=${1:-}
[[ $provider == sqlite || $provider == postgres ]] || { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
shift
people=1000000
dir=/tmp/payvand-bench
duration=20
connections=16
keep=0
workloads=people
lines=
names=persian
while (($#)); do
    case $1 in
        --workloads) workloads=$2; shift ;;
        --lines) lines=$2; shift ;;
        --people) people=$2; shift ;;
        --dir) dir=$2; shift ;;
        --duration) duration=$2; shift ;;
        --connections) connections=$2; shift ;;
        --keep) keep=1 ;;
        --names) names=$2; shift ;;
        *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

[[ $workloads == people || $workloads == purchases || $workloads == consent || $workloads == search || $workloads == all ]] || { echo "run.sh: --workloads people|purchases|consent|search|all" >&2; exit 2; }
[[ $names == persian || $names == skewed ]] || { echo "run.sh: --names persian|skewed" >&2; exit 2; }
[[ -n $lines ]] || { [[ $workloads == people || $workloads == consent || $workloads == search ]] && lines=0 || lines=10000000; }
# A database with purchases is kept apart from a people-only one, so either is reused only for what it holds.
suffix=; ((lines > 0)) && suffix=-purchases
[[ $names == skewed ]] && suffix=$suffix-skewed

scripts/install-deps.sh --no-chromium --wrk
mkdir -p "$dir"
dotnet build bench/Payvand.Bench -c Release --nologo -v q
rm -rf "$dir/app" && cp -a src/Payvand.Web/bin/Release/net10.0 "$dir/app"
cp bench/Payvand.Bench/bin/Release/net10.0/Payvand.Migrations.*.dll "$dir/app/"
bench=(dotnet bench/Payvand.Bench/bin/Release/net10.0/Payvand.Bench.dll)
measure=(measure --app "$dir/app/Payvand.Web.dll" --duration "$duration" --connections "$connections" --workloads "$workloads"
    --label "$provider, commit $(git rev-parse --short HEAD), load average $(cut -d' ' -f1-3 /proc/loadavg)")

if [[ $provider == sqlite ]]; then
    connection="Data Source=$dir/payvand-bench$suffix.db"
    if [[ ! -f $dir/payvand-bench$suffix.db ]]; then
        "${bench[@]}" generate --provider sqlite --connection "$connection" --people "$people" --lines "$lines" --names "$names"
    fi
    "${bench[@]}" "${measure[@]}" --provider sqlite --connection "$connection"
    exit 0
fi

pg_dir=$dir/pg$suffix
stop_cluster() { ((keep)) || scripts/pg-cluster.sh stop "$pg_dir"; }
if [[ -f $dir/pg$suffix-connection ]]; then
    connection=$(cat "$dir/pg$suffix-connection")
else
    rm -rf "$pg_dir" && mkdir -p "$pg_dir"
    admin=$(scripts/pg-cluster.sh start "$pg_dir")
    trap stop_cluster EXIT
    # More memory than the test default, as a small production server would have.
    psql_bin=${PAYVAND_PG_BIN:-/usr/lib/postgresql/15/bin}
    PGPASSWORD=$(sed 's/.*Password=//' <<<"$admin") "$psql_bin/psql" -X -q -h 127.0.0.1 -p "$(sed 's/.*Port=\([0-9]*\).*/\1/' <<<"$admin")" -U postgres \
        -c "ALTER SYSTEM SET shared_buffers = '2GB'" -c "ALTER SYSTEM SET work_mem = '16MB'" -c "ALTER SYSTEM SET effective_cache_size = '8GB'" \
        -c "CREATE DATABASE payvand_bench"
    if ((EUID == 0)); then runuser -u postgres -- "$psql_bin/pg_ctl" restart -D "$pg_dir/data" -w -l "$pg_dir/postgres.log" >/dev/null
    else "$psql_bin/pg_ctl" restart -D "$pg_dir/data" -w -l "$pg_dir/postgres.log" >/dev/null; fi
    # No pool size: the app uses its default (DataSetup.DefaultPoolSize), as an installation would.
    connection="$admin;Database=payvand_bench"
    "${bench[@]}" generate --provider postgres --connection "$connection" --people "$people" --lines "$lines" --names "$names"
    ((keep)) && echo "$connection" >"$dir/pg$suffix-connection"
fi
"${bench[@]}" "${measure[@]}" --provider postgres --connection "$connection"
((keep)) && echo "run.sh: cluster left running in $pg_dir: $connection; stop with scripts/pg-cluster.sh stop $pg_dir && rm $dir/pg$suffix-connection"
exit 0
