# Helpers to write the data plane's pinned maps by hand (sourced), standing
# in for the module until it mirrors its configuration into them. Layouts:
# include/uapi/linux/sluice.h. Functions take a command prefix that enters
# the LB's network namespace (e.g. "nsenter --net=/run/netns/lb").

le32() { printf '%02x %02x %02x %02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24)); }
ip4hex() { printf '%02x %02x %02x %02x' ${1//./ }; }
ip6hex() { python3 -c 'import socket,sys; print(" ".join("%02x" % b for b in socket.inet_pton(socket.AF_INET6, sys.argv[1])))' "$1"; }
zeros() { local i; for ((i = 0; i < $1; i++)); do printf '00 '; done; }

# pin_dir NSCMD: the namespace's pin directory (netns cookie, as sluiceadm).
pin_dir() {
	$1 python3 -c 'import socket, struct
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
print("/sys/fs/bpf/sluice/netns-%d" % struct.unpack("Q", s.getsockopt(socket.SOL_SOCKET, 71, 8))[0])'
}

# map_update NSCMD MAP KEYHEX VALUEHEX
map_update() {
	bpftool map update pinned "$(pin_dir "$1")/$2" key hex $3 value hex $4
}

# addr_key ADDR: the 16 address bytes and the family byte of a key
addr_key() {
	if [[ $1 == *:* ]]; then echo "$(ip6hex "$1") 0a"; else echo "$(ip4hex "$1") $(zeros 12) 02"; fi
}

# add_service NSCMD VIP PROTO PORT: a VIP (sluice_vips) and its service
add_service() {
	local k proto=06
	k=$(addr_key "$2")
	[[ $3 == udp ]] && proto=11
	map_update "$1" sluice_vips "$k 00 00 00" "$(zeros 16)"
	map_update "$1" sluice_services "$k $proto $(printf '%02x %02x' $(($4 >> 8)) $(($4 & 255)))" "$(zeros 4)"
}

# set_real NSCMD INDEX ADDR: real slot INDEX is a tunnel endpoint
set_real() {
	map_update "$1" sluice_reals "$(le32 "$2")" "$(addr_key "$3") 00 00 00 $(le32 1)"
}

# set_tunnel_source NSCMD V4ADDR V4PLEN V6ADDR V6PLEN
set_tunnel_source() {
	map_update "$1" sluice_tc_cfg "$(le32 0)" \
		"$(ip4hex "$2") $(ip6hex "$4") $(printf '%02x %02x' "$3" "$5") 00 00"
}

# counter NSCMD NAME: packets of a data-plane counter
counter() {
	$1 "$SLUICEADM" --dataplane-stats | awk -v n="$2" '$1 == n { print $2; exit }'
}
