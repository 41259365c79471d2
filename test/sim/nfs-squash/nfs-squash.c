/* SPDX-License-Identifier: LGPL-2.1-or-later */

/*
 * nfs-squash: a FUSE passthrough of a backing directory (the "NFS export")
 * with NFS root-squash semantics, so the simulated host's storage domain
 * refuses root the way a root-squashed NFS mount of a real host does.
 *
 *   nfs-squash BACKING MOUNTPOINT [-f] [-o anonuid=N,anongid=N,write_mbps=N,read_mbps=N,...]
 *
 * Every request runs with the caller's file system credentials (fsuid, fsgid,
 * supplementary groups: credentials.c), so the kernel's own permission checks
 * on the backing files decide (ops.c); uid 0 becomes anonuid/anongid
 * (default 65534, nobody/nogroup) without supplementary groups, gid 0 becomes
 * anongid. It must run as root: switching credentials needs CAP_SETUID and
 * CAP_SETGID. write_mbps and read_mbps limit the data's throughput in MB/s
 * (10^6 bytes) as a real domain's network does (throttle.c); 0, the default,
 * is unlimited.
 */

#include "squash.h"

#include <fcntl.h>
#include <grp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int base_fd = -1;

struct options {
    char *backing;
    unsigned anonuid, anongid;
    unsigned write_mbps, read_mbps;
};
static struct options opts = { NULL, 65534, 65534, 0, 0 };

static const struct fuse_opt option_spec[] = {
    { "anonuid=%u", offsetof(struct options, anonuid), 0 },
    { "anongid=%u", offsetof(struct options, anongid), 0 },
    { "write_mbps=%u", offsetof(struct options, write_mbps), 0 },
    { "read_mbps=%u", offsetof(struct options, read_mbps), 0 },
    FUSE_OPT_END
};

static int take_backing(void *data, const char *arg, int key, struct fuse_args *outargs)
{
    (void)data;
    (void)outargs;
    if (key == FUSE_OPT_KEY_NONOPT && !opts.backing) {
        opts.backing = strdup(arg);
        return 0;
    }
    return 1;
}

/* fsname=<backing> for mount(8) and /proc/self/mountinfo; ',' and '\' escaped for -o */
static char *fsname_option(const char *backing)
{
    char *out = malloc(strlen("-ofsname=,subtype=nfs-squash") + 2 * strlen(backing) + 1);
    char *p = out;
    if (!out)
        return NULL;
    p += sprintf(p, "-ofsname=");
    for (const char *s = backing; *s; s++) {
        if (*s == ',' || *s == '\\')
            *p++ = '\\';
        *p++ = *s;
    }
    strcpy(p, ",subtype=nfs-squash");
    return out;
}

int main(int argc, char *argv[])
{
    struct fuse_args args = FUSE_ARGS_INIT(argc, argv);

    if (fuse_opt_parse(&args, &opts, option_spec, take_backing) == -1)
        return 1;
    if (!opts.backing) {
        fprintf(stderr, "usage: %s BACKING MOUNTPOINT [-f] [-o anonuid=N,anongid=N,write_mbps=N,read_mbps=N,...]\n", argv[0]);
        return 1;
    }
    if (geteuid() != 0) {
        fprintf(stderr, "nfs-squash: must run as root to act with its callers' credentials\n");
        return 1;
    }
    anon_uid = opts.anonuid;
    anon_gid = opts.anongid;
    set_link_rate(LINK_WRITE, opts.write_mbps);
    set_link_rate(LINK_READ, opts.read_mbps);
    base_fd = open(opts.backing, O_RDONLY | O_DIRECTORY);
    if (base_fd == -1) {
        fprintf(stderr, "nfs-squash: %s: %s\n", opts.backing, strerror(errno));
        return 1;
    }
    /* the kernel applied the caller's umask already; ours must not apply twice */
    umask(0);
    /* root's own requests (release, statfs) run with no supplementary groups;
     * the glibc call is right here: no other thread exists yet */
    if (setgroups(0, NULL) != 0) {
        perror("nfs-squash: setgroups");
        return 1;
    }
    char *fsname = fsname_option(opts.backing);
    /* allow_other: vdsm, qemu and root all use one mount; no default_permissions,
     * which would let root's CAP_DAC_OVERRIDE past the kernel's checks */
    if (!fsname || fuse_opt_add_arg(&args, fsname) || fuse_opt_add_arg(&args, "-oallow_other")
        /* libfuse 3.14.0 complains of its own default of -1 otherwise */
        || fuse_opt_add_arg(&args, "-omax_idle_threads=10"))
        return 1;
    int res = fuse_main(args.argc, args.argv, &squash_ops, NULL);
    fuse_opt_free_args(&args);
    free(fsname);
    return res;
}
