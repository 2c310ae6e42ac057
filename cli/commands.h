/* SPDX-License-Identifier: Apache-2.0 */
/*
 * commands.h - the pathward subcommands.  Each takes the arguments after
 * its own name (argv[0] is the subcommand name) and returns the process
 * exit status: 0 success, 1 operational failure, 2 usage error.  Only cli/
 * prints messages; every message goes to stderr prefixed "pathward: ".
 */
#ifndef PATHWARD_CLI_COMMANDS_H
#define PATHWARD_CLI_COMMANDS_H

#define EXIT_USAGE 2

int cmd_run(int argc, char **argv);     /* cli/run.c     */
int cmd_resolve(int argc, char **argv); /* cli/resolve.c */
int cmd_doctor(int argc, char **argv);  /* cli/doctor.c  */

/* "ENOENT", "ELOOP", ... for an errno value (positive); "E?" if unknown. */
const char *cli_errno_name(int err);    /* cli/errnames.c */

#endif
