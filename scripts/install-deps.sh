#!/usr/bin/env bash
# Installs the Debian packages the tests need, and nothing when they are already there:
# chromium (Playwright browser tests), PostgreSQL 15 (throwaway test cluster, see pg-cluster.sh) and Dovecot's IMAP
# server (dovecot-imapd: the tests start a throwaway instance of their own for the email bounce mailbox);
# with --wrk also wrk, the HTTP load generator of bench/run.sh.
#
# Usage: scripts/install-deps.sh [--no-chromium] [--no-postgres] [--wrk]
# Environment: PAYVAND_PG_BIN  a PostgreSQL bin folder to use instead of /usr/lib/postgresql/15/bin
set -euo pipefail

want_chromium=1
want_postgres=1
want_wrk=0
for arg in "$@"; do
    case "$arg" in
        --no-chromium) want_chromium=0 ;;
        --no-postgres) want_postgres=0 ;;
        --wrk) want_wrk=1 ;;
        -h | --help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install-deps.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done

pg_bin=${PAYVAND_PG_BIN:-/usr/lib/postgresql/15/bin}
packages=()
if ((want_chromium)) && ! command -v chromium >/dev/null && [[ ! -x /usr/bin/chromium ]]; then
    # fonts-liberation is what Debian recommends beside chromium; without recommends a page renders
    # in whatever font fontconfig finds first.
    packages+=(chromium fonts-liberation)
fi
if ((want_postgres)) && ! { [[ -x $pg_bin/initdb && -x $pg_bin/pg_ctl && -x $pg_bin/psql ]]; }; then
    packages+=(postgresql-15)
fi
if [[ ! -x /usr/sbin/dovecot || ! -x /usr/lib/dovecot/imap ]]; then
    packages+=(dovecot-imapd)
fi
if ((want_wrk)) && ! command -v wrk >/dev/null; then
    packages+=(wrk)
fi
((${#packages[@]} == 0)) && exit 0

if ((EUID == 0)); then
    as_root=()
elif command -v sudo >/dev/null; then
    as_root=(sudo)
else
    echo "install-deps.sh: missing ${packages[*]}; run as root or install sudo" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null; then
    echo "install-deps.sh: missing ${packages[*]} and no apt-get here; install them by hand" \
        "(set PAYVAND_PG_BIN to a PostgreSQL bin folder)" >&2
    exit 1
fi

apt_get() { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Use-Pty=0 "$@"; }

echo "install-deps.sh: installing ${packages[*]}" >&2
apt_get update
if [[ " ${packages[*]} " == *" postgresql-15 "* && ! -d /usr/share/postgresql-common ]]; then
    # Installing a server package makes Debian create and start a "main" cluster on port 5432, a
    # service the tests never use and that would outlive them. Turn that off before the server arrives.
    apt_get install --no-install-recommends postgresql-common
    conf=/etc/postgresql-common/createcluster.conf
    if ! grep -q '^create_main_cluster' "$conf" 2>/dev/null; then
        echo 'create_main_cluster = false' | "${as_root[@]}" tee -a "$conf" >/dev/null
    fi
fi
apt_get install --no-install-recommends "${packages[@]}"
if [[ " ${packages[*]} " == *" dovecot-imapd "* ]] && [[ -d /run/systemd/system ]]; then
    # Debian starts the system's Dovecot on ports 143 and 993 with the package; the tests never use it.
    "${as_root[@]}" systemctl disable --now dovecot.service dovecot.socket >/dev/null 2>&1 || true
fi
