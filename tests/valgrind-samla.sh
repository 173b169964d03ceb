#!/bin/sh
# valgrind-samla.sh - samla under valgrind, as one command, so the
# end-to-end tests can use it as $SAMLA (`make valgrind` sets this up).
#
# $SAMLA_REAL is the binary (default build/samla next to this file's
# folder), $SAMLA_VALGRIND the valgrind command with its options (default:
# memcheck, full leak check, exit status 99 on any error, so the test that
# ran it fails and shows valgrind's report on stderr).
here=$(cd "$(dirname "$0")" && pwd)
exec ${SAMLA_VALGRIND:-valgrind --quiet --error-exitcode=99 --leak-check=full} \
    "${SAMLA_REAL:-$here/../build/samla}" "$@"
