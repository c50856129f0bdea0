package dev.partview.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partview.table.io.ByteArraySource;
import dev.partview.testimages.DiskImageBuilder;
import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PartitionSelectorTest {
  private static PartitionTable read(DiskImageBuilder b) throws IOException {
    return PartitionTableReader.read(new ByteArraySource(b.toBytes()), ReadOptions.defaults());
  }

  private static PartitionTable gpt() throws IOException {
    return read(
        new DiskImageBuilder()
            .sizeBytes(1 << 20)
            .gpt()
            .gptPartition(1, 34, 199, "same")
            .gptPartition(2, 200, 399, "same")
            .gptPartition(3, 400, 599, "trail ")
            .gptPartition(4, 600, 799, "other"));
  }

  private static int pick(PartitionTable t, String text) {
    return PartitionSelector.parse(text).resolve(t).number();
  }

  @Test
  void numbersAreAsciiDigitsWithAnOptionalP() throws IOException {
    PartitionTable t = gpt();
    assertThat(pick(t, "4")).isEqualTo(4);
    assertThat(pick(t, " p4 ")).isEqualTo(4);
    assertThat(pick(t, "04")).isEqualTo(4);
    for (String bad : new String[] {"+4", "\uff14", "p", "0", "-1", "P4", "99999999999"}) {
      assertThatThrownBy(() -> PartitionSelector.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a partition");
    }
  }

  @Test
  void labelsMatchExactlyAndAnAmbiguousOneNamesOnlyItsMatches() throws IOException {
    PartitionTable t = gpt();
    assertThat(pick(t, "label:trail ")).as("trailing space kept").isEqualTo(3);
    assertThatThrownBy(() -> pick(t, "label:trail")).hasMessageContaining("no partition");
    assertThatThrownBy(() -> pick(t, "label:same"))
        .hasMessage("label:same matches 2 partitions; use a number (p1, p2)");
    assertThat(pick(t, "LABEL:other")).as("the prefix in any case, as blkid's LABEL=").isEqualTo(4);
    assertThatThrownBy(() -> pick(t, "label:OTHER")).hasMessageContaining("no partition");
  }

  @Test
  void aPrefixWithoutANameIsAUsageErrorNotAMatchOfTheUnnamed() throws IOException {
    PartitionTable t =
        read(
            new DiskImageBuilder()
                .sizeBytes(1 << 20)
                .gpt()
                .gptPartition(1, 34, 199, "")
                .gptPartition(2, 200, 399, "named"));
    for (String bad : new String[] {"label:", "uuid:", "UUID:"}) {
      assertThatThrownBy(() -> pick(t, bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("not a partition: '" + bad + "' (" + bad + " needs a name after the colon)");
    }
  }

  @Test
  void uuidIsThePartuuidForGptAndMbr() throws IOException {
    PartitionTable g = gpt();
    String guid = g.partition(2).orElseThrow().uuid().toString().toUpperCase();
    assertThat(pick(g, "uuid:" + guid)).isEqualTo(2);

    PartitionTable mbr =
        read(
            new DiskImageBuilder()
                .sizeBytes(1 << 20)
                .diskSignature(0x5ca1ab1eL)
                .primary(1, 0x83, 63, 100)
                .primary(2, 0x83, 200, 100));
    assertThat(mbr.partUuid(mbr.partition(2).orElseThrow())).contains("5ca1ab1e-02");
    assertThat(pick(mbr, "UUID:5CA1AB1E-02")).isEqualTo(2);
  }

  @Test
  void aLabelNoGptNameHasIsLookedUpAmongFilesystemLabels() throws IOException {
    PartitionTable t = gpt();
    Map<Integer, String> fs = Map.of(1, "rootfs", 2, "home", 3, "home", 4, "same");
    int[] asked = {0};
    Supplier<Map<Integer, String>> labels =
        () -> {
          asked[0]++;
          return fs;
        };
    assertThat(PartitionSelector.parse("label:rootfs").resolve(t, labels).number()).isEqualTo(1);
    assertThat(PartitionSelector.parse("label:other").resolve(t, labels).number())
        .as("a GPT name first")
        .isEqualTo(4);
    assertThat(PartitionSelector.parse("p2").resolve(t, labels).number()).isEqualTo(2);
    assertThat(asked[0]).as("filesystem labels read only when no GPT name matched").isEqualTo(1);
    assertThatThrownBy(() -> PartitionSelector.parse("label:same").resolve(t, labels))
        .as("GPT names clash: no fallback to p4's filesystem label")
        .hasMessage("label:same matches 2 partitions; use a number (p1, p2)");
    assertThatThrownBy(() -> PartitionSelector.parse("label:home").resolve(t, labels))
        .hasMessage("label:home matches 2 partitions; use a number (p2, p3)");
    assertThatThrownBy(() -> PartitionSelector.parse("label:none").resolve(t, labels))
        .hasMessage(
            "no partition label:none (the image has: p1, p2, p3, p4; no GPT name or filesystem"
                + " label is 'none')");
  }
}
