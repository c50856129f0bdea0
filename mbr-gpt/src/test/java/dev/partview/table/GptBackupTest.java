package dev.partview.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.table.io.ByteArraySource;
import dev.partview.testimages.Corruptor;
import dev.partview.testimages.DiskImageBuilder;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Where the backup GPT header is looked for. A disk image copied onto a larger disk (or a file
 * grown with {@code truncate}) keeps its backup at the old last LBA, which the primary's
 * alternate_lba still names, while the new last LBA holds nothing.
 */
class GptBackupTest {
  static final long OLD_SIZE = 1L << 20;

  private static DiskImageBuilder disk() {
    return new DiskImageBuilder()
        .sizeBytes(OLD_SIZE)
        .gpt()
        .gptPartition(1, 34, 999, "one")
        .gptPartition(2, 1000, 1999, "two");
  }

  private static PartitionTable read(byte[] image) throws IOException {
    return PartitionTableReader.read(new ByteArraySource(image), ReadOptions.defaults());
  }

  @Test
  void grownImageKeepsThePrimaryAndReportsTheMisplacedBackup() throws IOException {
    byte[] grown = Arrays.copyOf(disk().toBytes(), (int) (2 * OLD_SIZE));
    GptTable t = (GptTable) read(grown);
    assertThat(t.fromBackup()).isFalse();
    assertThat(t.partitions()).hasSize(2);
    assertThat(t.diagnostics())
        .extracting(Diagnostic::message)
        .containsExactly("backup GPT header at LBA 2047, not at the last LBA 4095");
  }

  @Test
  void damagedPrimaryOfAGrownImageFindsTheBackupThroughAlternateLba() throws IOException {
    DiskImageBuilder b = disk();
    byte[] image = Corruptor.of(b.toBytes(), b.layout()).breakPrimaryHeaderCrc().bytes();
    byte[] grown = Arrays.copyOf(image, (int) (2 * OLD_SIZE));
    GptTable t = (GptTable) read(grown);
    assertThat(t.fromBackup()).isTrue();
    assertThat(t.partitions()).extracting(Partition::label).containsExactly("one", "two");
    assertThat(t.diagnostics())
        .extracting(Diagnostic::message)
        .anySatisfy(m -> assertThat(m).contains("using the backup header at LBA 2047"))
        .anySatisfy(
            m ->
                assertThat(m).isEqualTo("backup GPT header at LBA 2047, not at the last LBA 4095"));
  }

  @Test
  void zeroedPrimaryOfAGrownImageHasNoHintAndFails() {
    DiskImageBuilder b = disk();
    byte[] image = Corruptor.of(b.toBytes(), b.layout()).zeroPrimaryHeader().bytes();
    byte[] grown = Arrays.copyOf(image, (int) (2 * OLD_SIZE));
    // Nothing at LBA 1 to take a hint from, nothing at the last LBA: no table, and it says why.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> read(grown))
        .isInstanceOfSatisfying(
            PartitionTableException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(PartitionTableException.Kind.CORRUPT);
              assertThat(e.offset()).isEqualTo(446);
            });
  }

  @Test
  void backupThatDisagreesWithThePrimaryIsReported() throws IOException {
    DiskImageBuilder b = disk();
    // Different disk GUID in the backup, its CRC made valid again.
    byte[] image = b.toBytes();
    int backup = (int) b.backupHeaderOffset();
    image[backup + 56] ^= 1;
    Corruptor.of(image, b.layout()).fixBackupHeaderCrc();
    GptTable t = (GptTable) read(image);
    assertThat(t.fromBackup()).isFalse();
    assertThat(t.diagnostics())
        .extracting(Diagnostic::message)
        .containsExactly("primary and backup GPT headers differ: disk GUID; the primary is used");
  }
}
