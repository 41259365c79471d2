/* SPDX-License-Identifier: LGPL-2.1-or-later */

/*
 * The passthrough operations. Whatever names a path (lookup, open, create,
 * mkdir, rename, chmod, chown...) runs as the caller (AS_CALLER), so the
 * kernel's permission checks on the backing files decide as an NFS server's
 * would. Operations on an open file use the descriptor opened with the
 * caller's rights, as an NFS client keeps the opener's credentials for I/O.
 */

#include "squash.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

static void *sq_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
    /* volume data moves between /dev/fuse and the backing file by splice */
    conn->want |= conn->capable & (FUSE_CAP_SPLICE_READ | FUSE_CAP_SPLICE_WRITE | FUSE_CAP_SPLICE_MOVE);
    cfg->use_ino = 1;
    cfg->readdir_ino = 1;
    /* no attribute or entry caching: a chown or chmod on the backing directory
     * (or through another path) shows at once, as with NFS's noac */
    cfg->attr_timeout = 0;
    cfg->entry_timeout = 0;
    cfg->negative_timeout = 0;
    /* unlink an open file at once instead of renaming it to .fuse_hidden*:
     * every operation on an open file goes through its descriptor */
    cfg->hard_remove = 1;
    cfg->nullpath_ok = 1;
    return NULL;
}

static int sq_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
    if (fi)
        return fstat(fi->fh, st) == -1 ? -errno : 0;
    return AS_CALLER(fstatat(base_fd, rel(path), st, AT_SYMLINK_NOFOLLOW));
}

static int sq_access(const char *path, int mask)
{
    /* AT_EACCESS: checked with the fsuid/fsgid just set, not the real ids */
    return AS_CALLER(faccessat(base_fd, rel(path), mask, AT_EACCESS));
}

static int sq_readlink(const char *path, char *buf, size_t size)
{
    ssize_t n = 0;
    int res = AS_CALLER(n = readlinkat(base_fd, rel(path), buf, size - 1));
    if (res == 0)
        buf[n] = '\0';
    return res;
}

struct dir {
    DIR *dp;
    struct dirent *entry;
    off_t offset;
};

static int sq_opendir(const char *path, struct fuse_file_info *fi)
{
    struct dir *d = calloc(1, sizeof(*d));
    int fd = -1;
    int res;

    if (!d)
        return -ENOMEM;
    res = AS_CALLER(fd = openat(base_fd, rel(path), O_RDONLY | O_DIRECTORY));
    if (res == 0 && !(d->dp = fdopendir(fd))) {
        res = -errno;
        close(fd);
    }
    if (res != 0) {
        free(d);
        return res;
    }
    fi->fh = (uintptr_t)d;
    return 0;
}

static int sq_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t offset,
                      struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
    struct dir *d = (struct dir *)(uintptr_t)fi->fh;
    (void)path;
    (void)flags;

    /* the kernel resumes a long listing at the offset of the last entry it took */
    if (offset != d->offset) {
        seekdir(d->dp, offset);
        d->entry = NULL;
        d->offset = offset;
    }
    for (;;) {
        struct stat st;
        if (!d->entry) {
            errno = 0;
            d->entry = readdir(d->dp);
            if (!d->entry)
                return errno ? -errno : 0;
        }
        memset(&st, 0, sizeof(st));
        st.st_ino = d->entry->d_ino;
        st.st_mode = d->entry->d_type << 12;
        off_t next = telldir(d->dp);
        if (filler(buf, d->entry->d_name, &st, next, 0))
            return 0;
        d->entry = NULL;
        d->offset = next;
    }
}

static int sq_releasedir(const char *path, struct fuse_file_info *fi)
{
    struct dir *d = (struct dir *)(uintptr_t)fi->fh;
    (void)path;
    closedir(d->dp);
    free(d);
    return 0;
}

static int sq_mknod(const char *path, mode_t mode, dev_t rdev)
{
    return AS_CALLER(mknodat(base_fd, rel(path), mode, rdev));
}

static int sq_mkdir(const char *path, mode_t mode)
{
    return AS_CALLER(mkdirat(base_fd, rel(path), mode));
}

static int sq_unlink(const char *path)
{
    return AS_CALLER(unlinkat(base_fd, rel(path), 0));
}

static int sq_rmdir(const char *path)
{
    return AS_CALLER(unlinkat(base_fd, rel(path), AT_REMOVEDIR));
}

static int sq_symlink(const char *target, const char *path)
{
    return AS_CALLER(symlinkat(target, base_fd, rel(path)));
}

static int sq_rename(const char *from, const char *to, unsigned int flags)
{
    return AS_CALLER(renameat2(base_fd, rel(from), base_fd, rel(to), flags));
}

static int sq_link(const char *from, const char *to)
{
    return AS_CALLER(linkat(base_fd, rel(from), base_fd, rel(to), 0));
}

static int sq_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
    if (fi)
        return AS_CALLER(fchmod(fi->fh, mode));
    return AS_CALLER(fchmodat(base_fd, rel(path), mode, 0));
}

static int sq_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi)
{
    if (fi)
        return AS_CALLER(fchown(fi->fh, uid, gid));
    return AS_CALLER(fchownat(base_fd, rel(path), uid, gid, AT_SYMLINK_NOFOLLOW));
}

static int sq_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
    int fd = -1;
    int res;

    if (fi)
        return AS_CALLER(ftruncate(fi->fh, size));
    /* truncate(2) by name needs write permission, as opening for writing does */
    res = AS_CALLER(fd = openat(base_fd, rel(path), O_WRONLY | O_NONBLOCK));
    if (res == 0) {
        res = ftruncate(fd, size) == -1 ? -errno : 0;
        close(fd);
    }
    return res;
}

static int sq_utimens(const char *path, const struct timespec ts[2], struct fuse_file_info *fi)
{
    if (fi)
        return AS_CALLER(futimens(fi->fh, ts));
    return AS_CALLER(utimensat(base_fd, rel(path), ts, AT_SYMLINK_NOFOLLOW));
}

/* O_DIRECT stays a FUSE-level matter (the kernel bypasses its page cache for
 * such a descriptor); our buffers are not aligned for the backing file system */
static int open_flags(int flags)
{
    return flags & ~O_DIRECT;
}

static int sq_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
    int fd = -1;
    int res = AS_CALLER(fd = openat(base_fd, rel(path), open_flags(fi->flags) | O_CREAT, mode));
    if (res == 0)
        fi->fh = fd;
    return res;
}

static int sq_open(const char *path, struct fuse_file_info *fi)
{
    int fd = -1;
    int res = AS_CALLER(fd = openat(base_fd, rel(path), open_flags(fi->flags)));
    if (res == 0)
        fi->fh = fd;
    return res;
}

/* Reads and writes use the descriptor opened with the caller's rights, as an
 * NFS client keeps the opener's credentials; with splice the data need not
 * pass through our memory. */
static int sq_read_buf(const char *path, struct fuse_bufvec **bufp, size_t size, off_t off,
                       struct fuse_file_info *fi)
{
    struct fuse_bufvec *src = malloc(sizeof(*src));
    struct stat st;
    (void)path;
    if (!src)
        return -ENOMEM;
    /* libfuse moves the data after we return: the link is taken for what the
     * read will find, nothing past the end of the file */
    if (fstat(fi->fh, &st) == 0 && st.st_size > off)
        take_link(LINK_READ, (off_t)size < st.st_size - off ? size : (size_t)(st.st_size - off));
    *src = FUSE_BUFVEC_INIT(size);
    src->buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK;
    src->buf[0].fd = fi->fh;
    src->buf[0].pos = off;
    *bufp = src;
    return 0;
}

static int sq_write_buf(const char *path, struct fuse_bufvec *buf, off_t off, struct fuse_file_info *fi)
{
    struct fuse_bufvec dst = FUSE_BUFVEC_INIT(fuse_buf_size(buf));
    (void)path;
    dst.buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK;
    dst.buf[0].fd = fi->fh;
    dst.buf[0].pos = off;
    ssize_t res = fuse_buf_copy(&dst, buf, FUSE_BUF_SPLICE_NONBLOCK);
    /* the writer waits for its data to cross the link, as an NFS WRITE's caller does */
    if (res > 0)
        take_link(LINK_WRITE, res);
    return res;
}

static int sq_statfs(const char *path, struct statvfs *st)
{
    (void)path;
    return fstatvfs(base_fd, st) == -1 ? -errno : 0;
}

static int sq_flush(const char *path, struct fuse_file_info *fi)
{
    /* close(2) reports the backing file system's deferred write errors */
    int fd = dup(fi->fh);
    (void)path;
    if (fd == -1)
        return -errno;
    return close(fd) == -1 ? -errno : 0;
}

static int sq_release(const char *path, struct fuse_file_info *fi)
{
    (void)path;
    close(fi->fh);
    return 0;
}

static int sq_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
    (void)path;
    return (datasync ? fdatasync(fi->fh) : fsync(fi->fh)) == -1 ? -errno : 0;
}

static int sq_fallocate(const char *path, int mode, off_t off, off_t len, struct fuse_file_info *fi)
{
    (void)path;
    if (!fi)
        return -EOPNOTSUPP;
    if (fallocate(fi->fh, mode, off, len) == -1)
        return -errno;
    /* an EL7 host's NFS (v3, v4.1) has no DEALLOCATE or zeroing: qemu-img's
     * zeroing of a range (qemu-img convert -n zeroes what the source leaves
     * unallocated) falls back to writing the zeros, which cross the link like
     * any data; the export keeps its hole all the same */
    if (mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE))
        take_link(LINK_WRITE, len);
    return 0;
}

static off_t sq_lseek(const char *path, off_t off, int whence, struct fuse_file_info *fi)
{
    /* SEEK_DATA/SEEK_HOLE: qemu-img finds the holes of a sparse volume with it */
    off_t res = lseek(fi->fh, off, whence);
    (void)path;
    return res == -1 ? -errno : res;
}

static ssize_t sq_copy_file_range(const char *path_in, struct fuse_file_info *fi_in, off_t off_in,
                                  const char *path_out, struct fuse_file_info *fi_out, off_t off_out,
                                  size_t len, int flags)
{
    ssize_t res = copy_file_range(fi_in->fh, &off_in, fi_out->fh, &off_out, len, flags);
    (void)path_in;
    (void)path_out;
    /* an EL7 host's NFS has no server-side copy: the client reads the data and writes it back */
    if (res > 0) {
        take_link(LINK_READ, res);
        take_link(LINK_WRITE, res);
    }
    return res == -1 ? -errno : res;
}

const struct fuse_operations squash_ops = {
    .init = sq_init,
    .getattr = sq_getattr,
    .access = sq_access,
    .readlink = sq_readlink,
    .opendir = sq_opendir,
    .readdir = sq_readdir,
    .releasedir = sq_releasedir,
    .mknod = sq_mknod,
    .mkdir = sq_mkdir,
    .symlink = sq_symlink,
    .unlink = sq_unlink,
    .rmdir = sq_rmdir,
    .rename = sq_rename,
    .link = sq_link,
    .chmod = sq_chmod,
    .chown = sq_chown,
    .truncate = sq_truncate,
    .utimens = sq_utimens,
    .create = sq_create,
    .open = sq_open,
    .read_buf = sq_read_buf,
    .write_buf = sq_write_buf,
    .statfs = sq_statfs,
    .flush = sq_flush,
    .release = sq_release,
    .fsync = sq_fsync,
    .fallocate = sq_fallocate,
    .lseek = sq_lseek,
    .copy_file_range = sq_copy_file_range,
};
