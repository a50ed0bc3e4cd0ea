# make bench, in the VM: the load balancer's own per-packet cost, sluice
# against IPVS (ip_vs_mh, tunnel mode), with plain IP forwarding as the
# floor: the same boot, the same topology, the same traffic. pktgen sends
# 64-byte UDP packets over 10,000 flows (source ports) from "gen" through
# "lb" to "real"; the rate is what reaches the real. In the VM the
# generator, the LB and the real share two emulated CPUs, so compare the
# LB's cost above the floor: 1/pps - 1/pps_plain (several runs, median).
set -euo pipefail
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
VIP=10.99.0.1
COUNT=${SLUICE_BENCH_PACKETS:-100000}
RUNS=${SLUICE_BENCH_RUNS:-3}
G="nsenter --net=/run/netns/gen"
L="nsenter --net=/run/netns/lb"
modprobe pktgen
modprobe ipip
ip netns add gen
ip netns add lb
ip netns add real
ip link add g0 netns gen type veth peer name l0 netns lb
ip link add l1 netns lb type veth peer name r0 netns real
for n in gen lb real; do ip -n $n link set lo up; done
ip -n gen link set g0 up
ip -n lb link set l0 up
ip -n lb link set l1 up
ip -n real link set r0 up
ip -n gen addr add 10.3.0.2/24 dev g0
ip -n lb addr add 10.3.0.1/24 dev l0
ip -n lb addr add 10.4.0.1/24 dev l1
ip -n real addr add 10.4.0.2/24 dev r0
ip -n real addr add $VIP/32 dev lo
ip -n real link set tunl0 up
for k in all default tunl0 r0; do ip netns exec real sysctl -qw net.ipv4.conf.$k.rp_filter=0; done
ip netns exec lb sysctl -qw net.ipv4.ip_forward=1
ip -n gen route add $VIP/32 via 10.3.0.1
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

# run DEV: one pktgen run; prints the packets per second that reached DEV.
run() {
	local dev=$1 before after t0 t1
	pg "rem_device_all" kpktgend_0
	pg "add_device g0" kpktgend_0
	pg "count $COUNT" g0
	pg "pkt_size 64" g0
	pg "delay 0" g0
	pg "dst $VIP" g0
	pg "dst_mac $lbmac" g0
	pg "udp_dst_min 9" g0
	pg "udp_dst_max 9" g0
	pg "udp_src_min 1" g0
	pg "udp_src_max 10000" g0
	before=$(received "$dev")
	t0=$(date +%s.%N)
	pg "start" pgctrl
	t1=$(date +%s.%N)
	sleep 1
	after=$(received "$dev")
	awk -v n=$((after - before)) -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.0f\n", n / (t1 - t0) }'
}

# median of RUNS runs
measure() {
	local i
	for i in $(seq "$RUNS"); do run "$1"; done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

ip -n lb route add $VIP/32 via 10.4.0.2
plain=$(measure r0)
ip -n lb route del $VIP/32 via 10.4.0.2

ip -n lb addr add $VIP/32 dev lo
modprobe ip_vs
modprobe ip_vs_mh
$L ipvsadm -A -u $VIP:9 -s mh
$L ipvsadm -a -u $VIP:9 -r 10.4.0.2 -i
ipvs=$(measure tunl0)
$L ipvsadm -C
rmmod ip_vs_mh ip_vs 2>/dev/null || true

sluice_load
$L "$SLUICEADM" --attach l1 >/dev/null
$L "$SLUICEADM" --tunnel-source 10.4.0.1/32
$L "$SLUICEADM" -A -u $VIP:9 -s mh
$L "$SLUICEADM" -a -u $VIP:9 -r 10.4.0.2
sluice=$(measure tunl0)
$L "$SLUICEADM" -C
rmmod sluice

echo "| path | packets/s | LB cost above the floor (us/packet) |"
echo "|---|---|---|"
awk -v p="$plain" -v i="$ipvs" -v s="$sluice" 'BEGIN {
	ci = 1e6 / i - 1e6 / p; cs = 1e6 / s - 1e6 / p
	printf "| plain forwarding (floor) | %d | - |\n", p
	printf "| IPVS ip_vs_mh, tunnel | %d | %.2f |\n", i, ci
	printf "| sluice mh, IP-in-IP | %d | %.2f |\n", s, cs
	printf "| **sluice / IPVS** | %.2fx throughput | %.2f of the cost |\n", s / i, cs / ci
}'
