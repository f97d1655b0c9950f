#!/bin/sh
# The CLI's front door: help, version, unknown commands, prefixes.
. "${0%/*}/tap.sh"

run "$XENDECK" --version
is "$RC" 0 "--version exits 0"
like "$OUT" '^xendeck [0-9]+\.[0-9]+\.[0-9]+$' "--version prints the version"

run "$XENDECK" --help
is "$RC" 0 "--help exits 0"
like "$OUT" '^usage: xendeck' "--help starts with usage"
like "$OUT" '^  help +list the commands' "--help lists help"

run "$XENDECK" help version
is "$RC" 0 "help COMMAND exits 0"
like "$OUT" '^usage: xendeck version' "help COMMAND shows its usage"

run "$XENDECK" no-such-command
is "$RC" 2 "an unknown command exits 2"
like "$ERR" "^xendeck: unknown command: no-such-command" "and says so"

run "$XENDECK" vers
is "$RC" 0 "an unambiguous prefix runs the command"
like "$OUT" '^xendeck ' "prefix 'vers' ran version"

run "$XENDECK" help no-such-command
is "$RC" 1 "help for an unknown command exits 1"

run "$XENDECK" --bogus-option
is "$RC" 2 "an unknown global option exits 2"

done_testing
