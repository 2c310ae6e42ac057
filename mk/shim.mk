# shim.mk - link details of build/pathward-preload.so (issue 4).
#
# The shim calls dlsym pinned to dlsym@GLIBC_2.2.5 (shim/real.c).  The
# Makefile's plain -ldl decides where that version is bound:
#   - glibc < 2.34: libdl.so.2 defines it, so -ldl binds it there and keeps
#     libdl.so.2 NEEDED (it is used); the shim then runs on 2.17+.
#   - glibc 2.34+: -ldl finds only the empty libdl.a, and the reference is
#     bound to libc.so.6's compat dlsym@GLIBC_2.2.5 (the verneed names
#     libc.so.6).  Such a shim needs 2.34+ at run time whatever else is
#     loaded: an older ld.so refuses a version reference whose named file
#     lacks the symbol ("symbol dlsym, version GLIBC_2.2.5 not defined in
#     file libc.so.6 with link time reference"), even with libdl.so.2 loaded
#     after libc.  Forcing libdl.so.2 NEEDED there (as this file used to)
#     bought no compatibility and cost every process a library load
#     (about 55 us of /bin/true's start-up here).
