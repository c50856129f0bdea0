/*
 * How fast the kernel fills a new file with 512 MiB of a cached image, by the ways a copier can
 * ask it to (the experiment behind extract's ParallelCopy; cli/README.md, "extract"):
 *   rw      pread 4 MiB into a buffer, write it out (what dd bs=4M does)
 *   send    sendfile, 64 MiB per call (what FileChannel.transferTo does)
 *   mmapN   ftruncate the output, map it shared, N threads pread their share into the mapping
 *   fmapN   the same after fallocate(0, length): blocks allocated up front
 * Build: gcc -O2 -o copyinto copyinto.c -lpthread
 * Run:   copyinto MODE IMAGE OUT [START_BYTES [LENGTH_BYTES]]   (default 1 MiB and 512 MiB)
 * bench/copy/compare.sh runs every mode in turns.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <time.h>
#include <unistd.h>

static int in, out, nthreads;
static char *map;
static long start = 1L << 20, len = 512L << 20;

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void die(const char *what) {
  perror(what);
  exit(1);
}

/* Thread i preads its share of the range into the output mapping (the kernel faults it in). */
static void *worker(void *arg) {
  long i = (long)arg, part = len / nthreads, off = i * part;
  long end = i == nthreads - 1 ? len : off + part;
  while (off < end) {
    long n = end - off > (4L << 20) ? 4L << 20 : end - off;
    ssize_t r = pread(in, map + off, n, start + off);
    if (r <= 0) die("pread");
    off += r;
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s rw|send|mmapN|fmapN IMAGE OUT [START [LENGTH]]\n", argv[0]);
    return 2;
  }
  const char *mode = argv[1];
  if (argc > 4) start = atol(argv[4]);
  if (argc > 5) len = atol(argv[5]);
  if ((in = open(argv[2], O_RDONLY)) < 0) die(argv[2]);
  if ((out = open(argv[3], O_RDWR | O_CREAT | O_TRUNC, 0644)) < 0) die(argv[3]);
  double t0 = now_ms();
  if (!strcmp(mode, "rw")) {
    char *b = aligned_alloc(4096, 4L << 20);
    for (long off = 0; off < len;) {
      ssize_t r = pread(in, b, len - off > (4L << 20) ? 4L << 20 : len - off, start + off);
      if (r <= 0) die("pread");
      if (write(out, b, r) != r) die("write");
      off += r;
    }
  } else if (!strcmp(mode, "send")) {
    off_t o = start;
    for (long left = len; left > 0;) {
      ssize_t r = sendfile(out, in, &o, left > (64L << 20) ? 64L << 20 : left);
      if (r <= 0) die("sendfile");
      left -= r;
    }
  } else if (!strncmp(mode, "mmap", 4) || !strncmp(mode, "fmap", 4)) {
    nthreads = atoi(mode + 4);
    if (nthreads < 1 || nthreads > 16) die("threads");
    if (mode[0] == 'f' ? fallocate(out, 0, 0, len) : ftruncate(out, len)) die("size");
    map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, out, 0);
    if (map == MAP_FAILED) die("mmap");
    pthread_t t[16];
    for (long i = 0; i < nthreads; i++) pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < nthreads; i++) pthread_join(t[i], NULL);
    munmap(map, len);
  } else {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
  }
  close(out);
  printf("%s %.0f ms\n", mode, now_ms() - t0);
  return 0;
}
