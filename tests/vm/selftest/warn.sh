# Harness self-test (not run as a normal test): a kernel WARN-class report
# without a crash (a taint with a stack dump via sysrq's "show backtrace"
# is not one; the kernel log line below is what the scanners look for).
echo "<4>WARNING: CPU: 0 PID: 1 at harness/selftest.c:1 selftest+0x0/0x0" >/dev/kmsg
exit 0
