# Two LB nodes with the same configuration (reals added in different
# orders) pick the same real for every flow: connections opened through
# one node carry on through the other when the route moves (an ECMP
# reshuffle or a node failure), IPv4 and IPv6.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/datapath/topo.sh"
trap 'topo_down; ip netns del lb2 2>/dev/null; rmmod sluice 2>/dev/null' EXIT
sluice_load
topo_up
lb_add lb2 10.2.0.2 fd00:2::2
lb_config lb 10.2.0.1 fd00:2::1 1 2 3
lb_config lb2 10.2.0.2 fd00:2::2 3 1 2
serve 80

for v in 4 6; do
	vip=$VIP4 via1=10.2.0.1 via2=10.2.0.2 fam=
	[[ $v == 6 ]] && vip=$VIP6 via1=fd00:2::1 via2=fd00:2::2 fam=-6
	step "IPv$v: 100 connections opened via lb, continued via lb2"
	ip -n client $fam route replace $vip via $via1
	hold_open $vip 100 6
	ip -n client $fam route replace $vip via $via2
	hold_done 100 "connections broke when the route moved"
	n=$(conn_entries lb) n2=$(conn_entries lb2)
	echo "connection entries: lb $n, lb2 $n2"
	((n2 >= 100)) || fail "lb2 did not pick up the connections ($n2 entries)"
done
echo PASS
