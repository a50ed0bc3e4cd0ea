# Faults under traffic (issue #15), made for the KUnit test kernel (KASAN,
# lockdep, kmemleak: tests/kunit/run boot 1), also runs on Debian's. TCP
# connections streaming both ways and UDP flows through the LB while:
#  - the BPF programs are replaced (attached again), detached and attached:
#    every connection completes on its real, every flow keeps its real;
#  - a real is deleted with --expire-nodest on: its flows move at once
#    (its TCP connections are reset by the real they move to, its UDP
#    flows are answered by another), every other flow is untouched;
#  - the LB's namespace is deleted under them and made again with the same
#    rules (a node that crashed and came back; the client's routes to the
#    VIPs withdrawn meanwhile, as BGP would): Maglev gives every flow the
#    real it had, so every connection completes once the node is back;
#  - the module is unloaded and loaded again with the same rules: every
#    UDP flow keeps its real.
# Then kmemleak finds nothing once the module is gone (where the kernel has
# it; KASAN and lockdep reports fail the run through the harness).
# First the counters reconcile: for traffic through the LB, what XDP passed
# to the VIPs, what the module scheduled and what tc encapsulated agree.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/datapath/topo.sh"
kmemleak_if_any clear
cluster_up
serve 80
# Fewer, slower flows than the cluster tests': the debug kernel under TCG.
# The streams last until stream_stop (at most $LONG seconds): each fault
# takes what it takes there.
N=40 LONG=200
export STREAM_INTERVAL=0.5 STREAM_STALL=60

# field OUT NAME: stream.py's figure NAME in OUT.
field() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
# streams_ok OUT.tcp OUT.udp WHAT: every connection completed on its real,
# every flow answered by one real throughout.
streams_ok() {
	stream_wait "$1"
	stream_wait "$2"
	[[ $(field "$1" completed) == "$N" ]] || fail "$3: TCP connections broke: $(paste -sd' ' "$1")"
	[[ $(field "$2" kept) == "$N" ]] || fail "$3: UDP flows moved or went silent: $(paste -sd' ' "$2")"
}

step "counters reconcile: XDP passed, the module scheduled, tc encapsulated the same packets"
$CL timeout 100 "$WHOAMI" udp $VIP4 80 150 | within 20 90 "IPv4 UDP"
$CL timeout 100 "$WHOAMI" tcp "$VIP6" 80 60 | within 5 40 "IPv6 TCP"
$LB "$SLUICEADM" --dataplane-stats
counters_agree lb "fresh counters"

step "the programs replaced, detached and attached again mid-stream"
VIP=$VIP4 stream_start tcp $N $LONG /tmp/p.tcp
VIP=$VIP6 stream_start udp $N $LONG /tmp/p.udp
for i in 1 2; do
	dp_attach lb l0
	sleep 1
done
# Without the programs the module's packets leave unencapsulated (as
# IPVS's DR: the reals hold the VIPs), until they are back.
$LB "$SLUICEADM" --detach l0 || fail "detach"
sleep 2
dp_attach lb l0
sleep 2
stream_stop /tmp/p.tcp
stream_stop /tmp/p.udp
streams_ok /tmp/p.tcp /tmp/p.udp "programs replaced"
[[ $(field /tmp/p.udp lost) == 0 ]] || fail "datagrams lost while the programs were replaced"
no_drops lb "programs replaced"

step "a real deleted with --expire-nodest mid-stream: its flows move, no other"
$LB "$SLUICEADM" --expire-nodest 1 || fail "expire-nodest"
VIP=$VIP4 stream_start tcp $N $LONG /tmp/e.tcp
VIP=$VIP4 stream_start udp $N $LONG /tmp/e.udp
$LB "$SLUICEADM" -d -t $VIP4:80 -r 10.2.0.12 || fail "delete real2 (TCP)"
$LB "$SLUICEADM" -d -u $VIP4:80 -r 10.2.0.12 || fail "delete real2 (UDP)"
sleep 3
stream_stop /tmp/e.tcp
stream_stop /tmp/e.udp
stream_wait /tmp/e.tcp
stream_wait /tmp/e.udp
on2=$(awk '$1 == "start" && $2 == "real2" { print $3 }' /tmp/e.tcp)
((${on2:-0} > 0)) || fail "no connection was on real2"
[[ $(field /tmp/e.tcp reset) == "$on2" && $(field /tmp/e.tcp completed) == $((N - on2)) ]] ||
	fail "want real2's $on2 connections reset, the others completed"
[[ $(field /tmp/e.udp silent) == 0 && -z $(field /tmp/e.udp real2) ]] ||
	fail "UDP flows still on real2 or unanswered"
moved=$(field /tmp/e.udp moved)
((moved > 0 && moved < N && $(field /tmp/e.udp kept) == N - moved)) ||
	fail "want real2's UDP flows moved, the others kept"
for p in -t -u; do
	$LB "$SLUICEADM" -a $p $VIP4:80 -r 10.2.0.12 -i || fail "real2 back"
done
$LB "$SLUICEADM" --expire-nodest 0 || fail "expire-nodest off"

step "the LB's namespace deleted mid-stream and made again: every flow keeps its real"
mac=$(ip netns exec lb cat /sys/class/net/l0/address)
VIP=$VIP4 stream_start tcp $N $LONG /tmp/n.tcp
VIP=$VIP6 stream_start udp $N $LONG /tmp/n.udp
ip netns del lb
# The client stops routing to it, as the router does when BGP withdraws a
# dead node's routes: nothing must reach the node again before its rules
# are all in, or its first flows get what the rules so far say (seen on
# the debug kernel: flows moved, or reset by the VIPs on its lo).
ip -n client route del $VIP4/32
ip -n client -6 route del $VIP6/128
# Its devices go with it in the background (the kernel's cleanup_net), the
# veth's other end (p-lb, on the bridge) too.
for _ in $(seq 300); do
	ip -n sw link show p-lb >/dev/null 2>&1 || break
	sleep 0.1
done
! ip -n sw link show p-lb >/dev/null 2>&1 || fail "the deleted namespace's veth is still there after 30 s"
# The node comes back with the same settings and rules and its NIC's
# address (the client's ARP and ND entries name it; a gratuitous ARP and
# an unsolicited NA tell the client in case it learnt the interim one),
# then the client routes to it again (the node's BGP announcement).
lb_add lb 10.2.0.1 fd00:2::1
lb_config lb 10.2.0.1 fd00:2::1 1 2 3
ip netns exec lb sysctl -qw net.ipv4.conf.l0.arp_notify=1 net.ipv6.conf.l0.ndisc_notify=1
ip -n lb link set l0 address "$mac"
ip -n client route add $VIP4/32 via 10.2.0.1
ip -n client -6 route add $VIP6/128 via fd00:2::1
sleep 3
stream_stop /tmp/n.tcp
stream_stop /tmp/n.udp
streams_ok /tmp/n.tcp /tmp/n.udp "namespace deleted"

step "the module unloaded mid-stream and loaded again with its rules: every UDP flow keeps its real"
# (TCP connections cannot outlive the gap: the node's own stack answers
# them with resets while the module is away.)
VIP=$VIP4 stream_start udp $N $LONG /tmp/u.udp
sleep 2
sluice_unload
# Then, as for the namespace, nothing reaches the node until its rules are
# all in again (a node's rules come in one request after another).
ip -n client route del $VIP4/32
sluice_load
lb_config lb 10.2.0.1 fd00:2::1 1 2 3
ip -n client route add $VIP4/32 via 10.2.0.1
sleep 2
stream_stop /tmp/u.udp
stream_wait /tmp/u.udp
[[ $(field /tmp/u.udp kept) == "$N" ]] || fail "UDP flows moved or went silent"
sluice_unload
topo_down
trap - EXIT
kmemleak_if_any check
echo PASS
