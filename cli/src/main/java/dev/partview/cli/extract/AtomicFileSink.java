package dev.partview.cli.extract;

import dev.partview.fuse.sys.ErrnoException;
import dev.partview.fuse.sys.LibC;
import dev.partview.fuse.sys.Sys;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jnr.constants.platform.Errno;

/**
 * The output file, written under a hidden name beside the target ({@code .NAME.partview-XXXXXX})
 * and renamed into place only once complete, so the target name never holds a partial copy. On
 * SIGINT/SIGTERM a shutdown hook deletes the hidden file; a SIGKILL can leave only the hidden file
 * behind, never the target.
 *
 * <p>New bytes are zeros until written, so skipping zeros leaves holes; {@link #finish} sets the
 * final length with {@code ftruncate}, which makes trailing zeros a hole too.
 */
public final class AtomicFileSink implements MappableSink, AutoCloseable {
  private enum State {
    OPEN,
    COMMITTED,
    ABORTED
  }

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final Path target;
  private final Path temp;
  private final boolean replace;
  private final RandomAccessFile file;
  private final FileChannel channel;
  private final Thread hook;
  private final List<long[]> zerosToPunch = new ArrayList<>();
  private volatile CompletableFuture<Void> libc; // the binding, once a hole is to be punched
  private int fd = -1; // for fallocate, opened on the first hole to punch
  private State state = State.OPEN;

  private AtomicFileSink(Path target, Path temp, boolean replace, RandomAccessFile file) {
    this.target = target;
    this.temp = temp;
    this.replace = replace;
    this.file = file;
    this.channel = file.getChannel();
    this.hook = new Thread(this::abortQuietly, "partview-extract-cleanup");
  }

  /**
   * Creates the hidden file beside {@code target}.
   *
   * @param replace whether an existing target may be replaced ({@code --force})
   * @throws FileAlreadyExistsException if the target exists and {@code replace} is false
   */
  public static AtomicFileSink create(Path target, boolean replace) throws IOException {
    checkTarget(target, replace);
    Path dir = target.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      throw new IOException(
          dir + (Files.exists(dir) ? ": not a directory" : ": no such directory"));
    }
    // Not SecureRandom: the name only has to be unlikely to exist (createFile is exclusive and
    // retried), and seeding SecureRandom costs a few milliseconds of every run.
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; ; attempt++) {
      StringBuilder name = new StringBuilder(".").append(target.getFileName()).append(".partview-");
      for (int i = 0; i < 6; i++) name.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      Path temp = dir.resolve(name.toString());
      try {
        // createFile: exclusive, mode 0666 & ~umask (as cp and dd create their output).
        Files.createFile(temp);
      } catch (FileAlreadyExistsException e) {
        if (attempt < 100) continue;
        throw e;
      } catch (AccessDeniedException e) {
        throw new AccessDeniedException(dir.toString(), null, "cannot create files here");
      } catch (FileSystemException e) {
        // e.g. ENOENT from /proc: name the folder, not the hidden temporary file
        String why = e.getReason() == null ? "" : " (" + e.getReason() + ")";
        throw new IOException(dir + ": cannot create files here" + why, e);
      }
      AtomicFileSink sink;
      try {
        sink = new AtomicFileSink(target, temp, replace, new RandomAccessFile(temp.toFile(), "rw"));
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(temp);
        throw e;
      }
      Runtime.getRuntime().addShutdownHook(sink.hook);
      return sink;
    }
  }

  /** Refuses a target that exists (unless replacing) or that is not a regular file. */
  static void checkTarget(Path target, boolean replace) throws IOException {
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) return;
    if (Files.isDirectory(target)) {
      throw new IOException(target + ": is a directory; name the output file");
    }
    if (!replace) {
      throw new FileAlreadyExistsException(
          target.toString(), null, "exists; use --force to replace it");
    }
    if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(target)) {
      throw new IOException(target + ": not a regular file; to write to it, use -o - and redirect");
    }
  }

  /** The hidden file being written (for messages and tests). */
  public Path temp() {
    return temp;
  }

  @Override
  public boolean sparse() {
    return true;
  }

  @Override
  public void write(ByteBuffer data, long offset) throws IOException {
    long pos = offset;
    while (data.hasRemaining()) pos += channel.write(data, pos);
  }

  @Override
  public MappedByteBuffer map(long offset, long length) throws IOException {
    return channel.map(FileChannel.MapMode.READ_WRITE, offset, length);
  }

  /**
   * Queues the range and punches the queue out at once if libc is bound already (binding starts
   * here, in the background: {@link Sys#bindInBackground}); else {@link #finish} waits for it.
   */
  @Override
  public synchronized void unwriteZeros(long offset, long length) throws IOException {
    zerosToPunch.add(new long[] {offset, length});
    punchQueued(false);
  }

  /**
   * Punches the queued zero ranges out, once libc is bound (waiting up to 10 s for it if {@code
   * wait}). Not after the copy ended: a worker still finishing its window after an error, or after
   * SIGINT's hook deleted the file, must neither bind libc nor open the file again.
   */
  private void punchQueued(boolean wait) throws IOException {
    if (zerosToPunch.isEmpty() || state != State.OPEN) return;
    libc = Sys.bindInBackground();
    if (!wait && !libc.isDone()) return;
    try {
      libc.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      zerosToPunch.clear(); // no native access: the zeros stay, as data
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while binding libc");
    }
    for (long[] r : zerosToPunch) {
      try {
        if (fd < 0) fd = Sys.open(temp.toString(), LibC.O_WRONLY);
        Sys.punchHole(fd, r[0], r[1], temp.toString());
      } catch (ErrnoException e) {
        if (!e.is(Errno.EOPNOTSUPP)) throw RangeIOException.write(r[0], e);
        break; // a filesystem without holes: the zeros stay
      }
    }
    zerosToPunch.clear();
  }

  @Override
  public void zeros(long offset, long length) {
    // Nothing to write: unwritten bytes of a new file are zeros and take no space.
  }

  @Override
  public synchronized void finish(long length) throws IOException {
    punchQueued(true);
    file.setLength(length);
  }

  /**
   * Closes the hidden file and gives it the target name: {@code rename(2)} when replacing, else
   * {@code link(2)} + {@code unlink(2)}, which fails rather than replace a file that appeared
   * since.
   */
  public synchronized void commit() throws IOException {
    if (state != State.OPEN) throw new IOException(target + ": extraction was interrupted");
    closeFiles();
    if (replace) {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } else {
      try {
        Files.createLink(target, temp);
        Files.delete(temp);
      } catch (FileAlreadyExistsException e) {
        throw new FileAlreadyExistsException(
            target.toString(), null, "exists; use --force to replace it");
      } catch (UnsupportedOperationException | AtomicMoveNotSupportedException e) {
        checkTarget(target, false);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) throw e;
        // No hard links on this filesystem (FAT, some FUSE): a plain rename after the check.
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    state = State.COMMITTED;
    removeHook();
  }

  /** Deletes the hidden file unless committed; idempotent. */
  @Override
  public void close() throws IOException {
    try {
      abort();
    } finally {
      removeHook();
      Sys.awaitBinding(libc); // a binding this sink started must finish before the JVM exits
    }
  }

  private synchronized void abort() throws IOException {
    if (state != State.OPEN) return;
    state = State.ABORTED;
    try {
      closeFiles();
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * The shutdown hook: delete the hidden file and nothing else. The copying thread may still be
   * writing; closing the channel under it would only make it print an error while the JVM exits.
   */
  private synchronized void abortQuietly() {
    if (state != State.OPEN) return;
    state = State.ABORTED;
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      // Shutting down: nothing left to tell; the hidden name marks the file as partial.
    }
  }

  private void closeFiles() throws IOException {
    Sys.close(fd);
    fd = -1;
    channel.close();
  }

  private void removeHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook is running or has run.
    }
  }
}
