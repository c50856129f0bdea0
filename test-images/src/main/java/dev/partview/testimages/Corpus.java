package dev.partview.testimages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The conformance corpus ({@code shared/corpus}: real images as .xz plus {@code manifest.json}). It
 * lives outside the repository: CI clones the repository with {@code ../shared} beside it, so
 * {@link #root()} walks up from the working directory looking for {@code shared/corpus}; the system
 * property {@value #PROPERTY} is tried first.
 */
public final class Corpus {
  public static final String PROPERTY = "partview.corpus";

  /** Where decompressed images are cached; default {@code target/corpus-cache} of the module. */
  public static final String CACHE_PROPERTY = "partview.corpus.cache";

  private final Path directory;
  private final List<CorpusEntry> entries;

  private Corpus(Path directory, List<CorpusEntry> entries) {
    this.directory = directory;
    this.entries = List.copyOf(entries);
  }

  /** The corpus directory (holding manifest.json), if one can be found. */
  public static Optional<Path> root() {
    for (Path candidate : candidates()) {
      if (Files.isRegularFile(candidate.resolve("manifest.json"))) {
        return Optional.of(candidate.toAbsolutePath().normalize());
      }
    }
    return Optional.empty();
  }

  /**
   * The loaded corpus; when it is missing, prints "corpus absent: …" and skips the calling test —
   * or fails it under {@code CI=true}, like {@link IntegrationEnvironment}.
   */
  public static Corpus require() throws IOException {
    Optional<Path> root = root();
    IntegrationEnvironment.require(
        root.isPresent(),
        "corpus absent: no manifest.json in any of "
            + candidates()
            + " (set -D"
            + PROPERTY
            + "=DIR)");
    return load(root.orElseThrow());
  }

  public static Corpus load(Path directory) throws IOException {
    JsonNode manifest = new ObjectMapper().readTree(directory.resolve("manifest.json").toFile());
    List<CorpusEntry> entries = new ArrayList<>();
    for (JsonNode e : manifest) entries.add(CorpusEntry.fromJson(e, directory));
    return new Corpus(directory, entries);
  }

  public Path directory() {
    return directory;
  }

  public List<CorpusEntry> entries() {
    return entries;
  }

  public CorpusEntry entry(String id) {
    return entries.stream()
        .filter(e -> e.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no corpus entry with id " + id));
  }

  /**
   * The raw image, decompressed once into the cache directory (sparse: all-zero 64 KiB blocks
   * become holes) and reused while its length matches the manifest's.
   */
  public Path decompress(CorpusEntry entry) throws IOException {
    String relative =
        entry.file().endsWith(".xz")
            ? entry.file().substring(0, entry.file().length() - 3)
            : entry.file();
    Path target = cacheDirectory().resolve(relative);
    if (Files.isRegularFile(target) && Files.size(target) == entry.uncompressedSize())
      return target;
    return SparseXz.decompress(entry.compressed(), target);
  }

  public static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) digest.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static Path cacheDirectory() {
    String configured = System.getProperty(CACHE_PROPERTY);
    if (configured != null && !configured.isBlank()) return Path.of(configured);
    return Path.of(System.getProperty("user.dir"), "target", "corpus-cache");
  }

  /**
   * The property (if set), then {@code DIR/shared/corpus} for the working directory and parents.
   */
  private static List<Path> candidates() {
    List<Path> out = new ArrayList<>();
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) out.add(Path.of(configured));
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        dir != null;
        dir = dir.getParent()) {
      out.add(dir.resolve("shared").resolve("corpus"));
    }
    return out;
  }
}
