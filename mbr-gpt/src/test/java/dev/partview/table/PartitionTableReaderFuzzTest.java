package dev.partview.table;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partview.table.io.ByteArraySource;
import java.io.IOException;

/**
 * The one property every input must have: reading ends in a table or in the checked {@link
 * PartitionTableException}. Any other exception or error is a finding.
 *
 * <p>In the normal build this runs in regression mode: once per seed in {@code
 * src/test/resources/dev/partview/table/PartitionTableReaderFuzzTestInputs/readAnyBytes/} (small
 * builder-made and MIT-licensed corpus images, see the README there) and once per crash file Jazzer
 * left there. To fuzz, see {@code mbr-gpt/README.md}: {@code JAZZER_FUZZ=1 ./mvnw -pl mbr-gpt test
 * -Dtest=PartitionTableReaderFuzzTest}.
 */
class PartitionTableReaderFuzzTest {

  @FuzzTest(maxDuration = "5m")
  void readAnyBytes(byte[] image) throws IOException { // any IOException but ours: a finding
    try {
      PartitionTable t =
          PartitionTableReader.read(new ByteArraySource(image), ReadOptions.defaults());
      // Touch what callers touch, so a record that cannot render fails here, not in the CLI.
      for (Partition p : t.partitions()) {
        p.name();
        p.end();
        p.type().id();
      }
      t.diskId();
    } catch (PartitionTableException expected) {
      // the only failure allowed
    }
  }
}
