#!/bin/sh
# The console's YAML loaders (config.yaml and themes, through ydoc.c) under
# libFuzzer, ASan and UBSan for a short while, seeded with the shipped
# themes and t/yaml/ (t/fuzz-yaml.c: parse or refuse naming the file;
# values in range). Any crash fails.
. "${0%/*}/tap.sh"
. "${0%/*}/fuzz.sh"
fuzz_target fuzz-yaml
cp "$XD_SRCDIR"/themes/*.yaml "$XD_SRCDIR"/t/yaml/* "$T_TMP/corpus/"
fuzz_run 10 -max_len=8192
done_testing
