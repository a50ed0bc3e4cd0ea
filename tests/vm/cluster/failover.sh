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
# On the KASAN/lockdep/kmemleak kernel (SLUICE_SLOW_KERNEL, set by
# tests/kunit/datapath.sh) under TCG, 200 + 200 flows at 4 chunks/s starve
# the guest: BIRD stalls past BFD's 500 ms and even a 9 s hold time, and
# sessions flap. There the same scenario runs with 60 + 60 flows at one
# chunk/s, the router noticing the crash by a 9 s hold timer, stall
# bounds wide enough for it, and 6 chunks per flow after each change.
bound=3
if [[ -n ${SLUICE_SLOW_KERNEL:-} ]]; then
	export BFD=off HOLD=9 CRASH_SETTLE=6 STREAM_STALL=40 STREAM_N=60 STREAM_INTERVAL=1
	bound=14
fi
cluster_up 2
N=$STREAM_N

# BGP does not wait for BFD: a node's routes can arrive before its BFD
# session is up, so each session gets a few seconds.
bfd_up() { grep -q "10.2.0.$1 .*Up" <<<"$(birdc_ns router show bfd sessions)"; }
if [[ ${BFD:-on} == on ]]; then
	for i in 1 2; do
		wait_for 10 bfd_up $i >/dev/null ||
			fail "no BFD session with lb$i: $(birdc_ns router show bfd sessions | grep "10.2.0.$i ")"
	done
fi

# intact WHAT: the last streams (TCP and UDP) lost nothing.
intact() {
	grep -q "^completed $N\$" /tmp/crash.tcp || fail "$1: TCP connections broke"
	grep -q "^kept $N\$" /tmp/crash.udp || fail "$1: UDP flows changed real or went silent"
}

step "lb1 crashes while $N TCP connections and $N UDP flows stream, then returns"
crash_run "crash"
intact "crash and return"
for i in 1 2; do echo "lb$i: $(conn_entries lb$i) connection entries"; done
awk -v b=$bound '{ exit !($1 < b) }' /tmp/crash.failover || fail "failover took $(cat /tmp/crash.failover) s, want under $bound s"

step "lb3 joins while $N TCP connections and $N UDP flows stream"

# lb3 is set up first; joining is its BIRD starting to announce (setting
# a node up takes longer than the streams on a loaded VM).
node_prepare 3
stream_start tcp "$N" "$CRASH_MAX" /tmp/crash.tcp
stream_start udp "$N" "$CRASH_MAX" /tmp/crash.udp
sleep 3
bird_lb 3
t=$(wait_nexthops "10.2.0.1 10.2.0.2 10.2.0.3" 120)
echo "lb3 in the router's route after $t s"
streams_settle /tmp/crash.tcp /tmp/crash.udp
intact "scale-out"
n=$(conn_entries lb3)
echo "lb3: $n connection entries"
((n >= N * 3 / 20)) || fail "lb3 took over only $n flows: the ECMP set did not reshuffle"
echo PASS
