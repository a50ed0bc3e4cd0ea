# Allocation failures (the debug kernel only, which has fault injection:
# tests/kunit/run boot 2 and faults): every control command with its 1st,
# 2nd, ... allocation failed in turn, SET_MAPS among them
# (tests/genlfuzz/failnth.c), each failure refused with the state exactly
# as it was; then module load and namespace creation, the module's own
# allocations each failed in turn and the kernel's around them sampled
# (tests/genlfuzz/failinit.c): refused with nothing left, or done and
# working; then the module works in a new namespace, unloads from every
# namespace and kmemleak finds nothing.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/lib.sh"
FAILNTH=$SLUICE_ROOT/build/userspace/tools/sluice-failnth
FAILINIT=$SLUICE_ROOT/build/userspace/tools/sluice-failinit
D=/sys/kernel/debug
[[ -e /proc/self/fail-nth && -d $D/failslab ]] || fail "this kernel has no fault injection"
[[ -e $D/dynamic_debug/control ]] || fail "this kernel has no dynamic debug"
# fail-nth reaches GFP_KERNEL slab allocations and order-0 pages only with
# these off; no report of each injected failure in the kernel's log.
for f in failslab fail_page_alloc; do
	echo N >"$D/$f/ignore-gfp-wait"
	echo 0 >"$D/$f/verbose"
done
echo N >"$D/fail_page_alloc/ignore-gfp-highmem"
echo 0 >"$D/fail_page_alloc/min-order"
# Every cache, not only those dpfail.sh's filter left marked.
echo N >"$D/failslab/cache-filter"
kmemleak_clear
sluice_load
trap 'ip netns del failnth 2>/dev/null || true; rmmod sluice 2>/dev/null || true' EXIT
ip netns add failnth
ip netns exec failnth "$FAILNTH" || fail "failnth"
ip netns del failnth
sluice_unload

step "module load"
cp "$SLUICE_KO" /tmp/sluice.ko # read hundreds of times: from memory, not 9p
"$FAILINIT" module /tmp/sluice.ko --bad "$KERNEL_LOG_BAD" || fail "module load under allocation failures"
step "namespace creation"
sluice_load
echo "module sluice +p" >"$D/dynamic_debug/control"
"$FAILINIT" netns --bad "$KERNEL_LOG_BAD" || fail "namespace creation under allocation failures"
echo "module sluice -p" >"$D/dynamic_debug/control"

step "after: a namespace with a service, then the module unloaded from every namespace"
ip netns add failnth
ip netns exec failnth "$SLUICEADM" -A -t 10.0.0.1:80 || fail "a service after the sweeps"
ip netns exec failnth "$SLUICEADM" -a -t 10.0.0.1:80 -r 10.2.0.11 -i || fail "a real after the sweeps"
ip netns exec failnth "$SLUICEADM" -L -n | grep -q "10.2.0.11:80" || fail "the real not listed"
sluice_unload
ip netns del failnth
# The kernel's own leak, met when creating the module's cache fails in
# sysfs: 6.1's SLUB leaks the kobject's name (CVE-2024-25740, fixed
# upstream by 2420baa8e046 "mm/slab: Allow cache creation to proceed even
# if sysfs registration fails"); any other leak fails.
kmemleak_check sysfs_slab_add
echo PASS
