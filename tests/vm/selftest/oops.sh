# Harness self-test (not run as a normal test): crash the guest kernel.
echo c >/proc/sysrq-trigger
