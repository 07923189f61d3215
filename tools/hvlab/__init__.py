"""hvlab's Python helpers shared by the tools and the grader: QEMU and GDB command lines."""
