# Allocation failures (the debug kernel only, which has fault injection:
# tests/kunit/run boot 2 and faults): every control command with its 1st, 2nd,
# ... allocation failed in turn (tests/genlfuzz/failnth.c), each failure
# refused with the state exactly as it was; then the module unloads and
# kmemleak finds nothing.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
FAILNTH=$SLUICE_ROOT/build/userspace/tools/sluice-failnth
D=/sys/kernel/debug
[[ -e /proc/self/fail-nth && -d $D/failslab ]] || fail "this kernel has no fault injection"
# fail-nth reaches GFP_KERNEL slab allocations and order-0 pages only with
# these off; no report of each injected failure in the kernel's log.
for f in failslab fail_page_alloc; do
	echo N >"$D/$f/ignore-gfp-wait"
	echo 0 >"$D/$f/verbose"
done
echo N >"$D/fail_page_alloc/ignore-gfp-highmem"
echo 0 >"$D/fail_page_alloc/min-order"
kmemleak_clear
sluice_load
trap 'ip netns del failnth 2>/dev/null || true; rmmod sluice 2>/dev/null || true' EXIT
ip netns add failnth
ip netns exec failnth "$FAILNTH" || fail "failnth"
ip netns del failnth
sluice_unload
kmemleak_check
echo PASS
