package dev.partview.cli.extract;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The output file, written under a hidden name beside the target ({@code .NAME.partview-XXXXXX})
 * and renamed into place only once complete, so the target name never holds a partial copy. On
 * SIGINT/SIGTERM a shutdown hook deletes the hidden file; a SIGKILL can leave only the hidden file
 * behind, never the target.
 *
 * <p>New bytes are zeros until written, so skipping zeros leaves holes; {@link #finish} sets the
 * final length with {@code ftruncate}, which makes trailing zeros a hole too.
 */
public final class AtomicFileSink implements KernelCopySink, AutoCloseable {
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
    if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString());
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
  public long copyFrom(FileChannel src, long pos, long length, long offset) throws IOException {
    // transferTo writes at the channel's position; nothing else here uses the position.
    channel.position(offset);
    long done = 0;
    while (done < length) {
      long n = src.transferTo(pos + done, length - done, channel);
      if (n <= 0) break; // src ended: the caller names the offset
      done += n;
    }
    return done;
  }

  @Override
  public void zeros(long offset, long length) {
    // Nothing to write: unwritten bytes of a new file are zeros and take no space.
  }

  @Override
  public void finish(long length) throws IOException {
    file.setLength(length);
  }

  /**
   * Closes the hidden file and gives it the target name: {@code rename(2)} when replacing, else
   * {@code link(2)} + {@code unlink(2)}, which fails rather than replace a file that appeared
   * since.
   */
  public synchronized void commit() throws IOException {
    if (state != State.OPEN) throw new IOException(target + ": extraction was interrupted");
    channel.close();
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
    }
  }

  private synchronized void abort() throws IOException {
    if (state != State.OPEN) return;
    state = State.ABORTED;
    try {
      channel.close();
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

  private void removeHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook is running or has run.
    }
  }
}
