# The data-path tests on the KUnit kernel, part 1 of 2 (tests/kunit/datapath.sh).
DP_PART=1
. "$SLUICE_ROOT/tests/kunit/datapath.sh"
