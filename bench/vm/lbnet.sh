# Sourced by the LB benchmarks (lb.sh, scale.sh), in the VM: the topology
# "gen" -> "lb" -> "real" (direct server return from real to gen), UDP
# runs with pktgen (udp, udp_lb) and IPVS and sluice set up and taken down
# on "lb" (ipvs_up, ipvs_down, sluice_up, sluice_down), the entries in
# either's connection table (entries).
set -euo pipefail
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
# UDP to UVIP, which the real drops quietly (a blackhole route: no ICMP
# port-unreachable per packet to swamp the figures); TCP to TVIP, which
# the real serves on lo.
UVIP=10.99.0.1
TVIP=10.99.0.2
COUNT=${SLUICE_BENCH_PACKETS:-100000}
CONNS=${SLUICE_BENCH_CONNS:-3000}
RUNS=${SLUICE_BENCH_RUNS:-9}
CONNRATE=$SLUICE_ROOT/build/bench/connrate
G="nsenter --net=/run/netns/gen"
L="nsenter --net=/run/netns/lb"
modprobe pktgen
modprobe ipip
ip netns add gen
ip netns add lb
ip netns add real
ip link add g0 netns gen type veth peer name l0 netns lb
ip link add l1 netns lb type veth peer name r0 netns real
# The reply path, around the LB (direct server return).
ip link add g1 netns gen type veth peer name r1 netns real
for n in gen lb real; do ip -n $n link set lo up; done
ip -n gen link set g0 up
ip -n lb link set l0 up
ip -n lb link set l1 up
ip -n real link set r0 up
ip -n real link set r1 up
ip -n gen link set g1 up
ip -n gen addr add 10.5.0.1/24 dev g1
ip -n real addr add 10.5.0.2/24 dev r1
ip -n real route add 10.3.0.0/24 via 10.5.0.1
ip -n gen addr add 10.3.0.2/24 dev g0
ip -n lb addr add 10.3.0.1/24 dev l0
ip -n lb addr add 10.4.0.1/24 dev l1
ip -n real addr add 10.4.0.2/24 dev r0
ip -n real addr add $TVIP/32 dev lo
ip netns exec real sysctl -qw net.ipv4.ip_forward=1
ip -n real route add blackhole $UVIP/32
ip -n real link set tunl0 up
ip netns exec real tc qdisc add dev r0 clsact
for k in all default tunl0 r0; do ip netns exec real sysctl -qw net.ipv4.conf.$k.rp_filter=0; done
# Answers from TVIP arrive on g1, its route is g0.
for k in all default g1; do ip netns exec gen sysctl -qw net.ipv4.conf.$k.rp_filter=0; done
ip netns exec real "$CONNRATE" serve 80 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
ip netns exec lb sysctl -qw net.ipv4.ip_forward=1
ip -n gen route add $UVIP/32 via 10.3.0.1
ip -n gen route add $TVIP/32 via 10.3.0.1
# Resolve the neighbours once, so pktgen's frames and the LB's are addressed.
ip netns exec gen ping -c1 -W2 10.3.0.1 >/dev/null
ip netns exec lb ping -c1 -W2 10.4.0.2 >/dev/null
lbmac=$(ip -n lb -br link show l0 | awk '{ print $3 }')

# received: packets that reached the real (tunl0 when encapsulated).
received() {
	local dev=$1
	ip -n real -s -j link show "$dev" | python3 -c 'import json, sys
print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])'
}

pg() { $G sh -c "echo '$1' > /proc/net/pktgen/$2"; }

# udp DEV [PKTGEN-COMMAND...]: one pktgen run (the commands change the
# flows); prints the packets per second that reached DEV.
udp() {
	local dev=$1 before after t0 t1 c
	shift
	pg "rem_device_all" kpktgend_0
	pg "add_device g0" kpktgend_0
	pg "count $COUNT" g0
	pg "pkt_size 64" g0
	pg "delay 0" g0
	pg "dst $UVIP" g0
	pg "dst_mac $lbmac" g0
	pg "udp_dst_min 9" g0
	pg "udp_dst_max 9" g0
	pg "udp_src_min 1" g0
	pg "udp_src_max 10000" g0
	for c in "$@"; do pg "$c" g0; done
	before=$(received "$dev")
	t0=$(date +%s.%N)
	pg "start" pgctrl
	t1=$(date +%s.%N)
	sleep 1
	after=$(received "$dev")
	awk -v n=$((after - before)) -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.0f\n", n / (t1 - t0) }'
}

# udp_lb [PKTGEN-COMMAND...]: udp with the real dropping every IP packet
# (not ARP) as it arrives from the LB: the packets per second that reached
# the real.
udp_lb() {
	ip netns exec real tc filter add dev r0 ingress protocol ip pref 1 matchall action drop
	udp r0 "$@"
	ip netns exec real tc filter del dev r0 ingress pref 1
}

ipvs_up() {
	ip -n lb addr add $UVIP/32 dev lo
	ip -n lb addr add $TVIP/32 dev lo
	# A connection hash table of IPVS_TAB_BITS (default 16: 2^16 buckets,
	# IPVS's default is 2^12): not the table size being compared.
	modprobe ip_vs conn_tab_bits="${IPVS_TAB_BITS:-16}"
	modprobe ip_vs_mh
	$L ipvsadm -A -u $UVIP:9 -s mh
	$L ipvsadm -A -t $TVIP:80 -s mh
	$L ipvsadm -a -u $UVIP:9 -r 10.4.0.2 -i
	$L ipvsadm -a -t $TVIP:80 -r 10.4.0.2 -i
}
ipvs_down() {
	$L ipvsadm -C
	rmmod ip_vs_mh ip_vs
	ip -n lb addr del $UVIP/32 dev lo
	ip -n lb addr del $TVIP/32 dev lo
}
sluice_up() {
	ip -n lb addr add $UVIP/32 dev lo
	ip -n lb addr add $TVIP/32 dev lo
	sluice_load
	$L "$SLUICEADM" --attach l1 >/dev/null
	$L "$SLUICEADM" --tunnel-source 10.4.0.1/32
	$L "$SLUICEADM" -A -u $UVIP:9 -s mh
	$L "$SLUICEADM" -A -t $TVIP:80 -s mh
	$L "$SLUICEADM" -a -u $UVIP:9 -r 10.4.0.2
	$L "$SLUICEADM" -a -t $TVIP:80 -r 10.4.0.2
}
sluice_down() {
	$L "$SLUICEADM" --detach l1 >/dev/null
	$L "$SLUICEADM" -C
	rmmod sluice
	ip -n lb addr del $UVIP/32 dev lo
	ip -n lb addr del $TVIP/32 dev lo
}

# entries PATH: the entries in the connection table of PATH (ipvs, sluice).
entries() {
	if [[ $1 == ipvs ]]; then
		# Every entry counts on its real (a UDP one as inactive): quicker
		# than a listing of millions of lines; the slab's count can be
		# another cache's, merged with it.
		$L ipvsadm -L -n | awk '$1 == "->" { s += $5 + $6 } END { print s + 0 }'
	else
		$L "$SLUICEADM" --dataplane-stats | awk '$1 == "connections" { print $2 }'
	fi
}
