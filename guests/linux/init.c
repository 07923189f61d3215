/*
 * init.c - PID 1 of the hvlab Linux guest (the /init of its built-in initramfs).
 *
 * Built by guests/linux/build.py as a static riscv64 binary. It mounts /proc, /sys and /dev
 * (devtmpfs), prints what the guest kernel sees, then either powers the machine off or gives
 * the console to busybox's shell.
 *
 * What it prints on the console, line by line (a grader reads these: keep them exact):
 *
 *   hvlab-init: started
 *   hvlab-init: instret <n>                              instructions the hart had retired
 *                                                        when init began (rdinstret; exact
 *                                                        under QEMU -icount: make bench)
 *   hvlab-init: check begin
 *   hvlab-init: uname <sysname> <release> <machine>      e.g. "uname Linux 6.1.192 riscv64"
 *   hvlab-init: cpus <n>                                 "processor" lines in /proc/cpuinfo
 *   hvlab-init: memtotal_kb <n>                          MemTotal of /proc/meminfo, in kB
 *   hvlab-init: timer_irqs <n>                           timer interrupts so far, summed
 *                                                        over CPUs (/proc/interrupts)
 *   hvlab-init: check done
 *
 * and then, when the kernel command line has the word hvlab.init=poweroff,
 *
 *   hvlab-init: poweroff                                 then reboot(RB_POWER_OFF)
 *
 * otherwise
 *
 *   hvlab-init: shell on /dev/<tty>                      busybox ash, prompt "hvlab:<cwd># "
 *   hvlab-init: shell exited (status <n>), restarting    each time it exits; a new one starts
 *
 * A value that cannot be found prints as "unknown" (e.g. "hvlab-init: cpus unknown");
 * anything that goes wrong prints "hvlab-init: error <what>: <reason>" and init carries on.
 * The busybox commands halt/poweroff/reboot (without -f) signal PID 1 as they would busybox's
 * init: SIGUSR1 halts, SIGUSR2 powers off, SIGTERM reboots; each prints
 * "hvlab-init: halt|poweroff|reboot" first.
 *
 * Run as "/init check" (or as /bin/hvlab-check) from the shell, it prints only the check
 * lines, from "check begin" to "check done", and exits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define SHELL "/bin/sh"
#define PROMPT "hvlab:\\w# "

/* One line on stdout, written at once (no stdio buffering: output must never be lost or
 * interleaved with a child's). */
static void say(const char *fmt, ...)
{
	char line[512];
	int n = snprintf(line, sizeof(line), "hvlab-init: ");
	va_list ap;

	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	for (int off = 0; off < n;) {
		ssize_t w = write(STDOUT_FILENO, line + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		off += w;
	}
}

/* Read a whole (small) file into buf, NUL-terminated. Returns the length, or -1. */
static ssize_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;

	if (fd < 0)
		return -1;
	while (len < size - 1) {
		ssize_t r = read(fd, buf + len, size - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += r;
	}
	close(fd);
	buf[len] = '\0';
	return len;
}

static void mount_one(const char *source, const char *target, const char *type,
		      unsigned long flags)
{
	mkdir(target, 0755);
	if (mount(source, target, type, flags, NULL) < 0 && errno != EBUSY)
		say("error mount %s on %s: %s", type, target, strerror(errno));
}

/* The check: what the kernel says about itself, the CPUs and the memory it was given. */
static void check(void)
{
	static char buf[64 * 1024];
	struct utsname u;

	say("check begin");

	if (uname(&u) == 0)
		say("uname %s %s %s", u.sysname, u.release, u.machine);
	else
		say("uname unknown");

	if (read_file("/proc/cpuinfo", buf, sizeof(buf)) >= 0) {
		int cpus = 0;
		char *line = buf;
		while (*line) {
			if (strncmp(line, "processor", 9) == 0 && line[9] && strchr(" \t:", line[9]))
				cpus++;
			char *next = strchr(line, '\n');
			if (!next)
				break;
			line = next + 1;
		}
		say("cpus %d", cpus);
	} else {
		say("cpus unknown");
	}

	char *mem = read_file("/proc/meminfo", buf, sizeof(buf)) >= 0 ? strstr(buf, "MemTotal:") : NULL;
	if (mem)
		say("memtotal_kb %lu", strtoul(mem + strlen("MemTotal:"), NULL, 10));
	else
		say("memtotal_kb unknown");

	/* The "riscv-timer" line of /proc/interrupts: "  5:  <count per CPU> ... riscv-timer". */
	char *timer = read_file("/proc/interrupts", buf, sizeof(buf)) >= 0 ? strstr(buf, "riscv-timer") : NULL;
	if (timer) {
		char *start = timer;
		unsigned long total = 0;

		while (start > buf && start[-1] != '\n')
			start--;
		start = strchr(start, ':');
		for (char *p = start ? start + 1 : timer; p < timer;) {
			char *end;
			unsigned long n = strtoul(p, &end, 10);

			if (end == p)
				break;
			total += n;
			p = end;
		}
		say("timer_irqs %lu", total);
	} else {
		say("timer_irqs unknown");
	}

	say("check done");
}

/* Is word (e.g. "hvlab.init=poweroff") one of the words of the kernel command line? */
static int cmdline_has(const char *word)
{
	char buf[4096];
	size_t len = strlen(word);

	if (read_file("/proc/cmdline", buf, sizeof(buf)) < 0)
		return 0;
	for (char *p = buf; (p = strstr(p, word)) != NULL; p += len) {
		int starts = p == buf || p[-1] == ' ' || p[-1] == '\t';
		int ends = p[len] == '\0' || p[len] == ' ' || p[len] == '\t' || p[len] == '\n';
		if (starts && ends)
			return 1;
	}
	return 0;
}

static void power(int how, const char *name)
{
	say("%s", name);
	sync();
	reboot(how);
	say("error reboot(%s): %s", name, strerror(errno));
	for (;;)
		pause();
}

/* halt/poweroff/reboot from the shell signal PID 1 (as they would busybox's init). */
static void act_on_signal(int sig)
{
	if (sig == SIGUSR1)
		power(RB_HALT_SYSTEM, "halt");
	else if (sig == SIGUSR2)
		power(RB_POWER_OFF, "poweroff");
	else if (sig == SIGTERM)
		power(RB_AUTOBOOT, "reboot");
}

/* The terminal behind /dev/console: the last name in /sys/class/tty/console/active (the one
 * console= named last, else the device tree's stdout-path). A shell there can have it as its
 * controlling terminal, so job control and ^C work; /dev/console itself cannot. */
static void console_tty(char *path, size_t size)
{
	char buf[256];
	char *name = NULL;

	snprintf(path, size, "/dev/console");
	if (read_file("/sys/class/tty/console/active", buf, sizeof(buf)) <= 0)
		return;
	for (char *tok = strtok(buf, " \t\n"); tok; tok = strtok(NULL, " \t\n"))
		name = tok;
	if (name)
		snprintf(path, size, "/dev/%s", name);
}

static pid_t start_shell(const char *tty)
{
	pid_t pid = fork();

	if (pid < 0) {
		say("error fork: %s", strerror(errno));
		return -1;
	}
	if (pid > 0)
		return pid;

	/* the child: a new session with the console as its controlling terminal */
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	setsid();
	int fd = open(tty, O_RDWR);
	if (fd < 0) {
		say("error open %s: %s", tty, strerror(errno));
		fd = open("/dev/console", O_RDWR);
	}
	if (fd >= 0) {
		ioctl(fd, TIOCSCTTY, 0);
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	chdir("/");
	char *argv[] = { "-sh", NULL };
	char *envp[] = { "HOME=/", "PATH=/bin:/sbin:/usr/bin:/usr/sbin", "TERM=vt100",
			 "SHELL=" SHELL, "USER=root", "PS1=" PROMPT, NULL };
	execve(SHELL, argv, envp);
	say("error exec %s: %s", SHELL, strerror(errno));
	_exit(127);
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];

	if ((argc > 1 && strcmp(argv[1], "check") == 0) || strcmp(base, "hvlab-check") == 0) {
		check();
		return 0;
	}
	if (getpid() != 1) {
		fprintf(stderr, "usage: %s check   (as PID 1 it is the guest's init)\n", argv[0]);
		return 2;
	}

	/* The kernel opens /dev/console as fds 0-2 when the initramfs has it (hvlab's does); if
	 * it could not, open it once devtmpfs is there. */
	int have_dev = 0;
	if (fcntl(STDOUT_FILENO, F_GETFD) < 0) {
		have_dev = mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, NULL) == 0;
		int fd = open("/dev/console", O_RDWR | O_NOCTTY);
		if (fd >= 0) {
			dup2(fd, STDIN_FILENO);
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			if (fd > STDERR_FILENO)
				close(fd);
		}
	}
	say("started");
	{
		/* Firmware, hypervisor and kernel all count: the cost of getting here. */
		unsigned long instret;

		__asm__ volatile("rdinstret %0" : "=r"(instret));
		say("instret %lu", instret);
	}
	mount_one("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC);
	mount_one("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC);
	if (!have_dev)
		mount_one("devtmpfs", "/dev", "devtmpfs", MS_NOSUID);
	sethostname("hvlab", 5);
	mkdir("/tmp", 01777);
	mkdir("/root", 0700);

	/* The signals init acts on are blocked and taken with sigwaitinfo() (no handler, no
	 * race); the ones it must not die of are ignored. */
	sigset_t waited;
	sigemptyset(&waited);
	sigaddset(&waited, SIGCHLD);
	sigaddset(&waited, SIGUSR1);
	sigaddset(&waited, SIGUSR2);
	sigaddset(&waited, SIGTERM);
	sigprocmask(SIG_BLOCK, &waited, NULL);
	signal(SIGINT, SIG_IGN); /* ctrl-alt-del */
	signal(SIGHUP, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);

	check();

	if (cmdline_has("hvlab.init=poweroff"))
		power(RB_POWER_OFF, "poweroff");

	char tty[64];
	console_tty(tty, sizeof(tty));
	for (;;) {
		say("shell on %s", tty);
		pid_t shell = start_shell(tty);
		int status = 0;
		/* reap everything (orphans are re-parented to PID 1) until the shell itself exits */
		while (shell > 0) {
			int sig = sigwaitinfo(&waited, NULL);
			if (sig != SIGCHLD) {
				act_on_signal(sig);
				continue;
			}
			int st;
			pid_t pid;
			while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
				if (pid == shell) {
					status = st;
					shell = 0;
				}
		}
		say("shell exited (status %d), restarting",
		    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		sleep(1);
	}
}
