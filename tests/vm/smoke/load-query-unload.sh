# Load the module, query it over generic netlink, unload it: the family
# exists exactly while it is loaded, the netfilter hooks exactly while a
# service exists.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"

step "before load: no family, no hooks"
"$PROBE" absent || fail "family exists before load"
expect_no_hooks

step "load"
sluice_load
"$PROBE" info | tee /tmp/info
grep -qx "version=$(cat "$SLUICE_ROOT/VERSION")" /tmp/info || fail "wrong version"
grep -qx "kernel=$(uname -r)" /tmp/info || fail "built for another kernel"
grep -q 'Name: sluice' <<<"$(genl ctrl list)" || fail "genl ctrl list does not show sluice"
"$SLUICEADM" -v | tee /tmp/v
grep -q "kernel module sluice v$(cat "$SLUICE_ROOT/VERSION")" /tmp/v || fail "sluiceadm -v"

step "no service, no hooks; the first service brings IPv4 and IPv6 PRE_ROUTING hooks, before defrag and conntrack"
expect_no_hooks
"$SLUICEADM" -A -t 10.99.9.9:80 || fail "add a service"
sluice_hooks
expect_hooks
"$SLUICEADM" -A -u 10.99.9.9:53 || fail "add a second service"
expect_hooks
if can_list_hooks; then
	prio=$(nft list hooks ip | awk '/sluice_hook_v4/ { print $1 + 0 }')
	((prio < -400)) || fail "IPv4 hook priority $prio is not before defrag (-400)"
fi

step "traffic still flows with the hooks in place"
ip link set lo up
ping -c 2 -W 2 127.0.0.1 >/dev/null || fail "IPv4 loopback ping"
ping -6 -c 2 -W 2 ::1 >/dev/null || fail "IPv6 loopback ping"

step "the last service gone: the hooks go"
"$SLUICEADM" -D -t 10.99.9.9:80 || fail "delete a service"
expect_hooks
"$SLUICEADM" -D -u 10.99.9.9:53 || fail "delete the last service"
expect_no_hooks
"$SLUICEADM" -A -t 10.99.9.9:80 || fail "add a service again"
expect_hooks
"$SLUICEADM" -C || fail "flush"
expect_no_hooks
"$SLUICEADM" -A -t 10.99.9.9:80 || fail "add a service for the unload"

step "unload with a service"
sluice_unload
"$PROBE" absent || fail "family still registered after unload"
expect_no_hooks
if "$SLUICEADM" -v 2>/tmp/err; then fail "sluiceadm -v succeeded without module"; fi
grep -q "module is not loaded" /tmp/err || fail "sluiceadm error: $(cat /tmp/err)"
echo PASS
