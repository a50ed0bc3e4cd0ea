# Mixed families: an IPv4 service with IPv6 reals (IPv4-in-IPv6) and an
# IPv6 service with IPv4 reals (IPv6-in-IPv4), as IPVS's tunnel mode
# allows. The reals decapsulate with an ip6tnl device in mode "any" and
# with sit0. Flows spread over the reals, TCP byte for byte, the path MTU
# the client learns (the outer header of the real's family), an ICMP error
# to the VIP reaching the real over the other family.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/datapath/topo.sh"
echo_py=$SLUICE_ROOT/tests/vm/dataplane/tcp_echo.py
trap 'topo_down; rmmod sluice 2>/dev/null' EXIT
sluice_load
topo_up
modprobe sit

step "reals decapsulate IPv4-in-IPv6 (ip6tnl, mode any) and IPv6-in-IPv4 (sit0)"
for i in 1 2 3; do
	n=real$i
	ip -n $n link add t46 type ip6tnl mode any local fd00:2::1$i || fail "$n: ip6tnl"
	ip -n $n link set t46 up
	ip -n $n link set sit0 up
	ip netns exec $n sysctl -qw net.ipv4.conf.t46.rp_filter=0
done

step "configure: IPv4 services with IPv6 reals, IPv6 services with IPv4 reals"
dp_attach lb l0
$LB "$SLUICEADM" --tunnel-source 10.2.0.1/32 || fail "tunnel source v4"
$LB "$SLUICEADM" --tunnel-source fd00:2::1/128 || fail "tunnel source v6"
for p in -t -u; do
	$LB "$SLUICEADM" -A $p $VIP4:80 || fail "service $p $VIP4:80"
	$LB "$SLUICEADM" -A $p "[$VIP6]:80" || fail "service $p [$VIP6]:80"
	for i in 1 2 3; do
		$LB "$SLUICEADM" -a $p $VIP4:80 -r "[fd00:2::1$i]" -i || fail "IPv6 real $i for $VIP4"
		$LB "$SLUICEADM" -a $p "[$VIP6]:80" -r 10.2.0.1$i -i || fail "IPv4 real $i for $VIP6"
	done
done
$LB "$SLUICEADM" -L -n
serve 80

step "IPv4 over IPv6: 600 UDP flows and 150 TCP connections reach all three reals"
$CL timeout 100 "$WHOAMI" udp $VIP4 80 600 | within 140 260 "IPv4 UDP"
$CL timeout 100 "$WHOAMI" tcp $VIP4 80 150 | within 25 75 "IPv4 TCP"

step "IPv6 over IPv4: 600 UDP flows and 150 TCP connections reach all three reals"
$CL timeout 100 "$WHOAMI" udp $VIP6 80 600 | within 140 260 "IPv6 UDP"
$CL timeout 100 "$WHOAMI" tcp $VIP6 80 150 | within 25 75 "IPv6 TCP"

step "1 MB echoed over TCP both ways, each family over the other"
for i in 1 2 3; do
	nsenter --net=/run/netns/real$i timeout 100 python3 -S "$echo_py" server $VIP4 5001 2>/dev/null &
	nsenter --net=/run/netns/real$i timeout 100 python3 -S "$echo_py" server $VIP6 5001 2>/dev/null &
done
$LB "$SLUICEADM" -A -t $VIP4:5001 || fail "service $VIP4:5001"
$LB "$SLUICEADM" -A -t "[$VIP6]:5001" || fail "service [$VIP6]:5001"
for i in 1 2 3; do
	$LB "$SLUICEADM" -a -t $VIP4:5001 -r "[fd00:2::1$i]" -i || fail "real $i for $VIP4:5001"
	$LB "$SLUICEADM" -a -t "[$VIP6]:5001" -r 10.2.0.1$i -i || fail "real $i for [$VIP6]:5001"
done
for i in 1 2 3; do listening real$i 5001 2; done
$CL timeout 60 python3 -S "$echo_py" client $VIP4 5001 1000000 || fail "IPv4 over IPv6, 1 MB"
$CL timeout 60 python3 -S "$echo_py" client $VIP6 5001 1000000 || fail "IPv6 over IPv4, 1 MB"

step "oversized DF packets: the client learns the MTU minus the outer header of the real's family"
expect_mtu $VIP4 1472 1460 "IPv4 over IPv6 (1500 - 40)"
expect_mtu $VIP6 1452 1480 "IPv6 over IPv4 (1500 - 20)"

step "an ICMP error to the IPv4 VIP reaches the flow's real over IPv6"
$CL timeout 30 "$WHOAMI" flow $VIP4 80 4 >/tmp/flow.out &
holder=$!
for _ in $(seq 50); do [[ -s /tmp/flow.out ]] && break; sleep 0.2; done
read -r cport owner </tmp/flow.out
[[ -n $owner ]] || fail "no connection"
before=$(unreach "$owner")
$CL "$WHOAMI" icmperr $VIP4 10.2.0.100 "$cport" 80 1400 || fail "send"
sleep 1
after=$(unreach "$owner")
((after == before + 1)) || fail "the owner $owner did not get the error ($before -> $after)"
wait $holder

step "counters: the tc program encapsulated in both families, nothing dropped"
$LB "$SLUICEADM" -L -n --stats
$LB "$SLUICEADM" --dataplane-stats | tee /tmp/dp.out
for c in encap-ipv4 encap-ipv6; do
	n=$(awk -v c=$c '$1 == c { print $2 }' /tmp/dp.out)
	((${n:-0} > 0)) || fail "$c: ${n:-0}"
done
n=$(awk '$1 == "drop-no-route" { s += $2 } END { print s + 0 }' /tmp/dp.out)
((n == 0)) || fail "drop-no-route: $n"
echo PASS
