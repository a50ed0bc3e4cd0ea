# Helpers for tests that drive the data plane without the module (sourced).
# sluice-dpctl fills the namespace's pinned maps as the module will; every
# function takes a command prefix that enters the LB's network namespace
# (e.g. "nsenter --net=/run/netns/lb").
DPCTL=$SLUICE_ROOT/build/userspace/tools/sluice-dpctl

# add_service NSCMD VIP tcp|udp PORT
add_service() { $1 "$DPCTL" service "$2" "$3" "$4"; }
# set_real NSCMD INDEX ADDR: real slot INDEX is a tunnel endpoint
set_real() { $1 "$DPCTL" real "$2" "$3"; }
# set_tunnel_source NSCMD V4PREFIX V6PREFIX
set_tunnel_source() { $1 "$DPCTL" tunnel-source "$2" "$3"; }

# counter NSCMD NAME [FIELD]: packets (or, FIELD 3, bytes) of a counter
counter() {
	$1 "$SLUICE_ROOT/build/bin/sluiceadm" --dataplane-stats |
		awk -v n="$2" -v f="${3:-2}" '$1 == n { print $f; exit }'
}
