# Harness self-test (not run as a normal test): never finishes.
sleep 100000
