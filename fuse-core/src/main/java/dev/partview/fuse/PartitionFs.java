package dev.partview.fuse;

import com.kenai.jffi.MemoryIO;
import dev.partview.fuse.sys.LibC;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.ReadOnlyFileSystemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.ffi.Pointer;
import jnr.ffi.Struct;
import jnr.ffi.types.mode_t;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * The jnr-fuse adapter over {@link PartitionFiles}: it converts structs, pointers and exceptions
 * (to {@code -errno}, in {@link #guard}) and decides nothing else.
 *
 * <p>Data moves without copies in Java: a read answers with the image descriptor and position and
 * libfuse splices the bytes into the kernel ({@link #read_buf}); a write wraps the FUSE buffer as a
 * direct ByteBuffer for the duration of the callback and hands it to {@code
 * FileChannel.write(buffer, position)}. That wrapper must never outlive the callback: libfuse frees
 * the memory afterwards.
 */
public final class PartitionFs extends FuseStubFS {

  /**
   * libfuse 2.9 {@code struct fuse_file_info}: the bitfield word {@code direct_io:1, keep_cache:1,
   * …} is at byte 20. jnr-fuse 0.5.8 maps those fields at 16 and 17 (wrong), so it is set by hand.
   */
  private static final int FI_BITS_OFFSET = 20;

  private static final int FI_DIRECT_IO = 0x1;
  private static final int FI_KEEP_CACHE = 0x2;
  private static final int MAX_LOGGED = 20;

  private final PartitionFiles files;
  private final Descriptors descriptors;
  private final PrintWriter log;
  private final AtomicInteger logged = new AtomicInteger();
  private volatile Runnable onInit = () -> {};

  /** The open descriptor of each image, which libfuse reads from (see {@link #read_buf}). */
  @FunctionalInterface
  public interface Descriptors {
    int of(Image image) throws IOException;
  }

  /**
   * @param descriptors asked once per read, from many threads
   * @param log where unexpected failures are reported (the daemon's stderr); each one is answered
   *     with EIO and the daemon keeps serving
   */
  public PartitionFs(PartitionFiles files, Descriptors descriptors, PrintWriter log) {
    this.files = files;
    this.descriptors = descriptors;
    this.log = log;
  }

  /** {@code argv[0]} for libfuse, and the default subtype: {@code fuse.partview}. */
  @Override
  protected String getFSName() {
    return "partview";
  }

  /**
   * jnr-fuse's own version runs {@code fusermount -u -z}, a lazy unmount that hides a busy mount.
   * Only jnr-fuse's {@code mount()} calls it, and partview never calls that ({@link #fuseMain});
   * {@link FuseMount} unmounts. Refused, so that the lazy unmount cannot come back by accident.
   */
  @Override
  public void umount() {
    throw new UnsupportedOperationException(
        "partview unmounts through FuseMount, never with jnr-fuse's lazy fusermount -u -z");
  }

  /**
   * libfuse's {@code fuse_main}, blocking until unmounted, without jnr-fuse's {@code mount()}: that
   * one registers a shutdown hook of its own just before, which leaves a signal in between no way
   * to wait for the mount (see {@link FuseMount}).
   *
   * @return libfuse's return code: 0 after an unmount, 1 when it could not mount (the reason is on
   *     stderr)
   */
  int fuseMain(String mountpoint, boolean debug, List<String> options) {
    List<String> argv = new ArrayList<>(List.of(getFSName(), "-f"));
    if (debug) argv.add("-d");
    argv.add(mountpoint);
    argv.addAll(options);
    String[] a = argv.toArray(String[]::new);
    return libFuse.fuse_main_real(a.length, a, fuseOperations, Struct.size(fuseOperations), null);
  }

  /** The kernel's INIT request: the mount exists, nothing has been answered yet. */
  @Override
  public Pointer init(Pointer conn) {
    onInit.run();
    return null;
  }

  void onInit(Runnable action) {
    this.onInit = action;
  }

  @FunctionalInterface
  interface Op {
    int run() throws IOException;
  }

  /** The one place exceptions become errno values. */
  int guard(String op, String path, Op body) {
    try {
      return body.run();
    } catch (FsException e) {
      return -e.errno().value();
    } catch (NoSuchFileException e) {
      return -Errno.ENOENT.value();
    } catch (AccessDeniedException e) {
      return -Errno.EACCES.value();
    } catch (ReadOnlyFileSystemException | NonWritableChannelException e) {
      return -Errno.EROFS.value();
    } catch (ClosedChannelException e) {
      return -Errno.EIO.value(); // shutting down
    } catch (IOException | RuntimeException | Error e) {
      Optional<Errno> known = e instanceof IOException io ? IoErrno.of(io) : Optional.empty();
      if (known.isPresent()) {
        return -known.get().value(); // ENOSPC and the like: the writer's to see
      }
      if (logged.incrementAndGet() <= MAX_LOGGED) {
        log.println("partview: " + op + " " + path + ": " + e);
        log.flush();
      }
      return -Errno.EIO.value();
    }
  }

  @Override
  public int getattr(String path, FileStat st) {
    return guard("getattr", path, () -> fill(st, files.stat(path)));
  }

  private static int fill(FileStat st, PartitionFiles.Attr a) {
    int type =
        switch (a.kind()) {
          case DIRECTORY -> FileStat.S_IFDIR;
          case SYMLINK -> FileStat.S_IFLNK;
          case FILE -> FileStat.S_IFREG;
        };
    st.st_mode.set(type | a.permissions());
    st.st_nlink.set(a.links());
    st.st_size.set(a.size());
    st.st_blocks.set(a.blocks());
    st.st_blksize.set(PartitionFiles.BLOCK_SIZE);
    st.st_uid.set(a.uid());
    st.st_gid.set(a.gid());
    for (Timespec t : new Timespec[] {st.st_atim, st.st_mtim, st.st_ctim}) {
      t.tv_sec.set(a.mtimeSeconds());
      t.tv_nsec.set(0);
    }
    return 0;
  }

  @Override
  public int readdir(
      String path, Pointer buf, FuseFillDir filler, @off_t long offset, FuseFileInfo fi) {
    return guard(
        "readdir",
        path,
        () -> {
          var names = files.list(path);
          filler.apply(buf, name("."), null, 0);
          filler.apply(buf, name(".."), null, 0);
          for (String n : names) {
            if (filler.apply(buf, name(n), null, 0) != 0) break;
          }
          return 0;
        });
  }

  /** A NUL-terminated UTF-8 name (jnr-fuse's String variant uses the platform charset, no NUL). */
  private static ByteBuffer name(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.wrap(java.util.Arrays.copyOf(b, b.length + 1));
  }

  @Override
  public int readlink(String path, Pointer buf, @size_t long size) {
    return guard(
        "readlink",
        path,
        () -> {
          if (size <= 0) return -Errno.EINVAL.value();
          byte[] target = files.readlink(path).getBytes(StandardCharsets.UTF_8);
          int n = (int) Math.min(target.length, size - 1);
          buf.put(0, target, 0, n);
          buf.putByte(n, (byte) 0);
          return 0;
        });
  }

  @Override
  public int open(String path, FuseFileInfo fi) {
    return guard(
        "open",
        path,
        () -> {
          int access = fi.flags.get() & LibC.O_ACCMODE;
          files.open(path, access != LibC.O_RDONLY);
          Pointer mem = Struct.getMemory(fi);
          if (!files.writable()) {
            // Read-only: nothing but this daemon changes the bytes, so the page cache may outlive
            // a close. Not on --rw mounts: a loop device writing through another handle would be
            // shadowed by stale pages.
            mem.putInt(FI_BITS_OFFSET, mem.getInt(FI_BITS_OFFSET) | FI_KEEP_CACHE);
          } else if (access == LibC.O_WRONLY) {
            // Write-only handles (dd of=, cp, cat >) bypass the kernel's cache of the file: through
            // the cache every 128 KiB request first copies into newly allocated pages of this file
            // that nobody reads again. bench/run measured 1,100-1,450 MB/s instead of 540-970 for
            // 1 MiB writes with fdatasync (bench/RESULTS.md). Nothing is lost: a write-only
            // descriptor cannot be read or mmapped, and the kernel (Linux >= 6.6) drops the
            // written range from the cache that other handles read. Handles opened read-write
            // (loop devices, mkfs, qemu-img) keep the cache and its readahead.
            mem.putInt(FI_BITS_OFFSET, mem.getInt(FI_BITS_OFFSET) | FI_DIRECT_IO);
          }
          return 0;
        });
  }

  /**
   * Reads are answered with where the bytes are ({@link FdBufvec}), not with the bytes: libfuse
   * moves them from the image to the kernel itself. With {@code read_buf} registered, libfuse never
   * calls {@code read}.
   */
  @Override
  public int read_buf(
      String path, Pointer bufp, @size_t long size, @off_t long offset, FuseFileInfo fi) {
    return guard(
        "read",
        path,
        () -> {
          PartitionFiles.Extent e = files.locate(path, offset, size);
          bufp.putAddress(
              0, FdBufvec.allocate(descriptors.of(e.image()), e.position(), e.length()));
          return 0;
        });
  }

  @Override
  public int write(
      String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
    return guard(
        "write",
        path,
        () -> {
          ByteBuffer bb = MemoryIO.getInstance().newDirectByteBuffer(buf.address(), (int) size);
          return files.write(path, bb, offset);
        });
  }

  @Override
  public int truncate(String path, @off_t long size) {
    return guard(
        "truncate",
        path,
        () -> {
          files.truncate(path, size);
          return 0;
        });
  }

  @Override
  public int flush(String path, FuseFileInfo fi) {
    // Every close() flushes; only handles that could have written force the image.
    if ((fi.flags.get() & LibC.O_ACCMODE) == LibC.O_RDONLY || !files.writable()) return 0;
    return fsync(path, 1, fi);
  }

  @Override
  public int fsync(String path, int isdatasync, FuseFileInfo fi) {
    return guard(
        "fsync",
        path,
        () -> {
          files.fsync(path, isdatasync == 0);
          return 0;
        });
  }

  @Override
  public int fallocate(
      String path, int mode, @off_t long off, @off_t long length, FuseFileInfo fi) {
    return guard(
        "fallocate",
        path,
        () -> {
          files.fallocate(path, mode, off, length);
          return 0;
        });
  }

  @Override
  public int statfs(String path, Statvfs st) {
    return guard(
        "statfs",
        path,
        () -> {
          PartitionFiles.FsStats s = files.statfs();
          st.f_bsize.set(s.blockSize());
          st.f_frsize.set(s.blockSize());
          st.f_blocks.set(s.blocks());
          st.f_bfree.set(0);
          st.f_bavail.set(0);
          st.f_files.set(s.files());
          st.f_ffree.set(0);
          st.f_favail.set(0);
          st.f_namemax.set(s.nameMax());
          return 0;
        });
  }

  private int refuse(String op, String path) {
    return guard(
        op,
        path,
        () -> {
          files.refuseChange(path);
          return 0;
        });
  }

  @Override
  public int create(String path, @mode_t long mode, FuseFileInfo fi) {
    return refuse("create", path);
  }

  @Override
  public int mknod(String path, @mode_t long mode, long rdev) {
    return refuse("mknod", path);
  }

  @Override
  public int mkdir(String path, @mode_t long mode) {
    return refuse("mkdir", path);
  }

  @Override
  public int unlink(String path) {
    return refuse("unlink", path);
  }

  @Override
  public int rmdir(String path) {
    return refuse("rmdir", path);
  }

  @Override
  public int symlink(String oldpath, String newpath) {
    return refuse("symlink", newpath);
  }

  @Override
  public int rename(String oldpath, String newpath) {
    return refuse("rename", oldpath);
  }

  @Override
  public int link(String oldpath, String newpath) {
    return refuse("link", newpath);
  }

  @Override
  public int chmod(String path, @mode_t long mode) {
    return refuse("chmod", path);
  }

  @Override
  public int chown(String path, long uid, long gid) {
    return refuse("chown", path);
  }

  @Override
  public int utimens(String path, Timespec[] timespec) {
    return refuse("utimens", path);
  }
}
