/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c - `pathward CMD ...`: pick the subcommand and hand it the rest.
 *
 * Exit status everywhere: 0 success, 1 operational failure, 2 usage error
 * (commands.h).  `run` is the exception on success: it execs, so the
 * program's own status is pathward's.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "pathward.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "run", cmd_run, "run a program with the pathward shim preloaded" },
	{ "resolve", cmd_resolve, "print a path resolved inside a root" },
	{ "doctor", cmd_doctor, "report what this kernel and /proc give" },
};

static void usage(FILE *f)
{
	fputs("Usage: pathward COMMAND [OPTION]... [ARG]...\n"
	      "       pathward --help | --version | help COMMAND\n\n"
	      "Safe access to /proc and to paths inside container roots.\n\n"
	      "Commands:\n",
	      f);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s  %s\n", commands[i].name, commands[i].summary);
	fputs("\nSee pathward(1) and pathward(7).\n", f);
}

static const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* `pathward help CMD` is `pathward CMD --help`, so each command owns its text. */
static int help(int argc, char **argv)
{
	if (argc < 2) {
		usage(stdout);
		return 0;
	}
	const struct command *c = command_find(argv[1]);
	if (!c || argc > 2) {
		fprintf(stderr, "pathward: help: %s '%s'\n", c ? "unexpected argument" : "unknown command",
		        c ? argv[2] : argv[1]);
		return EXIT_USAGE;
	}
	char *hargv[] = { argv[1], "--help", NULL };
	return c->fn(2, hargv);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *arg = argv[1];
	if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(arg, "--version") == 0) {
		puts("pathward " PATHWARD_VERSION);
		return 0;
	}
	if (strcmp(arg, "help") == 0)
		return help(argc - 1, argv + 1);

	const struct command *c = command_find(arg);
	if (!c) {
		fprintf(stderr, "pathward: unknown command '%s' (try 'pathward --help')\n", arg);
		return EXIT_USAGE;
	}
	return c->fn(argc - 1, argv + 1);
}
