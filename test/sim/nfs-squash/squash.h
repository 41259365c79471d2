/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* What nfs-squash's parts share: the export's descriptor and acting as the caller. */

#ifndef NFS_SQUASH_H
#define NFS_SQUASH_H

#define FUSE_USE_VERSION 31
#define _GNU_SOURCE

#include <errno.h>
#include <fuse.h>
#include <sys/types.h>

/* the backing directory (the export), opened by root before mounting */
extern int base_fd;
/* whom uid 0 becomes: NFS's anonuid/anongid */
extern uid_t anon_uid;
extern gid_t anon_gid;

extern const struct fuse_operations squash_ops;

/* FUSE hands us "/a/b"; everything goes through *at() relative to base_fd,
 * so callers need no search permission on the directories above the export
 * (an NFS client has none either) */
static inline const char *rel(const char *path)
{
    while (*path == '/')
        path++;
    return *path ? path : ".";
}

/* take on the file system credentials of the request's caller, squashed;
 * 0 or -errno */
int as_caller(void);
/* back to the daemon's own: fsuid/fsgid 0, no supplementary groups */
void as_root(void);

/* the link to the storage (throttle.c): a throughput limit per direction */
enum direction { LINK_READ, LINK_WRITE };
/* MB/s (10^6 bytes), 0 for unlimited; before any request is served */
void set_link_rate(enum direction dir, unsigned mb_per_s);
/* hold the caller for as long as moving `bytes` takes on the shared link */
void take_link(enum direction dir, size_t bytes);

/* run a system call returning -1/errno as the caller; yields 0 or -errno */
#define AS_CALLER(expr) ({                              \
    int err_ = as_caller();                             \
    if (err_ == 0) {                                    \
        err_ = (expr) == -1 ? -errno : 0;               \
        as_root();                                      \
    }                                                   \
    err_;                                               \
})

#endif
