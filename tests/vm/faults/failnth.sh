# Allocation failures in control commands (the debug kernel only, which
# has fault injection: tests/kunit/run boot 2 and faults): every command
# with its 1st, 2nd, ... allocation failed in turn, SET_MAPS among them
# (tests/genlfuzz/failnth.c), each failure refused with the state exactly
# as it was; then the module unloads and kmemleak finds nothing.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
FAILNTH=$SLUICE_ROOT/build/userspace/tools/sluice-failnth
fault_injection_on
kmemleak_clear
sluice_load
trap 'ip netns del failnth 2>/dev/null || true; rmmod sluice 2>/dev/null || true' EXIT
ip netns add failnth
ip netns exec failnth "$FAILNTH" || fail "failnth"
ip netns del failnth
sluice_unload
kmemleak_check
echo PASS
