/*
 * offsetfs: the C reference that bench/run measures partview's FUSE first read against.
 *
 *   offsetfs IMAGE OFFSET LENGTH MOUNTPOINT [libfuse options, e.g. -o ro]
 *
 * One read-only regular file, /p1, showing bytes [OFFSET, OFFSET + LENGTH) of IMAGE. It stands for
 * the partfs/xmount class of tools (/work/shared/notes/peers.md §4): libfuse 2, the high-level API,
 * fuse_main's defaults (multithreaded loop, daemonised, no kernel_cache, no direct_io, no
 * max_read/max_readahead tuning), and one request = one pread() of the image into libfuse's buffer.
 * It has nothing those peers lack; the only deliberate difference is that it reads with pread() on
 * one O_RDONLY descriptor instead of braincorp/partfs's lseek()+read(), which races under the
 * multithreaded loop (peers.md §5) and would not be cheaper.
 *
 * With OFFSETFS_READ_BUF=1 in its environment it answers reads as partview does instead: read_buf
 * with a descriptor buffer, which libfuse splices into /dev/fuse when mounted with -o splice_write
 * (bench/fuse-ab.sh measures the two side by side). bench/run uses the pread default.
 *
 * Built by bench/run into bench/work/offsetfs when gcc and the libfuse 2 headers are there:
 *   gcc -O2 -Wall -Wextra $(pkg-config --cflags fuse) -o offsetfs offsetfs.c $(pkg-config --libs fuse)
 */
#define FUSE_USE_VERSION 26
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int image_fd;
static off_t part_offset, part_length;

static int of_getattr(const char *path, struct stat *st) {
  memset(st, 0, sizeof *st);
  if (strcmp(path, "/") == 0) {
    st->st_mode = S_IFDIR | 0555;
    st->st_nlink = 2;
  } else if (strcmp(path, "/p1") == 0) {
    st->st_mode = S_IFREG | 0444;
    st->st_nlink = 1;
    st->st_size = part_length;
  } else {
    return -ENOENT;
  }
  return 0;
}

static int of_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
                      struct fuse_file_info *fi) {
  (void)off, (void)fi;
  if (strcmp(path, "/") != 0) return -ENOENT;
  fill(buf, ".", NULL, 0);
  fill(buf, "..", NULL, 0);
  fill(buf, "p1", NULL, 0);
  return 0;
}

static int of_open(const char *path, struct fuse_file_info *fi) {
  if (strcmp(path, "/p1") != 0) return -ENOENT;
  if ((fi->flags & O_ACCMODE) != O_RDONLY) return -EROFS;
  return 0;
}

static int of_read(const char *path, char *buf, size_t size, off_t off,
                   struct fuse_file_info *fi) {
  (void)path, (void)fi;
  if (off >= part_length) return 0;
  if ((off_t)size > part_length - off) size = (size_t)(part_length - off);
  size_t done = 0;
  while (done < size) { /* a short pread only at the image's end; loop as any careful peer does */
    ssize_t n = pread(image_fd, buf + done, size - done, part_offset + off + (off_t)done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return done ? (int)done : -errno;
    }
    if (n == 0) break;
    done += (size_t)n;
  }
  return (int)done;
}

/* The bytes as "this descriptor at this position": libfuse reads (or splices) them itself. */
static int of_read_buf(const char *path, struct fuse_bufvec **bufp, size_t size, off_t off,
                       struct fuse_file_info *fi) {
  (void)path, (void)fi;
  struct fuse_bufvec *bv = malloc(sizeof *bv); /* libfuse frees it */
  if (!bv) return -ENOMEM;
  if (off >= part_length) size = 0;
  else if ((off_t)size > part_length - off) size = (size_t)(part_length - off);
  *bv = (struct fuse_bufvec)FUSE_BUFVEC_INIT(size);
  bv->buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK | FUSE_BUF_FD_RETRY;
  bv->buf[0].fd = image_fd;
  bv->buf[0].pos = part_offset + off;
  *bufp = bv;
  return 0;
}

static struct fuse_operations ops = {
    .getattr = of_getattr, .readdir = of_readdir, .open = of_open, .read = of_read};

static off_t parse_size(const char *s, const char *what) {
  char *end;
  errno = 0;
  intmax_t v = strtoimax(s, &end, 10);
  if (errno || *s == '\0' || *end != '\0' || v < 0) {
    fprintf(stderr, "offsetfs: %s must be a byte count, got '%s'\n", what, s);
    exit(2);
  }
  return (off_t)v;
}

int main(int argc, char *argv[]) {
  if (argc < 5) {
    fprintf(stderr, "usage: offsetfs IMAGE OFFSET LENGTH MOUNTPOINT [libfuse options]\n");
    return 2;
  }
  part_offset = parse_size(argv[2], "OFFSET");
  part_length = parse_size(argv[3], "LENGTH");
  /* opened before fuse_main: daemonising changes the working directory to / */
  image_fd = open(argv[1], O_RDONLY);
  if (image_fd < 0) {
    perror(argv[1]);
    return 1;
  }
  struct stat st;
  if (fstat(image_fd, &st) != 0 || part_offset > st.st_size - part_length) {
    fprintf(stderr, "offsetfs: [%jd, +%jd) is not inside %s\n", (intmax_t)part_offset,
            (intmax_t)part_length, argv[1]);
    return 1;
  }
  const char *rb = getenv("OFFSETFS_READ_BUF");
  if (rb && strcmp(rb, "1") == 0) ops.read_buf = of_read_buf;
  /* libfuse sees: offsetfs MOUNTPOINT [options] */
  argv[3] = argv[0];
  return fuse_main(argc - 3, argv + 3, &ops, NULL);
}
