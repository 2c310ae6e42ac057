/* SPDX-License-Identifier: Apache-2.0 */
/* errnames.c - symbolic errno names for messages a person reads and a
 * script matches ("pathward: resolve: ELOOP: Too many levels of symbolic links"). */
#include <errno.h>

#include "commands.h"

const char *cli_errno_name(int err)
{
	switch (err) {
#define E(x) case x: return #x
	E(EPERM); E(ENOENT); E(ESRCH); E(EINTR); E(EIO); E(ENXIO); E(E2BIG); E(ENOEXEC);
	E(EBADF); E(ECHILD); E(EAGAIN); E(ENOMEM); E(EACCES); E(EFAULT); E(EBUSY);
	E(EEXIST); E(EXDEV); E(ENODEV); E(ENOTDIR); E(EISDIR); E(EINVAL); E(ENFILE);
	E(EMFILE); E(ENOTTY); E(ETXTBSY); E(EFBIG); E(ENOSPC); E(ESPIPE); E(EROFS);
	E(EMLINK); E(EPIPE); E(ERANGE); E(ENAMETOOLONG); E(ENOSYS); E(ENOTEMPTY);
	E(ELOOP); E(EOPNOTSUPP); E(ENODATA); E(EOVERFLOW); E(EILSEQ); E(ESTALE);
#undef E
	}
	return "E?";
}
