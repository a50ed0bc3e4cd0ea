# The connection table at its limit: a bounded SYN flood (half-open flows
# from an address whose SYN-ACKs the client drops, so they stay half-open)
# fills the table; established connections keep working, new connections
# still succeed, and the counters show the evictions.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/datapath/topo.sh"
cluster_up
$LB "$SLUICEADM" --conn-max 1024 || fail "conn-max"
serve 80
flood_source

step "200 established connections, then 3000 half-open flows"
hold_open $VIP4 200 10 300
$CL timeout 60 "$WHOAMI" synflood 10.2.0.200 $VIP4 80 3000 || fail "flood"
conns=$(lb_stat connections)
evicted=$(lb_stat conn-evicted)
echo "entries $conns (limit 1024), evicted $evicted, stateless $(lb_stat conn-stateless)"
((conns <= 1024)) || fail "the table grew past its limit: $conns"
# 3200 flows into 1024 places: the half-open ones make room for most.
((evicted >= 1000)) || fail "too few evictions: $evicted"

step "new connections still succeed while the table is full"
$CL timeout 100 "$WHOAMI" tcp $VIP4 80 100 | tee /tmp/new.out
grep -q '(none)' /tmp/new.out && fail "new connections failed"

step "the established connections carried on"
hold_done 200 "established connections broke"
echo PASS
