/* SPDX-License-Identifier: LGPL-2.1-or-later */

/*
 * The storage domain's link: a real NFS domain moves data no faster than its
 * network (1 GbE: ~110 MB/s), so copying a volume takes time in proportion to
 * the bytes it moves. Each direction is one link shared by every request, as
 * concurrent readers or writers share one wire: a transfer of n bytes takes the
 * link for n / rate seconds from when the link is free, and its caller sleeps
 * until then. Metadata (lookups, attributes, a truncate) carries no data and
 * passes at once, as with NFS; zeroing a range or punching a hole costs what
 * writing its zeros does (ops.c, sq_fallocate). A rate of 0 is unlimited.
 */

#include "squash.h"

#include <pthread.h>
#include <time.h>

struct link {
    pthread_mutex_t lock;
    /* bytes per second; 0: unlimited */
    double rate;
    /* when the link is free again (CLOCK_MONOTONIC, in ns) */
    long long free_at;
};

static struct link links[2] = {
    { PTHREAD_MUTEX_INITIALIZER, 0, 0 },
    { PTHREAD_MUTEX_INITIALIZER, 0, 0 },
};

#define NS 1000000000LL

void set_link_rate(enum direction dir, unsigned mb_per_s)
{
    /* MB as networks and storage vendors count them: 10^6 bytes */
    links[dir].rate = mb_per_s * 1e6;
}

void take_link(enum direction dir, size_t bytes)
{
    struct link *l = &links[dir];
    struct timespec now, until;
    long long start, end;

    if (l->rate <= 0 || bytes == 0)
        return;
    clock_gettime(CLOCK_MONOTONIC, &now);
    pthread_mutex_lock(&l->lock);
    start = now.tv_sec * NS + now.tv_nsec;
    if (l->free_at > start)
        start = l->free_at;
    end = start + (long long)(bytes / l->rate * NS);
    l->free_at = end;
    pthread_mutex_unlock(&l->lock);
    until.tv_sec = end / NS;
    until.tv_nsec = end % NS;
    /* an absolute deadline: a signal's interruption resumes to the same end */
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR)
        ;
}
