#!/usr/bin/env bash
# Runs every test: builds the solution once, checks its formatting (dotnet format --verify-no-changes) and that
# both migrations projects are up to date with the model (dotnet ef migrations has-pending-model-changes), then runs
# tests/Payvand.Tests on SQLite (all tests) and on a throwaway PostgreSQL cluster (Category=Integration only), then
# the Playwright tests in tests/Payvand.E2E.
# Installs chromium, PostgreSQL 15 and dovecot-imapd first when they are missing (Debian, see scripts/install-deps.sh).
#
# Usage: ./test.sh [--no-e2e] [--no-postgres] [--no-format] [--filter EXPR]
#   --no-e2e        skip the browser tests
#   --no-postgres   skip the PostgreSQL run (and the cluster)
#   --no-format     skip the formatting check (for quick runs while working)
#   --filter EXPR   dotnet test filter for every suite, e.g. --filter "FullyQualifiedName~Contacts"
# Prints each suite's dotnet test output, the time per stage, and last the line "N passed, N failed";
# exits non-zero when anything failed. TRX files land in TestResults/<suite>/.
set -euo pipefail
cd "$(dirname "$0")"

run_e2e=1
run_postgres=1
run_format=1
filter=""
while (($#)); do
    case $1 in
        --no-e2e) run_e2e=0 ;;
        --no-postgres) run_postgres=0 ;;
        --no-format) run_format=0 ;;
        --filter)
            (($# >= 2)) || { echo "test.sh: --filter needs an expression" >&2; exit 2; }
            filter=$2
            shift
            ;;
        --filter=*) filter=${1#--filter=} ;;
        -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "test.sh: unknown option $1 (see ./test.sh --help)" >&2; exit 2 ;;
    esac
    shift
done

export DOTNET_NOLOGO=1
results=TestResults
passed=0
failed=0
report=()  # one line per stage: name, elapsed time, outcome
pg_dir=""

cleanup() {
    trap '' INT TERM HUP
    if [[ -n $pg_dir ]]; then
        scripts/pg-cluster.sh stop "$pg_dir" || echo "test.sh: could not remove the cluster in $pg_dir" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

now_ms() { date +%s%3N; }

# Records a finished stage: name, start time in ms, outcome text.
stage_done() {
    local ms=$(($(now_ms) - $2))
    report+=("$(printf '  %-18s %5d.%ds  %s' "$1" $((ms / 1000)) $((ms % 1000 / 100)) "$3")")
}

banner() { printf '\n==> %s\n' "$*"; }

# One counter of the first <Counters .../> element in a TRX file; 0 when absent.
trx_counter() {
    local counters
    counters=$(grep -o '<Counters [^>]*>' "$1" | head -n 1 || true)
    if [[ $counters =~ [[:space:]]$2=\"([0-9]+)\" ]]; then echo "${BASH_REMATCH[1]}"; else echo 0; fi
}

# run_suite NAME PROJECT FILTER [VAR=VALUE ...]: dotnet test with its own TRX; adds to passed/failed.
run_suite() {
    local name=$1 project=$2 suite_filter=$3
    shift 3
    local dir=$results/$name start rc=0
    local args=(test "$project" -c Release --no-build --nologo --results-directory "$dir"
        --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal")
    [[ -n $suite_filter ]] && args+=(--filter "$suite_filter")
    banner "$name: dotnet test $project${suite_filter:+ --filter \"$suite_filter\"}"
    rm -rf "$dir"
    start=$(now_ms)
    env "$@" dotnet "${args[@]}" || rc=$?

    local trx counter suite_passed=0 suite_failed=0 found=0 outcome
    while IFS= read -r -d '' trx; do
        found=1
        suite_passed=$((suite_passed + $(trx_counter "$trx" passed)))
        for counter in failed error timeout aborted; do
            suite_failed=$((suite_failed + $(trx_counter "$trx" "$counter")))
        done
    done < <(find "$dir" -name '*.trx' -print0 2>/dev/null)
    outcome="$suite_passed passed, $suite_failed failed"
    if ((rc != 0 && suite_failed == 0)); then
        # No TRX (crashed before writing one) or a run that broke outside any test: one failure.
        suite_failed=1
        if ((found)); then
            outcome="$suite_passed passed, 1 failed (dotnet test exited with $rc)"
        else
            outcome="$suite_passed passed, 1 failed (dotnet test exited with $rc and wrote no TRX)"
        fi
        echo "test.sh: $name: ${outcome#*, }" >&2
    fi
    passed=$((passed + suite_passed))
    failed=$((failed + suite_failed))
    stage_done "$name" "$start" "$outcome"
}

finish() {
    banner "Summary"
    printf '%s\n' "${report[@]}"
    echo "$passed passed, $failed failed"
    ((failed == 0))
}

total_start=$(now_ms)

banner "Dependencies"
start=$(now_ms)
install_args=()
((run_e2e)) || install_args+=(--no-chromium)
((run_postgres)) || install_args+=(--no-postgres)
if scripts/install-deps.sh "${install_args[@]}"; then
    stage_done "dependencies" "$start" "ok"
else
    failed=$((failed + 1))
    stage_done "dependencies" "$start" "FAILED (scripts/install-deps.sh), 1 failed"
fi

banner "Build: dotnet build Payvand.slnx -c Release"
start=$(now_ms)
if dotnet build Payvand.slnx -c Release --nologo; then
    stage_done "build" "$start" "ok"
else
    echo "test.sh: BUILD FAILED, see the errors above; no tests were run" >&2
    failed=$((failed + 1))
    stage_done "build" "$start" "FAILED, 1 failed; tests skipped"
    stage_done "total" "$total_start" ""
    finish
    exit 1
fi

# Formatting as .editorconfig and dotnet format want it (whitespace, using order, style); the build has restored.
if ((run_format)); then
    banner "Format: dotnet format Payvand.slnx --verify-no-changes"
    start=$(now_ms)
    if dotnet format Payvand.slnx --verify-no-changes --no-restore; then
        stage_done "format" "$start" "ok"
    else
        echo "test.sh: dotnet format found code to reformat (listed above); run: dotnet format Payvand.slnx" >&2
        failed=$((failed + 1))
        stage_done "format" "$start" "FAILED, 1 failed (run dotnet format Payvand.slnx)"
    fi
fi

# Every schema change comes with a migration for each database: a model that differs from the newest migration's
# snapshot fails here (never regenerate an existing migration: add one, see README).
banner "Migrations: dotnet ef migrations has-pending-model-changes (SQLite, PostgreSQL)"
start=$(now_ms)
migrations_ok=1
dotnet tool restore >/dev/null || migrations_ok=0
for provider in Sqlite Postgres; do
    ((migrations_ok)) || break
    dotnet ef migrations has-pending-model-changes --project "src/Payvand.Migrations.$provider" \
        --configuration Release --no-build || migrations_ok=0
done
if ((migrations_ok)); then
    stage_done "migrations" "$start" "ok"
else
    echo "test.sh: the model has changes without a migration (or dotnet-ef could not run); add one in both migrations projects" >&2
    failed=$((failed + 1))
    stage_done "migrations" "$start" "FAILED, 1 failed (a model change without a migration)"
fi

run_suite sqlite tests/Payvand.Tests "$filter" PAYVAND_TEST_DB=sqlite

if ((run_postgres)); then
    banner "PostgreSQL: scripts/pg-cluster.sh start"
    start=$(now_ms)
    pg_dir=$(mktemp -d -t payvand-pg.XXXXXX)
    if connection=$(scripts/pg-cluster.sh start "$pg_dir"); then
        stage_done "postgres cluster" "$start" "${connection%%;Username=*}"
        pg_filter="Category=Integration"
        [[ -n $filter ]] && pg_filter="($pg_filter)&($filter)"
        run_suite postgres tests/Payvand.Tests "$pg_filter" \
            PAYVAND_TEST_DB=postgres "PAYVAND_TEST_POSTGRES=$connection"
    else
        echo "test.sh: the PostgreSQL cluster did not start; the PostgreSQL suite was not run" >&2
        failed=$((failed + 1))
        stage_done "postgres cluster" "$start" "FAILED, 1 failed; suite skipped"
    fi
    start=$(now_ms)
    scripts/pg-cluster.sh stop "$pg_dir" || echo "test.sh: could not remove the cluster in $pg_dir" >&2
    pg_dir=""
    stage_done "postgres stop" "$start" ""
fi

if ((run_e2e)); then
    chromium=${PLAYWRIGHT_CHROMIUM_EXECUTABLE:-$(command -v chromium || echo /usr/bin/chromium)}
    run_suite e2e tests/Payvand.E2E "$filter" PAYVAND_TEST_DB=sqlite "PLAYWRIGHT_CHROMIUM_EXECUTABLE=$chromium"
fi

stage_done "total" "$total_start" ""
finish
