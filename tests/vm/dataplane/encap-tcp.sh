# The data plane on Debian's kernels: both BPF programs load and attach
# (sluiceadm --attach), and TCP to a VIP, encapsulated by the tc program
# (IPv4 in IPv4, IPv6 in IPv6), reaches a real that decapsulates it with
# the kernel's own tunnel devices; the real answers directly (DSR). 10 MB
# each way, byte for byte: GSO packets must be segmented right.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/bpf/maps.sh"
echo_py=$SLUICE_ROOT/tests/vm/dataplane/tcp_echo.py
LB="nsenter --net=/run/netns/lb"
RS="nsenter --net=/run/netns/rs"
trap 'ip netns del lb 2>/dev/null; ip netns del rs 2>/dev/null' EXIT

modprobe ipip
modprobe ip6_tunnel
ip netns add lb
ip netns add rs
ip link add l0 netns lb type veth peer name r0 netns rs
ip -n lb addr add 10.2.0.1/24 dev l0
ip -n rs addr add 10.2.0.2/24 dev r0
ip -n lb addr add fd00:2::1/64 dev l0 nodad
ip -n rs addr add fd00:2::2/64 dev r0 nodad
for n in lb rs; do ip -n $n link set lo up; done
ip -n lb link set l0 up
ip -n rs link set r0 up

# Real server: VIPs on lo, the fallback tunnel devices decapsulate.
ip -n rs addr add 10.99.0.1/32 dev lo
ip -n rs addr add fd00:99::1/128 dev lo nodad
ip -n rs link set tunl0 up
ip -n rs link set ip6tnl0 up
for k in all.rp_filter default.rp_filter tunl0.rp_filter r0.rp_filter; do
	ip netns exec rs sysctl -qw net.ipv4.conf.$k=0
done

# LB: route the VIPs toward the real, with room for the outer header, and
# mark them for real 1 (IPv4) / 2 (IPv6) as the module will.
ip -n lb route add 10.99.0.1/32 via 10.2.0.2 mtu 1480
ip -n lb -6 route add fd00:99::1/128 via fd00:2::2 mtu 1460
ip netns exec lb nft -f - <<'NFT'
table inet sluice_test {
	chain out {
		type filter hook output priority 0;
		ip daddr 10.99.0.1 meta mark set 0x5c150001
		ip6 daddr fd00:99::1 meta mark set 0x5c150002
	}
}
NFT

step "attach"
dp_attach lb l0
grep -q 'prog/xdp' <<<"$(ip -n lb link show l0)" || fail "no XDP program on l0"
grep -q sluice_tc <<<"$(tc -n lb filter show dev l0 egress)" || fail "no tc program on l0"
set_real "$LB" 1 10.2.0.2
set_real "$LB" 2 fd00:2::2
set_tunnel_source "$LB" 10.2.0.1/32 fd00:2::1/128

step "IPv4 in IPv4, 10 MB echoed"
$RS timeout 90 python3 -S "$echo_py" server 10.99.0.1 5001 &
sleep 1
$LB timeout 90 python3 -S "$echo_py" client 10.99.0.1 5001 10000000 || fail "IPv4 transfer"
wait

step "IPv6 in IPv6, 10 MB echoed"
$RS timeout 90 python3 -S "$echo_py" server fd00:99::1 5002 &
sleep 1
$LB timeout 90 python3 -S "$echo_py" client fd00:99::1 5002 10000000 || fail "IPv6 transfer"
wait

$LB "$SLUICEADM" --dataplane-stats
for c in drop-no-real drop-no-source drop-malformed drop-encap-failed; do
	[[ $(counter "$LB" $c) == 0 ]] || fail "counter $c is not 0"
done
v4=$(counter "$LB" encap-ipv4)
v6=$(counter "$LB" encap-ipv6)
((v4 > 0 && v6 > 0)) || fail "nothing encapsulated ($v4 IPv4, $v6 IPv6)"
# 10 MB needs ~7000 full-sized packets; fewer, larger ones mean GSO
# super-packets were encapsulated whole (and segmented right, as the data
# arrived intact).
echo "encapsulated: $v4 IPv4 and $v6 IPv6 packets"
(($(counter "$LB" encap-ipv4 3) / v4 > 1500)) || fail "no GSO packet went through the IPv4 encapsulation"
(($(counter "$LB" encap-ipv6 3) / v6 > 1500)) || fail "no GSO packet went through the IPv6 encapsulation"

step "detach"
$LB "$SLUICEADM" --detach l0 || fail "detach"
grep -q 'prog/xdp' <<<"$(ip -n lb link show l0)" && fail "XDP program left on l0"
echo PASS
