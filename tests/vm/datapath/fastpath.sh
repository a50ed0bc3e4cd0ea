# The XDP fast path (sluiceadm --fastpath on): flows the module decided
# are encapsulated and sent by the XDP program (XDP_TX on the LB's one
# interface), byte-for-byte as the tc program does; the module still
# decides: a real deleted gets no packet after its deletion, a next hop's
# new link-layer address is followed at once, a route's smaller MTU
# sends the packets that no longer fit back to the module (which answers
# "too big"); the counters reconcile; switched off, every packet takes
# the module's path again. XDP in native mode here, as on a NIC
# (SLUICE_FASTPATH=1: guest-lib.sh, dp_attach); make check runs the other
# data-path tests with the fast path on too, in generic mode (tests/run-all).
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/datapath/topo.sh"
echo_py=$SLUICE_ROOT/tests/vm/dataplane/tcp_echo.py
VIP=$VIP4
SLUICE_FASTPATH=1
cluster_up
serve 80
$LB "$SLUICEADM" --expire-nodest 1 || fail "expire-nodest"
$LB "$SLUICEADM" --dataplane-stats | grep -q '^fast path (on)' || fail "fast path not on"

# rx NETNS: packets NETNS's tunnel device (tunl0) received.
rx() {
	ip -n "$1" -s -j link show tunl0 | python3 -S -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])'
}

# quiet NETNS WHAT: NETNS receives no packet in 1.5 s (more than the fast
# path's refresh interval, after which a stale entry would have ended).
quiet() {
	local a b
	a=$(rx "$1")
	sleep 1.5
	b=$(rx "$1")
	((a == b)) || fail "$2: $1 received $((b - a)) packets"
}

step "UDP: 30 flows, 4 datagrams a second each, carried by the fast path"
stream_start udp 30 4 /tmp/udp.out
stream_wait /tmp/udp.out
grep -q "^kept 30$" /tmp/udp.out || fail "UDP flows moved or went silent"
grep -q "^lost 0$" /tmp/udp.out || fail "UDP datagrams lost"
fast=$(fp_stat lb fast-tx)
echo "fast-tx $fast"
# 30 flows x ~17 datagrams: the first of each and one a second the module's.
((fast >= 30 * 8)) || fail "the fast path sent $fast packets, want most of 510"
counters_agree lb "UDP through the fast path"

step "TCP: 10 MB echoed each way, IPv4 and IPv6, mostly by the fast path"
for i in 1 2 3; do
	nsenter --net=/run/netns/real$i timeout 120 python3 -S "$echo_py" server $VIP4 5001 2>/dev/null &
	nsenter --net=/run/netns/real$i timeout 120 python3 -S "$echo_py" server $VIP6 5001 2>/dev/null &
done
{
	echo "-A -t $VIP4:5001 -s mh"
	echo "-A -t [$VIP6]:5001 -s mh"
	for i in 1 2 3; do
		echo "-a -t $VIP4:5001 -r 10.2.0.1$i"
		echo "-a -t [$VIP6]:5001 -r [fd00:2::1$i]"
	done
} | $LB "$SLUICEADM" -R || fail "echo services"
for i in 1 2 3; do listening real$i 5001 2; done
before=$(fp_stat lb fast-tx)
$CL timeout 100 python3 -S "$echo_py" client $VIP4 5001 10000000 || fail "IPv4 10 MB"
$CL timeout 100 python3 -S "$echo_py" client $VIP6 5001 10000000 || fail "IPv6 10 MB"
fast=$(($(fp_stat lb fast-tx) - before))
slow=$(fp_stat lb pass-vip)
echo "fast-tx $fast, pass-vip (all so far) $slow"
((fast > slow)) || fail "TCP: the fast path sent $fast packets, the module $slow"
# Full-sized segments do not fit the tunnel: the fast path leaves them to
# the module, which answers "too big" (the sender lowers its MSS).
(($(fp_stat lb miss-too-big) > 0)) || fail "no segment was over the tunnel's MTU"
(($(fp_stat lb miss-too-big) == $(fp_stat lb drop-too-big))) ||
	fail "the module dropped as too big other than what the fast path left to it"

step "a real deleted mid-stream gets no packet after its deletion"
stream_start udp 30 30 /tmp/del.out
sleep 2
# Only the UDP service: the TCP one keeps real2 (and its endpoint).
$LB "$SLUICEADM" -d -u $VIP4:80 -r 10.2.0.12 || fail "delete real2"
quiet real2 "deleted real2"
stream_stop /tmp/del.out
stream_wait /tmp/del.out
grep -q "^silent 0$" /tmp/del.out || fail "flows went silent after the deletion"
grep -q "^real2 " /tmp/del.out && fail "real2 still answered at the end"
$LB "$SLUICEADM" -a -u $VIP4:80 -r 10.2.0.12 -i || fail "real2 back"

step "the next hop's link-layer address changes: followed at once"
stream_start udp 30 30 /tmp/neigh.out
sleep 2
mac=$(ip -n real1 -j link show l0 | python3 -S -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])') ||
	fail "real1's address"
before=$(fp_stat lb miss-stale)
ip -n lb neigh replace 10.2.0.11 lladdr 02:00:5c:15:00:99 dev l0 nud permanent || fail "wrong address"
quiet real1 "real1's address changed on the LB"
ip -n lb neigh replace 10.2.0.11 lladdr "$mac" dev l0 nud reachable || fail "address back"
a=$(rx real1)
sleep 0.5
(($(rx real1) > a)) || fail "real1 got nothing back once its address was right again"
(($(fp_stat lb miss-stale) > before)) || fail "no flow's entry went stale"
stream_stop /tmp/neigh.out
stream_wait /tmp/neigh.out
grep -q "^silent 0$" /tmp/neigh.out || fail "flows went silent after the address changes"

step "a route change: the flows the fast path carries go to the module again"
# Routes of their own to the reals, with a smaller MTU: each flow's next
# slow-path packet (within the refresh interval) finds another route, the
# slot a new generation, and the fast path's entries stale; the module
# answers a datagram over the new MTU "too big" (path MTU 1300 - 20).
stream_start udp 30 30 /tmp/route.out
sleep 2
before=$(fp_stat lb miss-stale)
for i in 1 2 3; do ip -n lb route add 10.2.0.1$i/32 dev l0 mtu 1300; done
sleep 2
# Every flow's entry goes stale but the one whose packet found the new
# route first on each real's slot (recorded again with the new generation).
(($(fp_stat lb miss-stale) >= before + 27)) || fail "route change: $(($(fp_stat lb miss-stale) - before)) stale misses, want 27 of 30 flows' at least"
expect_mtu $VIP4 1400 1280 "after the route change"
stream_stop /tmp/route.out
stream_wait /tmp/route.out
grep -q "^lost 0$" /tmp/route.out || fail "datagrams lost over the route change"
for i in 1 2 3; do ip -n lb route del 10.2.0.1$i/32; done

step "switched off: every packet takes the module's path"
$LB "$SLUICEADM" --fastpath off || fail "fast path off"
before=$(fp_stat lb fast-tx)
stream_start udp 30 3 /tmp/off.out
stream_wait /tmp/off.out
grep -q "^lost 0$" /tmp/off.out || fail "datagrams lost with the fast path off"
(($(fp_stat lb fast-tx) == before)) || fail "the fast path sent packets while off"
counters_agree lb "fast path off"
$LB "$SLUICEADM" --fastpath maybe 2>/dev/null && fail "--fastpath maybe accepted"
$LB "$SLUICEADM" --dataplane-stats | grep -q '^fast path (off)' || fail "fast path not off"
