#!/bin/sh
# The console's job core (console/job.c) with real child processes.
. "${0%/*}/tap.sh"
exec "$XD_BUILDDIR/t/unit-job"
