package dev.partview.table.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileKindTest {
  @TempDir Path dir;

  @Test
  void namesWhatCannotBeAnImage() throws Exception {
    Path file = Files.write(dir.resolve("disk.img"), new byte[512]);
    assertThat(FileKind.notAnImage(file)).isEmpty();
    assertThat(FileKind.notAnImage(Files.createSymbolicLink(dir.resolve("link"), file)))
        .as("a link to a file is a file")
        .isEmpty();
    assertThat(FileKind.notAnImage(dir)).contains("a directory");
    assertThat(FileKind.notAnImage(Path.of("/dev/null"))).contains("a character device");
    assertThat(FileKind.refusal(Path.of("/dev/null")))
        .contains(
            "/dev/null: not a regular file or block device (a character device); partview reads"
                + " disk images");
    assertThat(FileKind.refusal(file)).isEmpty();
    assertThatThrownBy(() -> FileKind.notAnImage(dir.resolve("missing")))
        .isInstanceOf(NoSuchFileException.class);
  }
}
