# Every control-plane command with good and bad input (sluice-ctltest
# suite: one subtest per check), in a namespace of its own while another
# namespace holds a service: each namespace sees and changes only its own.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/lib.sh"
CTL=$SLUICE_ROOT/build/userspace/tools/sluice-ctltest
sluice_load

ip netns add a
ip netns add b
nsenter --net=/run/netns/b "$CTL" add-one || fail "add a service in netns b"

step "suite in netns a"
rc=0
nsenter --net=/run/netns/a "$CTL" suite "vm/$(kshort "$KVER")/ctl" \
	>>/tmp/out/subtests || rc=1

step "isolation"
[[ $(nsenter --net=/run/netns/b "$CTL" count) == 1 ]] || fail "netns b lost its service"
[[ $("$CTL" count) == 0 ]] || fail "the initial namespace sees another's services"

step "namespace deleted with a service and reals, then unload"
nsenter --net=/run/netns/a "$CTL" scale 20 3 mh >/dev/null || fail "services in netns a"
ip netns del a
ip netns del b
sluice_unload
((rc == 0)) || fail "suite checks failed (see the subtests)"
echo PASS
