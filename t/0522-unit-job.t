#!/bin/sh
# The console's job core (console/job.c) with real child processes.
. "${0%/*}/tap.sh"
need_built t/unit-job
"$XD_BUILDDIR/t/unit-job"
