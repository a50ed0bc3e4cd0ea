# Per-namespace state: every namespace answers for itself and gets its own
# hooks with its first service; namespaces come and go while the module is
# loaded, and unloading with namespaces alive removes their hooks too.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
N=20
cleanup() {
	for i in $(seq $N); do ip netns del "sl$i" 2>/dev/null || true; done
	ip netns del early 2>/dev/null || true
	rmmod sluice 2>/dev/null || true
}
trap cleanup EXIT

step "a namespace created before load: no hooks until its first service"
ip netns add early
sluice_load
expect_no_hooks early
ip netns exec early "$PROBE" info >/dev/null || fail "GET_INFO in netns early"
# No service yet, so no connection table either: the dump is empty.
n=$(ip netns exec early "$SLUICEADM" -L -n -c | wc -l) || fail "-Lnc in netns early"
((n == 2)) || fail "-Lnc before the first service: $n lines, want the 2 header lines"
ip netns exec early "$SLUICEADM" -A -t 10.99.9.9:80 || fail "service in netns early"
expect_hooks early
expect_no_hooks

step "create $N namespaces while loaded"
declare -A seen
for i in $(seq $N); do
	ip netns add "sl$i"
	expect_no_hooks "sl$i"
	ip netns exec "sl$i" "$SLUICEADM" -A -u 10.99.9.9:53 || fail "service in netns sl$i"
	expect_hooks "sl$i"
	c=$(ip netns exec "sl$i" "$PROBE" info | sed -n 's/^netns_cookie=//p')
	[[ -n $c && -z ${seen[$c]:-} ]] || fail "netns sl$i: cookie '$c' not unique"
	seen[$c]=1
done

step "delete half of them, create them again"
for i in $(seq 1 2 $N); do ip netns del "sl$i"; done
for i in $(seq 1 2 $N); do
	ip netns add "sl$i"
	ip netns exec "sl$i" "$SLUICEADM" -A -u 10.99.9.9:53 || fail "service in netns sl$i again"
	expect_hooks "sl$i"
done

step "unload with namespaces alive"
sluice_unload
expect_no_hooks early
for i in $(seq $N); do expect_no_hooks "sl$i"; done
ip netns exec sl1 "$PROBE" absent || fail "family visible after unload"
echo PASS
