# Golden output of sluiceadm's own formats (ipvsadm's are compared with
# ipvsadm itself in compat.sh): --json for every listing, and --monitor
# (text and JSON) for a fixed sequence of changes. The expected files are
# in tests/vm/adm/golden/; with SLUICE_GOLDEN_UPDATE=1 the outputs are also
# copied to the run's output directory (keep it with SLUICE_KEEP=1).
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
sluice_load
trap 'kill $(jobs -p) 2>/dev/null || true; rmmod sluice 2>/dev/null || true' EXIT
A=$SLUICEADM
G=$SLUICE_ROOT/tests/vm/adm/golden

"$A" --monitor -n >/tmp/mon.txt &
"$A" --monitor --json >/tmp/mon.json &
sleep 1 # both listening
changes=(
	"-A -t 10.0.0.1:80 -s mh -b mh-fallback,mh-port -p 100 -M 255.255.255.0"
	"-a -t 10.0.0.1:80 -r 10.0.1.1 -i -w 3 -x 10 -y 5"
	"-a -t 10.0.0.1:80 -r 10.0.1.2 -w 0"
	"-A -u [2001:db8::1]:53 -s sh -o -b sh-port --mh-size 251"
	"-a -u [2001:db8::1]:53 -r [2001:db8:1::1]"
	"-A -f 5 -6 -s wlc"
	"-a -f 5 -6 -r [2001:db8:1::2]:8080 -w 2"
	"-E -t 10.0.0.1:80 -s rr"
	"-e -t 10.0.0.1:80 -r 10.0.1.2 -w 4"
	"-d -t 10.0.0.1:80 -r 10.0.1.1"
	"-Z -t 10.0.0.1:80"
	"--set 100 0 30"
	"--conn-max 4096 --mh-seed 7 --expire-nodest 1"
	"-A -t 10.0.0.9:443 -s lc"
	"-D -t 10.0.0.9:443"
)
for c in "${changes[@]}"; do
	# shellcheck disable=SC2086
	"$A" $c || fail "$c"
done
sleep 1

bad=0
check() { # NAME: compare /tmp/NAME with the golden file
	if [[ -n ${SLUICE_GOLDEN_UPDATE:-} ]]; then
		mkdir -p /tmp/out/golden
		cp "/tmp/$1" /tmp/out/golden/
	fi
	if cmp -s "$G/$1" "/tmp/$1"; then
		echo "ok vm/adm/golden/$1" >>/tmp/out/subtests
	else
		echo "not ok vm/adm/golden/$1" >>/tmp/out/subtests
		diff "$G/$1" "/tmp/$1" || true
		bad=1
	fi
}
# The version and table size are the only lines that may change.
"$A" -Ln --json | sed 's/"version":"[^"]*"/"version":"V"/' >/tmp/list.json
check list.json
"$A" -L -n -u [2001:db8::1]:53 --json >/tmp/one.json
check one.json
"$A" -L --timeout --json >/tmp/timeout.json
check timeout.json
"$A" -L -n -c --json >/tmp/conns.json
check conns.json
"$A" -Sn >/tmp/save.txt
check save.txt
"$A" -C
sleep 1
kill %1 %2
wait 2>/dev/null || true
check mon.txt
check mon.json
((bad == 0)) || fail "output differs from the golden files"
echo PASS
