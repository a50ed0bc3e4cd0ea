# sluiced on two LB nodes of the cluster (tests/vm/cluster/net.sh), real
# BGP to the router: health checks through the VIP, draining, route health
# injection (withdraw, hold-down), fate-sharing on SIGKILL, a restart that
# flaps nothing, and the shutdown order (withdraw, then exit).
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/cluster/net.sh"
. "$SLUICE_ROOT/tests/vm/cluster/sd.sh"
out=/tmp/sd-rhi
VIP2=10.99.0.2

modprobe tun
net_up
real_add 4 novip
for i in 1 2; do
	lb_base $i
	probe_counter lb$i
	sd_conf $i >$CLUSTER_RUN/sd$i.conf <<EOF
vips = (
  { address = "$VIP";
    services = (
      { protocol = "tcp"; port = 80; checks = [ "tcp" ];
        reals = ( { address = "10.2.0.11"; }, { address = "10.2.0.12"; },
                  { address = "10.2.0.13"; }, { address = "10.2.0.14"; } ); } ); },
  { address = "$VIP2";
    services = (
      { protocol = "tcp"; port = 80; checks = [ "plain" ];
        reals = ( { address = "10.2.0.14"; } ); } ); }
);
EOF
	bird_lb $i
done

step "start: nothing announced while learning, then both nodes announce"
t0=$EPOCHREALTIME
sd_start 1 $CLUSTER_RUN/sd1.conf
sd_status 1 | tee $out.status0
grep -q "^VIP $VIP  withdrawn" $out.status0 || fail "lb1 announced $VIP at once"
sd_start 2 $CLUSTER_RUN/sd2.conf
t=$(wait_nexthops "10.2.0.1 10.2.0.2" 60)
echo "router has both next hops $t s after the first check"
since=$(awk -v s="$t0" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.2f", e - s }')
awk -v t="$since" -v min="$SD_LEARN" 'BEGIN { exit !(t >= min) }' ||
	fail "announced after $since s, before the learn period ($SD_LEARN s)"
sd_status 1 | tee $out.status1

step "a real that decapsulates but lacks the VIP: the check through the VIP fails it, a plain one passes"
grep -q '10.2.0.14:80 .* down .*check tcp: ' <<<"$(grep -A5 "^VIP $VIP " $out.status1)" ||
	fail "real4 is not down in $VIP's service"
grep -q '10.2.0.14:80 .* up ' <<<"$(grep -A3 "^VIP $VIP2 " $out.status1)" ||
	fail "real4 is not up in $VIP2's service (plain check to its own address)"
for i in 1 2; do
	[[ $(sd_weight $i 10.2.0.14) == 0 ]] || fail "lb$i: real4 not drained"
	[[ $(sd_weight $i 10.2.0.11) == 1 ]] || fail "lb$i: real1 not serving"
done

step "a real's service dies: drained within fall x interval, new connections never fail, the others' untouched"
stream_start tcp 120 10 $out.s1
real_kill 2
for i in 1 2; do
	t=$(wait_for 10 sd_weight_is $i 10.2.0.12 0) || sd_fail $i "lb$i did not drain real2"
	echo "lb$i drained real2 in $t s (fall 2 x interval 0.5 s + timeout 0.4 s)"
	awk -v t="$t" 'BEGIN { exit !(t < 4) }' || fail "lb$i took $t s to drain real2 (bound 4 s)"
done
$CL timeout 100 "$WHOAMI" tcp $VIP 80 100 | tee $out.new
! grep -q '^(none)' $out.new || fail "new connections failed after the drain"
! grep -q '^real2 ' $out.new || fail "a new connection reached the drained real2"
real_serve 2
for i in 1 2; do
	t=$(wait_for 10 sd_weight_is $i 10.2.0.12 1) || sd_fail $i "lb$i did not bring real2 back"
	echo "lb$i: real2 back in $t s (rise 2 x interval 0.5 s)"
done
stream_wait $out.s1
on2=$(awk '$1 == "start" && $2 == "real2" { print $3 }' $out.s1)
grep -q "^completed $((120 - ${on2:-0}))$" $out.s1 ||
	fail "connections to other reals than real2 broke (real2 had ${on2:-0} of 120)"

step "every real of $VIP dies: withdrawn by both nodes; one recovers: announced again after the hold-down"
real_kill 1 2 3
t=$(wait_for 15 no_route $VIP) || fail "the router still routes $VIP"
echo "router lost $VIP in $t s"
awk -v t="$t" 'BEGIN { exit !(t < 5) }' || fail "withdrawal took $t s (bound 5 s)"
grep -q "$VIP/32" <<<"$(birdc_ns router show route $VIP/32)" && fail "router's BIRD still has $VIP"
sd_status 1 >$out.status2
grep "^VIP $VIP " $out.status2 || true
grep -q "^VIP $VIP .*withdrawn.*0 healthy reals of 1 needed" $out.status2 ||
	fail "status does not say why $VIP is withdrawn"
[[ -n $(ip -n router route show $VIP2) ]] || fail "$VIP2 (real4 healthy) was withdrawn too"
real_serve 1
t=$(wait_nexthops "10.2.0.1 10.2.0.2" 20)
echo "re-announced on the router $t s after real1's server was back"
for i in 1 2; do
	h=$(sd_between $i "real 10.2.0.11:80 of TCP $VIP:80 is up" "VIP $VIP announced")
	echo "lb$i: real1 up -> $VIP announced: $h s (hold-down $SD_HOLD s)"
	awk -v t="$h" -v h="$SD_HOLD" 'BEGIN { exit !(t >= h - 0.01 && t < h + 2) }' ||
		sd_fail $i "lb$i announced $VIP $h s after it became healthy (hold-down $SD_HOLD s)"
done
real_serve 2
real_serve 3
# Both back on both nodes before the next step samples lb1's weights (its
# checks' phases are random: real3 may come up before real2).
for i in 1 2; do
	for r in 2 3; do
		wait_for 10 sd_weight_is $i 10.2.0.1$r 1 >/dev/null || sd_fail $i "lb$i: real$r not back"
	done
done

step "sluiced on lb1 killed (SIGKILL): its VIPs withdrawn; restarted: no real flaps, no connection breaks"
stream_start tcp 120 10 $out.s2
kill -9 "$(cat $CLUSTER_RUN/sd1.pid)"
t=$(wait_nexthops "10.2.0.2" 10)
echo "lb1's next hop gone $t s after SIGKILL"
awk -v t="$t" 'BEGIN { exit !(t < 3) }' || fail "withdrawal took $t s after SIGKILL (bound 3 s)"
ip -n lb1 link show sluice-vip 2>/dev/null && fail "lb1's sluice-vip survived its sluiced"
adm lb1 -S -n >$out.rules-before
sample_weights 1 >$out.weights &
sampler=$!
logged=$(wc -l <$CLUSTER_RUN/sd1.log)
sd_start 1 $CLUSTER_RUN/sd1.conf
t=$(wait_nexthops "10.2.0.1 10.2.0.2" 30)
echo "lb1 back in the router's next hops $t s after its restart"
kill $sampler
wait $sampler 2>/dev/null || true
n=$(wc -l <$out.weights)
echo "$n samples of lb1's weights (reals 1-4) during the restart"
((n >= 4)) || fail "too few samples ($n)"
grep -v '^1 1 1 0$' $out.weights | head -5 || true
! grep -qv '^1 1 1 0$' $out.weights || fail "a real's weight changed on lb1 during the restart"
tail -n +$((logged + 1)) $CLUSTER_RUN/sd1.log | tee $out.log-after | grep 'is down\|is up' &&
	fail "a real changed state after the restart"
adm lb1 -S -n | diff $out.rules-before - || fail "the restart changed lb1's rules"
stream_wait $out.s2
grep -q '^completed 120$' $out.s2 || fail "connections broke across lb1's sluiced being killed and restarted"

step "shutdown: the VIPs are withdrawn first, the rules stay"
kill -TERM "$(cat $CLUSTER_RUN/sd2.pid)"
t=$(wait_nexthops "10.2.0.1" 10)
echo "lb2 withdrawn $t s after SIGTERM"
kill -0 "$(cat $CLUSTER_RUN/sd2.pid)" 2>/dev/null || fail "sluiced exited before draining ($SD_DRAIN s)"
wait_for 10 sd_gone 2 >/dev/null || fail "sluiced on lb2 did not exit"
[[ $(sd_weight 2 10.2.0.11) == 1 ]] || fail "lb2's rules are gone after sluiced stopped"
grep 'stopping' $CLUSTER_RUN/sd2.log

step "counters, sluiced stopped on both nodes: XDP = the module = tc less sluiced's probes"
kill -TERM "$(cat $CLUSTER_RUN/sd1.pid)"
wait_for 10 sd_gone 1 >/dev/null || fail "sluiced on lb1 did not exit"
for i in 1 2; do counters_agree lb$i "traffic and health checks"; done
