#!/bin/bash
# Real traffic through the BPF programs on the host kernel: two network
# namespaces joined by a veth pair, sluice attached (sluiceadm --attach) on
# the LB side. Run by tests/bpf/run inside a private mount namespace with
# its own BPF filesystem, so nothing is pinned in the host's /sys/fs/bpf.
# One test line per check.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
adm=$root/build/bin/sluiceadm
udp=$root/tests/bpf/udp.py
status=0
A="nsenter --net=/run/netns/slt-a-$$"
B="nsenter --net=/run/netns/slt-b-$$"

cleanup() {
	ip netns del slt-a-$$ 2>/dev/null
	ip netns del slt-b-$$ 2>/dev/null
}
trap cleanup EXIT
check() { # NAME CONDITION...
	local name=$1
	shift
	if "$@" >/dev/null; then echo "ok bpf/veth/$name"; else status=1; echo "not ok bpf/veth/$name"; return 1; fi
}
SLUICE_ROOT=$root
. "$root/tests/bpf/maps.sh"

mount -t bpf bpf /sys/fs/bpf
cleanup
ip netns add slt-a-$$
ip netns add slt-b-$$
ip link add va netns slt-a-$$ type veth peer name vb netns slt-b-$$
ip -n slt-a-$$ addr add 10.1.0.1/24 dev va
ip -n slt-b-$$ addr add 10.1.0.2/24 dev vb
ip -n slt-b-$$ addr add 10.9.0.1/32 dev lo
for n in slt-a-$$ slt-b-$$; do ip -n $n link set lo up; done
ip -n slt-a-$$ link set va up
ip -n slt-b-$$ link set vb up
ip -n slt-a-$$ route add 10.9.0.1/32 via 10.1.0.2

# Other traffic flows on while the programs come and go: a ping every
# 20 ms runs through attach (generic, then native), replacement, detach
# and attach again; none may be lost. The namespace's maps exist first
# (the first attach made them: the fast path's flow table, 16 MiB, is
# preallocated then): under CI load, a ping was lost while they were made
# in 1 run of 6 to 8, never once they existed (16 runs). A node makes them
# once, when it starts, before it takes traffic.
$B "$adm" --attach vb >/dev/null && $B "$adm" --detach vb || status=1
$A ping -D -i 0.02 -c 150 -W 1 10.1.0.2 >/tmp/slt-ping.$$ 2>&1 &
pinger=$!
steps=() # "TIME STEP", to place a lost ping
step() { steps+=("$EPOCHREALTIME $*"); }
sleep 0.3
step attach generic
out=$($B "$adm" --attach vb --xdp-mode generic 2>&1)
check attach-generic grep -q "attached to vb (XDP generic mode" <<<"$out"
check attach-generic-is-generic bash -c "ip -n slt-b-$$ link show vb | grep -q xdpgeneric"
sleep 0.3
step attach native
out=$($B "$adm" --attach vb --xdp-mode native 2>&1)
check attach-native grep -q "attached to vb (XDP native mode" <<<"$out"
sleep 0.3
step replace
$B "$adm" --attach vb >/dev/null
sleep 0.3
step detach
$B "$adm" --detach vb
sleep 0.3
step attach again
out=$($B "$adm" --attach vb 2>&1)
check attach grep -q "attached to vb" <<<"$out"
step done
wait $pinger
if ! check no-loss-while-attaching grep -q " 0% packet loss" /tmp/slt-ping.$$; then
	# Which pings were lost, when they were sent (20 ms apart from the
	# first answered one), among the steps' times.
	grep -v ' bytes from ' /tmp/slt-ping.$$ | sed 's/^/#   /'
	awk -F'[][ =]+' '/icmp_seq=/ { for (i = 1; i < NF; i++) if ($i == "icmp_seq") seen[$(i + 1)] = 1
		if (!t0) { t0 = $2; s0 = $0; sub(/.*icmp_seq=/, "", s0); s0 += 0 } }
		END { for (q = 1; q <= 150; q++) if (!(q in seen)) printf "#   lost: icmp_seq %d, sent about %.3f\n", q, t0 + (q - s0) * 0.02 }' /tmp/slt-ping.$$
	printf '#   step at %s\n' "${steps[@]}"
fi
rm -f /tmp/slt-ping.$$
[[ $status == 0 ]] || { echo "#   $out"; exit 1; }

# The module's part, by hand: VIP 10.9.0.1 serving UDP port 53.
add_service "$B" 10.9.0.1 udp 53

check ping-passes $A ping -c 2 -W 2 10.1.0.2

served=$(mktemp) unserved=$(mktemp)
$B python3 "$udp" recv 10.9.0.1 53 4 >"$served" &
$B python3 "$udp" recv 10.9.0.1 54 4 >"$unserved" &
sleep 1
$A python3 "$udp" send 10.9.0.1 53 20
$A python3 "$udp" send 10.9.0.1 54 20
wait
check served-port-delivered [ "$(cat "$served")" = 20 ]
check unserved-port-dropped [ "$(cat "$unserved")" = 0 ]
check counts-pass-vip [ "$(counter "$B" pass-vip)" = 20 ]
check counts-drop-no-service [ "$(counter "$B" drop-no-service)" = 20 ]

# Steering: served traffic goes through the cpumap and still arrives.
# (A frame redirected to a cpumap loses veth's CHECKSUM_PARTIAL state, so
# the sender must put real checksums in its packets, as NICs deliver them.)
ip netns exec slt-a-$$ ethtool -K va tx off >/dev/null
$B "$adm" --steer 0-$(($(nproc) - 1))
$B python3 "$udp" recv 10.9.0.1 53 3 >"$served" &
sleep 1
$A python3 "$udp" send 10.9.0.1 53 10
wait
check steer-delivers [ "$(cat "$served")" = 10 -a "$(counter "$B" steered)" = 10 ]
$B "$adm" --steer off
$B python3 "$udp" recv 10.9.0.1 53 3 >"$served" &
sleep 1
$A python3 "$udp" send 10.9.0.1 53 5
wait
check steer-off [ "$(cat "$served")" = 5 -a "$(counter "$B" steered)" = 10 -a "$(counter "$B" pass-vip)" = 25 ]
check steer-rejects-bad-list bash -c "! $B $adm --steer 3-1 2>/dev/null"
ip netns exec slt-a-$$ ethtool -K va tx on >/dev/null

$B "$adm" --block 10.1.0.0/24
$B python3 "$udp" recv 10.9.0.1 53 3 >"$served" &
sleep 1
$A python3 "$udp" send 10.9.0.1 53 10
wait
check blocklist-drops [ "$(cat "$served")" = 0 -a "$(counter "$B" drop-blocklist)" = 10 ]
check blocklist-spares-non-vip $A ping -c 1 -W 2 10.1.0.2

# A new build replacing the programs keeps the maps: counters, blocklist.
$B "$adm" --attach vb >/dev/null
check replace-keeps-counters [ "$(counter "$B" pass-vip)" = 25 ]
check replace-keeps-blocklist grep -qx 10.1.0.0/24 < <($B "$adm" --blocklist)
$B "$adm" --unblock 10.1.0.0/24

# Encapsulation: real 1 = 10.1.0.1, tunnel source 10.1.0.2/32.
set_real "$B" 1 10.1.0.1
set_tunnel_source "$B" 10.1.0.2/32 ::/128
cap=$(mktemp)
$A python3 "$udp" capture va 3 >"$cap" &
sleep 1
$B python3 "$udp" send 10.1.0.1 9999 5 0x5c150001
wait
check encap-ipip-on-the-wire [ "$(grep -c '^10.1.0.2 10.1.0.1 9999 sluice-veth-test$' "$cap")" = 5 ]
check counts-encap [ "$(counter "$B" encap-ipv4)" = 5 ]
$B python3 "$udp" send 10.1.0.1 9999 1 0x5c150009
check unknown-real-dropped [ "$(counter "$B" drop-no-real)" = 1 ]

$B "$adm" --detach vb
$B python3 "$udp" recv 10.9.0.1 54 3 >"$unserved" &
sleep 1
$A python3 "$udp" send 10.9.0.1 54 5
wait
check detach-restores-traffic [ "$(cat "$unserved")" = 5 ]
check detach-leaves-no-program bash -c "! ip -n slt-b-$$ link show vb | grep -q prog/xdp && ! tc -n slt-b-$$ filter show dev vb egress | grep -q sluice"
rm -f "$served" "$unserved" "$cap"
exit $status
