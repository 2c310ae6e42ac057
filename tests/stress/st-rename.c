/* SPDX-License-Identifier: Apache-2.0 */
/*
 * st-rename - the resolver's rename race through the wrappers (the
 * kernel's openat2 rename_attack selftest, and runc CVE-2019-19921's
 * shape).  Under BASE: root/ (the root prefix), root/c/, root/secret
 * ("inside"), b/ outside the root and BASE/secret ("OUTSIDE!").  An
 * attacker thread swaps root/c and b with renameat2(RENAME_EXCHANGE)
 * without pause, while the main thread opens, stats and realpaths
 * BASE/root/c/d/d/.../../../secret (DEPTH "d" below c, DEPTH + 1 "..").
 * Inside the root that is root/secret whatever c is; a host lookup that
 * is below c when c moves out climbs to BASE and reads BASE/secret (the
 * depth widens the window so the control run wins the race).
 *
 *   st-rename BASE [ITERATIONS]        expect zero escapes (with the shim)
 *   st-rename --control BASE [MAX]     the attack must work without the
 *                                      shim: succeed once an escape is seen
 * Prints the counts (inside, escapes, failures by errno).
 */
#include <limits.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "stress.h"

#define DEPTH 16

static int basefd;
static volatile int stop;
static long swaps;

static void *attacker(void *arg)
{
	while (!stop) {
		if (syscall(SYS_renameat2, basefd, "root/c", basefd, "b", RENAME_EXCHANGE) == 0)
			swaps++;
	}
	return arg;
}

static void setup(const char *base)
{
	char p[PATH_MAX];
	basefd = open(base, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (basefd < 0) {
		perror(base);
		exit(2);
	}
	mkdirat(basefd, "root", 0755);
	for (int k = 0; k < 2; k++) {
		char d[PATH_MAX] = "";
		snprintf(d, sizeof(d), k ? "b" : "root/c");
		mkdirat(basefd, d, 0755);
		for (int i = 0; i < DEPTH; i++) {
			strcat(d, "/d");
			mkdirat(basefd, d, 0755);
		}
	}
	static const struct { const char *name, *text; } files[] = {
		{ "root/secret", "inside\n" }, { "secret", "OUTSIDE!\n" } };
	for (int i = 0; i < 2; i++) {
		int fd = openat(basefd, files[i].name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0 || write(fd, files[i].text, strlen(files[i].text)) < 0) {
			snprintf(p, sizeof(p), "%s/%s", base, files[i].name);
			perror(p);
			exit(2);
		}
		close(fd);
	}
}

int main(int argc, char **argv)
{
	bool control = argc > 1 && !strcmp(argv[1], "--control");
	if (argc < 2 + control) {
		fprintf(stderr, "usage: st-rename [--control] BASE [N]\n");
		return 2;
	}
	const char *base = argv[1 + control];
	long n = argc > 2 + control ? atol(argv[2 + control]) : (control ? 2000000 : stress_iters(20000));
	setup(base);

	char path[PATH_MAX], want_real[PATH_MAX], buf[64], *rp;
	size_t pl = (size_t)snprintf(path, sizeof(path), "%s/root/c", base);
	for (int k = 0; k < DEPTH; k++)
		pl += (size_t)snprintf(path + pl, sizeof(path) - pl, "/d");
	for (int k = 0; k <= DEPTH; k++)
		pl += (size_t)snprintf(path + pl, sizeof(path) - pl, "/..");
	snprintf(path + pl, sizeof(path) - pl, "/secret");
	snprintf(want_real, sizeof(want_real), "%s/root/secret", base);
	long inside = 0, escapes = 0, errs[256] = { 0 }, i;
	pthread_t th;
	pthread_create(&th, NULL, attacker, NULL);
	for (i = 0; i < n && !(control && escapes); i++) {
		ssize_t r = stress_read(path, buf, sizeof(buf));
		if (r < 0)
			errs[-r < 256 ? -r : 0]++;
		else if (!strcmp(buf, "inside\n"))
			inside++;
		else
			escapes++;
		struct stat st;
		if (stat(path, &st) == 0 && st.st_size != 7)
			escapes++;
		if (i % 8 == 0 && (rp = realpath(path, NULL))) {
			if (strcmp(rp, want_real))
				escapes++;
			free(rp);
		}
	}
	stop = 1;
	pthread_join(th, NULL);
	printf("st-rename%s: %ld iterations, %ld swaps, %ld inside, %ld escapes", control ? " (control)" : "", i,
	       swaps, inside, escapes);
	for (int e = 0; e < 256; e++)
		if (errs[e])
			printf(", %ld %s", errs[e], e ? strerror(e) : "other errors");
	printf("\n");
	if (control) {
		if (!escapes)
			stress_fail("control: the rename attack never escaped without the shim; the test proves nothing");
		return stress_done("st-rename control: the attack works without the shim");
	}
	if (escapes)
		stress_fail("%ld escapes out of the root", escapes);
	return stress_done("st-rename: zero escapes");
}
