# Traffic through the module to three reals (IPv4 and IPv6, TCP and UDP):
# byte-for-byte TCP through the VIP, replies direct to the client, flows
# spread evenly by Maglev and by weight, drain and delete with connections
# open, a closed connection's port reused (scheduled anew), a real added
# while connections are open, counters.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/datapath/topo.sh"
echo_py=$SLUICE_ROOT/tests/vm/dataplane/tcp_echo.py
trap 'topo_down; rmmod sluice 2>/dev/null' EXIT
sluice_load
topo_up

step "configure: attach, tunnel source, services, reals"
dp_attach lb l0
$LB "$SLUICEADM" --tunnel-source 10.2.0.1/32 || fail "tunnel source v4"
$LB "$SLUICEADM" --tunnel-source fd00:2::1/128 || fail "tunnel source v6"
for p in -t -u; do
	$LB "$SLUICEADM" -A $p $VIP4:80 || fail "service $p $VIP4:80"
	$LB "$SLUICEADM" -A $p "[$VIP6]:80" || fail "service $p [$VIP6]:80"
	for i in 1 2 3; do
		$LB "$SLUICEADM" -a $p $VIP4:80 -r 10.2.0.1$i -i || fail "real $i"
		$LB "$SLUICEADM" -a $p "[$VIP6]:80" -r "[fd00:2::1$i]" -i || fail "real v6 $i"
	done
done
$LB "$SLUICEADM" -L -n
# sluiceadm keeps the XDP program's VIP table in line with the services.
$LB "$SLUICEADM" --vips | tee /tmp/vips.out
grep -Eq "^$VIP4 +[0-9]+ +2 +0 " /tmp/vips.out || fail "--vips: $VIP4 should serve 2 ports"
grep -Eq "^$VIP6 +[0-9]+ +2 +0 " /tmp/vips.out || fail "--vips: $VIP6 should serve 2 ports"
$LB "$SLUICEADM" --syn-rate $VIP4 5000/200 || fail "--syn-rate"
$LB "$SLUICEADM" --vips | grep -Eq "^$VIP4 +[0-9]+ +2 +5000 +200$" || fail "--syn-rate not in --vips"
$LB "$SLUICEADM" --syn-rate 10.99.0.77 10 2>/dev/null && fail "--syn-rate accepted a non-VIP"
$LB "$SLUICEADM" --syn-rate $VIP4 0 || fail "--syn-rate 0"
serve 80

step "3000 UDP flows over 3 equal reals: each within 10% of 1000"
$CL timeout 200 "$WHOAMI" udp $VIP4 80 3000 | within 900 1100
no_drops lb "3000 UDP flows"

step "IPv6: 300 TCP connections reach all three reals"
$CL timeout 200 "$WHOAMI" tcp $VIP6 80 300 | within 60 140

step "10 MB echoed over TCP through the VIP (IPv4), and over IPv6"
for i in 1 2 3; do
	nsenter --net=/run/netns/real$i timeout 120 python3 -S "$echo_py" server $VIP4 5001 2>/dev/null &
	nsenter --net=/run/netns/real$i timeout 120 python3 -S "$echo_py" server $VIP6 5001 2>/dev/null &
done
$LB "$SLUICEADM" -A -t $VIP4:5001 -s mh
$LB "$SLUICEADM" -A -t "[$VIP6]:5001" -s mh
for i in 1 2 3; do
	$LB "$SLUICEADM" -a -t $VIP4:5001 -r 10.2.0.1$i
	$LB "$SLUICEADM" -a -t "[$VIP6]:5001" -r "[fd00:2::1$i]"
done
for i in 1 2 3; do listening real$i 5001 2; done
$CL timeout 100 python3 -S "$echo_py" client $VIP4 5001 10000000 || fail "IPv4 10 MB"
$CL timeout 100 python3 -S "$echo_py" client $VIP6 5001 10000000 || fail "IPv6 10 MB"

# 6,000 flows: real1's share (1/6) varies by 29 flows (one standard
# deviation), so 10 % is 3.5 of them; with 3,000 it was 2.4 and the test
# failed about once in a hundred runs (447 of 500, 6.1, 2026-12-01). On the
# debug kernel, whose boot is make check's longest, 3,000 (40 s less).
flows=6000
[[ -z ${SLUICE_SLOW_KERNEL:-} ]] || flows=3000
step "weights 1:2:3 over $flows UDP flows: $((flows / 6)) / $((flows / 3)) / $((flows / 2)) within 10%"
# A service of its own: the earlier flows' entries would keep their reals.
serve 81
$LB "$SLUICEADM" -A -u $VIP4:81 || fail "service :81"
for i in 1 2 3; do
	$LB "$SLUICEADM" -a -u $VIP4:81 -r 10.2.0.1$i -w $i || fail "weight $i"
done
out=$($CL timeout 200 "$WHOAMI" udp $VIP4 81 $flows)
echo "$out"
grep -q '(none)' <<<"$out" && fail "weights: some requests were not answered"
for i in 1 2 3; do
	c=$(awk -v n=real$i '$1 == n { print $2 }' <<<"$out")
	want=$((flows / 6 * i))
	((c >= want * 9 / 10 && c <= want * 11 / 10)) || fail "real$i got $c, want ~$want"
done

step "a 4th real added while 200 connections are open"
real_join 4
serve_in real4 real4 $VIP4 80
listening real4 80 2
hold_open $VIP4 200 8
$LB "$SLUICEADM" -a -t $VIP4:80 -r 10.2.0.14 || fail "add real4"
hold_done 200 "not all 200 connections completed"
$CL timeout 100 "$WHOAMI" tcp $VIP4 80 200 | tee /tmp/new.out
grep -q '^real4 ' /tmp/new.out || fail "no new connection reached real4"

step "drain real4 (weight 0) with connections open: they complete, new ones avoid it"
hold_open $VIP4 100 6
$LB "$SLUICEADM" -e -t $VIP4:80 -r 10.2.0.14 -w 0 || fail "drain real4"
hold_done 100 "drain broke connections"
$CL timeout 100 "$WHOAMI" tcp $VIP4 80 200 | tee /tmp/new.out
grep -q '^real4 ' /tmp/new.out && fail "a new connection reached the drained real4"
grep -q '(none)' /tmp/new.out && fail "connections failed after the drain"

step "a new connection on an old connection's port is scheduled anew: a real drained since gets none"
# reused_ports FIRST HOW [server-reset]: 60 connections from ports FIRST
# on, each closed by the client's reset (its entry stays, closed) or the
# real's (server-reset: the LB never sees it, the entry stays established);
# real1 drained; the same ports again: a new SYN on an old entry's port
# must not follow the entry to real1. The ports are below the ephemeral
# range: no earlier connection's TIME_WAIT can hold one.
reused_ports() {
	local first=$1 how=$2 on1
	$CL timeout 100 "$WHOAMI" ports $VIP4 80 "$first" 60 ${3:-} >/tmp/ports1.out
	grep -q ' (none)$' /tmp/ports1.out && fail "connections from fixed ports failed ($how entries)"
	on1=$(grep -c ' real1$' /tmp/ports1.out || true)
	echo "$how entries: $on1 of 60 ports reached real1"
	((on1 > 0)) || fail "no port reached real1 ($how entries): the test proves nothing"
	$LB "$SLUICEADM" -e -t $VIP4:80 -r 10.2.0.11 -w 0 || fail "drain real1"
	$CL timeout 100 "$WHOAMI" ports $VIP4 80 "$first" 60 >/tmp/ports2.out
	$LB "$SLUICEADM" -e -t $VIP4:80 -r 10.2.0.11 -w 1 || fail "undrain real1"
	echo "the same ports, real1 drained: $(awk '{ print $2 }' /tmp/ports2.out | sort | uniq -c | tr -s ' \n' ' ')"
	grep -q ' (none)$' /tmp/ports2.out && fail "connections on reused ports failed ($how entries)"
	grep -q ' real1$' /tmp/ports2.out &&
		fail "$(grep -c ' real1$' /tmp/ports2.out) new connections on reused ports followed their $how entry to the drained real1"
	return 0
}
reused_ports 20000 closed
reused_ports 21000 established server-reset

step "delete a real with connections open: they keep their real"
hold_open $VIP4 100 6
$LB "$SLUICEADM" -d -t $VIP4:80 -r 10.2.0.13 || fail "delete real3"
hold_done 100 "delete broke connections"
$CL timeout 100 "$WHOAMI" tcp $VIP4 80 200 | tee /tmp/new.out
grep -q '^real3 ' /tmp/new.out && fail "a new connection reached the deleted real3"

step "a VIP port no service has: no answer from the LB host, counted"
$LB timeout 30 python3 -c "
import socket; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('$VIP4', 9999)); s.listen(); import time; time.sleep(20)" &
sleep 1
# drop-no-service: XDP's counter, then the module's.
no_service() { $LB "$SLUICEADM" --dataplane-stats | awk '$1 == "drop-no-service" { print $2 }' | sed -n "$1p"; }
before=$(no_service 1)
$CL timeout 10 "$WHOAMI" refused $VIP4 9999 || fail "the LB host answered on an unserved VIP port"
after=$(no_service 1)
((after > before)) || fail "XDP's drop-no-service did not count ($before -> $after)"
# Without the XDP program the module drops it itself.
$LB "$SLUICEADM" --detach l0 || fail "detach"
before=$(no_service 2)
$CL timeout 10 "$WHOAMI" refused $VIP4 9999 || fail "the LB host answered on an unserved VIP port (no XDP)"
after=$(no_service 2)
dp_attach lb l0
((after > before)) || fail "the module's drop-no-service did not count ($before -> $after)"

step "oversized DF packets: the client learns the MTU minus the tunnel header"
expect_mtu $VIP4 1472 1480 IPv4
expect_mtu $VIP6 1452 1460 IPv6

step "counters"
$LB "$SLUICEADM" -L -n
$LB "$SLUICEADM" -L -n --stats | tee /tmp/stats.out
# The 10 MB service: two connections (one per family); client packets only.
# shellcheck disable=SC2046
set -- $(grep -F "TCP  $VIP4:5001 " /tmp/stats.out)
conns=${3:-} inpkts=${4:-} outpkts=${5:-}
((conns == 1 && inpkts > 1000 && outpkts == 0)) ||
	fail "stats for $VIP4:5001: conns $conns inpkts $inpkts outpkts $outpkts"
$LB "$SLUICEADM" -L -n --rate
$LB "$SLUICEADM" --dataplane-stats
echo PASS
