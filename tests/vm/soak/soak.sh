# The soak (make soak; not in make check): $SLUICE_SOAK_MINUTES (30; make
# soak SOAK_MINUTES=N sets it) minutes of
# mixed traffic through two LB nodes with a configuration change every
# second, the same on both nodes (topo.sh's cluster with lb2 beside lb and
# a fourth real). The client spreads flows over the two nodes by ECMP (its
# route to each VIP has both as next hops, hashed by 5-tuple).
#  - throughout: 100 TCP connections streaming (stream.py: a chunk every
#    second each, every byte checked) and 100 UDP flows (a datagram a
#    second each), IPv4 and IPv6 half and half; every 10 s new short flows
#    (100 UDP requests and 20 TCP connections);
#  - every second, on lb then on lb2, one step of a cycle: real4 added to
#    the four services (TCP and UDP, IPv4 and IPv6), real1 re-weighted to
#    3, a service added on port 8080 (no traffic: XDP would drop it while
#    the service is away), real1 back to weight 1, real4 deleted, the 8080
#    service deleted;
#  - every minute a sample: changes made, each node's connection entries,
#    the kernel's unreclaimable slab (SUnreclaim).
# Passes if every connection completed and every flow kept its real (no
# change touches a real that has flows: reals are added and re-weighted,
# and a deleted real keeps its connections), every short request was
# answered, the entries all expire once the traffic stops (short timeouts:
# TCP FIN and UDP 10 s), and the unreclaimable slab at the end is within
# 8 MiB of what it was before the traffic. On a kernel with kmemleak
# (SOAK_KERNEL=kunit: make soak) nothing leaks once the module is gone.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/datapath/topo.sh"
MIN=${SLUICE_SOAK_MINUTES:-30}
SECS=$((MIN * 60))
export WHOAMI_SECONDS=$((SECS + 120)) STREAM_INTERVAL=1 STREAM_STALL=30
kmemleak_if_any clear
trap 'topo_down; ip netns del lb2 2>/dev/null; ip netns del real4 2>/dev/null; rmmod sluice 2>/dev/null' EXIT
sluice_load
topo_up
lb_add lb2 10.2.0.2 fd00:2::2
real_join 4
lb_config lb 10.2.0.1 fd00:2::1 1 2 3
lb_config lb2 10.2.0.2 fd00:2::2 3 1 2
for n in lb lb2; do
	nsenter --net=/run/netns/$n "$SLUICEADM" --set 900 10 10 || fail "$n: timeouts"
done
for i in 1 2 3 4; do
	for a in $VIP4 $VIP6; do
		nsenter --net=/run/netns/real$i timeout $((SECS + 300)) "$WHOAMI" serve real$i $a 80 &
	done
done
ip netns exec client sysctl -qw net.ipv4.fib_multipath_hash_policy=1 net.ipv6.fib_multipath_hash_policy=1
ip -n client route replace $VIP4/32 nexthop via 10.2.0.1 nexthop via 10.2.0.2
ip -n client -6 route replace $VIP6/128 nexthop via fd00:2::1 nexthop via fd00:2::2
sleep 1

unreclaimable() { awk '$1 == "SUnreclaim:" { print $2 }' /proc/meminfo; }
# change K: step K of the cycle, as sluiceadm -R lines.
change() {
	local p v r1 r4
	for p in -t -u; do
		for v in $VIP4:80 "[$VIP6]:80"; do
			r4=10.2.0.14 r1=10.2.0.11
			[[ $v == "["* ]] && r4=[fd00:2::14] r1=[fd00:2::11]
			case $1 in
			0) echo "-a $p $v -r $r4 -i -w 1" ;;
			1) echo "-e $p $v -r $r1 -i -w 3" ;;
			3) echo "-e $p $v -r $r1 -i -w 1" ;;
			4) echo "-d $p $v -r $r4" ;;
			esac
		done
	done
	case $1 in
	2) echo "-A -t $VIP4:8080 -s mh"
	   for i in 1 2 3; do echo "-a -t $VIP4:8080 -r 10.2.0.1$i -i"; done ;;
	5) echo "-D -t $VIP4:8080" ;;
	esac
}

base=$(unreclaimable)
echo "before the traffic: SUnreclaim $base kB"
step "$MIN minutes: streams, short flows, a change a second on both nodes"
VIP=$VIP4 stream_start tcp 50 $SECS /tmp/s4.tcp
VIP=$VIP6 stream_start tcp 50 $SECS /tmp/s6.tcp
VIP=$VIP4 stream_start udp 50 $SECS /tmp/s4.udp
VIP=$VIP6 stream_start udp 50 $SECS /tmp/s6.udp
# The short flows, every 10 s until the end (each run bounded).
(
	end=$((SECONDS + SECS - 30))
	while ((SECONDS < end)); do
		$CL timeout 60 "$WHOAMI" udp $VIP4 80 50
		$CL timeout 60 "$WHOAMI" udp "$VIP6" 80 50
		$CL timeout 60 "$WHOAMI" tcp $VIP4 80 20
		sleep 10
	done
) >/tmp/short.out 2>&1 &
short=$!
changes=0 failed=0
start=$SECONDS next=60
while ((SECONDS - start < SECS)); do
	t=$SECONDS
	for n in lb lb2; do
		change $((changes % 6)) | nsenter --net=/run/netns/$n "$SLUICEADM" -R >>/tmp/changes.err 2>&1 ||
			failed=$((failed + 1))
	done
	changes=$((changes + 1))
	if ((SECONDS - start >= next)); then
		echo "minute $((next / 60)): $changes changes, entries lb $(conn_entries lb) lb2 $(conn_entries lb2), SUnreclaim $(unreclaimable) kB"
		next=$((next + 60))
	fi
	((SECONDS > t)) || sleep 1
done
# Back to the start of the cycle's configuration (step 5 leaves it so).
while ((changes % 6)); do
	for n in lb lb2; do change $((changes % 6)) | nsenter --net=/run/netns/$n "$SLUICEADM" -R || failed=$((failed + 1)); done
	changes=$((changes + 1))
done
echo "$changes changes on each node, $failed refused"
((failed == 0)) || { tail -n 20 /tmp/changes.err; fail "changes refused"; }
wait $short || true
for f in /tmp/s4.tcp /tmp/s6.tcp /tmp/s4.udp /tmp/s6.udp; do stream_wait $f; done
for f in /tmp/s4.tcp /tmp/s6.tcp; do
	grep -q '^completed 50$' $f || fail "connections broke ($f)"
done
for f in /tmp/s4.udp /tmp/s6.udp; do
	grep -q '^kept 50$' $f || fail "UDP flows moved or went silent ($f)"
done
echo "short flows: $(grep -c '^real' /tmp/short.out) answers lines, $(grep -c '(none)' /tmp/short.out) unanswered"
grep -q '(none)' /tmp/short.out && fail "short requests went unanswered"

step "after the traffic: every entry expires, memory back"
for _ in $(seq 60); do
	(($(conn_entries lb) + $(conn_entries lb2) == 0)) && break
	sleep 1
done
echo "entries lb $(conn_entries lb) lb2 $(conn_entries lb2)"
(($(conn_entries lb) + $(conn_entries lb2) == 0)) || fail "entries left after every timeout passed"
end=$(unreclaimable)
echo "SUnreclaim $base kB before, $end kB after ($(((end - base) / 1024)) MiB)"
((end - base < 8192)) || fail "unreclaimable slab grew by $(((end - base) / 1024)) MiB"
for n in lb lb2; do no_drops $n "the soak"; done
topo_down
ip netns del lb2
ip netns del real4
sluice_unload
trap - EXIT
kmemleak_if_any check
echo PASS
