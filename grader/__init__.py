"""hvlab's grader: boots the hypervisor under test in QEMU and scores each lab."""
