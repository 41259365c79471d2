/* SPDX-License-Identifier: LGPL-2.1-or-later */

/*
 * Acting as the caller. Credentials are per thread in the kernel, but glibc's
 * setgroups() broadcasts to every thread of the process (so does setfsuid on
 * some versions); the raw syscalls below change only the worker thread that
 * serves the request, so libfuse's multi-threaded loop stays correct. A switch
 * from fsuid 0 to another drops the file system capabilities
 * (CAP_DAC_OVERRIDE, CAP_CHOWN, CAP_FOWNER...) from the effective set, which
 * is what makes root's squashed requests fail; the switch back restores them.
 */

#include "squash.h"

#include <sys/syscall.h>
#include <unistd.h>

#define MAX_GROUPS 256

uid_t anon_uid = 65534;
gid_t anon_gid = 65534;

int as_caller(void)
{
    struct fuse_context *ctx = fuse_get_context();
    gid_t groups[MAX_GROUPS];
    int ngroups = 0;
    uid_t uid = ctx->uid;
    gid_t gid = ctx->gid;

    if (uid == 0) {
        /* root_squash: root is nobody, and nobody belongs to no group */
        uid = anon_uid;
        gid = anon_gid;
    } else {
        /* reads /proc/<tid>/status; a caller gone already keeps no groups,
         * which can only refuse more, never grant more */
        ngroups = fuse_getgroups(MAX_GROUPS, groups);
        if (ngroups < 0 || ngroups > MAX_GROUPS)
            ngroups = 0;
        for (int i = 0; i < ngroups; i++)
            if (groups[i] == 0)
                groups[i] = anon_gid;
        if (gid == 0)
            gid = anon_gid;
    }
    /* CAP_SETUID and CAP_SETGID are no file system capabilities: they stay
     * through the switch, so as_root() can switch back */
    if (syscall(SYS_setgroups, ngroups, groups) != 0)
        return -EPERM;
    syscall(SYS_setfsgid, gid);
    syscall(SYS_setfsuid, uid);
    /* setfs[ug]id report the previous id, not failure: read them back */
    if ((uid_t)syscall(SYS_setfsuid, -1) != uid || (gid_t)syscall(SYS_setfsgid, -1) != gid) {
        syscall(SYS_setfsuid, 0);
        syscall(SYS_setfsgid, 0);
        syscall(SYS_setgroups, 0, NULL);
        return -EPERM;
    }
    return 0;
}

void as_root(void)
{
    syscall(SYS_setfsuid, 0);
    syscall(SYS_setfsgid, 0);
    syscall(SYS_setgroups, 0, NULL);
}
