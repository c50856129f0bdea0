package dev.partview.fuse;

import dev.partview.fuse.sys.Sys;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The errno behind a plain {@code IOException} from the image's channel. The JDK keeps only the
 * text, {@code strerror(errno)}, so that text is matched against the same function in the same
 * locale. Only errors the writer can act on: without this, a full or read-only filesystem under the
 * image showed through the mount as EIO, which reads as a failing disk.
 */
final class IoErrno {
  private IoErrno() {}

  private static final class Texts {
    static final Map<String, Errno> BY_TEXT = byText();

    private static Map<String, Errno> byText() {
      Map<String, Errno> m = new HashMap<>();
      for (Errno e : new Errno[] {Errno.ENOSPC, Errno.EDQUOT, Errno.EROFS, Errno.EFBIG}) {
        m.putIfAbsent(Sys.strerror(e.value()), e);
      }
      return Map.copyOf(m);
    }
  }

  static Optional<Errno> of(IOException e) {
    String text = e.getMessage();
    if (text == null || e.getClass() != IOException.class) return Optional.empty();
    try {
      return Optional.ofNullable(Texts.BY_TEXT.get(text));
    } catch (LinkageError noLibc) { // serving without libc bound: no better answer than EIO
      return Optional.empty();
    }
  }
}
