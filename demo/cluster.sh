# make demo: a load-balanced cluster in network namespaces, in a VM running
# Debian's kernel with the sluice module. One L2 segment holds a client,
# two LB nodes and three real servers; both LB nodes run sluice with the
# same configuration; the reals answer the client directly (DSR).
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/datapath/topo.sh"
trap 'topo_down; ip netns del lb2 2>/dev/null; rmmod sluice 2>/dev/null' EXIT

say() { printf '\n=== %s\n' "$*"; }

say "load the module, build the cluster"
sluice_load
topo_up
lb_add lb2 10.2.0.2 fd00:2::2
cat <<'TXT'
  client 10.2.0.100 --+-- lb  10.2.0.1  (sluice: XDP + module + tc IP-in-IP)
                      +-- lb2 10.2.0.2  (sluice, same configuration)
                      +-- real1 10.2.0.11, real2 10.2.0.12, real3 10.2.0.13
  VIP 10.99.0.1 and fd00:99::1, port 80 (TCP and UDP); the client routes the VIP via lb
TXT

say "configure both LB nodes with sluiceadm (ipvsadm's grammar; reals in different orders)"
lb_config lb 10.2.0.1 fd00:2::1 1 2 3
lb_config lb2 10.2.0.2 fd00:2::2 3 1 2
$LB "$SLUICEADM" -L -n
serve 80

say "300 TCP connections from the client: Maglev spreads them over the reals"
$CL timeout 100 python3 "$WHOAMI" tcp $VIP4 80 300

say "weights: real3 gets weight 3 on both nodes; 3000 UDP flows"
for ns in lb lb2; do
	nsenter --net=/run/netns/$ns "$SLUICEADM" -e -u $VIP4:80 -r 10.2.0.13 -w 3
done
$CL timeout 100 python3 "$WHOAMI" udp $VIP4 80 3000

say "ECMP reshuffle / node failure: 50 connections opened via lb move to lb2"
hold_open $VIP4 50 4
ip -n client route replace $VIP4 via 10.2.0.2
echo "  (route to the VIP now via lb2)"
wait "$HOLDER"
sed 's/^/  /' /tmp/hold.out
echo "  every connection completed on the real it started on: both nodes pick the same real"

say "the listing and counters on lb2"
nsenter --net=/run/netns/lb2 "$SLUICEADM" -L -n
nsenter --net=/run/netns/lb2 "$SLUICEADM" --dataplane-stats
echo PASS
