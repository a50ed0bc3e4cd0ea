# 20 load/unload cycles, with namespaces made and destroyed in between,
# leave nothing behind: no module, no family, no hooks, no leaked
# namespaces or memory growth beyond noise.
. "$SLUICE_ROOT/tests/vm/guest-lib.sh"
trap 'ip netns del cyc 2>/dev/null || true; rmmod sluice 2>/dev/null || true' EXIT
slab() { awk '/^Slab:/ { print $2 }' /proc/meminfo; }

# Warm up once so first-use allocations do not count as growth.
sluice_load
ip netns add cyc && ip netns del cyc
sluice_unload
sync; echo 3 >/proc/sys/vm/drop_caches
before=$(slab)

for i in $(seq 20); do
	sluice_load
	"$PROBE" info >/dev/null || fail "cycle $i: GET_INFO"
	ip netns add cyc
	ip netns exec cyc "$SLUICEADM" -A -t 10.99.9.9:80 || fail "cycle $i: service in netns"
	expect_hooks cyc
	ip netns exec cyc "$PROBE" info >/dev/null || fail "cycle $i: GET_INFO in netns"
	ip netns del cyc
	sluice_unload
	"$PROBE" absent || fail "cycle $i: family left after unload"
done
expect_no_hooks
grep -q '^sluice ' /proc/modules && fail "module listed"
sync; echo 3 >/proc/sys/vm/drop_caches
sleep 1
after=$(slab)
echo "slab before ${before} kB, after ${after} kB"
# A leak of even one small object per cycle and namespace shows as steady
# growth; allow 2 MB of allocator noise.
((after - before < 2048)) || fail "slab grew by $((after - before)) kB over 20 cycles"
echo PASS
