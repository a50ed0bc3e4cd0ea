# The generic netlink fuzzer (tests/genlfuzz/): 100,000 requests built from
# the kernel's own policies, mostly mutated, in a namespace of their own,
# with a model of what the accepted ones should have done checked against
# the kernel's state; an unprivileged child refused every time; children
# that fuzz namespaces of their own and exit with them. Then the module
# unloads cleanly, and on the debug kernel (tests/kunit/run boot 2 and faults, 10,000
# requests) kmemleak finds nothing. SLUICE_GENLFUZZ_COUNT and
# SLUICE_GENLFUZZ_SEED replay a run (the seed is printed first).
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
FUZZ=$SLUICE_ROOT/build/userspace/tools/sluice-genlfuzz
leaks=
[[ -e $KMEMLEAK ]] && leaks=yes && kmemleak_clear
sluice_load
trap 'ip netns del genlfuzz 2>/dev/null || true; rmmod sluice 2>/dev/null || true' EXIT

ip netns add genlfuzz
seed=()
[[ -n ${SLUICE_GENLFUZZ_SEED:-} ]] && seed=(--seed "$SLUICE_GENLFUZZ_SEED")
ip netns exec genlfuzz "$FUZZ" "${seed[@]}" --count "${SLUICE_GENLFUZZ_COUNT:-100000}" \
	--seconds 600 --netns 8 --unpriv 2000 || fail "genlfuzz"
ip netns del genlfuzz
sluice_unload
[[ -z $leaks ]] || kmemleak_check
echo PASS
