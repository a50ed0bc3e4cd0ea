# A node crash, its return and a node joining, with real BGP and the
# router's multipath hash (tests/vm/cluster/net.sh): 200 TCP connections
# streaming both ways and 200 UDP flows through the VIP. lb1's link goes
# down and its BIRD is SIGKILLed (no BGP notification: the router notices
# by BFD); the router moves lb1's flows to lb2, which picks the same real
# for every one of them; lb1 returns with its stale entries; then lb3
# joins while connections are open (the ECMP set reshuffles). No TCP
# connection may reset, stall or lose a byte; every UDP flow keeps its
# real.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/cluster/net.sh"
cluster_up 2

# intact WHAT: the last streams (TCP and UDP) lost nothing.
intact() {
	grep -q '^completed 200$' /tmp/crash.tcp || fail "$1: TCP connections broke"
	grep -q '^kept 200$' /tmp/crash.udp || fail "$1: UDP flows changed real or went silent"
}

step "lb1 crashes while 200 TCP connections and 200 UDP flows stream, then returns"
crash_run "crash"
intact "crash and return"
for i in 1 2; do echo "lb$i: $(conns lb$i) connection entries"; done
awk '{ exit !($1 < 3) }' /tmp/crash.failover || fail "failover took $(cat /tmp/crash.failover) s with BFD"

step "lb3 joins while 200 TCP connections and 200 UDP flows stream"

stream_start tcp 200 16 /tmp/crash.tcp
stream_start udp 200 16 /tmp/crash.udp
sleep 3
node_join 3
t=$(wait_nexthops "10.2.0.1 10.2.0.2 10.2.0.3" 60)
echo "lb3 in the router's route after $t s"
stream_wait /tmp/crash.tcp
stream_wait /tmp/crash.udp
intact "scale-out"
n=$(conns lb3)
echo "lb3: $n connection entries"
((n >= 30)) || fail "lb3 took over only $n flows: the ECMP set did not reshuffle"
echo PASS
