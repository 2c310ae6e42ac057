# shim.mk - link details of build/pathward-preload.so (issue 4).
#
# The shim calls dlsym pinned to dlsym@GLIBC_2.2.5 (shim/real.c) so it loads
# on glibc < 2.34.  There dlsym lives in libdl.so.2, which must then be
# NEEDED even though on 2.34+ the linker sees nothing used from it and
# --as-needed would drop it (and -ldl alone finds the empty libdl.a on 2.34+).
$(SHIM): PW_LDFLAGS += -Wl,--no-as-needed -l:libdl.so.2
