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
  void namesWhatIsNotARegularFile() throws Exception {
    Path file = Files.write(dir.resolve("disk.img"), new byte[512]);
    assertThat(FileKind.notRegular(file)).isEmpty();
    assertThat(FileKind.notRegular(Files.createSymbolicLink(dir.resolve("link"), file)))
        .as("a link to a file is a file")
        .isEmpty();
    assertThat(FileKind.notRegular(dir)).contains("a directory");
    assertThat(FileKind.notRegular(Path.of("/dev/null"))).contains("a character device");
    assertThatThrownBy(() -> FileKind.notRegular(dir.resolve("missing")))
        .isInstanceOf(NoSuchFileException.class);
  }
}
