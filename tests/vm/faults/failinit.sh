# Allocation failures in module load and namespace creation (the debug
# kernel only: tests/kunit/run boot 2 and faults): the module's own
# allocations each failed in turn, the kernel's around them sampled
# (tests/genlfuzz/failinit.c): refused with nothing left, or done and
# working; then the module works in a new namespace, unloads from every
# namespace and kmemleak finds nothing of the module's.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/lib.sh"
FAILINIT=$SLUICE_ROOT/build/userspace/tools/sluice-failinit
DDEBUG=/sys/kernel/debug/dynamic_debug/control
[[ -e $DDEBUG ]] || fail "this kernel has no dynamic debug"
fault_injection_on
kmemleak_clear
trap 'ip netns del failinit 2>/dev/null || true; rmmod sluice 2>/dev/null || true' EXIT

step "module load"
cp "$SLUICE_KO" /tmp/sluice.ko # read hundreds of times: from memory, not 9p
"$FAILINIT" module /tmp/sluice.ko --bad "$KERNEL_LOG_BAD" || fail "module load under allocation failures"
step "namespace creation"
sluice_load
echo "module sluice +p" >"$DDEBUG"
"$FAILINIT" netns --bad "$KERNEL_LOG_BAD" --samples 64 || fail "namespace creation under allocation failures"
echo "module sluice -p" >"$DDEBUG"

step "after: a namespace with a service, then the module unloaded from every namespace"
ip netns add failinit
ip netns exec failinit "$SLUICEADM" -A -t 10.0.0.1:80 || fail "a service after the sweeps"
ip netns exec failinit "$SLUICEADM" -a -t 10.0.0.1:80 -r 10.2.0.11 -i || fail "a real after the sweeps"
ip netns exec failinit "$SLUICEADM" -L -n | grep -q "10.2.0.11:80" || fail "the real not listed"
sluice_unload
ip netns del failinit
# The kernel's own leak, met when creating the module's cache fails in
# sysfs: 6.1's SLUB leaks the kobject's name (CVE-2024-25740, fixed
# upstream by 2420baa8e046 "mm/slab: Allow cache creation to proceed even
# if sysfs registration fails"); any other leak fails.
kmemleak_check sysfs_slab_add
echo PASS
