# -S / -R at scale, and -R all or nothing: 10,000 services x 10 reals
# restored, saved back identical, flushed and restored from the save;
# a restore whose 5,000th line the kernel refuses (and one whose 5,000th
# line does not parse) leaves the table and settings exactly as before.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
sluice_load
trap 'rmmod sluice 2>/dev/null || true' EXIT
A=$SLUICEADM
sub() { echo "$1 vm/adm/restore/$2" >>/tmp/out/subtests; }

# The rules in -S's own order (services and reals sorted by address), so
# that a save of the restored table must equal the file byte for byte.
awk 'BEGIN {
	split("rr wrr wlc mh", sched, " ")
	for (i = 0; i < 10000; i++) {
		svc = sprintf("-t 10.1.%d.%d:80", int(i / 256), i % 256)
		s = sched[i % 4 + 1]
		line = "-A " svc " -s " s
		if (i % 5 == 0) line = line " -p " (300 + i % 7)
		if (s == "mh") line = line " --mh-size 251"
		print line
		for (j = 1; j <= 10; j++)
			printf "-a %s -r 10.3.%d.%d:80 -i -w %d --tun-type ipip\n", svc, i % 100, j, (i + j) % 5 + 1
	}
}' >/tmp/gen.rules
wc -l </tmp/gen.rules

step "restore 10,000 x 10"
t0=$(date +%s.%N)
"$A" -R </tmp/gen.rules || fail "restore"
t1=$(date +%s.%N)
echo "restore: $(echo "$t1 - $t0" | bc) s"
"$A" -Sn >/tmp/s1.rules || fail "save"
t2=$(date +%s.%N)
echo "save: $(echo "$t2 - $t1" | bc) s"
if cmp -s /tmp/gen.rules /tmp/s1.rules; then sub ok save-equals-restored; else
	sub "not ok" save-equals-restored; diff /tmp/gen.rules /tmp/s1.rules | head; fi

step "flush, restore the save: the same table"
"$A" -C || fail "flush"
[[ $("$A" -Sn | wc -l) == 0 ]] || fail "flush left services"
"$A" -R </tmp/s1.rules || fail "restore of the save"
"$A" -Sn >/tmp/s2.rules
if cmp -s /tmp/s1.rules /tmp/s2.rules; then sub ok round-trip; else
	sub "not ok" round-trip; diff /tmp/s1.rules /tmp/s2.rules | head; fi
"$A" -L --timeout >/tmp/t1

# A restore of every kind of change; line 5000 is BAD. Comments, blank
# lines and a leading "ipvsadm" are allowed as in ipvsadm-save files.
changes() { # BAD: print the file
	awk -v bad="$1" 'BEGIN {
		n = 0
		out("# a saved file, edited")
		out("")
		out("--set 111 22 33")
		for (i = 0; n < 6000; i++) {
			svc = sprintf("-t 10.1.%d.%d:80", int(i / 256), i % 256)
			k = i % 6
			if (k == 0) out("-D " svc)
			else if (k == 1) out("ipvsadm -E " svc " -s rr -p 60")
			else if (k == 2) out("-e " svc " -r 10.3." i % 100 ".3:80 -i -w 0")
			else if (k == 3) out("-d " svc " -r 10.3." i % 100 ".4:80")
			else if (k == 4) out("-a " svc " -r 10.4." i % 100 ".1 -i -w 7")
			else { out("-A -u 10.5." int(i / 256) "." i % 256 ":53 -s wrr")
				out("-a -u 10.5." int(i / 256) "." i % 256 ":53 -r 10.3.0.1 -i") }
		}
	}
	function out(l) { print l; if (++n == 4999) { print bad; n++ } }'
}
for case in kernel parse; do
	if [[ $case == kernel ]]; then
		bad="-a -t 10.250.0.1:80 -r 10.3.0.1 -i" # no such service
		want_rc=1
	else
		bad="-A -t 10.250.0.1:99999 -s rr" # no such port
		want_rc=2
	fi
	changes "$bad" >/tmp/bad.rules
	[[ $(sed -n 5000p /tmp/bad.rules) == "$bad" ]] || fail "line 5000 is not the bad one"
	rc=0
	"$A" -R </tmp/bad.rules 2>/tmp/err || rc=$?
	cat /tmp/err
	if ((rc == want_rc)) && grep -q "line 5000:" /tmp/err; then sub ok "bad-line-5000-$case-reported"; else
		sub "not ok" "bad-line-5000-$case-reported"; fi
	"$A" -Sn >/tmp/s3.rules
	"$A" -L --timeout >/tmp/t2
	if cmp -s /tmp/s2.rules /tmp/s3.rules && cmp -s /tmp/t1 /tmp/t2; then
		sub ok "bad-line-5000-$case-changes-nothing"
	else
		sub "not ok" "bad-line-5000-$case-changes-nothing"
		diff /tmp/s2.rules /tmp/s3.rules | head
		diff /tmp/t1 /tmp/t2
	fi
done

step "the same file without the bad line applies"
grep -vxF -- "-A -t 10.250.0.1:99999 -s rr" /tmp/bad.rules >/tmp/good.rules
"$A" -R </tmp/good.rules || fail "restore of the good changes"
grep -q "111 22 33" <<<"$("$A" -L --timeout)" || fail "--set in the restore not applied"
grep -q "rr persistent 60" <<<"$("$A" -Ln -t 10.1.0.1:80)" || fail "-E in the restore not applied"
"$A" -Ln -t 10.1.0.0:80 2>/dev/null && fail "-D in the restore not applied"
"$A" -C
echo PASS
