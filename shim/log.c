/* SPDX-License-Identifier: Apache-2.0 */
/*
 * log.c - one line per event, written with a single write(2)/send(2) so it
 * is safe in signal handlers and vfork children and never interleaves
 * inside a line.  No stdio, no syslog(3) (it takes a lock), no descriptor
 * kept between lines.
 *
 * Line format (the launcher's audit parser relies on it; also in
 * /tmp/shim-log-format.md):
 *
 *   enforce, refused (DESIGN §2, exactly):
 *     pathward: blocked CALL("PATH"): REASON
 *   audit mode, every PROC/ROOT call, then the real function is called:
 *     pathward: audit CALL("PATH"): pid=PID class=proc|root decision=rerouted|would-block reason=REASON
 *   policy diagnostics, once at start:
 *     pathward: policy: TEXT
 *
 * CALL is the libc name called (open, openat64, fopen, __xstat, ...).
 * PATH is the absolute path classified (a dirfd/cwd-relative path is shown
 * joined to its directory), with '"', '\\' and bytes outside 0x20-0x7e
 * escaped as \" \\ \xHH, cut at 768 bytes with "..." before the quote.
 * REASON is last and may hold spaces: "overmounted (EXDEV)", "magic link
 * (ELOOP)", "not procfs (EXDEV)", "'..' leaving /proc or crossing a mount
 * (EXDEV)", "magic link in root (EXDEV)", "verified" (rerouted), "mask"
 * (rerouted through a recognised runtime mask), "write through a mask
 * (EROFS)" (a write into a /dev/null mask: refused, where natively it
 * would have been swallowed).  A write through a read-only mask gets the
 * EROFS it gets natively, unlogged.
 *
 * Destinations (PATHWARD_LOG): stderr = fd 2; syslog = one datagram to
 * /dev/log as "<PRI>pathward[PID]: LINE-WITHOUT-PREFIX" (PRI user.warning
 * for blocked, user.notice for audit/policy); FILE = open O_APPEND|O_CREAT
 * (0600) per line, write, close.
 */
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "fd.h"
#include "shim.h"
#include "sys.h"

#define LINE_MAX_BYTES 1024
#define PATH_SHOWN 768

struct line {
	char b[LINE_MAX_BYTES];
	size_t n;
};

static void put(struct line *l, const char *s)
{
	while (*s && l->n < sizeof(l->b) - 1)
		l->b[l->n++] = *s++;
}

static void put_num(struct line *l, long v)
{
	char t[24];
	int i = 0;
	if (v < 0) {
		put(l, "-");
		v = -v;
	}
	do
		t[i++] = (char)('0' + v % 10);
	while ((v /= 10) && i < (int)sizeof(t));
	while (i-- > 0 && l->n < sizeof(l->b) - 1)
		l->b[l->n++] = t[i];
}

static void put_path(struct line *l, const char *p)
{
	static const char hex[] = "0123456789abcdef";
	size_t shown = 0;
	put(l, "\"");
	for (; p && *p; p++, shown++) {
		unsigned char ch = (unsigned char)*p;
		char e[5] = { 0 };
		if (shown >= PATH_SHOWN) {
			put(l, "...");
			break;
		}
		if (ch == '"' || ch == '\\') {
			e[0] = '\\';
			e[1] = (char)ch;
		} else if (ch < 0x20 || ch > 0x7e) {
			e[0] = '\\';
			e[1] = 'x';
			e[2] = hex[ch >> 4];
			e[3] = hex[ch & 15];
		} else
			e[0] = (char)ch;
		put(l, e);
	}
	put(l, "\"");
}

static void emit_syslog(const struct line *l, int pri)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = "/dev/log" };
	struct line m = { .n = 0 };
	_cleanup_close_ int fd = sys_socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || sys_connect(fd, &sa, sizeof(sa)) < 0)
		return;
	put(&m, "<");
	put_num(&m, pri);
	put(&m, ">pathward[");
	put_num(&m, sys_getpid());
	put(&m, "]: ");
	put(&m, l->b + strlen("pathward: "));
	(void)sys_send(fd, m.b, m.n > 0 && m.b[m.n - 1] == '\n' ? m.n - 1 : m.n);
}

/* Deliver a finished line (it ends with '\n'); errno is left untouched. */
static void emit(struct line *l, int pri)
{
	int saved = errno;
	if (l->n == sizeof(l->b) - 1)
		l->b[l->n - 1] = '\n';
	if (shim_policy.log == POLICY_LOG_SYSLOG) {
		emit_syslog(l, pri);
	} else if (shim_policy.log == POLICY_LOG_FILE) {
		_cleanup_close_ int fd =
			sys_openat(AT_FDCWD, shim_policy.log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
		if (fd >= 0)
			(void)sys_write(fd, l->b, l->n);
	} else {
		(void)sys_write(2, l->b, l->n);
	}
	errno = saved;
}

void shim_log_blocked(const char *call, const char *path, const char *why)
{
	struct line l = { .n = 0 };
	put(&l, "pathward: blocked ");
	put(&l, call);
	put(&l, "(");
	put_path(&l, path);
	put(&l, "): ");
	put(&l, why);
	put(&l, "\n");
	emit(&l, 8 + 4);
}

void shim_log_audit(const char *call, const char *path, enum classify_class cls, const char *decision,
                    const char *why)
{
	struct line l = { .n = 0 };
	put(&l, "pathward: audit ");
	put(&l, call);
	put(&l, "(");
	put_path(&l, path);
	put(&l, "): pid=");
	put_num(&l, sys_getpid());
	put(&l, " class=");
	put(&l, classify_name(cls));
	put(&l, " decision=");
	put(&l, decision);
	put(&l, " reason=");
	put(&l, why);
	put(&l, "\n");
	emit(&l, 8 + 5);
}

void shim_log_note(const char *text)
{
	struct line l = { .n = 0 };
	put(&l, "pathward: policy: ");
	put(&l, text);
	put(&l, "\n");
	emit(&l, 8 + 5);
}
