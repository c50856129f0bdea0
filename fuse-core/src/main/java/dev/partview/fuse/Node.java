package dev.partview.fuse;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What a path in the mount names. The map of these is built once; see {@link Layout}. */
sealed interface Node permits Node.Dir, Node.File, Node.Link, Node.OffsetDir {

  /**
   * A folder with a fixed list of entries.
   *
   * @param image whose permissions and times the folder shows; the first image for the root of a
   *     multi-image mount
   */
  record Dir(List<String> children, Image image) implements Node {
    public Dir {
      children = List.copyOf(children);
    }
  }

  /** A regular file: a window on an image. */
  record File(Window window) implements Node {}

  /** A symbolic link, e.g. {@code by-label/root -> ../p2}. */
  record Link(String target) implements Node {}

  /**
   * {@code offset/}: the one mutable corner. Looking up {@code N} or {@code N:LENGTH} creates a
   * view; the folder lists the names looked up so far (up to {@link #MAX_LISTED}; beyond that,
   * views still work but are not remembered, so lookups cannot grow memory without bound).
   */
  final class OffsetDir implements Node {
    static final int MAX_LISTED = 4096;

    final Image image;
    final Map<String, Window> views = new ConcurrentHashMap<>();

    OffsetDir(Image image) {
      this.image = image;
    }
  }
}
