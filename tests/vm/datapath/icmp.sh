# An ICMP error addressed to a VIP (a router on the reply path telling the
# VIP "fragmentation needed") reaches the real that owns the flow it
# quotes, and no other real.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
. "$SLUICE_ROOT/tests/vm/datapath/topo.sh"
cluster_up
serve 80

for round in 1 2 3; do
	step "round $round: a connection, then an ICMP error about it to the VIP"
	$CL timeout 60 "$WHOAMI" flow $VIP4 80 30 >/tmp/flow.out &
	holder=$!
	for _ in $(seq 50); do [[ -s /tmp/flow.out ]] && break; sleep 0.2; done
	read -r cport owner </tmp/flow.out
	[[ -n $owner ]] || fail "no connection"
	declare -A before
	for i in 1 2 3; do before[real$i]=$(unreach real$i); done
	$CL "$WHOAMI" icmperr $VIP4 10.2.0.100 "$cport" 80 1400 || fail "send"
	# One error was sent: once the owner has it, no other real can.
	for _ in $(seq 100); do
		(($(unreach "$owner") > ${before[$owner]})) && break
		sleep 0.1
	done
	for i in 1 2 3; do
		d=$(($(unreach real$i) - ${before[real$i]}))
		echo "real$i: $d destination-unreachable received (flow owner: $owner)"
		if [[ real$i == "$owner" ]]; then
			((d == 1)) || fail "the owner $owner did not get the error"
		else
			((d == 0)) || fail "real$i got an error about $owner's flow"
		fi
	done
	kill $holder
	wait $holder || true
done
echo PASS
