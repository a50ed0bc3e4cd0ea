# ipvsadm compatibility: the same command script through ipvsadm against
# IPVS and through sluiceadm against sluice, in one boot; every listing
# must be the same byte for byte, except the header line (it names the
# load balancer). Only schedulers both have are used, so their names match.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
sluice_load
trap 'rmmod sluice 2>/dev/null || true' EXIT
modprobe ip_vs
for s in mh sh rr wrr lc wlc; do modprobe "ip_vs_$s"; done
# IPVS wants unicast routes to its reals.
ip link add d0 type dummy
ip link set d0 up
ip addr add 10.0.255.254/8 dev d0
ip -6 addr add 2001:db8:ffff::fe/32 dev d0 nodad

# Each line: one command, run by both tools.
script=(
	"-A -t 10.0.0.1:80 -s mh -b mh-fallback,mh-port -p 100 -M 255.255.255.0"
	"-a -t 10.0.0.1:80 -r 10.0.1.1 -i -w 3"
	"-a -t 10.0.0.1:80 -r 10.0.1.2:8080 -i -w 0"
	"-a -t 10.0.0.1:80 -r 10.0.1.20 -i --tun-type ipip"
	"-a -t 10.0.0.1:80 -r 10.0.1.3 --ipip --weight=7 -x 10 -y 5"
	"-A -u 10.0.0.2:53 -s sh -o -p 50 -b sh-port"
	"-a -u 10.0.0.2:53 -r 10.0.1.1 -i"
	"-a -u 10.0.0.2:53 -r 10.0.1.2:5353 -i -x 100"
	"-A -t [2001:db8::1]:443 -s wlc -p 600 -M 64"
	"-a -t [2001:db8::1]:443 -r [2001:db8:1::1]:443 -i -w 2"
	"-a -t [2001:db8::1]:443 -r 2001:db8:1::3 -i -w 2"
	"-a -t [2001:db8::1]:443 -r [2001:db8:1::ffff:ffff:ffff]:65535 -i -w 2"
	"-A -t 10.123.234.210:65535 -s rr"
	"-a -t 10.123.234.210:65535 -r 10.0.255.1:65535 -i -w 65535 -x 4000000 -y 3000000"
	"-A -f 7 -s wrr"
	"-a -f 7 -r 10.0.1.9:0 -i -w 100"
	"-a -f 7 -r 10.0.1.8 -i"
	"-a -f 7 -r 10.0.1.7:22 -i"
	"-A -f 5 -6 -s sh -b sh-fallback"
	"-a -f 5 -6 -r 2001:db8:1::2 -i"
	"-A -u [2001:db8::5]:53 -s lc -o"
	"-A -t 10.0.0.9 -s wlc -p 30"
	"-A -t 10.0.0.10:80 -s wlc --persistent=40"
	"--add-service --tcp-service=10.0.0.11:80 --scheduler=rr --persistent 20"
	"-A -t10.0.0.12:80 -srr"
	"-A -t 10.0.0.16:80 -s lc -p 10 -M 255.255.0.0"
	"-A -t 10.0.0.17:80 -s lc -M 255.255.255.0"
	"-e -t 10.0.0.1:80 -r 10.0.1.20 -i -w 5"
	"-E -f 7 -s lc"
	"-d -t 10.0.0.1:80 -r 10.0.1.2"
	"-a -t 10.0.0.1:80 -r 10.0.1.51 -i --weight=4 --u-threshold=9 --l-threshold=2"
	"-D -t 10.0.0.17:80"
	"--set 100 20 30"
	"-Z"
	"-Z -t 10.0.0.1:80"
)
# The listings compared after the script (and after the -e lines below).
listings=(
	"-Ln" "-L -n" "-Ln --stats" "-Ln --rate" "-Ln --stats --exact"
	"-Ln --rate --exact" "-Ln --thresholds" "-Ln --persistent-conn"
	"-Ln --tun-info" "-Ln --sort" "-Ln -t 10.0.0.1:80"
	"-Ln -t 10.0.0.1:80 --stats" "-Ln -f 5 -6" "-Ln -u [2001:db8::5]:53"
	"-L --timeout" "-Ln --timeout" "-Ln --stats --rate"
	"-Ln --thresholds --persistent-conn"
)
# ipvsadm's save leaves thresholds out (sluiceadm's keeps them so that a
# restore is exact): clear them before comparing -S.
after=(
	"-e -t 10.0.0.1:80 -r 10.0.1.3 -i -w 7"
	"-e -t 10.0.0.1:80 -r 10.0.1.51 -i -w 4"
	"-e -u 10.0.0.2:53 -r 10.0.1.2 -i"
	"-e -t 10.123.234.210:65535 -r 10.0.255.1 -i -w 65535"
)
saves=("-Sn" "-S -n" "--save --numeric")

run() { # TOOL LINE: run, print "rc=N" after its output
	local rc=0
	# shellcheck disable=SC2086
	"$1" $2 >/tmp/adm.out 2>&1 || rc=$?
	echo "rc=$((rc != 0))"
	sed '1s/^IP Virtual Server version .*/HEADER/; 1s/^sluice version .*/HEADER/' /tmp/adm.out
}

bad=0
compare() { # WHAT LINE...
	local what=$1 line
	shift
	for line in "$@"; do
		run ipvsadm "$line" >/tmp/adm.a
		run "$SLUICEADM" "$line" >/tmp/adm.b
		if cmp -s /tmp/adm.a /tmp/adm.b; then
			echo "ok vm/adm/compat/$what: $line" >>/tmp/out/subtests
		else
			echo "not ok vm/adm/compat/$what: $line" >>/tmp/out/subtests
			echo "--- $line: ipvsadm vs sluiceadm"
			diff /tmp/adm.a /tmp/adm.b || true
			bad=1
		fi
	done
}
compare script "${script[@]}"
compare list "${listings[@]}"
compare after "${after[@]}"
compare save "${saves[@]}"
((bad == 0)) || fail "listings differ"
echo PASS
